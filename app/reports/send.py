"""Send a team's weekly report once: the report row and its deliveries first, then each email, retried alone.

prepare() builds and renders the report and writes it, with one Delivery per recipient, in one
transaction; the unique (team, week) constraint makes a second firing, a retried task or a second worker
use the row that is there instead. deliver() claims each due delivery with a conditional UPDATE (pending
and due, or claimed so long ago that its worker must have died) and sends it; a failure is recorded on
that delivery and retried later with exponential backoff, up to REPORTS["SEND_ATTEMPTS"] attempts, or
never for a permanent SMTP refusal (5xx). A worker killed between the SMTP server's "250 OK" and our
UPDATE leaves the delivery "sending"; it is sent again after REPORTS["SEND_LEASE"] seconds with the same
Message-ID, so the one window for a duplicate is that one, and a mail client can tell the copies apart.
"""

from __future__ import annotations

import smtplib
from dataclasses import asdict
from datetime import datetime, timedelta

import structlog
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from app.web.models import Repository, Team
from app.web.text import printable

from . import build, render
from .links import mail_domain
from .models import Delivery, WeeklyReport, settings_of
from .recipients import is_opted_out, recipients_of, unsubscribe_url
from .weeks import Week, as_of, default_week

log = structlog.get_logger(__name__)
NO_REPOSITORIES = "The team had no repositories: nothing to report, so nothing was sent."
NOBODY = "Nobody to send it to: no member has an email address, and no extra address is set (or all opted out)."


def send_week(team_id: int, week: str) -> float | None:
    """Prepare and deliver one team's report; seconds until a retry is due, or None when all are final."""
    team = Team.objects.filter(pk=team_id).first()
    if team is None:  # deleted since the task was queued
        return None
    return deliver(prepare(team, Week.parse(week)))


def prepare(team: Team, week: Week, now: datetime | None = None) -> WeeklyReport:
    """The team's report for `week`: the one already recorded, or a new one with its deliveries."""
    existing = WeeklyReport.objects.filter(team=team, week=str(week)).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    data, rendered = compose(team, week, now)
    people = recipients_of(team) if data.table else []
    note = "" if people else NOBODY if data.table else NO_REPOSITORIES
    try:
        with transaction.atomic():
            report = WeeklyReport.objects.create(
                team=team,
                week=str(week),
                time_zone=data.time_zone,
                as_of=data.as_of,
                subject=rendered.subject,
                text=rendered.text,
                html=rendered.html,
                data=asdict(data),
                note=note,
                completed_at=None if people else now,
            )
            Delivery.objects.bulk_create(
                Delivery(report=report, address=p.address, user_id=p.user_id, next_attempt_at=now) for p in people
            )
    except IntegrityError:  # another worker recorded it first: theirs is the report
        return WeeklyReport.objects.get(team=team, week=str(week))
    log.info("report_prepared", report_id=report.pk, team=team.slug, week=str(week), recipients=len(people))
    return report


def compose(team: Team, week: Week, now: datetime) -> tuple[build.ReportData, render.Rendered]:
    """The report as it would be sent at `now` (ValueError for a week not begun yet): nothing is saved."""
    zone = settings_of(team).zone
    moment = as_of(week, zone, now)
    data = build.build(team, week, moment, zone, removed=removed_since_last(team, week, moment))
    return data, render.render(data)


def preview(team: Team, now: datetime | None = None) -> tuple[Week, render.Rendered, WeeklyReport | None]:
    """What the schedule would send the team now: the report of the week it would pick, as recorded if it
    was already sent, else built now."""
    now = now or timezone.now()
    week = default_week(now, settings_of(team).zone)
    report = WeeklyReport.objects.filter(team=team, week=str(week)).first()
    if report is not None:
        return week, render.Rendered(report.subject, report.text, report.html), report
    return week, compose(team, week, now)[1], None


def removed_since_last(team: Team, week: Week, moment: datetime) -> list[str]:
    """Names of the repositories the team's previous report listed that it no longer has."""
    previous = WeeklyReport.objects.filter(team=team, week__lt=str(week)).order_by("-week").first()
    if previous is None:
        return []
    current = set(Repository.objects.filter(team=team, created_at__lte=moment).values_list("slug", flat=True))
    return [row["name"] for row in previous.data.get("table", []) if row["slug"] not in current]


def _due(now: datetime) -> Q:
    lease = timedelta(seconds=settings.REPORTS["SEND_LEASE"])
    return Q(state=Delivery.PENDING, next_attempt_at__lte=now) | Q(state=Delivery.SENDING, claimed_at__lt=now - lease)


def deliver(report: WeeklyReport) -> float | None:
    """Send each delivery of the report that is due; seconds until the next is due, or None when all are final."""
    connection = get_connection()
    try:
        for pk in list(report.deliveries.filter(_due(timezone.now())).values_list("pk", flat=True)):
            delivery = claim(report, pk)
            if delivery is not None:
                send_one(report, delivery, connection)
    finally:
        connection.close()
    return next_due(report)


def claim(report: WeeklyReport, pk: int) -> Delivery | None:
    """The delivery, now ours to send; None when another worker has it, or its address opted out since."""
    now = timezone.now()
    if is_opted_out(report.team_id, Delivery.objects.get(pk=pk).address):
        Delivery.objects.filter(pk=pk, state=Delivery.PENDING).update(
            state=Delivery.SKIPPED, error="The address opted out before it was sent."
        )
        return None
    claimed = Delivery.objects.filter(_due(now), pk=pk).update(
        state=Delivery.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return Delivery.objects.get(pk=pk) if claimed else None


def send_one(report: WeeklyReport, delivery: Delivery, connection) -> bool:
    message = email(report, delivery, connection)
    try:
        connection.open()  # once per deliver(): send_messages then leaves it open for the next message
        if connection.send_messages([message]) != 1:
            raise smtplib.SMTPException("The mail backend did not send the message.")
    except Exception as exc:  # smtplib and socket errors alike: recorded on this delivery, never raised
        connection.close()  # a broken conversation is not reused; the next message opens a new one
        failed(delivery, exc)
        return False
    Delivery.objects.filter(pk=delivery.pk, state=Delivery.SENDING).update(
        state=Delivery.SENT, sent_at=timezone.now(), error="", message_id=message.extra_headers["Message-ID"]
    )
    log.info("report_sent", report_id=report.pk, delivery_id=delivery.pk, attempt=delivery.attempts)
    return True


def email(report: WeeklyReport, delivery: Delivery, connection=None) -> EmailMultiAlternatives:
    """One recipient's copy, with their own unsubscribe link (RFC 8058 one-click as well)."""
    link = unsubscribe_url(report.team, delivery.address)
    domain = mail_domain()
    message = EmailMultiAlternatives(
        subject=report.subject,
        body=render.personalize(report.text, link),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.address],
        connection=connection,
        headers={
            "Message-ID": f"<report-{report.pk}-{delivery.pk}@{domain}>",  # the same on a resend
            "List-Id": f"Weekly report <{report.team.slug}.reports.{domain}>",
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render.personalize(report.html, link), "text/html")
    return message


def failed(delivery: Delivery, exc: Exception) -> None:
    cfg = settings.REPORTS
    permanent = _permanent(exc)
    reason = printable(f"{type(exc).__name__}: {exc}")[:1000]
    if permanent or delivery.attempts >= cfg["SEND_ATTEMPTS"]:
        Delivery.objects.filter(pk=delivery.pk, state=Delivery.SENDING).update(state=Delivery.FAILED, error=reason)
        log.warning("report_send_gave_up", delivery_id=delivery.pk, attempts=delivery.attempts, permanent=permanent)
        return
    wait = min(cfg["RETRY_BASE"] * 2 ** (delivery.attempts - 1), cfg["RETRY_MAX"])
    Delivery.objects.filter(pk=delivery.pk, state=Delivery.SENDING).update(
        state=Delivery.PENDING, error=reason, next_attempt_at=timezone.now() + timedelta(seconds=wait)
    )
    log.warning("report_send_failed", delivery_id=delivery.pk, attempts=delivery.attempts, retry_in=wait)


def _permanent(exc: Exception) -> bool:
    """A 5xx answer: the server will say the same next time (a 4xx or a lost connection may not)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def next_due(report: WeeklyReport) -> float | None:
    """Seconds until a delivery of the report is due again; None (and the report complete) when none can be."""
    now = timezone.now()
    lease = timedelta(seconds=settings.REPORTS["SEND_LEASE"])
    waiting = list(
        report.deliveries.exclude(state__in=Delivery.FINAL_STATES).values_list("state", "next_attempt_at", "claimed_at")
    )
    if not waiting:
        WeeklyReport.objects.filter(pk=report.pk, completed_at__isnull=True).update(completed_at=now)
        return None
    due = min(at if state == Delivery.PENDING else claimed + lease for state, at, claimed in waiting)
    return max(1.0, (due - now).total_seconds())


def due_reports(now: datetime | None = None) -> list[tuple[int, str]]:
    """(team, week) of every team's report due now, and of earlier reports not yet fully sent."""
    now = now or timezone.now()
    due = {(t.pk, str(default_week(now, settings_of(t).zone))) for t in Team.objects.select_related("report_settings")}
    due |= set(WeeklyReport.objects.filter(completed_at__isnull=True).values_list("team_id", "week"))
    return sorted(due)
