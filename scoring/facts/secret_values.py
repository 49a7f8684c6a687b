"""What a value assigned to a secret-sounding name is: a placeholder, a weak word a developer typed
for a throwaway database, or a strong secret (generated, or a password built to resist guessing).

The committed-secrets scan decides *whether* a value is a secret with `is_placeholder`; the config
checks decide *how bad* it is with `is_strong` and the name it was given (`is_password_name`): a
weak default password of a development database is not a leak, a weak JWT signing key is.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from detect_secrets.filters.heuristic import is_sequential_string, is_templated_secret

from ..redact import looks_random, mask_value, word_like
from ..tree import File

KEYWORDS = (
    r"pass(?:word|wd|phrase)?|pwd|secret|api_?key|apikey|auth_?key|service_?key|account_?key|db_?key|"
    r"database_?key|priv_?key|private_?key|client_?key|key_?pass|contrase[ñn]a|"
    r"(?:access|auth|api|bearer|refresh|bot|app|session)_?token|(?:signing|encryption|master|jwt|hmac)_?key|"
    r"app_?key|session_?key|cookie_?key"
)
SECRET_NAME = re.compile(r"(?i)" + KEYWORDS)
# Names whose value only opens a backing service (a database, a broker): with a weak value they are a
# development default, where a weak signing key is the key itself.
_PASSWORD_NAME = re.compile(r"(?i)pass(?:word|wd)?(?![a-z])|pwd|contrase")
# The last word of a name that says the value is about a secret, not the secret: JWT_SECRET_FILE.
SKIP_NAME = re.compile(
    r"(?i)(?:file|path|dir|name|names|len|length|size|field|fields|header|env|var|ref|id|ids|arn|type|hash|"
    r"hasher|hashers|url|uri|endpoint|prefix|suffix|pattern|regex|label|placeholder|hint|policy|rotation|version|"
    r"format|mode|manager|backend|store|provider|method|algorithm|alg|expiry|expires|ttl|timeout|count|min|max|"
    r"required|enabled|mount|volume|location|param|params|route|template|class|module|selector|input|message|"
    r"error|reset|question|strength|validators?|storage|source|kind|scope|_at|usage|status|state|changed|sent|"
    r"text|title|help|link|button|form|view|page|template_name|icon|color|event|"
    r"chars|characters|charset|alphabet|symbols|digits|letters)$"  # pwdChars: the alphabet a generator draws from
)

# Values that are not secrets: documented examples, placeholders, references to the environment.
PLACEHOLDER = re.compile(
    r"(?i)example|change[_\-. ]?(?:me|it|this)|your[_\-. ]|^your|x{3,}|\*{3,}|\.{3}|placeholder|dummy|fake|"
    r"not[_\-. ]?a[_\-. ]?(?:real[_\-. ]?)?(?:secret|password|key)|read[_\-. ]?the[_\-. ]?docs?|"
    r"sample|redacted|replace[_\-]?me|todo|fixme|insert[_\-]|hunter2|^<|\$\{|\{\{|%\(|^\$|^%|^@[\w.\-]+@$|^!|^&|"
    r"^\*|^ENC\[|"
    r"^(?:none|null|nil|true|false|undefined|required|optional|empty|n/a|tbd|secret|password|passwd|pass|"
    r"pwd|root|admin|administrator|postgres|postgresql|mysql|mariadb|redis|mongo|mongodb|rabbitmq|guest|"
    r"test|testing|tests|dev|development|local|localhost|default|user|username|qwerty|letmein|foobar|foo|"
    r"bar|baz|abc|abcdef|string|str|value|key|token|mysecret|mypassword|secretkey|secret_key|apikey|"
    r"api_key|django-insecure-changeme|sa|docker|app|web|prod|production|staging|demo|"
    r"boolean|bool|number|int|integer|float|object|any|unknown|void)$|"  # a declared type: `isSecret: boolean`
    r"^(?:test|dummy|fake|sample|demo)[_\-.]"  # test_password_1, dummy-key
)
# A validation rule, not a value: Laravel's 'password' => 'required|string|min:8', Go's `validate:"required,min=8"`
_RULES = re.compile(r"^[a-z_]+(?:[:=][\w.]+)?(?:[|,][a-z_]+(?:[:=][\w.,]+)?)+$")
_RULE_WORDS = re.compile(r"(?:^|[|,])(?:required|nullable|sometimes|confirmed|min|max|string|omitempty)\b")
# Keys printed in vendors' documentation for their emulators: Azurite's well-known account key.
DOCUMENTED = ("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq",)
_FORMAT_TEMPLATE = re.compile(r"^[A-Z][A-Z_]*(?:[:/@,;\-][A-Z][A-Z_]*)+$")  # HOST:PORT:DATABASE:PASSWORD, USER@HOST
# Letters people write as digits or symbols in a password they make from a word: P@ssw0rd, s3cr3t.
_LEET = str.maketrans("@4310$5!7", "aaeiossit")
_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")
_EDGES = re.compile(r"^[\W_]+|[\W_\d]+$")


def is_placeholder(value: str) -> bool:
    """A documented example, a template, a reference or a well-known default rather than a secret."""
    v = value.strip().strip("'\"`")
    if len(v) < 2 or is_templated_secret(v) or PLACEHOLDER.search(v):
        return True
    if len(set(v.lower())) <= 2 or is_sequential_string(v) or _FORMAT_TEMPLATE.match(v):
        return True
    if _RULES.match(v) and _RULE_WORDS.search(v):
        return True
    if any(doc in v for doc in DOCUMENTED) or _typed_sequence(v) or _REPEATED_UNIT.search(v):
        return True
    decoded = base64_text(v)
    return bool(decoded and PLACEHOLDER.search(decoded))


_RUNS = re.compile(r"[0-9]+|[A-Za-z]+")
# a unit typed over and over to fill a format: 48E92789-…-1A1A1A1A1A1A, 0000000000, abcabcabcabc (not in generated keys)
_REPEATED_UNIT = re.compile(r"(.)\1{9,}|(..)\2{4,}|(...)\3{3,}|(....)\4{2,}")
_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890")


def _typed_sequence(v: str) -> bool:
    """`sk-lf-1234567890`, `1234567890abcdef`, `sk-asdfghjkl`: counting or a keyboard row, under a prefix."""
    runs = [r for r in _RUNS.findall(v) if len(r) >= 3]
    seq = sum(len(r) for r in runs if is_sequential_string(r) or any(r.lower() in row for row in _KEYBOARD))
    return seq >= 6 and seq >= 0.6 * sum(c.isalnum() for c in v)


def is_strong(value: str) -> bool:
    """A secret someone generated or built to resist guessing, not words a developer typed.

    `a7523c…` (128 hex), `Zq8!vN3xLp7` are strong; `petclinic`, `superSecret`, `P@ssw0rd1`,
    `@someThingComplicated1234` and `correct horse battery staple` are words, however dressed up.
    """
    v = value.strip()
    if len(v) < 8:
        return False
    core = _EDGES.sub("", v).translate(_LEET)  # the words inside "@someThing1234", "P@ssw0rd1"
    pieces = _WORDS.findall(core)
    letters = sum(map(len, pieces))
    # letters only, in pieces a name is made of (a random string of mixed case flips every letter or two)
    if letters >= 4 and letters >= len(re.sub(r"[\s_.\-]", "", core)) and letters >= 3 * len(pieces):
        words = sum(len(p) for p in pieces if word_like(p) or len(p) <= 2)
        if words >= 0.8 * letters:
            return False
    if len(v) >= 24 and looks_random(v):
        return True
    kinds = sum(bool(re.search(p, v)) for p in (r"[a-z]", r"[A-Z]", r"\d", r"[^\w\s]"))
    return kinds >= 3 or (len(v) >= 16 and kinds >= 2)


_NAME_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
# the head noun of a variable naming a secret: JWT_SECRET, DB_PASSWORD, SECRET_KEY_BASE, Jwt:Key
SECRET_NOUNS = {
    "secret",
    "secrets",
    "password",
    "passwd",
    "pass",
    "pwd",
    "key",
    "token",
    "salt",
    "pepper",
    "passphrase",
    "credential",
    "credentials",
    "apikey",
    "base",
}


def names_a_secret(name: str) -> bool:
    """A variable whose value is a secret: a secret word in it, and a secret noun at its end
    (AUTH_PASSWORD_RESET_TOKEN_TABLE and AUTH_PASSWORD_BROKER name a table and a broker)."""
    words = [w.lower() for w in _NAME_WORDS.findall(name)]
    return bool(words) and words[-1] in SECRET_NOUNS and bool(SECRET_NAME.search("_".join(words)))


def is_password_name(name: str) -> bool:
    """A password of a backing service (DB_PASSWORD, POSTGRES_PASS), not a signing key or API key."""
    return bool(_PASSWORD_NAME.search(name)) and not re.search(r"(?i)secret|api_?key|token", name)


def base64_text(value: str) -> str | None:
    if len(value) < 8 or len(value) % 4 or not re.fullmatch(r"[A-Za-z0-9+/]+=*", value):
        return None
    try:
        decoded = base64.b64decode(value, validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return decoded if decoded.isprintable() else None


def mask_line(line: str, values: tuple[str, ...] | list[str]) -> str:
    for value in sorted(set(values), key=len, reverse=True):
        if value:
            line = line.replace(value, mask_value(value))
    return line


@dataclass(frozen=True)
class Secret:
    file: File
    line: int
    kind: str  # "AWS access key", "private key", "hard-coded password" …
    values: tuple[str, ...]  # the raw values, for the runner's redaction only
    real_format: bool  # a real credential format: reported everywhere, never demoted
    snippet: str  # the line with every value masked
    origin: str = "format"  # format, assigned, fallback, connection, manifest or store
    name: str = ""  # the variable of a fallback, the host of a connection string
    strong: bool = True  # generated or built to resist guessing, not a word a developer typed
