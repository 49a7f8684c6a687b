"""Branch heads (name → commit) and the origin's URL, read as plain files from `.git`; git never runs.

`gitinfo.git_info` gives branch names; the codebase checks also need to know whether an
environment-named branch points somewhere else than the mainline, and which repository the
checkout was cloned from (to recognise a Dockerfile that clones the app's own code).
"""

from __future__ import annotations

import os
import re

from .gitinfo import _git_dir, _read, _refs

_SHA = re.compile(r"^[0-9a-f]{40}$")
_ORIGIN = re.compile(r'^\[remote[ \t]+"origin"\][ \t]*$(?P<body>(?:\n(?!\s*\[).*)*)', re.M)
_URL = re.compile(r"^[ \t]*url[ \t]*=[ \t]*(\S+)[ \t]*$", re.M)


def branch_heads(root: str) -> dict[str, str]:
    """Local and remote branches (remote prefix stripped) and the commit each points at."""
    git_dir = _git_dir(root)
    if git_dir is None:
        return {}
    out: dict[str, str] = {}
    for name, value in _refs(git_dir, "refs/remotes").items():
        if "/" in name and not name.endswith("/HEAD") and _SHA.match(value):
            out[name.split("/", 1)[1]] = value
    for name, value in _refs(git_dir, "refs/heads").items():
        if _SHA.match(value):
            out[name] = value  # a local branch wins over its remote-tracking copy
    return out


def origin_url(root: str) -> str | None:
    git_dir = _git_dir(root)
    if git_dir is None:
        return None
    text = _read(os.path.join(git_dir, "config"), 64 * 1024) or ""
    section = _ORIGIN.search(text)
    url = _URL.search(section.group("body")) if section else None
    return url.group(1) if url else None


def repo_name(url: str) -> str:
    """`git@github.com:acme/shop.git` → `shop`."""
    return url.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].removesuffix(".git").lower()
