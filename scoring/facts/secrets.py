"""Committed secrets: credentials written into the tree, found with detect-secrets' detectors in-process.

One compiled prefilter is searched over each whole file text (most files never match); only the lines
it selects are handed to detect-secrets' plugin classes through `analyze_string`, which never verifies
anything over the network (`analyze_line` may). Real-format credentials (private keys, AWS keys,
GitHub/GitLab/Slack/Stripe/SendGrid/PyPI/npm tokens …) are told apart from generic hard-coded values
assigned to secret-sounding names (passwords, SECRET_KEY, JWT secrets), which pass detect-secrets'
heuristic filters and ours: placeholders, documented example values, references to the environment.

Every value found is returned with the line already masked, so no caller needs to handle it raw.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from detect_secrets.filters.heuristic import (
    is_indirect_reference,
    is_lock_file,
    is_non_text_file,
    is_potential_uuid,
    is_sequential_string,
    is_templated_secret,
)
from detect_secrets.plugins.aws import AWSKeyDetector
from detect_secrets.plugins.azure_storage_key import AzureStorageKeyDetector
from detect_secrets.plugins.base import BasePlugin
from detect_secrets.plugins.github_token import GitHubTokenDetector
from detect_secrets.plugins.gitlab_token import GitLabTokenDetector
from detect_secrets.plugins.high_entropy_strings import Base64HighEntropyString
from detect_secrets.plugins.jwt import JwtTokenDetector
from detect_secrets.plugins.keyword import (
    CONFIG_DENYLIST_REGEX_TO_GROUP,
    GOLANG_DENYLIST_REGEX_TO_GROUP,
    QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP,
    KeywordDetector,
)
from detect_secrets.plugins.npm import NpmDetector
from detect_secrets.plugins.openai import OpenAIDetector
from detect_secrets.plugins.private_key import PrivateKeyDetector
from detect_secrets.plugins.pypi_token import PypiTokenDetector
from detect_secrets.plugins.sendgrid import SendGridDetector
from detect_secrets.plugins.slack import SlackDetector
from detect_secrets.plugins.square_oauth import SquareOAuthDetector
from detect_secrets.plugins.stripe import StripeDetector

from ..context import Context
from ..prefilter import Anchors, line_starts_holding, lowered
from ..redact import looks_random, mask_value
from ..tree import File
from .ci import is_ci_file
from .dockerfile import is_dockerfile

_KEYWORDS = (
    r"pass(?:word|wd|phrase)?|pwd|secret|api_?key|apikey|auth_?key|service_?key|account_?key|db_?key|"
    r"database_?key|priv_?key|private_?key|client_?key|key_?pass|contrase[ñn]a|"
    r"(?:access|auth|api|bearer|refresh|bot|app|session)_?token|(?:signing|encryption|master|jwt|hmac)_?key"
)
# The prefilter. Finding literal anchors (the engine's literal index, one pass) is cheap, where a regular expression
# that can start anywhere (a case-insensitive alternation) runs a hundred times slower on a large
# tree; so candidates are found by a few literal anchors and confirmed by anchored matches there.
# Keywords (searched in the lowered text) must be followed by an assignment; `key` and `token` count
# only after a secret-sounding word (api_key, access_token, signing_key …), so those pairs are the anchors.
_KEY_PREFIXES = tuple(
    p + sep
    for p in (
        "api",
        "auth",
        "service",
        "account",
        "db",
        "database",
        "priv",
        "private",
        "client",
        "signing",
        "encryption",
        "master",
        "jwt",
        "hmac",
        "access",
        "bearer",
        "refresh",
        "bot",
        "app",
        "session",
        "aws",
    )
    for sep in ("_", "-", "")
)
_KEYWORD_ANCHORS = Anchors(
    ("pass", "pwd", "secret", "contrase", "aws", "jwt.") + tuple(p + w for p in _KEY_PREFIXES for w in ("key", "token"))
)
# after a keyword: an assignment, or the fallback of an environment read (JWT_SECRET || '…', "SECRET_KEY", "…")
_ASSIGNED = re.compile(r"[\w\-.]{0,40}?['\"\]]{0,2}\s{0,4}(?:[:=]|=>|>|\|\||\?\?|,\s*(?:default\s*=\s*)?['\"])")
_AWS_KEY = re.compile(r"[\w\-.]{0,20}?(?:key|token)")
_JWT_CALL_START = re.compile(r"jwt\.(?:sign|encode|verify|decode)\s*\(")
# Credential formats are case-sensitive and start exactly at their anchor.
_FORMAT_ANCHORS = Anchors(
    (
        "AKIA",
        "ASIA",
        "ghp_",
        "gho_",
        "ghu_",
        "ghs_",
        "ghr_",
        "github_pat_",
        "glpat-",
        "xox",
        "hooks.slack.com",
        "_live_",
        "SG.",
        "PRIVATE KEY",
        "PuTTY-User-Key",
        "_authToken",
        "pypi-Ag",
        "T3BlbkFJ",
        "AccountKey=",
        "sq0csp-",
        "AIza",
        "eyJ",
    )
)

# Real-format credentials: reported wherever they are, tests and docs included.
_FORMATS: tuple[tuple[BasePlugin, str], ...] = (
    (AWSKeyDetector(), "AWS access key"),
    (GitHubTokenDetector(), "GitHub token"),
    (GitLabTokenDetector(), "GitLab token"),
    (SlackDetector(), "Slack token"),
    (StripeDetector(), "Stripe live key"),
    (SendGridDetector(), "SendGrid API key"),
    (NpmDetector(), "npm token"),
    (PypiTokenDetector(), "PyPI token"),
    (OpenAIDetector(), "OpenAI API key"),
    (AzureStorageKeyDetector(), "Azure storage key"),
    (SquareOAuthDetector(), "Square OAuth secret"),
)
_OWN_FORMATS = (
    (re.compile(r"\bgithub_pat_[A-Za-z0-9_]{50,}"), "GitHub token"),
    (re.compile(r"\bAIza[0-9A-Za-z_\-]{35}"), "Google API key"),
)
# Bodies of credentials printed in vendors' documentation (GitHub's token example, AWS's example keys).
_DOCUMENTED = ("16C7e42F292c6912E7710c838347Ae178B4a", "IOSFODNN7", "wJalrXUtnFEMI")
_PRIVATE_KEY = PrivateKeyDetector()
_JWT = JwtTokenDetector()
_KEYWORD = KeywordDetector()
_ENTROPY = Base64HighEntropyString()

_TOKEN_CHAR = re.compile(r"[A-Za-z0-9_\-]*")
_JWT_CHAR = re.compile(r"[A-Za-z0-9_\-.=+/]*")
_PEM_HEADER = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|PuTTY-User-Key-File-\d:?")
_BASE64_LINE = re.compile(r"^\s*['\"]?([A-Za-z0-9+/=]{16,})['\"]?,?\s*$")
_BASE64_CHARS = re.compile(r"[A-Za-z0-9+/=]{16,}")
# `password: str = "…"` (pydantic-settings / dataclass defaults) and token-named values, which
# KeywordDetector's denylist does not cover; these need high entropy to count.
_TYPED_DEFAULT = re.compile(r"(?i:" + _KEYWORDS + r")\w{0,30}\s*:\s*[\w\[\]., |]{1,40}=\s*(['\"])([^'\"\s]{6,200})\1")
_XML = re.compile(r"<(\w*(?i:password|passwd|secret|apikey|api_key|token)\w*)>([^<\s]{1,200})</\1>")
_JWT_CALL = re.compile(r"\bjwt\.(?:sign|encode|verify|decode)\s*\([^,()]{1,200},\s*(['\"])([^'\"\s]{4,200})\1")

# Values that are not secrets: documented examples, placeholders, references to the environment.
_PLACEHOLDER = re.compile(
    r"(?i)example|change[_\-. ]?(?:me|it|this)|your[_\-. ]|^your|x{3,}|\*{3,}|\.{3}|placeholder|dummy|fake|"
    r"not[_\-. ]?a[_\-. ]?(?:real[_\-. ]?)?(?:secret|password|key)|read[_\-. ]?the[_\-. ]?docs?|"
    r"sample|redacted|replace[_\-]?me|todo|fixme|insert[_\-]|hunter2|^<|\$\{|\{\{|%\(|^\$|^%|^@|^!|^&|^\*|^ENC\[|"
    r"^(?:none|null|nil|true|false|undefined|required|optional|empty|n/a|tbd|secret|password|passwd|pass|"
    r"pwd|root|admin|administrator|postgres|postgresql|mysql|mariadb|redis|mongo|mongodb|rabbitmq|guest|"
    r"test|testing|tests|dev|development|local|localhost|default|user|username|qwerty|letmein|foobar|foo|"
    r"bar|baz|abc|abcdef|string|str|value|key|token|mysecret|mypassword|secretkey|secret_key|apikey|"
    r"api_key|django-insecure-changeme|sa|docker|app|web|prod|production|staging)$"
)
# SECRET_KEY_BASE: ${SECRET_KEY_BASE:-a7523c…} in compose or .env: the default ships with the repository
_DEFAULTED = re.compile(r"(?i)[\w.\-]*(?:" + _KEYWORDS + r")[\w.\-]*['\"]?\s*[:=]\s*['\"]?\$\{\w+:?-([^}\s'\"]+)\}")
# A literal fallback of an environment read: used in production whenever the variable is unset.
_ENV_FALLBACK = re.compile(
    r"(?:process\.env\.(?P<n1>\w+)\s*(?:\|\||\?\?)\s*|"  # process.env.JWT_SECRET || '…'
    r"(?:os\.getenv|os\.environ\.get|environ\.get|\benv|\bconfig|ENV\.fetch|\bgetenv)\(\s*['\"](?P<n2>\w+)['\"]\s*,\s*"
    r"(?:default\s*=\s*)?|ENV\[\s*['\"](?P<n3>\w+)['\"]\s*\]\s*\|\|\s*)"
    r"(?P<q>['\"`])(?P<value>[^'\"`\n]{6,200})(?P=q)(?=\s*(?:[),;}\]]|$))"  # the whole fallback, not "x-" + …
)
_SECRET_NAME = re.compile(r"(?i)" + _KEYWORDS)
_ROUTE_TARGET = re.compile(r"^[a-z_]+(?:/[a-z_]+)*#[a-z_]+$")  # controller#action
_FORMAT_TEMPLATE = re.compile(r"^[A-Z][A-Z_]*(?:[:/@,;\-][A-Z][A-Z_]*)+$")  # HOST:PORT:DATABASE:PASSWORD, USER@HOST
_REFERENCE = re.compile(
    r"^[\w.$\-]+\s*[\[(]|^(?:os\.environ|os\.getenv|process\.env|ENV\b|env\(|getenv|System\.getenv|"
    r"Environment\.|settings\.|config\.|self\.|this\.|params|request|req\.)"
)
_IDENTIFIER = re.compile(
    r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[a-z]+(?:[_.\-][a-z]+)+$|^[a-z]+(?:[A-Z][a-z]+)+$|^(?:[A-Z][a-z]+){2,}$|"
    r"^_?[A-Za-z][A-Za-z_]*(?:\.[A-Za-z_][A-Za-z_]*)+$"  # a field path: _config.imagePullSecrets (CUE, HCL)
)
_PATHLIKE = re.compile(
    r"^(?:/|\./|\.\./|~/|[A-Za-z]:\\|https?://)|\.(?:pem|key|crt|cer|json|txt|p12|pfx|jks|ya?ml|env|toml|ini|cfg|conf)$",
    re.I,
)
_SKIP_KEY = re.compile(
    r"(?i)(?:file|path|dir|name|names|len|length|size|field|fields|header|env|var|ref|id|ids|arn|type|hash|"
    r"hasher|hashers|url|uri|endpoint|prefix|suffix|pattern|regex|label|placeholder|hint|policy|rotation|version|"
    r"format|mode|manager|backend|store|provider|method|algorithm|alg|expiry|expires|ttl|timeout|count|min|max|"
    r"required|enabled|mount|volume|location|param|params|route|template|class|module|selector|input|message|"
    r"error|reset|question|strength|validators?|storage|source|kind|scope|_at|usage|status|state|changed|sent|"
    r"text|title|help|link|button|form|view|page|template_name|icon|color|event)$"
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
_SKIP_EXTS = {".min.js", ".svg", ".map", ".lock", ".sum", ".css"}
# Translation catalogs are interface text: "Password" is a msgid in every language, never an
# assignment ('password' => 'Passwort' in a Laravel lang file, `password: Mot de passe` in Rails'
# config/locales). Only credentials in a real format are looked for there.
_CATALOG_EXTS = (".po", ".pot", ".xlf", ".xliff", ".arb", ".strings")
_CATALOG_DIRS = re.compile(r"(?:^|/)(?:lang|langs|locale|locales|i18n|l10n|translations)/", re.I)
_CATALOG_DATA = (".php", ".json", ".yml", ".yaml", ".properties", ".js", ".ts", ".toml", ".ini", ".resx")


def is_translation_catalog(f: File) -> bool:
    return f.name.endswith(_CATALOG_EXTS) or (
        f.name.endswith(_CATALOG_DATA) and _CATALOG_DIRS.search(f.path) is not None
    )


_SCRIPT_DIRS = re.compile(r"(^|/)(bin|scripts?|tools|deploy|ops|ci)/", re.I)
_SCRIPT_NAMES = {"makefile", "justfile", "taskfile.yml", "rakefile"}


@dataclass(frozen=True)
class Secret:
    file: File
    line: int
    kind: str  # "AWS access key", "private key", "hard-coded password" …
    values: tuple[str, ...]  # the raw values, for the runner's redaction only
    real_format: bool  # a real credential format: reported everywhere, never demoted
    snippet: str  # the line with every value masked


def zone(f: File) -> str:
    """'app' (code and app config), 'ci', 'script' or 'infra' (compose files, Dockerfiles)."""
    if is_ci_file(f):
        return "ci"
    if f.language == "shell" or f.name.lower() in _SCRIPT_NAMES or _SCRIPT_DIRS.search(f.path):
        return "script"
    if is_dockerfile(f) or f.name.lower().startswith(("docker-compose", "compose.")):
        return "infra"
    return "app"


def is_placeholder(value: str) -> bool:
    """A documented example, a template, a reference or a well-known default rather than a secret."""
    v = value.strip().strip("'\"`")
    if len(v) < 2 or is_templated_secret(v) or _PLACEHOLDER.search(v):
        return True
    if len(set(v.lower())) <= 2 or is_sequential_string(v) or _FORMAT_TEMPLATE.match(v):
        return True
    decoded = _base64_text(v)
    return bool(decoded and _PLACEHOLDER.search(decoded))


def mask_line(line: str, values: tuple[str, ...] | list[str]) -> str:
    for value in sorted(set(values), key=len, reverse=True):
        if value:
            line = line.replace(value, mask_value(value))
    return line


def committed_secrets(ctx: Context) -> list[Secret]:
    """Every line of the context's files holding a credential (one entry per line)."""
    out = []
    max_line = ctx.tree.limits.max_line_chars
    for f in _scannable(ctx):
        lines = set()
        # the literal index knows which occur: most files, none
        keywords = () if is_translation_catalog(f) else _KEYWORD_ANCHORS.present_in(f)
        if keywords:
            lines.update(candidate_lines(f, lowered(f), keywords, _keyword_at))
        formats = _FORMAT_ANCHORS.present_in(f)
        if formats:
            lines.update(candidate_lines(f, f.text, formats))
        for line in sorted(lines):
            secret = _scan_line(ctx, f, line, f.line_text(line, max_line))
            if secret:
                out.append(secret)
    return out


def candidate_lines(
    f: File,
    text: str,
    anchors: tuple[str, ...],
    confirm: Callable[[str, int, str], bool] | None = None,
    limit: int = 500,
) -> list[int]:
    """Lines of `f` where one of `anchors` occurs in `text` (`f.text` or its lowered copy) and `confirm` agrees.

    Each anchor is found with `str.find` (the anchors passed are the few the file holds); each line
    is confirmed once; at most `limit` lines are returned.
    """
    starts = itertools.islice(line_starts_holding(text, anchors, confirm), limit)  # line numbers only at the end
    return sorted(f.line_of(start) for start in starts)


def _keyword_at(low: str, i: int, anchor: str) -> bool:
    if anchor == "aws":
        return _AWS_KEY.match(low, i + 3) is not None
    if anchor == "jwt.":
        return _JWT_CALL_START.match(low, i) is not None
    return _ASSIGNED.match(low, i + len(anchor)) is not None


def _scannable(ctx: Context) -> list[File]:
    return [
        f
        for f in ctx.files
        if not is_lock_file(f.name) and not is_non_text_file(f.name) and not f.name.endswith(tuple(_SKIP_EXTS))
    ]


def _scan_line(ctx: Context, f: File, line: int, text: str) -> Secret | None:
    found = _formats(f, line, text)
    if found:
        kind, values = found
        return Secret(f, line, kind, values, True, mask_line(text, values))
    jwt = _jwt(text)
    if jwt:
        return Secret(f, line, "JSON Web Token", (jwt,), False, mask_line(text, [jwt]))
    if f.role == "vendor":
        return None
    values = list(dict.fromkeys(_keyword_values(ctx, f, line, text)))
    if not values:
        return None
    kind = "hard-coded password" if re.search(r"(?i)pass|pwd|contrase", text) else "hard-coded secret"
    return Secret(f, line, kind, tuple(values), False, mask_line(text, values))


# An AWS secret access key: 40 characters of base64, on the line of its key id in the console's
# credentials.csv (`AKIA…,wJal…`) or in a list beside it, with no name telling what it is.
_AWS_SECRET_BESIDE = re.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")


def _formats(f: File, line: int, text: str) -> tuple[str, tuple[str, ...]] | None:
    for plugin, kind in _FORMATS:
        values = [_extend(text, s) for s in plugin.analyze_string(text)]
        values = [v for v in values if v and not _inside_word(text, v) and not _format_placeholder(v)]
        if values and kind == "AWS access key":
            values += [
                m.group(0)
                for m in _AWS_SECRET_BESIDE.finditer(text)
                if m.group(0) not in values and looks_random(m.group(0)) and not _format_placeholder(m.group(0))
            ]
        if values:
            return kind, tuple(values)
    for pattern, kind in _OWN_FORMATS:
        values = [m.group(0) for m in pattern.finditer(text) if not _format_placeholder(m.group(0))]
        if values:
            return kind, tuple(values)
    if any(True for _ in _PRIVATE_KEY.analyze_string(text)):
        body = _private_key_body(f, line, text)
        if body:
            return "private key", (body,)
    return None


def _extend(text: str, found: str, chars: re.Pattern = _TOKEN_CHAR) -> str:
    """The whole token around a plugin's match (GitHubTokenDetector yields only the `ghp` prefix)."""
    i = text.find(found)
    if i < 0:
        return found
    end = chars.match(text, i + len(found)).end()
    return text[i:end]


def _inside_word(text: str, value: str) -> bool:
    """A match that starts inside an identifier (`highs_total` holds `ghs_…`) is not a token."""
    i = text.find(value)
    return i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_")


def _format_placeholder(value: str) -> bool:
    if any(doc in value for doc in _DOCUMENTED):
        return True
    body = re.sub(r"^(?:AKIA|ASIA|ABIA|ACCA|gh[pousr]_|github_pat_|xox\w-|[rs]k_live_|SG\.|glpat-|AIza)", "", value)
    return bool(_PLACEHOLDER.search(body)) or len(set(body)) <= 4 or is_sequential_string(body)


def _private_key_body(f: File, line: int, text: str) -> str | None:
    """The key material after a BEGIN … PRIVATE KEY header, on this line or the next ones; None if absent."""
    m = _PEM_HEADER.search(text)
    rest = text[m.end() :] if m else ""
    if "\\n" in rest:  # a key inlined in a JSON or code string
        body = rest.split("-----END", 1)[0]
        material = "".join(_BASE64_CHARS.findall(body.replace("\\n", "\n")))
        return body if len(material) >= 64 and not _PLACEHOLDER.search(material) else None
    following = f.text[f.line_starts[line] :] if line < len(f.line_starts) else ""
    material, first = "", None
    for raw in following.split("\n", 8)[:8]:
        bm = _BASE64_LINE.match(raw)
        if bm:
            first = first or bm.group(1)
            material += bm.group(1)
    if len(material) >= 64 and not _PLACEHOLDER.search(material) and len(set(material)) > 10:
        return first
    return None


def _jwt(text: str) -> str | None:
    for token in _JWT.analyze_string(text):
        token = _extend(text, token, _JWT_CHAR)
        if len(token) < 40 or _format_placeholder(token):
            continue
        payload = _b64json(token.split(".")[1])
        if isinstance(payload, dict) and payload.get("role") == "anon":
            continue  # Supabase-style public anon keys are meant to ship in client code
        if isinstance(payload, dict) and isinstance(payload.get("exp"), int | float) and payload["exp"] < time.time():
            continue  # expired: a documentation sample, useless to anyone who finds it
        return token
    return None


def _keyword_values(ctx: Context, f: File, line: int, text: str) -> list[str]:
    regexes = _regexes_for(f)
    raw = list(_KEYWORD.analyze_string(text, denylist_regex_to_group=regexes))
    if not raw and regexes is not CONFIG_DENYLIST_REGEX_TO_GROUP:
        # Password=…; inside a connection-string literal in code; values outside strings are dropped below
        raw = list(_KEYWORD.analyze_string(text, denylist_regex_to_group=CONFIG_DENYLIST_REGEX_TO_GROUP))
    raw += [m.group(2) for m in _TYPED_DEFAULT.finditer(text)]
    raw += [m.group(2) for m in _XML.finditer(text)]
    raw += [m.group(2) for m in _JWT_CALL.finditer(text)]
    if "${" in text:
        raw += [m.group(1) for m in _DEFAULTED.finditer(text)]
    raw += [
        m.group("value")
        for m in _ENV_FALLBACK.finditer(text)
        if _SECRET_NAME.search(m.group("n1") or m.group("n2") or m.group("n3"))
    ]
    out = []
    for value in raw:
        value = _clean(value, quoted=regexes is not CONFIG_DENYLIST_REGEX_TO_GROUP)
        if value and _looks_secret(ctx, f, line, text, value):
            out.append(value)
    return out


def _regexes_for(f: File) -> dict:
    if f.language == "go":
        return GOLANG_DENYLIST_REGEX_TO_GROUP
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
    if is_placeholder(value) or _REFERENCE.match(value) or _IDENTIFIER.match(value) or _PATHLIKE.search(value):
        return False
    if _ROUTE_TARGET.match(value):
        return False  # Rails routes: get "/account/lost_password" => "sessions#lost_password"
    if not re.search(r"[A-Za-z]", value) or is_potential_uuid(value) and "uuid" in text.lower():
        return False
    if f.language and _LOWER_WORD.match(value):
        return False  # in code, a lone lowercase word is a label or a state ("changed"), not a secret
    i = text.find(value)
    where = ctx.mask(f).kind_at(f.line_starts[line - 1] + i) if f.language and i >= 0 else "code"
    if where in ("comment", "doc"):
        return False
    if f.language not in (None, "shell") and where != "string" and (i <= 0 or text[i - 1] not in "'\"`>"):
        return False  # in code a literal is quoted; `Password = common.RandomPassword` is a reference
    key = re.search(r"([A-Za-z_][\w.\-]*)\W{0,6}$", text[:i]) if i > 0 else None
    if key and (_SKIP_KEY.search(key.group(1)) or key.group(1).lower().endswith(value.lower())):
        return False  # ChangePassword => "ChangePassword": a name, not a value
    if is_indirect_reference(f"{key.group(1) if key else 'key'} = {value}"):
        return False  # get_secret(), settings["KEY"], os.environ["PASSWORD"]
    if _TOKEN_NAME.search(text) and not _PASSWORD_NAME.search(text):
        return _ENTROPY.calculate_shannon_entropy(value) >= 3.0 and len(value) >= 12
    return True


_LOWER_WORD = re.compile(r"^[a-z]{1,16}$")
_TOKEN_NAME = re.compile(r"(?i)token|signing_?key|encryption_?key|master_?key|hmac_?key")
_PASSWORD_NAME = re.compile(r"(?i)pass|pwd|secret|api_?key|private_?key")


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
    return bool(_PASSWORD_NAME.search(name)) and not _SKIP_KEY.search(name) and not _PROSE_KEY.search(name)


# names of texts about passwords rather than passwords: PASSWORD_RULES = "8+ chars & one of !@#$"
_PROSE_KEY = re.compile(
    r"(?i)(?:rules?|prompt|msg|desc(?:ription)?|tooltip|instructions?|requirements?|criteria|"
    r"chars|characters|symbols|specials?|policy_text)$"
)
_PASSPHRASE_SYMBOL = re.compile(r"[!@#$%^&*~+=|\\<>?]")
_PASSPHRASE_SYMBOL_RUN = re.compile(r"[!@#$%^&*~+=|\\<>?]{2}")


def _base64_text(value: str) -> str | None:
    if len(value) < 8 or len(value) % 4 or not re.fullmatch(r"[A-Za-z0-9+/]+=*", value):
        return None
    try:
        decoded = base64.b64decode(value, validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return decoded if decoded.isprintable() else None


def _b64json(part: str) -> object:
    try:
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
