"""The weekly rescan of every repository, before the report (beat, RESCAN_ALL_CRON): so that the report
describes this week's code, not the code of whenever someone last pushed or pressed Rescan."""

from __future__ import annotations

import structlog
from django.db import transaction
from django.db.models import Exists, OuterRef

from app.web.models import Repository, Scan
from app.web.pipeline import request_scan

log = structlog.get_logger(__name__)


def rescan_all() -> int:
    """Request a `schedule` scan of every repository that has none queued or running (so a second firing
    of the schedule, or a rescan still in progress, does not stack a second scan); the count requested."""
    pending = Scan.objects.filter(repository=OuterRef("pk")).exclude(state__in=Scan.FINAL_STATES)
    count = 0
    for repo in Repository.objects.exclude(Exists(pending)).order_by("pk").iterator():
        with transaction.atomic():
            request_scan(repo, Scan.SCHEDULE)
        count += 1
    log.info("rescan_all", requested=count)
    return count
