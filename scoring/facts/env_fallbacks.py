"""Literal fallbacks of environment reads, in every language's idiom: the value a deploy runs with
whenever the variable is unset, committed with the code.

    process.env.JWT_SECRET || 'superSecret'           os.getenv("SECRET_KEY", "abc")
    ENV.fetch("SECRET_KEY_BASE") { "abc" }            env('APP_KEY', 'abc')   getenv('X') ?: 'abc'
    System.getenv().getOrDefault("JWT_SECRET", "…")   ${JWT_SECRET:abc} (Spring)   ${SECRET:-abc} (shell)
    env::var("JWT_SECRET").unwrap_or("…".into())      Environment.GetEnvironmentVariable("X") ?? "abc"
    getEnv("JWT_SECRET", "abc") (Go helpers)          `env:"JWT_SECRET" envDefault:"abc"` (Go struct tags)

`fallbacks(line)` returns (variable name, value) pairs; the caller decides whether the name is a
secret's and the value a secret. Each pattern is matched only on lines the secrets scan selected.
"""

from __future__ import annotations

import re

_Q = r"(?P<q>['\"`])(?P<value>[^'\"`\n]{1,200})(?P=q)"
_NAME = r"['\"](?P<name>[A-Za-z_][\w.:\-]{0,80})['\"]"
# a read of one variable, as the left side of `||`, `??`, `?:`, `or`
_READ = (
    r"(?:process\.env\.(?P<n1>\w+)|process\.env\[\s*" + _NAME.replace("name", "n2") + r"\s*\]|"
    r"import\.meta\.env\.(?P<n3>\w+)|"
    r"(?:\bos\.getenv|\bos\.environ\.get|\bgetenv|\bSystem\.getenv|\bEnvironment\.GetEnvironmentVariable|"
    r"\bDeno\.env\.get|\benv)\(\s*" + _NAME.replace("name", "n4") + r"\s*\)|"
    r"(?:\$_ENV|\$_SERVER|\bENV|\b[Cc]onfig(?:uration)?|\bconfig)\[\s*" + _NAME.replace("name", "n5") + r"\s*\])"
)
_PATTERNS = (
    # a read, then a default operator
    re.compile(_READ + r"\s*(?:\|\||\?\?|\?:|\bor\b)\s*" + _Q),
    # a call that takes the name and a default: os.getenv, env(), config(), ENV.fetch, getEnv helpers,
    # GetValue<string>, getProperty, getOrDefault, viper.SetDefault, env.str(…, default=…)
    re.compile(
        r"\b(?:[\w.]*?(?:env|Env|ENV|getenv|config|Config|setting|Setting|[Pp]roperty|GetValue|getOrDefault|"
        r"SetDefault|fetch)[\w.]*)(?:<\w+>)?\(\s*" + _NAME + r"\s*,\s*(?:default\s*=\s*|default:\s*)?" + _Q + r"\s*[),]"
    ),
    re.compile(r"\bENV\.fetch\(\s*" + _NAME + r"\s*\)\s*(?:\{|do)\s*" + _Q),  # Ruby's block default
    re.compile(r"ofNullable\(\s*System\.getenv\(\s*" + _NAME + r"\s*\)\s*\)\s*\.orElse\(\s*" + _Q),  # Java
    # Rust: env::var("X").unwrap_or("…".into()), .unwrap_or_else(|_| "…".to_string()), String::from("…")
    re.compile(
        r"\benv::var(?:_os)?\(\s*" + _NAME + r"\s*\)[^;\n]{0,40}?\.unwrap_or(?:_else)?\(\s*(?:\|[^|]{0,10}\|\s*)?"
        r"(?:String::from\(\s*)?" + _Q
    ),
    # ${NAME:-value}, ${NAME-value}, ${NAME:=value} (shell, compose), ${NAME:value} (Spring, Micronaut)
    re.compile(r"\$\{(?P<name>[A-Za-z_][\w.\-]{0,80})(?::-|:=|-|:)(?P<value>[^}\s'\"$+?][^}\s'\"$]{0,199})\}"),
    # Go struct tags of caarlos0/env and envconfig
    re.compile(r"\b(?:env|envconfig):\"(?P<name>\w+)[^\"]*\"\s+(?:envDefault|default):" + _Q),
    # const { JWT_SECRET = 'x' } = process.env
    re.compile(r"[{,]\s*(?P<name>[A-Z][A-Z0-9_]*)\s*=\s*" + _Q + r"(?=[^}\n]*\}\s*=\s*process\.env)"),
)


def fallbacks(line: str) -> list[tuple[str, str]]:
    """(variable name, literal default) for each environment read with a literal fallback on the line."""
    out = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(line):
            groups = m.groupdict()
            name = next((groups[k] for k in ("name", "n1", "n2", "n3", "n4", "n5") if groups.get(k)), "")
            out.append((name, m.group("value")))
    return out
