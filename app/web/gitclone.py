"""Shallow, bounded clones with GitPython.

The clone runs as a git process we watch: it is killed when it passes the time limit or when the
checkout grows past the size cap. Git is told to ignore system and user configuration, never to
prompt, not to follow HTTP redirects (a redirect could lead to a private address), and to refuse
every transport but the ones the URL guard accepted.

Git runs in a session of its own, so a stop signal sent to the worker's whole process group (Heroku
stopping a dyno, honcho, systemd's control group) reaches the worker, whose warm shutdown lets the
clone finish, and not git, which would die and fail the scan. On Linux git is also told to die
with the worker, so a killed worker leaves no clone running unwatched.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import signal
import sys
import time
from dataclasses import dataclass

import git

POLL_SECONDS = 0.2
_SHA = re.compile(r"[0-9a-f]{40}")
_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True) if sys.platform == "linux" else None


def _die_with_parent() -> None:  # runs in the child between fork and exec: two system calls, nothing else
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    signal.pthread_sigmask(signal.SIG_SETMASK, ())  # a pool process blocks SIGTERM (stopping.py); git need not


# Popen options for every git process: its own session; killed if the worker dies (Linux).
DETACHED = {"start_new_session": True, **({"preexec_fn": _die_with_parent} if _libc is not None else {})}


class CloneError(Exception):
    """A clone that failed for a reason worth showing the user."""


@dataclass(frozen=True)
class Cloned:
    path: str
    commit: str
    branch: str


def _tree_size(path: str) -> int:
    total = 0
    for dirpath, _dirnames, filenames in os.walk(path):
        for name in filenames:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                pass
    return total


def _environment(home: str) -> dict[str, str]:
    return {
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_ASKPASS": "/bin/true",
        "SSH_ASKPASS": "/bin/true",
        "GIT_SSH_COMMAND": "ssh -oBatchMode=yes -oStrictHostKeyChecking=accept-new -oConnectTimeout=15",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "HOME": home,
        "GIT_LFS_SKIP_SMUDGE": "1",
        "LC_ALL": "C",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }


def clone(url: str, dest: str, *, branch: str = "", commit: str = "", timeout: float = 120.0,
          max_bytes: int = 500 * 2**20, allow_local: bool = False) -> Cloned:
    """Clone `url` (depth 1, one branch, no tags, no submodules) into the empty folder `dest`.

    With `commit` (a webhook's pushed commit), that commit is checked out even when the branch has
    moved on since: it is fetched by id, one commit deep, and the local branch is set to it.
    """
    if commit and not _SHA.fullmatch(commit):
        raise CloneError("The requested commit is not a 40-character commit id.")
    started = time.monotonic()
    options = _options(allow_local)
    clone_args = ["clone", "--quiet", "--depth=1", "--single-branch", "--no-tags", "--no-recurse-submodules"]
    if branch:
        clone_args += ["--branch", branch]
    home = os.path.join(dest, "home")
    os.makedirs(home, exist_ok=True)
    checkout = os.path.join(dest, "checkout")
    _watch(dest, [*options, *clone_args, "--", url, checkout], home, started, timeout, max_bytes)
    if _tree_size(checkout) > max_bytes:
        raise CloneError(f"The repository is larger than the {max_bytes // 2**20} MB limit.")
    repo = git.Repo(checkout)
    try:
        head = repo.head.commit.hexsha
    except ValueError:
        raise CloneError("The repository is empty (it has no commits).") from None
    head_branch = "" if repo.head.is_detached else repo.active_branch.name
    if commit and commit != head:
        _checkout_commit(dest, checkout, options, home, commit, head_branch, (started, timeout), max_bytes)
        head = commit
    _record_remote_heads(repo, home, timeout)
    return Cloned(checkout, head, head_branch)


def _options(allow_local: bool) -> list[str]:
    protocols = "https,ssh" + (",file,git,http" if allow_local else "")
    return [
        "-c", "protocol.allow=never",
        *[x for p in protocols.split(",") for x in ("-c", f"protocol.{p}.allow=always")],
        "-c", "http.followRedirects=false",
        "-c", "core.hooksPath=/dev/null",
        "-c", "core.fsmonitor=false",
    ]


def _checkout_commit(dest: str, checkout: str, options: list[str], home: str, commit: str, branch: str,
                     clock: tuple[float, float], max_bytes: int) -> None:
    """Fetch one commit by id (protocol v2 lets a client ask for any reachable commit) and check it out."""
    try:
        _watch(dest, ["-C", checkout, *options, "fetch", "--quiet", "--depth=1", "--no-tags", "origin", commit],
               home, *clock, max_bytes)
    except CloneError as exc:
        raise CloneError(f"The pushed commit {commit[:12]} could not be fetched; it may have been force-pushed "
                         f"away ({exc})") from None
    target = ["checkout", "--quiet", "-B", branch, commit] if branch else ["checkout", "--quiet", "--detach", commit]
    _watch(dest, ["-C", checkout, *options, *target], home, *clock, max_bytes)
    if _tree_size(checkout) > max_bytes:
        raise CloneError(f"The repository is larger than the {max_bytes // 2**20} MB limit.")


def _watch(dest: str, args: list[str], home: str, started: float, timeout: float, max_bytes: int) -> None:
    """Run git, killing it `timeout` seconds after `started` or when `dest` grows past the size cap."""
    cmd = git.Git(dest)
    proc = cmd.execute(["git", *args], as_process=True, env=_environment(home), with_stdout=False, **DETACHED)
    try:
        while proc.proc.poll() is None:
            if time.monotonic() - started > timeout:
                raise CloneError(f"The clone did not finish within {timeout:.0f} s.")
            if _tree_size(dest) > max_bytes:
                raise CloneError(f"The repository is larger than the {max_bytes // 2**20} MB limit.")
            time.sleep(POLL_SECONDS)
        stderr = proc.proc.stderr.read().decode("utf-8", "replace") if proc.proc.stderr else ""
        if proc.proc.returncode < 0:
            raise CloneError(f"The clone was interrupted: git was stopped by signal {-proc.proc.returncode}.")
        if proc.proc.returncode != 0:
            raise CloneError(_explain(stderr))
    finally:
        if proc.proc.poll() is None:
            proc.proc.kill()
            proc.proc.wait()


def _record_remote_heads(repo: git.Repo, home: str, timeout: float, limit: int = 1000) -> None:
    """Note every branch of the remote in the checkout, as a full clone would have.

    The clone is shallow and single-branch, but the engine's codebase check needs the remote's
    branch names and heads (environment branches such as `prod` that diverge from the mainline).
    `ls-remote` costs one round trip and no objects; the heads go into packed-refs, which the
    engine reads as a plain file. Best effort: a failure here only hides those branches.
    """
    try:
        listing = repo.git.execute(
            ["git", "ls-remote", "--heads", "origin"], kill_after_timeout=timeout, env=_environment(home), **DETACHED
        )
    except git.GitCommandError:
        return
    lines = []
    for row in listing.splitlines()[:limit]:
        sha, _, ref = row.partition("\t")
        if len(sha) == 40 and ref.startswith("refs/heads/") and "\n" not in ref:
            lines.append(f"{sha} refs/remotes/origin/{ref.removeprefix('refs/heads/')}\n")
    with open(os.path.join(repo.git_dir, "packed-refs"), "a", encoding="utf-8") as fh:
        fh.writelines(lines)


def _explain(stderr: str) -> str:
    text = " ".join(stderr.split())
    lowered = text.lower()
    if "remote branch" in lowered and "not found" in lowered:
        return "The branch does not exist in the repository."
    if any(
        s in lowered
        for s in ("not found", "no such repository", "does not appear to be a git repository", "not a git repository")
    ):
        return "Not a git repository, or it does not exist (the server said: " + text[:300] + ")."
    if "authentication" in lowered or "could not read username" in lowered or "permission denied" in lowered:
        return "The repository needs credentials; only public repositories can be scanned."
    if "could not resolve host" in lowered or "connection refused" in lowered or "timed out" in lowered:
        return "The git server could not be reached: " + text[:300]
    return "git clone failed: " + (text[:500] or "no message")
