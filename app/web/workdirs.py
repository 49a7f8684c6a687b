"""Temporary clone folders, named after the process that owns them, and the removal of orphans.

A scan clones into `factorcard-scan-<host>-<pid>-<random>` in the temporary folder, removed in
`finally`. A process killed mid-scan (SIGKILL, the out-of-memory killer) never runs its `finally`:
its folder is an orphan, removed at worker start-up, when a pool process starts and by the sweep.
Only folders of this host whose owning process is gone are removed, so processes on the same
machine (another worker, another checkout's tests) never delete each other's folders.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import structlog

from .claims import HOST, pid_alive

log = structlog.get_logger(__name__)
PREFIX = "factorcard-scan-"
_HOST = re.sub(r"[^A-Za-z0-9.]", "_", HOST)[:60]
_NAME = re.compile(rf"^{re.escape(PREFIX)}(?P<host>[A-Za-z0-9._]+)-(?P<pid>\d+)-[^/]+$")


@contextmanager
def scan_workdir() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix=f"{PREFIX}{_HOST}-{os.getpid()}-") as path:
        yield path


def remove_orphans(base: str | None = None) -> int:
    """Remove this host's clone folders whose owning process has exited; returns how many."""
    base = base or tempfile.gettempdir()
    removed = 0
    try:
        entries = os.listdir(base)
    except OSError:
        return 0
    for name in entries:
        match = _NAME.match(name)
        if not match or match["host"] != _HOST or pid_alive(int(match["pid"])):
            continue
        shutil.rmtree(os.path.join(base, name), ignore_errors=True)
        removed += 1
    if removed:
        log.info("orphan_clone_folders_removed", count=removed, folder=base)
    return removed
