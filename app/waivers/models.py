"""Waivers recorded on the dashboard: a team's answer to one finding, with a reason and an expiry.

A waiver names its finding by fingerprint (check, path, message and snippet, not the line number), so
it follows the finding across rescans and moved lines, and it is applied by the engine at the next
scan (app/waivers/store.py). It is never edited: it expires, or someone revokes it, and both are kept.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from app.web.models import Repository

MAX_DAYS = 365  # a waiver lasts at most a year
DEFAULT_DAYS = 90
SOON_DAYS = 14  # "expires soon": listed on the repository page and in the weekly report


def today() -> date:
    return timezone.now().date()  # UTC, as the engine's


class WaiverQuerySet(models.QuerySet):
    def live(self, on: date | None = None) -> WaiverQuerySet:
        """Not revoked and not yet expired: what the next scan applies."""
        return self.filter(revoked_at__isnull=True, expires_on__gt=on or today())


class Waiver(models.Model):
    ACTIVE, EXPIRED, REVOKED = "active", "expired", "revoked"

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="waivers")
    fingerprint = models.CharField(max_length=40)
    check_id = models.CharField(max_length=100)
    path = models.CharField(max_length=1024, blank=True)
    message = models.TextField(blank=True)  # the finding as it read when it was waived
    reason = models.TextField()
    expires_on = models.DateField()  # the first day it no longer applies
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = WaiverQuerySet.as_manager()

    class Meta:
        indexes = [
            # a repository's live waivers (each scan), its Waivers page, the expiring ones of a team
            models.Index(
                fields=["repository", "expires_on"], name="waiver_repo_expiry", condition=Q(revoked_at__isnull=True)
            ),
            # is this finding already waived?
            models.Index(fields=["repository", "fingerprint"], name="waiver_repo_fingerprint"),
        ]

    def __str__(self) -> str:
        return f"{self.check_id} {self.path} until {self.expires_on}"

    @property
    def author(self) -> str:
        return self.created_by.get_username() if self.created_by else "a deleted user"

    def state(self, on: date | None = None) -> str:
        if self.revoked_at is not None:
            return self.REVOKED
        return self.ACTIVE if (on or today()) < self.expires_on else self.EXPIRED

    def days_left(self, on: date | None = None) -> int:
        return (self.expires_on - (on or today())).days

    def expires_soon(self, on: date | None = None) -> bool:
        return self.state(on) == self.ACTIVE and self.days_left(on) <= SOON_DAYS


def latest_allowed(on: date | None = None) -> date:
    return (on or today()) + timedelta(days=MAX_DAYS)
