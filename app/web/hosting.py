"""Links from a finding to its line, at the scanned commit, on the service that hosts the repository.

Each host has its own URL shape; an unknown host (a self-hosted server we cannot recognise, a git://
or file:// URL) gets no link, and the page shows the path as plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

SCP_LIKE = re.compile(r"^(?:[\w.+-]+@)?(?P<host>[\w.-]+):(?!//)(?P<path>[^\\]+)$")  # git@host:owner/repo.git
SHA = re.compile(r"^[0-9a-f]{7,64}$")


@dataclass(frozen=True)
class Hosted:
    kind: str  # github, gitlab, gitea, bitbucket
    base: str  # https://host/owner/repo


def kind_of(host: str) -> str | None:
    host = host.lower()
    if host in ("github.com", "www.github.com"):
        return "github"
    if host == "bitbucket.org":
        return "bitbucket"
    if host == "codeberg.org" or "gitea" in host or "forgejo" in host:
        return "gitea"
    if host == "gitlab.com" or "gitlab" in host:
        return "gitlab"
    return None


def hosted(clone_url: str) -> Hosted | None:
    """The web address of a repository from its https, ssh:// or scp-style clone URL; None if unknown."""
    url = clone_url.strip()
    if "://" in url:
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http", "ssh", "git+ssh"):
            return None
        host, path = parts.hostname or "", parts.path
    elif match := SCP_LIKE.match(url):
        host, path = match["host"], match["path"]
    else:
        return None
    kind = kind_of(host)
    path = path.strip("/").removesuffix(".git").strip("/")
    if kind is None or path.count("/") < 1:
        return None
    return Hosted(kind, f"https://{host.lower()}/{path}")


def line_url(clone_url: str, commit: str, path: str, line: int | None = None) -> str | None:
    """A link to `path` (and `line`) at `commit`, or None when the host or the commit is unknown."""
    repo = hosted(clone_url)
    if repo is None or not path or not SHA.match(commit or ""):
        return None
    file = quote(path.lstrip("/"))
    if repo.kind == "github":
        url, anchor = f"{repo.base}/blob/{commit}/{file}", "#L{}"
    elif repo.kind == "gitlab":
        url, anchor = f"{repo.base}/-/blob/{commit}/{file}", "#L{}"
    elif repo.kind == "gitea":
        url, anchor = f"{repo.base}/src/commit/{commit}/{file}", "#L{}"
    else:
        url, anchor = f"{repo.base}/src/{commit}/{file}", "#lines-{}"
    return url + anchor.format(line) if line else url


def commit_url(clone_url: str, commit: str) -> str | None:
    """A link to the commit on its host, or None when the host or the commit is unknown."""
    repo = hosted(clone_url)
    if repo is None or not SHA.match(commit or ""):
        return None
    path = {"github": "commit", "gitlab": "-/commit", "gitea": "commit", "bitbucket": "commits"}[repo.kind]
    return f"{repo.base}/{path}/{commit}"
