"""Redaction: every snippet leaves the engine with secrets masked.

`redact_snippet` is applied by the runner to every finding, whatever check made it, so a check that
forgets to redact cannot leak. Checks that know the exact secret value pass it to `mask_value` too.
"""

from __future__ import annotations

import math
import re
from collections import Counter

MASK = "****"
MAX_SNIPPET = 200

# Credentials inside URLs: scheme://user:password@host  →  scheme://user:****@host
_URL_CREDS = re.compile(r"(?P<pre>[a-z][a-z0-9+.\-]*://[^\s:/@'\"]*:)(?P<secret>[^\s@/'\"]+)(?=@)", re.I)
# key = "value", key: value, KEY=value for secret-sounding keys.
_KEYED = re.compile(
    r"(?P<pre>(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|"
    r"client[_-]?secret|auth|credential|signing[_-]?key|salt|dsn)[a-z0-9_\-]*['\"]?\s*(?:=>|:=|[:=])\s*"
    r"(?P<call>[a-z]*\()?(?P<quote>['\"`]?))(?P<secret>[^\s'\"`,;)}]{4,}(?:[ \t]+[^\s'\"`,;)}]+)*(?=(?P=quote))|"
    r"[^\s'\"`,;)}]{4,})",
    re.I,
)
# Values after a secret-sounding key that are code, not a secret: a call (`os.getenv(`), a dotted
# reference (`settings.SECRET_KEY`, `process.env.TOKEN`), or the name of an environment variable.
_CALL = re.compile(r"[\w.$]*\(")
_DOTTED = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+")
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
# Well-known credential formats.
_FORMATS = re.compile(
    r"(?P<secret>(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}|"
    r"gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|glpat-[A-Za-z0-9_\-]{20}|"
    r"xox[abposr]-[A-Za-z0-9\-]{10,}|sk_live_[A-Za-z0-9]{16,}|rk_live_[A-Za-z0-9]{16,}|"
    r"sk-[A-Za-z0-9_\-]{20,}|SG\.[A-Za-z0-9_\-]{16,}\.[A-Za-z0-9_\-]{16,}|AIza[0-9A-Za-z_\-]{35}|"
    r"eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}|npm_[A-Za-z0-9]{36}|"
    r"pypi-[A-Za-z0-9_\-]{50,})"
)
# Any long random-looking token (base64/hex-ish) is masked as a last resort; `=` only as padding, so
# `KEY=value` keeps its key.
_TOKEN = re.compile(r"[A-Za-z0-9+/_\-]{24,}=*")
# Telling a random token from an identifier without asking for a digit (an AWS secret key, a
# digit-free run of base64, is 40 letters and signs more often than one might think): the letter
# runs of a token are split into the pieces a name is made of (camelCase, ACRONYMS, lower runs);
# a name is mostly pieces of three letters or more that hold a vowel and no long consonant run,
# where a random string of mixed case breaks into pieces of one or two letters.
_SEGMENT = re.compile(r"[A-Za-z0-9+/]+")  # `_`, `-` and `.` join names; `+` and `/` are base64 too
_PIECE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_VOWELS = frozenset("aeiouyAEIOUY")
_CONSONANT_RUN = re.compile(r"[b-df-hj-np-tv-xzB-DF-HJ-NP-TV-XZ]{5,}")  # five in a word: health|checks
MIN_RANDOM = 16  # letters of random segments that make a token a secret
_PEM_BODY = re.compile(r"^[A-Za-z0-9+/=]{40,}$")


def entropy(s: str) -> float:
    if not s:
        return 0.0
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in Counter(s).values())


def mask_value(value: str) -> str:
    """Keep at most a 2-character hint of a secret, never enough to use it."""
    if len(value) >= 12:
        return value[:2] + MASK
    return MASK


def _sub(pattern: re.Pattern, text: str) -> str:
    def repl(m: re.Match) -> str:
        secret = m.group("secret")
        if secret.startswith(("$", "{", "%", "<")) or secret == MASK or secret.endswith(MASK):
            return m.group(0)  # a placeholder or reference, not a value
        return m.group(0)[: m.start("secret") - m.start()] + mask_value(secret)

    return pattern.sub(repl, text)


def _keyed(m: re.Match) -> str:
    secret, quoted = m.group("secret"), bool(m.group("quote"))
    if not quoted and (_CALL.match(secret) or (_DOTTED.fullmatch(secret) and not any(c.isdigit() for c in secret))):
        return m.group(0)
    if m.group("call") and (not quoted or _ENV_NAME.fullmatch(secret)):
        return m.group(0)  # `HTTPBasicAuth(username`, `env("DB_PASSWORD")`
    if secret.startswith(("$", "{", "%", "<")) or secret.endswith(MASK):
        return m.group(0)  # a placeholder or reference, not a value
    return m.group("pre") + mask_value(secret)


def _token(m: re.Match) -> str:
    """A long base64/hex-like run is masked when it looks random (see `looks_random`)."""
    token = m.group(0)
    return mask_value(token) if looks_random(token) else token


def looks_random(token: str) -> bool:
    """A generated key or token rather than a name, a path or words: decided on length, entropy and
    the shape of its letter runs, never on whether it holds a digit."""
    if entropy(token) < 3.5 or _SNAKE.fullmatch(token):
        return False
    if any(c.isdigit() for c in token):
        return True  # identifiers with digits in 24+ characters of high entropy are rare; keys are not
    return sum(len(s) for s in _SEGMENT.findall(token) if _random_segment(s)) >= MIN_RANDOM


def _random_segment(segment: str) -> bool:
    pieces = _PIECE.findall(segment)
    n = sum(map(len, pieces))
    if n < 8 or entropy(segment) < min(3.3, math.log2(n) - 0.5):
        return False
    named = sum(len(p) for p in pieces if word_like(p)) / n
    mixed = not segment.isupper() and not segment.islower()
    if mixed and n / len(pieces) < 3.4:
        return True  # one- and two-letter pieces: case flips at random
    return named < (0.7 if mixed else 0.6)


def word_like(piece: str) -> bool:
    n = len(piece)
    if piece.isupper() and 2 <= n <= 10:
        return True  # acronyms: URL, HTTP, SOCKSHTTPS (a random token of mixed case seldom has such a run)
    vowels = sum(c in _VOWELS for c in piece)
    if n < 3 or not vowels:
        return False
    run = max(map(len, _CONSONANT_RUN.findall(piece)), default=0)
    if n <= 12:
        return run < 6
    return run < 5 and vowels / n >= 0.27  # a long run of letters reads as words only with a word's vowels


def redact_snippet(line: str, secrets: tuple[str, ...] | list[str] = ()) -> str:
    text = line.strip()
    if len(text) > 4 * MAX_SNIPPET:
        text = text[: 4 * MAX_SNIPPET]
    for secret in sorted(set(secrets), key=len, reverse=True):
        if secret and len(secret) >= 4:
            text = text.replace(secret, mask_value(secret))
    text = _sub(_URL_CREDS, text)
    text = _sub(_FORMATS, text)
    text = _KEYED.sub(_keyed, text)
    text = _TOKEN.sub(_token, text)
    if _PEM_BODY.match(text):
        text = MASK
    if len(text) > MAX_SNIPPET:
        text = text[: MAX_SNIPPET - 1] + "…"
    return text
