"""Connection strings that carry a password: URLs (`postgres://user:pass@host/db`, `redis://:pass@…`)
and libpq's key/value form (`host=db user=app password=…`), found once per context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..context import Context
from ..tree import File
from .secret_values import is_placeholder

# scheme://user:password@host — the password group is what must never be shown.
_CREDENTIAL_URL = re.compile(
    r"(?<![\w+.\-])(?P<scheme>[a-z][a-z0-9+.\-]{1,24})://(?P<user>[^\s:/@'\"`<>{}$]{0,64}):"
    r"(?P<password>[^\s/@'\"`<>]{1,128})@(?P<host>\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.\-]{1,253})",
    re.I,
)
# What the search looks for: the same URL from its "://" on, so that it runs only where "://" occurs
# (the scheme before it is then matched on the line by _CREDENTIAL_URL)
_CREDENTIAL_URL_TAIL = re.compile(
    r"://[^\s:/@'\"`<>{}$]{0,64}:[^\s/@'\"`<>]{1,128}@(?:\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.\-]{1,253})"
)
# libpq's key/value form: "host=db.internal user=shop password=… dbname=shop" (lib/pq, pgx, psycopg)
_KEYVALUE_DSN = re.compile(
    r"\bhost=(?P<host>[A-Za-z0-9_.\-]{1,253})(?:[ \t]+(?!password=)\w+=[^\s'\"`]*)*[ \t]+password=(?P<password>[^\s'\"`]+)|"
    r"\bpassword=(?P<password2>[^\s'\"`]+)(?:[ \t]+(?!host=)\w+=[^\s'\"`]*)*[ \t]+host=(?P<host2>[A-Za-z0-9_.\-]{1,253})"
)
_PLACEHOLDER_HOST = re.compile(
    r"(?i)example\.(?:com|org|net)$|^(?:host|hostname|server|domain|your[\w\-]*|my[\w\-]*host)$"
)
LOCAL_HOST = re.compile(
    r"(?i)^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\]|host\.docker\.internal|\(localdb\).*|\.|[a-z][\w\-]*)$"
)
_SKIPPED_FILES = re.compile(
    r"(?i)(?:^|/)(?:package-lock\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|[\w.\-]+\.lock|go\.sum)$"
)


@dataclass(frozen=True)
class CredentialString:
    file: File
    line: int
    text: str  # the whole line, unmasked: mask `password` before showing it
    password: str
    host: str
    scheme: str

    @property
    def local(self) -> bool:
        """A service on this machine or a compose service name: a development credential."""
        return bool(LOCAL_HOST.match(self.host))


def credential_strings(ctx: Context) -> list[CredentialString]:
    """The first credential-carrying connection string of each line, placeholders left out."""
    files = [f for f in ctx.files if f.role != "vendor" and not _SKIPPED_FILES.search(f.path)]
    out = []
    for search, pattern, parts in (
        (_CREDENTIAL_URL_TAIL, _CREDENTIAL_URL, _url_parts),
        (_KEYVALUE_DSN, _KEYVALUE_DSN, _keyvalue_parts),
    ):
        for hit in ctx.grep(search, files, where="any"):
            for m in pattern.finditer(hit.text):
                password, host, scheme = parts(m)
                if (
                    is_placeholder(password)
                    or _PLACEHOLDER_HOST.search(host)
                    or password.startswith(("$", "{", "%", "<"))
                ):
                    continue
                out.append(CredentialString(hit.file, hit.line, hit.text, password, host, scheme))
                break
    return out


def has_credential_url(f: File) -> bool:
    for m in _CREDENTIAL_URL.finditer(f.text):
        if not is_placeholder(m.group("password")) and not m.group("password").startswith(("$", "{")):
            return True
    return False


def _url_parts(m: re.Match) -> tuple[str, str, str]:
    return m.group("password"), m.group("host"), m.group("scheme")


def _keyvalue_parts(m: re.Match) -> tuple[str, str, str]:
    return m.group("password") or m.group("password2"), m.group("host") or m.group("host2"), "PostgreSQL key/value"
