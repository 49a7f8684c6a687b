"""beat's housekeeping: send again the scans whose message was lost, take back the scans of lost
workers, fail the ones that keep dying, and remove orphaned clone folders.

- A queued scan never handed to the broker (it was down) is sent after UNSENT_GRACE seconds; the
  grace keeps a sweep that lands between the commit and enqueue() from sending a second message.
- When the broker lost its data (see queues.broker_was_emptied), every queued scan is sent again.
- A queued scan sent more than QUEUED_RESEND_AFTER seconds ago is sent again when its queue is
  empty (a backstop: its message cannot be waiting there; a long backlog is left alone).
- A running scan whose holder is gone (claims.is_abandoned: no heartbeat for LOST_AFTER seconds,
  or its process on this host has exited) is sent again, and the next delivery takes it over; one
  already tried MAX_ATTEMPTS times fails with that reason.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import structlog
from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from . import claims, pipeline, queues, workdirs
from .models import Scan

log = structlog.get_logger(__name__)
BATCH = 500
LOCK_KEY = 0x46435357  # "FCSW": the sweep's advisory lock


def sweep(now: datetime | None = None) -> dict[str, int]:
    """One sweep at a time (a PostgreSQL advisory lock): two sweeps delivered together, as after a
    broker outage, would otherwise both send the same scans."""
    counts = {"resent": 0, "failed": 0, "orphans": workdirs.remove_orphans()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])  # a session lock: no transaction held
        if not cursor.fetchone()[0]:
            log.info("sweep_skipped", reason="another sweep is running")
            return counts
        try:
            _sweep(now or timezone.now(), counts)
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
    if counts["resent"] or counts["failed"]:
        log.info("sweep", **counts)
    return counts


def _sweep(now: datetime, counts: dict[str, int]) -> None:
    to_send = _lost_messages(now)
    for scan in _abandoned(now):
        if scan.attempts >= settings.FACTORCARD["MAX_ATTEMPTS"]:
            claims.fail_exhausted(scan.pk)
            counts["failed"] += 1
        else:
            to_send[scan.pk] = scan.trigger
    for scan_id, trigger in to_send.items():
        counts["resent"] += pipeline.enqueue(scan_id, queues.for_trigger(trigger))


def _lost_messages(now: datetime) -> dict[int, str]:
    cfg = settings.FACTORCARD
    queued = Scan.objects.filter(state=Scan.QUEUED)
    lost = Q(enqueued_at__isnull=True, queued_at__lt=now - timedelta(seconds=cfg["UNSENT_GRACE"]))
    try:
        if queues.broker_was_emptied():
            lost |= Q(enqueued_at__lt=now)
            log.warning("broker_emptied", detail="queued scans are sent again")
        else:  # a backlog is not a loss: only a queue that is empty cannot hold the scan's message
            empty = [q for q in (queues.INTERACTIVE, queues.BULK) if queues.waiting(q) == 0]
            triggers = [t for t, _ in Scan.TRIGGERS if queues.for_trigger(t) in empty]
            lost |= Q(enqueued_at__lt=now - timedelta(seconds=cfg["QUEUED_RESEND_AFTER"]), trigger__in=triggers)
    except Exception as exc:  # the broker is down: enqueue() will fail too, and the next sweep retries
        log.warning("broker_unreachable", error=type(exc).__name__)
    return dict(queued.filter(lost).order_by("queued_at").values_list("pk", "trigger")[:BATCH])


def _abandoned(now: datetime) -> list[Scan]:
    running = Scan.objects.filter(state__in=Scan.RUNNING_STATES).only(
        "pk", "trigger", "attempts", "heartbeat_at", "cloning_at", "claimed_by"
    )
    return [scan for scan in running.order_by("cloning_at")[: BATCH * 4] if claims.is_abandoned(scan, now)]
