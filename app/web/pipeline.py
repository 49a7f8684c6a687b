"""The scan pipeline as plain functions: request a scan, run it, store its report. No Celery here.

request_scan() records the Scan and hands its id to the broker once the transaction commits; a
broker that is down only delays the scan (the sweep sends it later). run_scan() claims the scan
with a conditional UPDATE, clones into a temporary folder that is always removed, scores the tree,
and store_report() writes every result in one transaction. A redelivered or duplicated task finds
the scan final and does nothing; the same commit scored by the same engine version is stored once.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta

import structlog
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

import scoring
from scoring import Limits, Report

from . import broker, gitclone
from .models import FactorResult, Finding, Repository, Scan, Team
from .urlguard import check_clone_url

log = structlog.get_logger(__name__)
RUN_SCAN_TASK = "factorcard.run_scan"  # tasks.py registers it under this name


def add_repository(team: Team, url: str, *, branch: str = "", is_public: bool = False) -> tuple[Repository, Scan]:
    """Validate the URL (ValidationError on bad input), create the repository and queue its first scan."""
    checked = check_clone_url(url)
    with transaction.atomic():
        repo, _ = Repository.objects.get_or_create(
            team=team, clone_url=checked.url,
            defaults={"name": checked.name, "default_branch": branch, "is_public": is_public},
        )
        scan = request_scan(repo, Scan.MANUAL)
    return repo, scan


def request_scan(repo: Repository, trigger: str, *, branch: str = "", commit: str = "") -> Scan:
    scan = Scan.objects.create(repository=repo, trigger=trigger, branch=branch or repo.default_branch,
                               requested_commit=commit)
    transaction.on_commit(lambda: enqueue(scan.pk))
    log.info("scan_requested", scan_id=scan.pk, repository=repo.slug, trigger=trigger)
    return scan


def enqueue(scan_id: int) -> bool:
    """Hand a scan to the broker. False when the broker is unreachable: the sweep will try again.

    No retries (kombu would otherwise retry for the connect timeout, twice: 6 s per request with the
    broker down); a refused connection fails in milliseconds, an unanswered one after
    BROKER_CONNECT_TIMEOUT. The connection is kept between scans (broker.py).
    """
    try:
        broker.send(RUN_SCAN_TASK, [scan_id])
    except Exception as exc:  # kombu raises OperationalError and socket errors; none may fail the request
        log.warning("enqueue_failed", scan_id=scan_id, error=type(exc).__name__)
        return False
    Scan.objects.filter(pk=scan_id).update(enqueued_at=timezone.now())
    return True


def claim(scan_id: int) -> Scan | None:
    """Move a scan that is not final to `cloning`; None when another delivery already finished it."""
    now = timezone.now()
    max_attempts = settings.FACTORCARD["MAX_ATTEMPTS"]
    updated = Scan.objects.filter(pk=scan_id).exclude(state__in=Scan.FINAL_STATES).filter(
        attempts__lt=max_attempts
    ).update(state=Scan.CLONING, cloning_at=now, attempts=F("attempts") + 1, error="")
    if not updated:
        _fail_if_exhausted(scan_id)
        return None
    return Scan.objects.select_related("repository").get(pk=scan_id)


def _fail_if_exhausted(scan_id: int) -> None:
    Scan.objects.filter(pk=scan_id).exclude(state__in=Scan.FINAL_STATES).update(
        state=Scan.FAILED, finished_at=timezone.now(),
        error="The scan was interrupted too many times (workers were lost while running it).",
    )


def run_scan(scan_id: int) -> None:
    scan = claim(scan_id)
    if scan is None:
        log.info("scan_already_handled", scan_id=scan_id)
        return
    cfg = settings.FACTORCARD
    structlog.contextvars.bind_contextvars(scan_id=scan_id)
    try:
        with tempfile.TemporaryDirectory(prefix="factorcard-scan-") as workdir:
            try:
                checked = check_clone_url(scan.repository.clone_url)  # again: DNS may have changed since
                cloned = clone_repository(checked.url, workdir, scan.branch, commit=scan.requested_commit)
            except Exception as exc:  # a clone that fails for any reason ends the scan with that reason
                _fail(scan, _reason(exc))
                return
            Scan.objects.filter(pk=scan.pk).update(state=Scan.SCORING, scoring_at=timezone.now(),
                                                   commit_sha=cloned.commit, branch=cloned.branch or scan.branch)
            log.info("scan_cloned", commit=cloned.commit)
            try:
                report = scoring.score_path(cloned.path, Limits(deadline_s=cfg["SCAN_TIMEOUT"]))
            except Exception as exc:
                log.exception("engine_error")
                _fail(scan, f"The scoring engine failed on this repository ({type(exc).__name__}).")
                return
            store_report(scan.pk, report)
    finally:
        structlog.contextvars.unbind_contextvars("scan_id")


def clone_repository(url: str, workdir: str, branch: str = "", *, commit: str = "") -> gitclone.Cloned:
    """A bounded clone of an already checked URL (at `commit` when given), with this deploy's limits."""
    cfg = settings.FACTORCARD
    return gitclone.clone(url, workdir, branch=branch, commit=commit, timeout=cfg["CLONE_TIMEOUT"],
                          max_bytes=cfg["CLONE_MAX_BYTES"],
                          allow_local=bool(cfg["ALLOW_LOCAL_REPOSITORIES"] or cfg["ALLOW_PRIVATE_HOSTS"]))


def _reason(exc: Exception) -> str:
    if isinstance(exc, gitclone.CloneError):
        return str(exc)
    messages = getattr(exc, "messages", None)  # ValidationError from the URL guard
    if messages:
        return " ".join(messages)
    return f"The scan failed unexpectedly ({type(exc).__name__})."


def _fail(scan: Scan, reason: str) -> None:
    Scan.objects.filter(pk=scan.pk).exclude(state__in=Scan.FINAL_STATES).update(
        state=Scan.FAILED, error=reason, finished_at=timezone.now()
    )
    log.warning("scan_failed", reason=reason)


def store_report(scan_id: int, report: Report) -> Scan:
    """Write every result of the scan in one transaction; a second delivery writes nothing."""
    with transaction.atomic():
        scan = Scan.objects.select_for_update().select_related("repository").get(pk=scan_id)
        if scan.is_final:
            return scan
        repo = scan.repository
        commit = report.commit or scan.commit_sha
        earlier = (
            Scan.objects.filter(repository=repo, commit_sha=commit, engine_version=report.engine_version,
                                state=Scan.DONE, reused_from__isnull=True)
            .exclude(pk=scan.pk).exclude(commit_sha="").order_by("pk").first()
        )
        scan.commit_sha = commit
        scan.engine_version = report.engine_version
        scan.state, scan.finished_at = Scan.DONE, timezone.now()
        if earlier is not None:
            scan.reused_from, scan.score = earlier, earlier.score
            scan.kind, scan.kind_reasons, scan.stats = earlier.kind, earlier.kind_reasons, earlier.stats
        else:
            scan.score = report.score
            scan.kind, scan.kind_reasons = report.kind.value, list(report.kind_reasons)
            scan.stats = report.stats.to_dict()
            _write_results(scan, report)
        scan.save()
        Repository.objects.filter(pk=repo.pk).update(latest_scan=scan)
    log.info("scan_stored", scan_id=scan.pk, score=scan.score, reused=earlier is not None)
    return scan


def _write_results(scan: Scan, report: Report) -> None:
    results = FactorResult.objects.bulk_create(
        FactorResult(scan=scan, repository_id=scan.repository_id, factor=f.number, factor_id=f.id, name=f.name,
                     score=f.score, status=f.status.value, summary=f.summary)
        for f in report.factors
    )
    Finding.objects.bulk_create(
        Finding(factor_result=result, check_id=x.check, severity=x.severity.value, path=x.path or "",
                line=x.line, message=x.message, remediation=x.remediation, snippet=x.snippet,
                fingerprint=x.fingerprint)
        for result, factor in zip(results, report.factors, strict=True)
        for x in factor.findings
    )


def sweep(now=None) -> dict[str, int]:
    """Re-send scans whose message was lost (broker down, worker killed) and fail hopeless ones."""
    cfg = settings.FACTORCARD
    now = now or timezone.now()
    resend_before = now - timedelta(seconds=cfg["QUEUED_RESEND_AFTER"])
    running_before = now - timedelta(seconds=cfg["RUNNING_DEADLINE"])
    stuck_queued = Scan.objects.filter(state=Scan.QUEUED).filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=resend_before)
    )
    stuck_running = Scan.objects.filter(state__in=Scan.RUNNING_STATES, cloning_at__lt=running_before)
    counts = {"resent": 0, "failed": 0}
    for scan_id in list(stuck_running.filter(attempts__gte=cfg["MAX_ATTEMPTS"]).values_list("pk", flat=True)):
        _fail_if_exhausted(scan_id)
        counts["failed"] += 1
    ids = list(stuck_queued.values_list("pk", flat=True)[:500]) + list(
        stuck_running.filter(attempts__lt=cfg["MAX_ATTEMPTS"]).values_list("pk", flat=True)[:500]
    )
    for scan_id in ids:
        counts["resent"] += enqueue(scan_id)
    if any(counts.values()):
        log.info("sweep", **counts)
    return counts


def rescore_all(trigger: str = Scan.SCHEDULE) -> int:
    count = 0
    for repo in Repository.objects.all().iterator():
        with transaction.atomic():
            request_scan(repo, trigger)
        count += 1
    return count

