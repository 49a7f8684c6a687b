"""Values assigned to secret-sounding names on one line, and where each came from.

detect-secrets' KeywordDetector finds `password = "…"`, `SECRET_KEY: …`, `"jwtSecret": "…"` in
each language's syntax; ours add typed defaults (`secret_key: str = "…"`), XML elements, literal JWT
signing keys, and the literal fallbacks of environment reads (facts/env_fallbacks.py). Each value
passes the filters that keep names, references, paths and placeholders out.

A value's origin says what kind of leak it is: `assigned` (the value itself is the setting),
`fallback` (used whenever the variable is unset), `connection` (a password inside an ADO.NET or
JDBC connection string, with the host it opens).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from detect_secrets.filters.heuristic import is_indirect_reference, is_potential_uuid
from detect_secrets.plugins.high_entropy_strings import Base64HighEntropyString
from detect_secrets.plugins.keyword import (
    CONFIG_DENYLIST_REGEX_TO_GROUP,
    GOLANG_DENYLIST_REGEX_TO_GROUP,
    QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP,
    KeywordDetector,
)

from ..context import Context
from ..tree import File
from .env_fallbacks import fallbacks
from .secret_values import KEYWORDS, SKIP_NAME, is_password_name, is_placeholder, names_a_secret


@dataclass(frozen=True)
class Value:
    text: str
    origin: str = "assigned"  # assigned, fallback or connection
    name: str = ""  # the variable of a fallback, the host of a connection string


_KEYWORD = KeywordDetector()
_ENTROPY = Base64HighEntropyString()
# `password: str = "…"` (pydantic-settings / dataclass defaults) and token-named values, which
# KeywordDetector's denylist does not cover; these need high entropy to count.
_TYPED_DEFAULT = re.compile(
    r"(?i:" + KEYWORDS + r")\w{0,30}\s*:\s*[\w\[\]., |&'<>:]{1,40}=\s*(['\"])([^'\"\s]{6,200})\1"
)  # also Rust's `const JWT_SECRET: &str = "…"`
_DEFINE = re.compile(r"\bdefine\(\s*['\"](?P<name>\w+)['\"]\s*,\s*(['\"])(?P<value>[^'\"\n]{6,200})\2\s*\)")  # PHP
_XML = re.compile(r"<(\w*(?i:password|passwd|secret|apikey|api_key|token)\w*)>([^<\s]{1,200})</\1>")
# detect-secrets wants a value to start with a word character: `Password=@some…`, `PASS: !x7…` start otherwise
_SYMBOL_FIRST = re.compile(
    r"(?i)\b[\w.\-]*(?:" + KEYWORDS + r")[\w.\-]*['\"]?\s{0,4}[=:]\s{0,4}['\"]?"
    r"(?P<value>(?:[@!&^~]|#(?!\{))[^\s'\"`;,(){}\[\]]{5,199})(?=['\"`\s;,]|$)"
)
_JWT_CALL = re.compile(r"\bjwt\.(?:sign|encode|verify|decode)\s*\([^,()]{1,200},\s*(['\"])([^'\"\s]{4,200})\1")
# Server=db;…;Password=…; (ADO.NET), …?user=app&password=… (JDBC): the host the password opens
_CONNECTION_PASSWORD = re.compile(r"(?i)(?:^|[;\s'\"&?])(?:password|pwd)\s*=\s*$")
_CONNECTION_HOST = re.compile(
    r"(?i)(?:\b(?:server|data source|host|address|addr)\s*=\s*(?:tcp:)?|jdbc:\w+://)(?P<host>[\w.\-()\\]+)"
)

_SEALED = re.compile(r"^kind:\s*SealedSecret\b", re.M)
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_TYPE_EXPRESSION = re.compile(r"^[A-Za-z_][\w.]*<[\w.<>, \[\]|]+>$")
_ROUTE_TARGET = re.compile(r"^[a-z_]+(?:/[a-z_]+)*#[a-z_]+$")  # controller#action
_REFERENCE = re.compile(
    r"^[\w.$\-]+\s*[\[(]|^(?:os\.environ|os\.getenv|process\.env|ENV\b|env\(|getenv|System\.getenv|"
    r"Environment\.|settings\.|config\.|self\.|this\.|params|request|req\.)"
)
_IDENTIFIER = re.compile(
    r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[a-z]+(?:[_.\-][a-z]+)+$|^[a-z]+(?:[A-Z][a-z]+)+$|^(?:[A-Z][a-z]+){2,}$|"
    r"^_?[A-Za-z][A-Za-z_]*(?:\.[A-Za-z_][A-Za-z_]*)+$"  # a field path: _config.imagePullSecrets (CUE, HCL)
)
_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
_PATHLIKE = re.compile(
    r"^(?:/|\./|\.\./|~/|[A-Za-z]:\\|https?://)|\.(?:pem|key|crt|cer|json|txt|p12|pfx|jks|ya?ml|env|toml|ini|cfg|conf)$",
    re.I,
)
_ADO_TAIL = re.compile(r";\s*[A-Za-z][A-Za-z ]*=.*$")
_CONFIG_EXTS = {
    ".yml",
    ".yaml",
    ".json",
    ".ini",
    ".cfg",
    ".conf",
    ".cnf",
    ".properties",
    ".toml",
    ".env",
    ".tfvars",
    "",
}
_COMPONENT_EXTS = {".vue", ".svelte", ".astro"}
# an annotation or a key path written like a host and a path: secret.reloader.stakater.com/reload
_DOMAIN_PATH = re.compile(r"^[a-z0-9\-]+(?:\.[a-z0-9\-]+)+/[\w\-./]*$")
# keys that vendors publish to be embedded in clients: PostHog project keys, Stripe publishable keys,
# Mapbox public tokens
_PUBLIC_KEY = re.compile(r"^(?:phc_|pk_(?:live|test)_|pk\.eyJ)")
# words that may follow a secret's noun in a constant's name: DB_PASSWORD_PROD, API_KEY_V2
_QUALIFIERS = {"prod", "production", "dev", "development", "test", "staging", "default", "old", "new", "value", "v"}
_NAME_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_LOWER_WORD = re.compile(r"^[a-z]{1,16}$")
_TOKEN_NAME = re.compile(r"(?i)token|signing_?key|encryption_?key|master_?key|hmac_?key")
_PASSWORD_NAME = re.compile(r"(?i)pass|pwd|secret|api_?key|private_?key")
# names of texts about passwords rather than passwords: PASSWORD_RULES = "8+ chars & one of !@#$"
_PROSE_KEY = re.compile(
    r"(?i)(?:rules?|prompt|msg|desc(?:ription)?|tooltip|instructions?|requirements?|criteria|"
    r"chars|characters|symbols|specials?|policy_text)$"
)
# GraphQL schemas and documents: a field's or a variable's declared type
_SCHEMA_EXTS = (".graphql", ".gql", ".graphqls")
_SCHEMA_TYPE = re.compile(r"^\[?[A-Z]\w*!?\]?!?$")
# template bindings whose attribute value is an expression, not text: Vue `:value=` / `v-model=` / `v-bind:x=`,
# Angular `[value]=` / `[(ngModel)]=`, Svelte `bind:value=`, Blazor `@bind-Value=`, Alpine `x-model=`
_BOUND_ATTRIBUTE = re.compile(
    r"(?:^|\s)(?::[\w.\-]+|v-(?:bind|model)(?::[\w.\-]+)?(?:\.\w+)*|\[\(?[\w.\-]+\)?\]|@bind(?:-\w+)?|bind:\w+|"
    r"x-(?:model|bind:[\w.\-]+))\s*=\s*['\"{]$"
)
# a literal joined to a computed operand: + (JS, Python, Java, Go, C#, Ruby), . (PHP), .. (Lua), << (Ruby)
_CONCATENATED = re.compile(r"['\"`]\s*(?:\+|\.\.?|<<)\s*(?=[A-Za-z_$(\\])")
# an identifier whose last segment is the constant's own name: "Jellyfin-IsApiKey", "X-Api-Key", "app.secret_key"
_NAMESPACED = re.compile(r"^[A-Za-z]+(?:[\-.:/][A-Za-z_]+)+$")


# Error reporters whose notifier key only submits reports and is documented as safe to embed in shipped
# clients (Bugsnag's API key, Honeybadger's and Airbrake's project keys): the configuration call names them
_NOTIFIER_KEY_NAME = re.compile(r"(?i)\b(?:api_?key|project_?key)['\"]?\s*[:=]>?\s*['\"`]$")
_NOTIFIER = re.compile(r"(?i)\b(?:bugsnag|honeybadger|airbrake)\b")


def _notifier_config(f: File, line: int) -> bool:
    return any(_NOTIFIER.search(f.line_text(n)) for n in range(max(1, line - 3), line + 1))


def _namespaced_name(key: str, value: str) -> bool:
    """`IsApiKey = "Jellyfin-IsApiKey"`: a claim type, header or setting name that holds the name it is stored under."""
    if not _NAMESPACED.match(value):
        return False
    name = re.sub(r"[^a-z0-9]", "", key.rsplit(".", 1)[-1].lower())
    return len(name) >= 4 and name in re.sub(r"[^a-z0-9]", "", value.lower())


# blanks between a key and its colon (`"AppSecret" : "…"` in JSON, `password : …` in YAML, .properties, .ini);
# only where a value follows, so `:symbol` (Ruby) and `::` are left alone
_SPACED_COLON = re.compile(r"(?<=[\w'\"\]])[ \t]+:(?=[ \t'\"]|$)")
_PASSPHRASE_SYMBOL = re.compile(r"[!@#$%^&*~+=|\\<>?]")
_PASSPHRASE_SYMBOL_RUN = re.compile(r"[!@#$%^&*~+=|\\<>?]{2}")


def keyword_values(ctx: Context, f: File, line: int, text: str) -> list[Value]:
    """The secret values on one line of `f`, each once, with their origin."""
    if f.ext in (".yml", ".yaml") and _SEALED.search(f.text):
        return []  # SealedSecret encryptedData is ciphertext only the cluster can open
    found = {v.text: v for v in _fallback_values(ctx, f, line, text)}
    regexes = _regexes_for(f)
    keyed = _SPACED_COLON.sub(":", text)  # `"AppSecret" : "…"`, `password : …`: detect-secrets wants `key:`
    raw = list(_KEYWORD.analyze_string(keyed, denylist_regex_to_group=regexes))
    if not raw and regexes is not CONFIG_DENYLIST_REGEX_TO_GROUP:
        # Password=…; inside a connection-string literal in code; values outside strings are dropped below
        raw = list(_KEYWORD.analyze_string(keyed, denylist_regex_to_group=CONFIG_DENYLIST_REGEX_TO_GROUP))
    raw += [m.group(2) for m in _TYPED_DEFAULT.finditer(text)]
    raw += [m.group(2) for m in _XML.finditer(text)]
    raw += [m.group(2) for m in _JWT_CALL.finditer(text)]
    raw += [m.group("value") for m in _SYMBOL_FIRST.finditer(text)]
    raw += [m.group("value") for m in _DEFINE.finditer(text) if names_a_secret(m.group("name"))]
    for value in raw:
        value = _clean(value, quoted=regexes is not CONFIG_DENYLIST_REGEX_TO_GROUP)
        if value and value not in found and _looks_secret(ctx, f, line, text, value):
            found[value] = _with_origin(text, value)
    return list(found.values())


def _fallback_values(ctx: Context, f: File, line: int, text: str) -> list[Value]:
    out = []
    for name, value in fallbacks(text) + _filled_when_empty(f, line, text):
        value = value.strip()
        if not names_a_secret(name) or not _fallback_literal(value):
            continue
        i = text.find(value)
        if f.language and f.language != "shell" and i >= 0:
            if ctx.mask(f).kind_at(f.line_starts[line - 1] + i) in ("comment", "doc"):
                continue
        out.append(Value(value, "fallback", name))
    return out


# `secret := os.Getenv("JWT_SECRET")` … `if secret == "" {` … `secret = "…"`: a fallback over three lines
_LITERAL_ASSIGN = re.compile(
    r"^\s*\$?(?P<var>[A-Za-z_]\w*)\s*(?:=|\|\|=|\?\?=)\s*(?P<q>['\"`])(?P<value>[^'\"`\n]{1,200})(?P=q)\s*;?\s*$"
)
_READ_INTO = (
    r"\$?{var}\s*:?=\s*.*?(?:Getenv|getenv|environ(?:\.get)?|process\.env|ENV|GetEnvironmentVariable|env::var)"
    r"\W{{0,3}}(?P<name>[A-Z][A-Z0-9_]*)"
)


def _filled_when_empty(f: File, line: int, text: str) -> list[tuple[str, str]]:
    m = _LITERAL_ASSIGN.match(text)
    if not m or line < 2:
        return []
    var = re.escape(m.group("var"))
    before = [f.line_text(i) for i in range(max(1, line - 8), line)]
    if not ("||=" in text or "??=" in text or any(re.search(rf"\bif\b.*\b{var}\b", b) for b in before[-3:])):
        return []
    for b in reversed(before):
        read = re.search(_READ_INTO.format(var=var), b)
        if read:
            return [(read.group("name"), m.group("value"))]
    return []


def _fallback_literal(value: str) -> bool:
    """A default that is a value: not empty, a placeholder, a path, a URL or another variable's name.
    Unlike an assignment's, a fallback's value is never a name, so camelCase words count."""
    if len(value) < 4 or is_placeholder(value) or "://" in value or _PATHLIKE.search(value):
        return False
    if _ENV_NAME.match(value) or not re.search(r"[A-Za-z]", value) or value.startswith(("$", "{", "%", "<", "#")):
        return False
    words = value.split()
    return len(words) <= 3 and not value.rstrip().endswith((".", "!", "?", ":"))  # 'keyboard cat', not prose


def _with_origin(text: str, value: str) -> Value:
    i = text.find(value)
    if i > 0 and _CONNECTION_PASSWORD.search(text[:i]):
        host = _CONNECTION_HOST.search(text)
        if host:
            return Value(value, "connection", host.group("host"))
    return Value(value)


def _regexes_for(f: File) -> dict:
    if f.language == "go":
        return GOLANG_DENYLIST_REGEX_TO_GROUP
    if f.ext in _COMPONENT_EXTS:
        return QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP  # script code in a component: `isSecret: boolean` is a type
    if f.language in (None, "shell") or f.ext in _CONFIG_EXTS:
        return CONFIG_DENYLIST_REGEX_TO_GROUP
    return QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP


def _clean(value: str, quoted: bool) -> str | None:
    value = _ADO_TAIL.sub("", value.strip())  # Password=…;Other=… in an ADO.NET connection string
    if not quoted and re.search(r"\s", value):
        head, _, tail = value.partition(" ")
        if not tail.lstrip().startswith(("#", "//", ";")):
            return None  # prose, not a value
        value = head
    value = value.rstrip(";,)").strip("'\"`")
    return value or None


def _looks_secret(ctx: Context, f: File, line: int, text: str, value: str) -> bool:
    if re.search(r"\s", value):
        return _passphrase(ctx, f, line, text, value)
    if len(value) < 6 or "://" in value:
        return False  # URLs with credentials are the connection-string check's
    if is_placeholder(value) or _REFERENCE.match(value) or _PATHLIKE.search(value):
        return False
    if _IDENTIFIER.match(value) and not _self_named_secret(text, value) and not _typed_password(f, text, value):
        return False
    if _COLOUR.match(value):
        return False  # {"pass": "#1a7f37"}: a status's colour
    if _TYPE_EXPRESSION.match(value):
        return False  # a declared type: `apiKeys: list<ApiKeySummary>` (API definitions, TypeScript)
    if _ROUTE_TARGET.match(value):
        return False  # Rails routes: get "/account/lost_password" => "sessions#lost_password"
    if _DOMAIN_PATH.match(value) or _PUBLIC_KEY.match(value):
        return False
    if not re.search(r"[A-Za-z]", value) or is_potential_uuid(value) and "uuid" in text.lower():
        return False
    if (f.language or f.ext in _COMPONENT_EXTS) and _LOWER_WORD.match(value):
        return False  # in code, a lone lowercase word is a label or a state ("changed"), not a secret
    if f.ext in _SCHEMA_EXTS and _SCHEMA_TYPE.match(value):
        return False  # a GraphQL argument's type: `password: String!`, `$pass: String!`
    i = text.find(value)
    if i > 0 and _BOUND_ATTRIBUTE.search(text[:i]):
        return False  # a template binding's expression: `:value="form.password1"`, `[(ngModel)]="password"`
    if i >= 0 and _CONCATENATED.match(text, i + len(value)):
        return False  # the fixed prefix of a generated value: "whsec_" + btoa(random bytes)
    where = ctx.mask(f).kind_at(f.line_starts[line - 1] + i) if f.language and i >= 0 else "code"
    if where in ("comment", "doc"):
        return False
    quoted = i > 0 and text[i - 1] in "'\"`>"
    if f.ext in _COMPONENT_EXTS and (not quoted or text.lstrip().startswith(("//", "*", "<!--"))):
        return False  # script code in a .vue/.svelte file: literals are quoted
    if f.language not in (None, "shell") and where != "string" and not quoted:
        return False  # in code a literal is quoted; `Password = common.RandomPassword` is a reference
    key = re.search(r"([A-Za-z_][\w.\-]*)\W{0,6}$", text[:i]) if i > 0 else None
    if key and (SKIP_NAME.search(key.group(1)) or key.group(1).lower().endswith(value.lower())):
        return False  # ChangePassword => "ChangePassword": a name, not a value
    if _NOTIFIER_KEY_NAME.search(text[:i] if i > 0 else "") and _notifier_config(f, line):
        return False  # bugsnag.Configure({APIKey: …}): an error reporter's write-only key, made to ship in clients
    if key and _namespaced_name(key.group(1), value):
        return False  # IsApiKey = "Jellyfin-IsApiKey": an identifier spelled after its own name
    assigned = key is not None and re.search(r"[=:]", text[key.end(1) : i]) is not None  # not jwt.sign(payload, '…')
    if assigned and f.language not in (None, "shell") and not _code_secret_name(text, key, value):
        return False
    if is_indirect_reference(f"{key.group(1) if key else 'key'} = {value}"):
        return False  # get_secret(), settings["KEY"], os.environ["PASSWORD"]
    if _TOKEN_NAME.search(text) and not _PASSWORD_NAME.search(text):
        return _ENTROPY.calculate_shannon_entropy(value) >= 3.0 and len(value) >= 12
    return True


_TYPED_NAME = re.compile(r"([A-Za-z_][\w]*)\s*:\s*&?(?:'static\s+)?[\w\[\]<>.|? ]{1,40}\s*=\s*\W{0,3}$")


def _code_secret_name(text: str, key: re.Match, value: str) -> bool:
    """In code, the name a literal is given must name a secret: not `SecretUpdateOnChangeAnnotation`
    (an annotation), `ApplePasswords` (a brand), nor a label keyed by another constant
    (`[Brand.OnePassword]: "1Password"`); and a password is not a UUID (an authenticator's AAGUID)."""
    typed = _TYPED_NAME.search(text[: key.end()])  # `const JWT_SECRET: &str = "…"`: the name, not its type
    name = (typed.group(1) if typed else key.group(1)).rsplit(".", 1)[-1]
    if typed is None and text[: key.start()].rstrip().endswith("[") and "." in key.group(1):
        return False  # a computed key: a table of labels for another constant's members
    words = [w.lower() for w in _NAME_WORDS.findall(name)]
    while len(words) > 1 and words[-1] in _QUALIFIERS:
        words.pop()
    if not words or not names_a_secret("_".join(words)):
        return False
    return not (is_potential_uuid(value) and words[-1] in ("password", "passwd", "pass", "pwd"))


_LOWER_CAMEL = re.compile(r"^[a-z]+(?:[A-Z][a-z]+)+$")
_FIELD_WORDS = {"secret", "access", "key", "api", "token", "id", "client", "password", "private", "public", "auth", "app"}
_SNAKE_WORDS = re.compile(r"^[a-z]+(?:_[a-z]+){1,2}$")
_PROPERTY_EXTS = {".properties", ".yml", ".yaml", ".toml", ".ini", ".conf", ".cfg", ".env"}


def _typed_password(f: File, text: str, value: str) -> bool:
    """`spring.datasource.password=root_pwd` in a properties file: a password someone typed, though it
    reads like a name (config files name nothing in lowercase snake_case; variables are upper case)."""
    if f.language is not None or f.ext not in _PROPERTY_EXTS or not _SNAKE_WORDS.match(value):
        return False
    i = text.find(value)
    key = re.search(r"([A-Za-z_][\w.\-]*)\W{0,6}$", text[:i]) if i > 0 else None
    return bool(key) and is_password_name(key.group(1).rsplit(".", 1)[-1])


def _self_named_secret(text: str, value: str) -> bool:
    """`JWT_SECRET_KEY = "SuperSecretKeyOfDoom"`: words, but words that say they are the secret, given
    to a name whose last word is a secret or a key (not `TOKEN_KEY = 'accessToken'`, a storage key)."""
    i = text.find(value)
    key = re.search(r"([A-Za-z_][\w.\-]*)\W{0,6}$", text[:i]) if i > 0 else None
    if not key or len(value) < 12 or not re.search(r"(?i)secret|passw", value) or not value.isalnum():
        return False
    if _LOWER_CAMEL.match(value) and {w.lower() for w in re.findall(r"[A-Z]?[a-z]+", value)} <= _FIELD_WORDS:
        return False  # secretKey: "secretAccessKey": the name of another field (a form's or a provider's)
    words = re.findall(r"[a-z]+", re.sub(r"([a-z])([A-Z])", r"\1_\2", key.group(1)).lower())
    return names_a_secret(key.group(1)) and bool(words) and words[-1] in ("secret", "key", "base")


def _passphrase(ctx: Context, f: File, line: int, text: str, value: str) -> bool:
    """A value with spaces is prose, unless it is a string literal in code, assigned to a
    password- or secret-named constant, and salted with symbols the way passphrases are
    (`JWTSecretPassword = "Not A Real Key But Strong!!@##$%^&*"`)."""
    if not f.language or f.language == "shell" or not 12 <= len(value) <= 200 or is_placeholder(value):
        return False
    if len(_PASSPHRASE_SYMBOL.findall(value)) < 3 or not _PASSPHRASE_SYMBOL_RUN.search(value):
        return False
    i = text.find(value)
    if i <= 0 or text[i - 1] not in "'\"`" or ctx.mask(f).kind_at(f.line_starts[line - 1] + i) != "string":
        return False
    key = re.search(r"([A-Za-z_][\w.\-]*)\W{0,6}$", text[:i])
    name = key.group(1) if key else ""
    return bool(_PASSWORD_NAME.search(name)) and not SKIP_NAME.search(name) and not _PROSE_KEY.search(name)
