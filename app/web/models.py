"""Teams, repositories, scans and their results.

Results are append-only: a scan's factor results and findings are written once, in one
transaction, and never edited; a rescan adds rows. A repository's per-factor history is the series
of its FactorResult rows, and `Repository.latest_scan` makes a team's list page one query.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify


def new_webhook_secret() -> str:
    return secrets.token_urlsafe(32)


class Team(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teams", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class Repository(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="repositories")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    clone_url = models.CharField(max_length=2048)
    default_branch = models.CharField(max_length=255, blank=True)
    webhook_secret = models.CharField(max_length=64, default=new_webhook_secret)
    is_public = models.BooleanField(default=False, help_text="Show the score badge to anyone.")
    created_at = models.DateTimeField(default=timezone.now)
    latest_scan = models.ForeignKey("Scan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name_plural = "repositories"
        constraints = [models.UniqueConstraint(fields=["team", "clone_url"], name="repository_unique_url_per_team")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("repository", args=[self.slug])

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(f"{self.team.slug}-{self.name.replace('/', '-')}")  # owner/name: owner-name
        super().save(*args, **kwargs)


def unique_slug(base: str) -> str:
    base = slugify(base)[:200] or "repository"
    slug, n = base, 1
    while Repository.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class Scan(models.Model):
    QUEUED, CLONING, SCORING, DONE, FAILED = "queued", "cloning", "scoring", "done", "failed"
    SUPERSEDED = "superseded"  # a queued webhook scan replaced by a newer push before it started; not a failure
    STATES = [(s, s) for s in (QUEUED, CLONING, SCORING, DONE, FAILED, SUPERSEDED)]
    FINAL_STATES = (DONE, FAILED, SUPERSEDED)
    RUNNING_STATES = (CLONING, SCORING)
    MANUAL, WEBHOOK, SCHEDULE = "manual", "webhook", "schedule"
    TRIGGERS = [(t, t) for t in (MANUAL, WEBHOOK, SCHEDULE)]

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="scans")
    trigger = models.CharField(max_length=16, choices=TRIGGERS, default=MANUAL)
    branch = models.CharField(max_length=255, blank=True)
    requested_commit = models.CharField(max_length=40, blank=True)  # a webhook's pushed commit
    commit_sha = models.CharField(max_length=40, blank=True)
    state = models.CharField(max_length=16, choices=STATES, default=QUEUED)
    error = models.TextField(blank=True)  # why it failed; `state` says where it is
    engine_version = models.CharField(max_length=32, blank=True)
    score = models.FloatField(null=True, blank=True)
    kind = models.CharField(max_length=32, blank=True)
    kind_reasons = models.JSONField(default=list, blank=True)
    stats = models.JSONField(default=dict, blank=True)
    # Same commit, same engine: the result of that earlier scan is reused, not stored twice.
    reused_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    attempts = models.PositiveSmallIntegerField(default=0)  # claims so far; the latest one owns the scan
    claimed_by = models.CharField(max_length=255, blank=True)  # "host pid" of the process running that attempt
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # that process's last sign of life
    queued_at = models.DateTimeField(default=timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)  # last time the task was handed to the broker
    cloning_at = models.DateTimeField(null=True, blank=True)
    scoring_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Waivers (app/waivers): the score without them, the findings they covered, the repository's
    # .factorcard.yml as read and every waiver considered; a rescan of the same commit reuses earlier
    # results only when `waivers_key` (a digest of those) is the same. Database defaults: rows written
    # by SQL that predates these columns (bulk loads, an older release during a deploy) stay valid.
    unwaived_score = models.FloatField(null=True, blank=True)
    waived = models.PositiveIntegerField(default=0, db_default=0)
    waivers_key = models.CharField(max_length=64, blank=True, default="", db_default="")
    config = models.JSONField(null=True, blank=True)  # report["config"]
    waivers_applied = models.JSONField(null=True, blank=True)  # report["waivers"]

    class Meta:
        indexes = [
            # a repository's scans, newest first (history, comparison, trends)
            models.Index(fields=["repository", "-queued_at"], name="scan_repo_recent"),
            # the sweep: scans not yet final, oldest first
            models.Index(fields=["state", "queued_at"], name="scan_state_age"),
            # idempotency: an earlier result for the same commit and engine
            models.Index(fields=["repository", "commit_sha", "engine_version"], name="scan_same_commit"),
            # webhooks: a scan already requested for a pushed commit (only scans that name one are indexed)
            models.Index(fields=["repository", "requested_commit"], name="scan_requested_commit",
                         condition=~models.Q(requested_commit="")),
        ]

    def __str__(self) -> str:
        return f"{self.repository} #{self.pk} ({self.state})"

    @property
    def is_final(self) -> bool:
        return self.state in self.FINAL_STATES

    @property
    def short_sha(self) -> str:
        return self.commit_sha[:8]

    @property
    def unwaived_differs(self) -> bool:
        return self.unwaived_score is not None and self.unwaived_score != self.score

    @property
    def result_scan(self) -> Scan:
        """The scan whose stored results this one shows (itself, or the identical earlier one)."""
        return self.reused_from or self


class FactorResult(models.Model):
    PASS, WARN, FAIL, NA = "pass", "warn", "fail", "na"
    STATUSES = [(s, s) for s in (PASS, WARN, FAIL, NA)]

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="factor_results")
    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="+")
    factor = models.PositiveSmallIntegerField()  # 1..12
    factor_id = models.CharField(max_length=32)
    name = models.CharField(max_length=64)
    score = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=STATUSES)
    summary = models.TextField(blank=True)
    waived = models.PositiveSmallIntegerField(default=0, db_default=0)
    unwaived_status = models.CharField(max_length=8, blank=True, default="", db_default="")  # "": before waivers
    unwaived_score = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["factor"]
        constraints = [models.UniqueConstraint(fields=["scan", "factor"], name="factor_result_once_per_scan")]
        indexes = [
            # per-factor history of a repository: one index range scan
            models.Index(fields=["repository", "factor", "scan"], name="factor_history"),
        ]

    def __str__(self) -> str:
        return f"{self.scan_id}/{self.factor}: {self.status}"

    @property
    def unwaived_differs(self) -> bool:
        return bool(self.unwaived_status) and (self.unwaived_status, self.unwaived_score) != (self.status, self.score)


class Finding(models.Model):
    SEVERITIES = [(s, s) for s in ("critical", "high", "medium", "low", "info")]

    factor_result = models.ForeignKey(FactorResult, on_delete=models.CASCADE, related_name="findings")
    check_id = models.CharField(max_length=100)
    severity = models.CharField(max_length=8, choices=SEVERITIES)
    path = models.CharField(max_length=1024, blank=True)
    line = models.PositiveIntegerField(null=True, blank=True)
    message = models.TextField()
    remediation = models.TextField(blank=True)
    snippet = models.TextField(blank=True)  # redacted by the engine before it ever reaches us
    fingerprint = models.CharField(max_length=40)
    # The waiver that covered it ({"id", "source", "reason", "expires", "by", "severity"}): listed, not counted.
    waiver = models.JSONField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["fingerprint"], name="finding_fingerprint")]

    def __str__(self) -> str:
        return f"{self.check_id} {self.path}:{self.line}"

    @property
    def is_evidence(self) -> bool:
        return self.severity == "info"
