"""Who runs a scan: the claim, the heartbeat of the process holding it, and taking over a lost one.

A delivery of a scan's task claims it with a conditional UPDATE that increments `attempts`; the
attempt number is the claim. Every later change is made only while the scan still carries that
attempt number and is not final (`change()`), so a late or duplicate delivery can never
un-finish a scan another attempt stored.

A second delivery does not take over a scan whose holder is alive: the holder writes
`heartbeat_at` every HEARTBEAT_EVERY seconds from a thread, and records "host pid" in
`claimed_by`. The scan is up for grabs when its heartbeat is older than LOST_AFTER (a lost worker,
on any host), when its holder is a process of this host that no longer exists (a pool child
killed mid-scan: noticed at once), when the holder gave it back (`released`), or when it has run
past RUNNING_DEADLINE (a hung process whose heartbeat thread lives on).
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import F
from django.utils import timezone

from .models import Scan

log = structlog.get_logger(__name__)
HOST = socket.gethostname()[:200]


@dataclass
class Claim:
    scan: Scan
    attempt: int

    @property
    def scan_id(self) -> int:
        return self.scan.pk


def holder() -> str:
    return f"{HOST} {os.getpid()}"


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def holder_gone(claimed_by: str) -> bool:
    """True when the holder is a process of this host that has exited (other hosts: unknown, False)."""
    host, _, pid = claimed_by.rpartition(" ")
    return host == HOST and pid.isdigit() and not pid_alive(int(pid))


def is_abandoned(scan: Scan, now: datetime, released: int | None = None) -> bool:
    """A running scan that another delivery may take over."""
    cfg = settings.FACTORCARD
    if released is not None and released == scan.attempts:
        return True
    if scan.heartbeat_at is None or scan.heartbeat_at < now - timedelta(seconds=cfg["LOST_AFTER"]):
        return True
    if scan.cloning_at and scan.cloning_at < now - timedelta(seconds=cfg["RUNNING_DEADLINE"]):
        return True
    return holder_gone(scan.claimed_by)


def claim(scan_id: int, released: int | None = None) -> Claim | None:
    """Claim a queued or abandoned scan for this process; None when there is nothing to do here."""
    now = timezone.now()
    seen = Scan.objects.filter(pk=scan_id).first()
    if seen is None or seen.is_final:
        log.info("scan_already_handled", scan_id=scan_id)
        return None
    if seen.state in Scan.RUNNING_STATES and not is_abandoned(seen, now, released):
        log.info("scan_running_elsewhere", scan_id=scan_id, holder=seen.claimed_by, attempt=seen.attempts)
        return None
    if seen.attempts >= settings.FACTORCARD["MAX_ATTEMPTS"]:
        fail_exhausted(scan_id)
        return None
    taken = Scan.objects.filter(pk=scan_id, state=seen.state, attempts=seen.attempts).update(
        state=Scan.CLONING,
        cloning_at=now,
        heartbeat_at=now,
        claimed_by=holder(),
        attempts=F("attempts") + 1,
        error="",
    )
    if not taken:  # another delivery claimed it between our read and our update
        log.info("scan_claimed_by_another", scan_id=scan_id)
        return None
    if seen.state in Scan.RUNNING_STATES:
        log.warning("scan_taken_over", scan_id=scan_id, previous_holder=seen.claimed_by, attempt=seen.attempts + 1)
    scan = Scan.objects.select_related("repository").get(pk=scan_id)
    return Claim(scan, scan.attempts)


def change(claim: Claim, **fields) -> bool:
    """Update the scan only while this attempt holds it and it is not final."""
    changed = (
        Scan.objects.filter(pk=claim.scan_id, attempts=claim.attempt)
        .exclude(state__in=Scan.FINAL_STATES)
        .update(**fields)
    )
    return bool(changed)


def fail_exhausted(scan_id: int) -> None:
    Scan.objects.filter(pk=scan_id).exclude(state__in=Scan.FINAL_STATES).update(
        state=Scan.FAILED,
        finished_at=timezone.now(),
        error="The scan was interrupted too many times (workers were lost while running it).",
    )


@contextmanager
def heartbeat(claim: Claim) -> Iterator[None]:
    """Write the claim's heartbeat every HEARTBEAT_EVERY seconds while the block runs."""
    stop = threading.Event()
    every = settings.FACTORCARD["HEARTBEAT_EVERY"]

    def beat() -> None:
        try:
            while not stop.wait(every):
                try:
                    if not change(claim, heartbeat_at=timezone.now()):
                        return  # stored, failed or taken over: nothing left to keep alive
                except DatabaseError as exc:  # a database outage: keep beating, the scan itself decides
                    log.warning("heartbeat_failed", scan_id=claim.scan_id, error=type(exc).__name__)
                    connection.close()
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"heartbeat-{claim.scan_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)
