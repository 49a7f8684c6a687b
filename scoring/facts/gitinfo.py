"""Commit and branch names, read from the `.git` directory's files; git itself is never run.

Running git inside a hostile checkout could execute what its config names (core.fsmonitor, hooks);
reading HEAD, refs and packed-refs as plain files cannot. Links are not followed.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field

_SHA = re.compile(r"^[0-9a-f]{40}$")
MAX_INDEX_BYTES = 256 * 1024 * 1024  # a larger index is not a checkout this engine can score anyway


@dataclass(frozen=True)
class GitInfo:
    is_repo: bool = False
    commit: str | None = None
    head_branch: str | None = None
    branches: tuple[str, ...] = field(default=())  # local and remote branch names, without remote prefix
    remote_branches: tuple[str, ...] = field(default=())


def _read_bytes(path: str, limit: int, whole: bool = False) -> bytes | None:
    """At most `limit` bytes of a regular file (with `whole`, None if it is longer); None for
    anything else (a link, a FIFO, a device)."""
    try:
        # O_NONBLOCK: opening a FIFO planted in a hostile .git must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode) or (whole and st.st_size > limit):
                return None
            return fh.read(limit)
    except OSError:
        return None


def _read(path: str, limit: int = 4 * 1024 * 1024) -> str | None:
    raw = _read_bytes(path, limit)
    return None if raw is None else raw.decode("utf-8", "replace")


def _git_dir(root: str) -> str | None:
    path = os.path.join(root, ".git")
    if os.path.islink(path):
        return None
    if os.path.isdir(path):
        return path
    text = _read(path, 4096)  # a worktree's .git file: "gitdir: /path"
    if text and text.startswith("gitdir:"):
        target = os.path.normpath(os.path.join(root, text[7:].strip()))
        return target if os.path.isdir(target) else None
    return None


def _refs(git_dir: str, prefix: str, limit: int = 5000) -> dict[str, str]:
    out: dict[str, str] = {}
    base = os.path.join(git_dir, *prefix.split("/"))
    for dirpath, _dirnames, filenames in os.walk(base, followlinks=False):
        for name in filenames:
            full = os.path.join(dirpath, name)
            value = (_read(full, 100) or "").strip()
            ref = os.path.relpath(full, base).replace(os.sep, "/")
            out[ref] = value
            if len(out) >= limit:
                return out
    packed = _read(os.path.join(git_dir, "packed-refs")) or ""
    for line in packed.splitlines():
        parts = line.split(" ", 1)
        if len(parts) == 2 and parts[1].startswith(prefix + "/"):
            out.setdefault(parts[1][len(prefix) + 1 :], parts[0])
            if len(out) >= limit:
                break
    return out


def git_info(root: str) -> GitInfo:
    git_dir = _git_dir(root)
    if git_dir is None:
        return GitInfo()
    head = (_read(os.path.join(git_dir, "HEAD"), 1024) or "").strip()
    commit, branch = None, None
    if head.startswith("ref:"):
        ref = head[4:].strip()
        branch = ref.removeprefix("refs/heads/")
        local = _refs(git_dir, "refs/heads")
        commit = local.get(branch)
    elif _SHA.match(head):
        commit = head
        local = _refs(git_dir, "refs/heads")
    else:
        local = {}
    remote = {}
    for name, value in _refs(git_dir, "refs/remotes").items():
        if "/" in name and not name.endswith("/HEAD"):
            remote[name.split("/", 1)[1]] = value
    return GitInfo(
        is_repo=True,
        commit=commit if commit and _SHA.match(commit) else None,
        head_branch=branch,
        branches=tuple(sorted(set(local) | set(remote))),
        remote_branches=tuple(sorted(remote)),
    )


def tracked_paths(root: str, limit: int = 2_000_000) -> set[str] | None:
    """Paths in the git index (what `git ls-files` lists), or None when there is no readable index.

    Parsed from `.git/index` directly (versions 2–4), so no git process runs in the checkout.
    """
    git_dir = _git_dir(root)
    if git_dir is None:
        return None
    data = _read_bytes(os.path.join(git_dir, "index"), MAX_INDEX_BYTES, whole=True)
    if data is None or len(data) < 12 or data[:4] != b"DIRC":
        return None
    version = int.from_bytes(data[4:8], "big")
    count = int.from_bytes(data[8:12], "big")
    if version not in (2, 3, 4) or count > limit:
        return None
    paths: set[str] = set()
    pos, previous = 12, b""
    try:
        for _ in range(count):
            start = pos
            flags = int.from_bytes(data[pos + 60 : pos + 62], "big")
            pos += 62
            if version >= 3 and flags & 0x4000:
                pos += 2
            if version == 4:
                strip, shift = 0, 0
                while True:  # git's offset varint: 7 bits a byte, +1 per continuation
                    byte = data[pos]
                    pos += 1
                    strip = (strip << 7) | (byte & 0x7F)
                    if not byte & 0x80:
                        break
                    strip += 1
                    shift += 1
                end = data.index(b"\0", pos)
                name = previous[: len(previous) - strip] + data[pos:end]
                pos = end + 1
            else:
                end = data.index(b"\0", pos)
                name = data[pos:end]
                pos = start + ((end - start + 8) // 8) * 8
            previous = name
            paths.add(name.decode("utf-8", "replace"))
    except (IndexError, ValueError):
        return None
    return paths
