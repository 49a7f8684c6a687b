"""Deliveries in: every delivery to a known hook is recorded, and a verified push to the tracked
branch becomes at most one scan per commit.

accept() runs in one transaction holding the repository's row lock, so deliveries for one
repository are decided one after another (a burst of retries cannot race into two scans):
- a delivery id already accepted (a provider's redelivery, a replay) is absorbed as `duplicate`;
- a commit that already has a scan (queued, running, done or superseded) is absorbed too;
- a new commit queues a webhook scan of that commit through `pipeline.request_scan` (handed to the
  broker once the transaction commits; with the broker down the sweep sends it later) and marks
  the repository's older webhook scans that are still queued as `superseded`, so a flood of pushes
  leaves at most one pending scan.
The delivery row and its scan are committed before the view answers: durable before acknowledged
(deliveries that queue nothing are committed without waiting for the disk; see _log_only).
The log is bounded: each repository keeps its newest KEEP_DELIVERIES deliveries.
"""

from __future__ import annotations

import structlog
from django.db import connection, transaction

from app.web import pipeline
from app.web.models import Repository, Scan

from . import providers
from .models import KEEP_DELIVERIES, Delivery, Hook

log = structlog.get_logger(__name__)


def hooked_repository(token: str) -> Repository | None:
    """The repository whose hook has this token (one indexed join, no ORM query compilation)."""
    return next(iter(Repository.objects.raw(_HOOKED, [token])), None)


def accept(repo: Repository, event: providers.Event) -> Delivery:
    with transaction.atomic():
        _lock(repo)
        delivery = Delivery(
            repository=repo, provider=event.provider, event=event.name[:64], delivery_id=event.delivery_id
        )
        _decide(repo, event, delivery)
        if delivery.outcome != Delivery.QUEUED:
            _log_only()
        delivery.save()
        _prune(repo.pk)
    log.info(
        "webhook_delivery",
        repository=repo.slug,
        provider=event.provider,
        delivery_id=event.delivery_id,
        outcome=delivery.outcome,
        scan_id=delivery.scan_id,
        commit=delivery.commit,
    )
    return delivery


def reject(repo: Repository, who: providers.Sender, status: int, reason: str) -> Delivery:
    """Record a refused delivery with its reason, so whoever sets the hook up can see what went wrong."""
    with transaction.atomic():
        _log_only()
        delivery = Delivery.objects.create(
            repository_id=repo.pk,
            provider=who.provider,
            event=who.event[:64],
            delivery_id=who.delivery_id,
            outcome=Delivery.REJECTED,
            status_code=status,
            reason=reason[:300],
        )
        _prune(repo.pk)
    log.info("webhook_rejected", repository=repo.slug, provider=who.provider, delivery_id=who.delivery_id, status=status)
    return delivery


def tracked_branch(repo: Repository, provider_default: str = "") -> str:
    """The repository's chosen branch, else the provider's default branch, else the one last cloned."""
    if repo.default_branch or provider_default:
        return repo.default_branch or provider_default
    return repo.scans.exclude(branch="").order_by("-queued_at").values_list("branch", flat=True).first() or ""


def _decide(repo: Repository, event: providers.Event, d: Delivery) -> None:
    if event.kind == providers.PING:
        return _set(d, Delivery.IGNORED, 200, "Ping: the hook reaches Factorcard and its secret matches.")
    if event.kind == providers.OTHER:
        return _set(d, Delivery.IGNORED, 202, f"A “{event.name[:40]}” event is not a push; only pushes are scanned.")
    branch = tracked_branch(repo, event.default_branch)
    update = next((u for u in event.updates if u.branch == branch), None) if branch else None
    shown = update or event.updates[0]
    d.branch, d.commit = (shown.branch or shown.ref)[:255], "" if shown.deleted else shown.after
    if _seen(repo, event.delivery_id):
        return _set(d, Delivery.DUPLICATE, 202, "This delivery id was received before (a redelivery or a replay).")
    if not branch:
        return _set(d, Delivery.IGNORED, 202, "The tracked branch is not known yet: set the repository's branch.")
    if update is None:
        what = f"Tag push ({shown.ref})" if shown.is_tag else f"Push to {shown.branch or shown.ref}"
        return _set(d, Delivery.IGNORED, 202, f"{what}: only pushes to the tracked branch {branch} are scanned."[:300])
    if update.deleted:
        return _set(d, Delivery.IGNORED, 202, f"The branch {branch} was deleted: nothing to scan.")
    earlier = _scan_of(repo, update.after)
    if earlier is not None:
        d.scan_id = earlier[0]
        return _set(d, Delivery.DUPLICATE, 202, f"Commit {d.short_sha} already has scan #{earlier[0]} ({earlier[1]}).")
    d.scan = pipeline.request_scan(repo, Scan.WEBHOOK, branch=branch, commit=update.after)
    superseded = _supersede(repo, d.scan)
    note = f"; it supersedes {superseded} older queued scan{'s' if superseded > 1 else ''}" if superseded else ""
    _set(d, Delivery.QUEUED, 202, f"Scan #{d.scan.pk} of commit {d.short_sha} is queued{note}.")


def _set(d: Delivery, outcome: str, status: int, reason: str) -> None:
    d.outcome, d.status_code, d.reason = outcome, status, reason


# The lookups and updates of every delivery, as single statements: through the ORM they cost more
# CPU than the rest of the request (bench/webhooks.py measures it).
_HOOKED = f"""SELECT r.* FROM {Repository._meta.db_table} r
    JOIN {Hook._meta.db_table} h ON h.repository_id = r.id WHERE h.token = %s"""
_SEEN = f"""SELECT EXISTS (SELECT 1 FROM {Delivery._meta.db_table}
    WHERE repository_id = %s AND delivery_id = %s AND outcome <> %s)"""
_SCAN_OF = f"""SELECT id, state FROM {Scan._meta.db_table}
    WHERE repository_id = %s AND requested_commit = %s AND state <> %s ORDER BY id DESC LIMIT 1"""
_SUPERSEDE = f"""WITH older AS (
    UPDATE {Scan._meta.db_table} SET state = %s, finished_at = now()
    WHERE repository_id = %s AND trigger = %s AND state = %s AND id <> %s RETURNING id
), marked AS (
    UPDATE {Delivery._meta.db_table} SET outcome = %s, reason = %s
    WHERE scan_id IN (SELECT id FROM older) AND outcome = %s
)
SELECT count(*) FROM older"""


def _seen(repo: Repository, delivery_id: str) -> bool:
    """An earlier delivery with this id was accepted (a refused one may be sent again once fixed)."""
    return _one(_SEEN, [repo.pk, delivery_id, Delivery.REJECTED])[0]


def _scan_of(repo: Repository, commit: str) -> tuple[int, str] | None:
    """The newest scan requested for this commit that did not fail (served by scan_requested_commit)."""
    return _one(_SCAN_OF, [repo.pk, commit, Scan.FAILED])


def _supersede(repo: Repository, newer: Scan) -> int:
    """Older webhook scans of the repository that no worker has claimed yet end as `superseded`, and
    so do the deliveries that queued them.

    A conditional UPDATE: a worker claiming one of them at this moment either got there first (the
    scan is running, and is left alone) or waits for this transaction and finds the scan final.
    """
    reason = f"Superseded by commit {newer.requested_commit[:8]} (scan #{newer.pk}) before it started."
    params = [Scan.SUPERSEDED, repo.pk, Scan.WEBHOOK, Scan.QUEUED, newer.pk,
              Delivery.SUPERSEDED, reason, Delivery.QUEUED]  # fmt: skip
    return _one(_SUPERSEDE, params)[0]


def _one(sql: str, params: list) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _lock(repo: Repository) -> None:
    """Take the repository's row lock: its deliveries are decided one at a time, until commit."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {Repository._meta.db_table} WHERE id = %s FOR UPDATE", [repo.pk])


def _log_only() -> None:
    """This transaction only adds a line to the delivery log (no scan is promised), so its commit need
    not wait for the WAL to reach the disk: a PostgreSQL crash in the next moment could lose the line,
    never an acknowledged scan. A delivery that queues a scan keeps the synchronous commit."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _prune(repository_id: int) -> None:
    """Delete the repository's deliveries older than its newest KEEP_DELIVERIES (one index range scan)."""
    table = Delivery._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE repository_id = %s AND id <= (SELECT id FROM {table}"
            " WHERE repository_id = %s ORDER BY id DESC OFFSET %s LIMIT 1)",
            [repository_id, repository_id, KEEP_DELIVERIES],
        )
