"""Sending through a real SMTP server on loopback (aiosmtpd, configured through EMAIL_URL): the MIME structure,
subject, recipients and headers; exactly one email per recipient however often the report is sent; per-recipient
retries with backoff, moved through time with time-machine."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.db import connection

from app.reports import send
from app.reports.models import Delivery, OptOut, ReportSettings, WeeklyReport
from app.reports.weeks import Week

from . import story
from .story import NOW

pytestmark = pytest.mark.django_db
W48 = Week(2026, 48)


@pytest.fixture
def people(team, member, django_user_model):
    """alice (a member), bob (a member who is also in another team), an inactive member, a member with no
    address, and two extra addresses, one of them alice's again in capitals."""
    member.email = "alice@example.com"
    member.save()
    bob = django_user_model.objects.create_user("bob", email="Bob@Example.com")
    gone = django_user_model.objects.create_user("gone", email="gone@example.com", is_active=False)
    silent = django_user_model.objects.create_user("silent", email="")
    team.members.add(bob, gone, silent)
    ReportSettings.objects.create(team=team, extra_recipients=["leads@example.com", "ALICE@example.com"])
    return {"alice": member, "bob": bob}


def test_it_sends_one_multipart_email_to_each_recipient(team, people, smtp, site, monday):
    story.story(team)
    assert send.send_week(team.pk, "2026-W48") is None  # nothing left to retry
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == ["alice@example.com", "bob@example.com", "leads@example.com"]
    assert all(len(r.rcpt_tos) == 1 for r in smtp.received)  # each their own: the opt-out link is personal
    received = smtp.to("bob@example.com")[0]
    message = received.message
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in message.iter_parts())
    assert message["Subject"] == "Platform: 72 (+3) — 1 regression, 2 fixes"
    assert message["From"] == "Factorcard <reports@factorcard.example.com>" == f"Factorcard <{received.mail_from}>"
    assert message["To"] == "bob@example.com"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Id"] == "Weekly report <platform.reports.factorcard.example.com>"
    assert re.fullmatch(r"<report-\d+-\d+@factorcard\.example\.com>", message["Message-ID"])
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = received.header("List-Unsubscribe").strip("<>")
    assert link.startswith(f"{site}/reports/unsubscribe/")
    assert link in received.part("text/plain") and f'href="{link}"' in received.part("text/html")


def test_the_html_is_inline_styled_and_fetches_nothing(team, people, smtp, site, monday):
    story.story(team)
    send.send_week(team.pk, "2026-W48")
    html = smtp.received[0].part("text/html")
    assert 'style="' in html and "<table" in html
    for remote in ("<script", "<img", "<link", "<iframe", "src=", "url(", "@import", "javascript:"):
        assert remote not in html.lower()
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert styles and all(s.strip().startswith("@media") for s in styles)  # only what cannot be inlined
    hosts = {urlsplit(u).hostname for u in re.findall(r'href="([^"]+)"', html)}
    assert hosts == {"factorcard.example.com", "github.com"}  # scorecards, comparisons, files at a commit


def test_the_links_are_absolute_and_point_at_the_scorecard_and_the_comparison(team, people, smtp, site, monday):
    repos = story.story(team)
    send.send_week(team.pk, "2026-W48")
    text = smtp.received[0].part("text/plain")
    api = repos["api-gateway"]
    week_ago, latest = api.scans.order_by("queued_at")[1:]
    assert f"Scorecard: {site}/repositories/{api.slug}/\n" in text
    assert f"Compared with last week: {site}/repositories/{api.slug}/compare/?a={week_ago.pk}&b={latest.pk}\n" in text
    html = smtp.received[0].part("text/html")
    compare = f'href="{site}/repositories/{api.slug}/compare/?a={week_ago.pk}&amp;b={latest.pk}"'
    assert html.count(compare) == 2  # on the regression, and on its change in the table
    assert html.count(f'href="{site}/repositories/{api.slug}/"') == 2  # its name, there and in the table


def test_a_second_firing_sends_nothing_more(team, people, smtp, site, monday):
    story.story(team)
    send.send_week(team.pk, "2026-W48")
    send.send_week(team.pk, "2026-W48")
    monday.shift(timedelta(hours=3))
    send.send_week(team.pk, "2026-W48")  # a task retried hours later
    assert len(smtp.received) == 3
    report = WeeklyReport.objects.get()
    assert report.completed_at is not None
    assert [(d.address, d.state, d.attempts) for d in report.deliveries.all()] == [
        ("alice@example.com", "sent", 1),
        ("bob@example.com", "sent", 1),
        ("leads@example.com", "sent", 1),
    ]
    assert report.subject == smtp.received[0].message["Subject"]  # the archive keeps what was sent


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_one_email_per_recipient(team, people, smtp, site):
    """Two threads, each with its own database connection, prepare and deliver the same report at the same
    moment (the SMTP server holds each message 0.3 s, so that both are sending at once)."""
    with time_machine.travel(NOW, tick=True):
        story.story(team)
        smtp.delay = 0.3
        start, errors = threading.Barrier(2), []

        def run():
            try:
                start.wait()
                send.send_week(team.pk, "2026-W48")
            except Exception as exc:  # shown below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert errors == []
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == ["alice@example.com", "bob@example.com", "leads@example.com"]
    assert WeeklyReport.objects.count() == 1 and Delivery.objects.filter(state="sent").count() == 3


def test_a_member_of_two_teams_gets_one_email_per_team(team, other_team, people, smtp, site, monday):
    other_team.members.add(people["bob"])
    story.story(team)
    story.scan(story.repository(other_team, "ledger", NOW - timedelta(days=30)), 55, NOW - timedelta(days=1))
    for t in (team, other_team):
        send.send_week(t.pk, "2026-W48")
    subjects = sorted(r.message["Subject"] for r in smtp.to("bob@example.com"))
    assert subjects == ["Payments: 55 — no regressions, no fixes", "Platform: 72 (+3) — 1 regression, 2 fixes"]


def test_a_refused_recipient_is_retried_alone_with_backoff(team, people, smtp, site, monday, settings):
    settings.REPORTS = {**settings.REPORTS, "RETRY_BASE": 60.0, "SEND_ATTEMPTS": 3}
    story.story(team)
    smtp.refuse["bob@example.com"] = ["451 4.3.0 Try again later", "452 4.2.2 Mailbox full"]
    assert send.send_week(team.pk, "2026-W48") == 60.0  # seconds until bob's second attempt
    bob = Delivery.objects.get(address="bob@example.com")
    assert (bob.state, bob.attempts) == ("pending", 1) and "451" in bob.error
    assert len(smtp.received) == 2  # alice and leads were not held back
    monday.shift(timedelta(seconds=30))
    assert send.send_week(team.pk, "2026-W48") == 30.0  # not due yet: nothing is sent
    assert len(smtp.received) == 2
    monday.shift(timedelta(seconds=30))
    assert send.send_week(team.pk, "2026-W48") == 120.0  # the second attempt failed too: twice as long
    monday.shift(timedelta(seconds=120))
    assert send.send_week(team.pk, "2026-W48") is None
    bob.refresh_from_db()
    assert (bob.state, bob.attempts, bob.error) == ("sent", 3, "")
    assert [r.rcpt_tos for r in smtp.received].count(["bob@example.com"]) == 1


def test_a_permanent_refusal_is_not_retried(team, people, smtp, site, monday):
    story.story(team)
    smtp.refuse["leads@example.com"] = ["550 5.1.1 No such user"]
    assert send.send_week(team.pk, "2026-W48") is None
    leads = Delivery.objects.get(address="leads@example.com")
    assert (leads.state, leads.attempts) == ("failed", 1) and "550" in leads.error
    assert WeeklyReport.objects.get().completed_at is not None


def test_a_server_that_is_down_is_retried_and_then_given_up(team, people, site, monday, settings):
    settings.EMAIL_PORT, settings.EMAIL_HOST = 9, "127.0.0.1"  # discard: nothing listens
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.REPORTS = {**settings.REPORTS, "SEND_ATTEMPTS": 2, "RETRY_BASE": 10.0}
    story.story(team)
    assert send.send_week(team.pk, "2026-W48") == 10.0
    monday.shift(timedelta(seconds=10))
    assert send.send_week(team.pk, "2026-W48") is None
    assert set(Delivery.objects.values_list("state", "attempts")) == {("failed", 2)}
    assert "ConnectionRefusedError" in Delivery.objects.first().error


def test_a_delivery_left_sending_by_a_dead_worker_is_sent_after_its_lease(team, people, smtp, site, monday):
    story.story(team)
    report = send.prepare(team, W48)
    Delivery.objects.filter(address="bob@example.com").update(state="sending", claimed_at=NOW, attempts=1)
    assert send.deliver(report) == 600.0  # the other two went; bob's may still be in flight elsewhere
    assert len(smtp.received) == 2
    monday.shift(timedelta(seconds=601))
    assert send.deliver(report) is None
    assert [r.rcpt_tos for r in smtp.received].count(["bob@example.com"]) == 1


def test_an_address_that_opted_out_is_skipped(team, people, smtp, site, monday):
    story.story(team)
    OptOut.objects.create(team=team, address="leads@example.com", via="link")
    report = send.prepare(team, W48)
    assert sorted(report.deliveries.values_list("address", flat=True)) == ["alice@example.com", "bob@example.com"]
    OptOut.objects.create(team=team, address="bob@example.com", via="one-click")  # after the report was made
    send.deliver(report)
    assert [r.rcpt_tos for r in smtp.received] == [["alice@example.com"]]
    assert Delivery.objects.get(address="bob@example.com").state == "skipped"


def test_a_team_with_no_repositories_gets_no_email(team, people, smtp, site, monday):
    assert send.send_week(team.pk, "2026-W48") is None
    report = WeeklyReport.objects.get()
    assert smtp.received == [] and report.deliveries.count() == 0
    assert report.note == send.NO_REPOSITORIES and report.completed_at is not None
    assert report.subject == "Platform: no repositories yet"


def test_a_team_with_nobody_to_send_to_records_why(team, smtp, site, monday):
    story.story(team)
    send.send_week(team.pk, "2026-W48")
    assert smtp.received == [] and WeeklyReport.objects.get().note == send.NOBODY


def test_very_long_names_keep_the_subject_short(team, people, smtp, site, monday):
    team.name = "The Platform and Infrastructure Reliability Engineering Group of the Northern Region " * 2
    team.name = team.name[:100]
    team.save()
    story.story(team)
    long_name = "a-repository-with-a-name-that-goes-on-" * 5
    story.scan(story.repository(team, long_name[:200], NOW - timedelta(days=30)), 12, NOW - timedelta(days=1))
    send.send_week(team.pk, "2026-W48")
    subject = smtp.received[0].header("Subject")
    assert subject.startswith("The Platform and Infrastructure Reliability Engineering Gro…: ")
    assert len(subject) < 110
    assert long_name[:200] in smtp.received[0].part("text/html")  # whole, wrapped by the client
