"""Recording and revoking waivers (the views call these; the next scan applies them)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from app.web.models import Finding, Repository

from .models import Waiver, today


def latest_finding(repo: Repository, fingerprint: str) -> Finding | None:
    """A violation with this fingerprint in the repository's latest scored scan."""
    scan = repo.latest_scan
    if scan is None or not fingerprint:
        return None
    return (
        Finding.objects.filter(factor_result__scan_id=scan.reused_from_id or scan.pk, fingerprint=fingerprint)
        .exclude(severity="info")
        .select_related("factor_result")
        .first()
    )


def record(repo: Repository, finding: Finding, user, reason: str, expires_on: date) -> tuple[Waiver, bool]:
    """Waive a finding; (the live waiver it already had, False) on a second click or a race."""
    with transaction.atomic():
        Repository.objects.select_for_update().filter(pk=repo.pk).first()  # one writer per repository
        live = Waiver.objects.live(today()).filter(repository=repo, fingerprint=finding.fingerprint).first()
        if live is not None:
            return live, False
        waiver = Waiver.objects.create(
            repository=repo,
            fingerprint=finding.fingerprint,
            check_id=finding.check_id,
            path=finding.path,
            message=finding.message,
            reason=reason,
            expires_on=expires_on,
            created_by=user,
        )
    return waiver, True


def revoke(waiver: Waiver, user) -> bool:
    """False when it was already revoked."""
    return bool(
        Waiver.objects.filter(pk=waiver.pk, revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_by=user)
    )
