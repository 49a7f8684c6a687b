"""The scan pipeline as plain functions: request a scan, run it, store its report. No Celery here.

request_scan() records the Scan and hands its id to the broker once the transaction commits, on the
queue its trigger calls for (people waiting: `interactive`; schedules: `bulk`); a broker that is
down only delays the scan (the sweep sends it later). run_scan() claims the scan (claims.py),
clones into a temporary folder that is always removed, scores the tree, and store_report() writes
every result in one transaction. Every change after the claim is conditional on the claim and on
the scan not being final, so a duplicate or late delivery never un-finishes a scan, and a scan's
results are stored once. A database that drops its connections mid-scan is retried; when it stays
away the scan goes back to the queue (ReturnToQueue), with the reason.
"""

from __future__ import annotations

import time

import structlog
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

import scoring
from app.waivers.store import dashboard_waivers, factor_fields, finding_fields, stamp, waivers_key
from scoring import Limits, Report

from . import broker, claims, gitclone, queues
from .claims import Claim
from .models import FactorResult, Finding, Repository, Scan, Team
from .refs import check_branch, check_commit
from .text import printable
from .urlguard import check_clone_url
from .workdirs import scan_workdir

log = structlog.get_logger(__name__)
RUN_SCAN_TASK = "factorcard.run_scan"  # tasks.py registers it under this name
CONNECTION_ERRORS = (OperationalError, InterfaceError)  # the database went away; worth another try


class ReturnToQueue(Exception):
    """The scan could not go on here (the database is unreachable): send it again later."""

    def __init__(self, scan_id: int, attempt: int | None, reason: str):
        super().__init__(reason)
        self.scan_id, self.attempt, self.reason = scan_id, attempt, reason


def add_repository(team: Team, url: str, *, branch: str = "", is_public: bool = False) -> tuple[Repository, Scan]:
    """Validate the URL (ValidationError on bad input), create the repository and queue its first scan."""
    checked = check_clone_url(url)
    branch = check_branch(branch)
    with transaction.atomic():
        repo, _ = Repository.objects.get_or_create(
            team=team,
            clone_url=checked.url,
            defaults={"name": checked.name, "default_branch": branch, "is_public": is_public},
        )
        scan = request_scan(repo, Scan.MANUAL)
    return repo, scan


def request_scan(repo: Repository, trigger: str, *, branch: str = "", commit: str = "") -> Scan:
    """Record a scan and send it once the caller's transaction commits, on the trigger's queue.

    Raises ValidationError for a malformed branch or commit (a webhook's payload is hostile input).
    """
    branch, commit = check_branch(branch), check_commit(commit)
    scan = Scan.objects.create(
        repository=repo, trigger=trigger, branch=branch or repo.default_branch, requested_commit=commit
    )
    queue = queues.for_trigger(trigger)
    transaction.on_commit(lambda: enqueue(scan.pk, queue))
    log.info("scan_requested", scan_id=scan.pk, repository=repo.slug, trigger=trigger, queue=queue)
    return scan


def enqueue(scan_id: int, queue: str = queues.INTERACTIVE) -> bool:
    """Hand a scan to the broker. False when the broker is unreachable: the sweep will try again.

    No retries (kombu would otherwise retry for the connect timeout, twice: 6 s per request with the
    broker down); a refused connection fails in milliseconds, an unanswered one after
    BROKER_CONNECT_TIMEOUT. The connection is kept between scans (broker.py).
    """
    try:
        broker.send(RUN_SCAN_TASK, [scan_id], queue=queue)
    except Exception as exc:  # kombu raises OperationalError and socket errors; none may fail the request
        log.warning("enqueue_failed", scan_id=scan_id, error=type(exc).__name__)
        return False
    Scan.objects.filter(pk=scan_id).update(enqueued_at=timezone.now())
    return True


def run_scan(scan_id: int, released: int | None = None) -> None:
    """Run one delivery of a scan. `released` names an attempt that gave the scan back (ReturnToQueue)."""
    attempt = None
    structlog.contextvars.bind_contextvars(scan_id=scan_id)
    try:
        claim = claims.claim(scan_id, released)
        if claim is None:
            return
        attempt = claim.attempt
        with claims.heartbeat(claim), scan_workdir() as workdir:
            _clone_score_store(claim, workdir)
    except CONNECTION_ERRORS as exc:
        raise _return_to_queue(scan_id, attempt, exc) from exc
    finally:
        structlog.contextvars.unbind_contextvars("scan_id")


def _clone_score_store(claim: Claim, workdir: str) -> None:
    scan = claim.scan
    try:
        checked = check_clone_url(scan.repository.clone_url)  # again: DNS may have changed since
        cloned = clone_repository(checked.url, workdir, scan.branch, commit=scan.requested_commit)
    except Exception as exc:  # a clone that fails for any reason ends the scan with that reason
        _fail(claim, _reason(exc))
        return
    if not claims.change(
        claim,
        state=Scan.SCORING,
        scoring_at=timezone.now(),
        commit_sha=cloned.commit,
        branch=cloned.branch or scan.branch,
    ):
        log.info("scan_superseded", attempt=claim.attempt)
        return
    log.info("scan_cloned", commit=cloned.commit)
    try:
        report = scoring.score_path(
            cloned.path, Limits(deadline_s=settings.FACTORCARD["SCAN_TIMEOUT"]), waivers=dashboard_waivers(scan.repository)
        )
    except Exception as exc:
        log.exception("engine_error")
        _fail(claim, f"The scoring engine failed on this repository ({type(exc).__name__}).")
        return
    store_with_retry(claim, report)


def clone_repository(url: str, workdir: str, branch: str = "", *, commit: str = "") -> gitclone.Cloned:
    """A bounded clone of an already checked URL (at `commit` when given), with this deploy's limits."""
    cfg = settings.FACTORCARD
    return gitclone.clone(url, workdir, branch=branch, commit=commit, timeout=cfg["CLONE_TIMEOUT"], max_bytes=cfg["CLONE_MAX_BYTES"],
                          allow_local=bool(cfg["ALLOW_LOCAL_REPOSITORIES"] or cfg["ALLOW_PRIVATE_HOSTS"]
                                           or (url.startswith("file://") and cfg.get("LOCAL_REPOSITORY_ROOT"))))


def _reason(exc: Exception) -> str:
    if isinstance(exc, gitclone.CloneError):
        return str(exc)
    messages = getattr(exc, "messages", None)  # ValidationError from the URL guard
    if messages:
        return " ".join(messages)
    return f"The scan failed unexpectedly ({type(exc).__name__})."


def _fail(claim: Claim, reason: str) -> None:
    reason = printable(reason)  # git's output may hold a NUL, which PostgreSQL refuses
    if claims.change(claim, state=Scan.FAILED, error=reason, finished_at=timezone.now()):
        log.warning("scan_failed", reason=reason)


def _return_to_queue(scan_id: int, attempt: int | None, exc: Exception) -> ReturnToQueue:
    reason = f"Returned to the queue: the database was unreachable ({type(exc).__name__})."
    log.warning("scan_returned_to_queue", scan_id=scan_id, attempt=attempt, error=str(exc)[:300])
    connection.close()
    try:  # tell whoever looks, if the database is back already
        if attempt is not None:
            Scan.objects.filter(pk=scan_id, attempts=attempt).exclude(state__in=Scan.FINAL_STATES).update(error=reason)
    except CONNECTION_ERRORS:
        connection.close()
    return ReturnToQueue(scan_id, attempt, reason)


def store_with_retry(claim: Claim, report: Report) -> Scan | None:
    """store_report(), tried again on a dropped connection (a restart, pg_terminate_backend) for
    STORE_RETRY_FOR seconds; the transaction makes each try all or nothing."""
    deadline = time.monotonic() + settings.FACTORCARD["STORE_RETRY_FOR"]
    delay = 0.25
    while True:
        try:
            return store_report(claim.scan_id, report, attempt=claim.attempt)
        except CONNECTION_ERRORS as exc:
            connection.close()  # the next query opens a new connection
            if time.monotonic() + delay > deadline:
                raise
            log.warning("store_retry", error=type(exc).__name__, retry_in_s=delay)
            time.sleep(delay)
            delay = min(delay * 2, 4.0)


def store_report(scan_id: int, report: Report, *, attempt: int | None = None) -> Scan | None:
    """Write every result of the scan in one transaction. Nothing is written for a scan that is
    final, already has results, or (given `attempt`) was taken over by another attempt."""
    with transaction.atomic():
        scan = Scan.objects.select_for_update().select_related("repository").get(pk=scan_id)
        if scan.is_final or (attempt is not None and scan.attempts != attempt) or scan.factor_results.exists():
            log.info("store_skipped", scan_id=scan_id, state=scan.state, attempt=attempt, holder_attempt=scan.attempts)
            return None
        repo = scan.repository
        commit = report.commit or scan.commit_sha
        key = waivers_key(report)
        earlier = (
            Scan.objects.filter(
                repository=repo,
                commit_sha=commit,
                engine_version=report.engine_version,
                state=Scan.DONE,
                reused_from__isnull=True,
                waivers_key=key,
            )
            .exclude(pk=scan.pk)
            .exclude(commit_sha="")
            .order_by("pk")
            .first()
        )
        scan.commit_sha = commit
        scan.engine_version = report.engine_version
        scan.state, scan.finished_at = Scan.DONE, timezone.now()
        if earlier is not None:
            scan.reused_from, scan.score = earlier, earlier.score
            scan.kind, scan.kind_reasons, scan.stats = earlier.kind, earlier.kind_reasons, earlier.stats
        else:
            scan.score = report.score
            scan.kind, scan.kind_reasons = report.kind.value, [printable(r) for r in report.kind_reasons]
            scan.stats = report.stats.to_dict()
            _write_results(scan, report)
        stamp(scan, report, key)
        scan.save()
        Repository.objects.filter(pk=repo.pk).update(latest_scan=scan)
    log.info("scan_stored", scan_id=scan.pk, score=scan.score, reused=earlier is not None)
    return scan


def _write_results(scan: Scan, report: Report) -> None:
    results = FactorResult.objects.bulk_create(
        FactorResult(scan=scan, repository_id=scan.repository_id, factor=f.number, factor_id=f.id, name=f.name,
                     score=f.score, status=f.status.value, summary=printable(f.summary), **factor_fields(f))
        for f in report.factors
    )
    Finding.objects.bulk_create(
        Finding(factor_result=result, check_id=x.check, severity=x.severity.value, path=printable(x.path or ""),
                line=x.line, message=printable(x.message), remediation=printable(x.remediation),
                snippet=printable(x.snippet), fingerprint=x.fingerprint, **finding_fields(x))
        for result, factor in zip(results, report.factors, strict=True)
        for x in factor.findings
    )


def rescore_all(trigger: str = Scan.SCHEDULE) -> int:
    count = 0
    for repo in Repository.objects.all().iterator():
        with transaction.atomic():
            request_scan(repo, trigger)
        count += 1
    return count
