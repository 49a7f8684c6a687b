"""A repository's push hook (the unguessable id in its payload URL) and the deliveries it received.

The hook's secret is `Repository.webhook_secret`, kept in full because GitHub, Gitea, Forgejo and
Bitbucket sign with an HMAC that must be recomputed here. It is shown in full once, on the first
visit of the settings page after it was made or rotated (`secret_unseen`), and masked after that.
Deliveries are a bounded log (the newest KEEP_DELIVERIES per repository), so a flood cannot fill
the database.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone

from app.web.models import Repository, Scan

KEEP_DELIVERIES = 200  # per repository; the settings page shows the newest 50


def new_hook_id() -> str:
    return secrets.token_urlsafe(24)  # 192 random bits: the URL cannot be guessed or enumerated


class Hook(models.Model):
    repository = models.OneToOneField(Repository, on_delete=models.CASCADE, related_name="hook")
    token = models.CharField(max_length=64, unique=True, default=new_hook_id)
    secret_unseen = models.BooleanField(default=True)  # show the secret in full at the next visit
    created_at = models.DateTimeField(default=timezone.now)
    rotated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"hook of {self.repository}"


class Delivery(models.Model):
    QUEUED, DUPLICATE, SUPERSEDED, IGNORED, REJECTED = "queued", "duplicate", "superseded", "ignored", "rejected"
    OUTCOMES = [(o, o) for o in (QUEUED, DUPLICATE, SUPERSEDED, IGNORED, REJECTED)]
    ACCEPTED = (QUEUED, DUPLICATE, SUPERSEDED, IGNORED)  # a redelivery of one of these is a duplicate

    repository = models.ForeignKey(
        Repository, on_delete=models.CASCADE, related_name="webhook_deliveries", db_index=False
    )  # served by delivery_repo_recent
    received_at = models.DateTimeField(default=timezone.now)
    provider = models.CharField(max_length=16)
    event = models.CharField(max_length=64, blank=True)
    delivery_id = models.CharField(max_length=100, blank=True)
    branch = models.CharField(max_length=255, blank=True)
    commit = models.CharField(max_length=40, blank=True)
    outcome = models.CharField(max_length=16, choices=OUTCOMES)
    reason = models.CharField(max_length=300, blank=True)
    status_code = models.PositiveSmallIntegerField()
    scan = models.ForeignKey(Scan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name_plural = "deliveries"
        indexes = [
            # a repository's deliveries, newest first: the settings page, replay checks, pruning
            models.Index(fields=["repository", "-id"], name="delivery_repo_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event} → {self.outcome}"

    @property
    def short_sha(self) -> str:
        return self.commit[:8]

    @property
    def tone(self) -> str:
        """The scorecard status whose colour the outcome is shown in."""
        return {self.QUEUED: "pass", self.REJECTED: "fail"}.get(self.outcome, "na")
