"""The weekly report: a team's settings for it, members' opt-outs, and what was sent, once per ISO week.

A WeeklyReport row is created, with one Delivery per recipient, before anything is sent; the unique
(team, week) constraint is what makes a second beat firing, a retried task or a second worker find the
report already there. Each delivery is claimed by a conditional UPDATE before its email goes out, so a
recipient gets one email however many tasks race. The row keeps the subject, text and HTML it sent.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

from app.web.models import Team

from .weeks import Week, zone_named

UNSUBSCRIBE_MARK = "%%UNSUBSCRIBE_URL%%"  # stored content holds this; each recipient's link replaces it


class ReportSettings(models.Model):
    team = models.OneToOneField(Team, on_delete=models.CASCADE, primary_key=True, related_name="report_settings")
    extra_recipients = models.JSONField(default=list, blank=True)  # lower-cased addresses beside the members
    time_zone = models.CharField(max_length=64, default="UTC")  # whose weeks the reports count in

    class Meta:
        verbose_name_plural = "report settings"

    def __str__(self) -> str:
        return f"Report settings of {self.team}"

    @property
    def zone(self) -> ZoneInfo:
        return zone_named(self.time_zone)


def settings_of(team: Team) -> ReportSettings:
    """The team's settings; the defaults (members only, UTC weeks) when none were saved."""
    try:
        return team.report_settings
    except ReportSettings.DoesNotExist:
        return ReportSettings(team=team)


class OptOut(models.Model):
    """An address that no longer gets one team's report (the link in the email, or the settings page).
    Keyed by address, so that an extra address can opt out too, and a member's other teams still send."""

    LINK, ONE_CLICK, DASHBOARD = "link", "one-click", "dashboard"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="report_opt_outs")
    address = models.CharField(max_length=254)  # lower-cased
    via = models.CharField(max_length=16, choices=[(v, v) for v in (LINK, ONE_CLICK, DASHBOARD)])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "address"], name="report_opt_out_once")]

    def __str__(self) -> str:
        return f"{self.address} opted out of {self.team}"


class WeeklyReport(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="weekly_reports")
    week = models.CharField(max_length=8)  # ISO week, "2026-W48": sorts as text
    time_zone = models.CharField(max_length=64)
    as_of = models.DateTimeField()  # the numbers are this moment's; changes are over the 7 days before
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)  # every delivery sent, skipped or given up
    subject = models.TextField()
    text = models.TextField()
    html = models.TextField()
    data = models.JSONField(encoder=DjangoJSONEncoder)  # the built numbers (app/reports/build.py)
    note = models.TextField(blank=True)  # why nothing was sent, when nothing was

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "week"], name="weekly_report_once_per_week")]
        indexes = [
            # the dispatcher: reports whose deliveries are not all final
            models.Index(fields=["created_at"], name="report_unfinished", condition=Q(completed_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.week}"

    @property
    def iso_week(self) -> Week:
        return Week.parse(self.week)


class Delivery(models.Model):
    PENDING, SENDING, SENT, FAILED, SKIPPED = "pending", "sending", "sent", "failed", "skipped"
    STATES = [(s, s) for s in (PENDING, SENDING, SENT, FAILED, SKIPPED)]
    FINAL_STATES = (SENT, FAILED, SKIPPED)

    report = models.ForeignKey(WeeklyReport, on_delete=models.CASCADE, related_name="deliveries")
    address = models.CharField(max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # the member it is for; none for an extra address
    state = models.CharField(max_length=8, choices=STATES, default=PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)  # when a worker began sending it
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)  # the last failure; `state` says where it is

    class Meta:
        ordering = ["address"]
        constraints = [models.UniqueConstraint(fields=["report", "address"], name="delivery_once_per_address")]

    def __str__(self) -> str:
        return f"{self.report} → {self.address} ({self.state})"

    @property
    def is_final(self) -> bool:
        return self.state in self.FINAL_STATES
