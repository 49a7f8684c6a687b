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

from detect_secrets.filters.heuristic import is_lock_file, is_non_text_file, is_sequential_string
from detect_secrets.plugins.aws import AWSKeyDetector
from detect_secrets.plugins.azure_storage_key import AzureStorageKeyDetector
from detect_secrets.plugins.base import BasePlugin
from detect_secrets.plugins.github_token import GitHubTokenDetector
from detect_secrets.plugins.gitlab_token import GitLabTokenDetector
from detect_secrets.plugins.jwt import JwtTokenDetector
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
from ..redact import looks_random
from ..tree import File
from .ci import is_ci_file
from .dockerfile import is_dockerfile
from .secret_keywords import Value, keyword_values
from .secret_stores import stored_secrets
from .secret_values import PLACEHOLDER, Secret, is_placeholder, is_strong, mask_line

__all__ = ["Secret", "committed_secrets", "in_test_module", "is_placeholder", "mask_line", "not_deployed", "zone"]

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
# after a keyword: an assignment, or the fallback of an environment read (JWT_SECRET || '…', "SECRET_KEY", "…",
# ("X") ?? "…", ("X") { "…" }, ("X").unwrap_or(…), `env:"X" envDefault:"…"`)
_ASSIGNED = re.compile(
    r"[\w\-.]{0,40}?['\"\]]{0,2}\){0,2}\s{0,4}(?:[:=]|=>|>|\|\||\?\?|\?:|\{|or\s|,\s*(?:default\s*=\s*)?['\"]|"
    r"\.(?:ok\(\)\.)?unwrap_or|\.orelse\(|\s(?:env)?default:)"
)
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
# A private key written as its parameters instead of PEM: .NET RSAParameters serialised to JSON (IdentityServer's
# tempkey.rsa: {"D": "…", "DP": …, "InverseQ": …}), the XML <RSAKeyValue>…<D>…</D><InverseQ>…, a JWK with
# {"kty": "RSA"|"EC", "d": "…"}. The file holds one of the rare names below; the private exponent `D`/`d` is the key.
_KEY_PARAMS_ANCHORS = Anchors(("InverseQ", '"qi"', '"kty"'))
_KEY_PARAM_D = re.compile(
    r"""(?:"|')[Dd](?:"|')\s*:\s*(?:"|')(?P<json>[A-Za-z0-9+/_\-]{40,}={0,2})(?:"|')|<D>(?P<xml>[A-Za-z0-9+/]{40,}={0,2})</D>"""
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

_TOKEN_CHAR = re.compile(r"[A-Za-z0-9_\-]*")
_JWT_CHAR = re.compile(r"[A-Za-z0-9_\-.=+/]*")
_PEM_HEADER = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|PuTTY-User-Key-File-\d:?")
_BASE64_LINE = re.compile(r"^\s*['\"]?([A-Za-z0-9+/=]{16,})['\"]?,?\s*$")
_BASE64_CHARS = re.compile(r"[A-Za-z0-9+/=]{16,}")
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


def zone(f: File) -> str:
    """'app' (code and app config), 'ci', 'script' or 'infra' (compose files, Dockerfiles)."""
    if is_ci_file(f):
        return "ci"
    if f.language == "shell" or f.name.lower() in _SCRIPT_NAMES or _SCRIPT_DIRS.search(f.path):
        return "script"
    if is_dockerfile(f) or f.name.lower().startswith(("docker-compose", "compose.")):
        return "infra"
    return "app"


# Files that hold values for a test run, a CI job, a documentation page or a sample, never for a deploy.
_TEST_ENV_FILE = re.compile(r"(?i)^\.env\.(?:test|testing|ci|e2e|cypress|playwright)(?:\.local)?$|^(?:test|testing|ci|e2e)\.env$")
_TEST_SETUP_DIR = re.compile(
    r"(?i)(?:^|/)(?:\.ci|ci(?:[-_]\w+)?|test[-_]?env(?:ironment)?s?|e2e|cypress|playwright|api[-_]?tests?|integration[-_]?tests?)/"
)
_TEST_COMPOSE = re.compile(
    r"(?i)^(?:docker-)?compose(?:[._\-][\w\-]+)*[._\-](?:ci|test|tests|testing|e2e|cypress|playwright|integration)"
    r"(?:[._\-][\w\-]+)*\.ya?ml$"
)
# API-client collections (Bruno, Postman, Thunder Client, REST Client): requests someone sends by hand
_REQUEST_COLLECTION = re.compile(r"(?i)\.bru$|\.postman_collection\.json$|\.http$|(?:^|/)thunder[-_]?client/")
# Contributed deployment samples (contrib/docker-compose/basic.yml) are examples to adapt
_SAMPLE_DIR = re.compile(r"(?i)(?:^|/)contrib/")
# A generated reference of every setting's default (config/defaults.hjson), not node-config's default.json: docs in config syntax
# scripts that set up a test run: e2e-cluster-setup.sh, run-tests.sh, ci-bootstrap.sh
_TEST_SCRIPT = re.compile(r"(?i)(?:^|[-_.])(?:e2e|tests?|testing|ci)[-_.]")
_DEFAULTS_REFERENCE = re.compile(r"(?i)(?:^|[._\-])defaults\.(?:hjson|json5?|ya?ml|toml|ini|conf|cfg)$")
_TEST_ONLY_HEADER = re.compile(
    r"(?i)(?:only|solely)\s+(?:be\s+)?(?:intended|meant|used)?\s*for\s+(?:local\s+|internal\s+)?(?:test|dev)|"
    r"for\s+(?:internal\s+|local\s+)?testing\s+(?:deployments|purposes)|do\s+not\s+use\s+(?:this\s+)?(?:!|in|for)\s+"
    r"(?:production|prod|personal|a\s+release)|do\s+not\s+use\s+this\s*!|not\s+(?:to\s+be\s+)?used\s+for\s+"
    r"(?:personal\s+|production\s+)?deployments|not\s+for\s+production"
)
# a settings module of a non-deploy environment: settings/ci.py, settings/test.py, config/dev.exs, config/environments/development.rb
_NON_DEPLOY_SETTINGS = re.compile(
    r"(?i)(?:^|/)(?:settings|config|conf|configs)/(?:environments/)?(?:ci|tests?|testing|e2e|dev|development|local)"
    r"\.(?:py|rb|php|js|cjs|mjs|ts|json|ya?ml|toml|exs?)$"
)
_COMMENT_MARKS = re.compile(r"\s*(?:#|//|;|--|/\*|\*/|\*)?\s+")
_HEAD_CHARS = 800


def not_deployed(f: File) -> str | None:
    """Why `f` never configures a deploy: 'test' (a test run, a CI job, a local test stack), 'doc' (a
    reference of defaults) or 'example' (a contributed sample), from its name, folder or first lines."""
    if is_ci_file(f) or _TEST_ENV_FILE.match(f.name) or _TEST_COMPOSE.match(f.name):
        return "test"
    if _TEST_SETUP_DIR.search(f.path) or _REQUEST_COLLECTION.search(f.path):
        return "test"
    if _TEST_SCRIPT.search(f.name) and zone(f) == "script":
        return "test"
    if _NON_DEPLOY_SETTINGS.search(f.path):
        return "test"
    if _SAMPLE_DIR.search(f.path):
        return "example"
    if _DEFAULTS_REFERENCE.search(f.name):
        return "doc"
    head = _COMMENT_MARKS.sub(" ", f.text[:_HEAD_CHARS])  # "Do not use for a\n# release" reads on
    if _TEST_ONLY_HEADER.search(head):
        return "test"
    return None


_RUST_TEST_MODULE = re.compile(r"^[ \t]*#\[cfg\(test\)\]\s*(?:#\[[^\]\n]*\]\s*)*(?:pub(?:\([\w:]+\))?\s+)?mod\s+\w+\s*\{", re.M)


def in_test_module(f: File, line: int) -> bool:
    """A line inside a Rust `#[cfg(test)] mod … { }` block: test code compiled only into the test binary,
    though it shares the file with the code it tests."""
    if f.ext != ".rs" or "cfg(test)" not in f.text:
        return False
    at = f.line_starts[line - 1]
    for m in _RUST_TEST_MODULE.finditer(f.text):
        if m.start() > at:
            return False
        depth, i = 1, m.end()
        text = f.text
        while depth and i < len(text):  # braces inside the block's strings are rare in tests; close enough
            c = text[i]
            depth += (c == "{") - (c == "}")
            i += 1
        if at < i:
            return True
    return False


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
        if _KEY_PARAMS_ANCHORS.present_in(f):
            out.extend(s for s in _key_parameters(f, max_line) if s.line not in lines)
    return out + stored_secrets(ctx)


def _key_parameters(f: File, max_line: int) -> list[Secret]:
    """The private exponent of a key written as its parameters (JSON RSAParameters, XML RSAKeyValue, JWK)."""
    out = []
    for m in itertools.islice(_KEY_PARAM_D.finditer(f.text), 20):
        value = m.group("json") or m.group("xml")
        if PLACEHOLDER.search(value) or len(set(value)) <= 10 or not looks_random(value):
            continue
        line = f.line_of(m.start())
        text = f.line_text(line, max_line)
        if not any(s.line == line for s in out):
            out.append(Secret(f, line, "private key", (value,), True, mask_line(text, [value])))
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
    if f.role == "vendor" or is_translation_catalog(f):
        return None  # a translation's "client_secret": "ASIAKASSALAISUUS" is interface text
    found = keyword_values(ctx, f, line, text)
    if not found:
        return None
    values = tuple(v.text for v in found)
    kind = "hard-coded password" if re.search(r"(?i)pass|pwd|contrase", text) else "hard-coded secret"
    first = _worst(found)
    strong = any(is_strong(v) for v in values)
    return Secret(f, line, kind, values, False, mask_line(text, values), first.origin, first.name, strong)


def _worst(found: list[Value]) -> Value:
    """The value that says most about the line: an assignment over a fallback over a connection string."""
    order = {"assigned": 0, "fallback": 1, "connection": 2}
    return min(found, key=lambda v: order[v.origin])


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
    return bool(PLACEHOLDER.search(body)) or len(set(body)) <= 4 or is_sequential_string(body)


def _private_key_body(f: File, line: int, text: str) -> str | None:
    """The key material after a BEGIN … PRIVATE KEY header, on this line or the next ones; None if absent."""
    m = _PEM_HEADER.search(text)
    rest = text[m.end() :] if m else ""
    if "\\n" in rest:  # a key inlined in a JSON or code string
        body = rest.split("-----END", 1)[0]
        material = "".join(_BASE64_CHARS.findall(body.replace("\\n", "\n")))
        return body if len(material) >= 64 and not PLACEHOLDER.search(material) else None
    following = f.text[f.line_starts[line] :] if line < len(f.line_starts) else ""
    material, first = "", None
    for raw in following.split("\n", 8)[:8]:
        bm = _BASE64_LINE.match(raw)
        if bm:
            first = first or bm.group(1)
            material += bm.group(1)
    if len(material) >= 64 and not PLACEHOLDER.search(material) and len(set(material)) > 10:
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


def _b64json(part: str) -> object:
    try:
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
