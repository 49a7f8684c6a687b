"""The dashboard's report pages: the preview (exactly what would be sent), the archive of what was sent, the team's
settings and one's own subscription; a member of another team sees none of it, an anonymous visitor signs in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from app.reports import send
from app.reports.models import OptOut, ReportSettings, WeeklyReport

from . import story

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(client, member):
    member.email = "alice@example.com"
    member.save()
    client.force_login(member)
    return member


def test_the_preview_is_exactly_the_email_that_goes_out(client, alice, team, smtp, site, monday):
    story.story(team)
    page = client.get(reverse("reports:preview", args=[team.slug]))
    assert page.status_code == 200
    assert "Platform: 72 (+3) — 1 regression, 2 fixes" in page.content.decode()
    assert b"alice@example.com" in page.content and b"Nothing is sent from this page" in page.content
    html = client.get(reverse("reports:preview_html", args=[team.slug]))
    assert html["X-Frame-Options"] == "SAMEORIGIN"
    assert WeeklyReport.objects.count() == 0 and smtp.received == []  # a preview records and sends nothing
    send.send_week(team.pk, "2026-W48")
    assert smtp.received[0].part("text/html") == html.content.decode()  # byte for byte, alice's own link too
    again = client.get(reverse("reports:preview", args=[team.slug]))
    assert b"Already sent for 2026-W48" in again.content


def test_the_archive_lists_what_was_sent_to_whom(client, alice, team, smtp, site, monday):
    story.story(team)
    send.send_week(team.pk, "2026-W48")
    team_page = client.get(reverse("teams:detail", args=[team.slug]))
    assert f'href="{reverse("reports:archive", args=[team.slug])}"'.encode() in team_page.content
    archive = client.get(reverse("reports:archive", args=[team.slug]))
    assert b"2026-W48" in archive.content and b"1 of 1" in archive.content
    detail = client.get(reverse("reports:report", args=[team.slug, "2026-W48"]))
    assert detail.status_code == 200 and b"alice@example.com" in detail.content and b"sent" in detail.content
    stored = client.get(reverse("reports:report_html", args=[team.slug, "2026-W48"])).content.decode()
    assert stored.lower().startswith("<!doctype html>") and "<title>Platform: 72 (+3)" in stored
    assert f"{site}/teams/platform/reports/" in stored and "%%UNSUBSCRIBE_URL%%" not in stored
    assert client.get(reverse("reports:report", args=[team.slug, "2026-W47"])).status_code == 404
    assert client.get(reverse("reports:report", args=[team.slug, "latest"])).status_code == 404


def test_another_team_and_a_visitor_see_nothing(client, team, outsider, site, monday):
    story.story(team)
    send.send_week(team.pk, "2026-W48")
    urls = [
        reverse("reports:archive", args=[team.slug]),
        reverse("reports:preview", args=[team.slug]),
        reverse("reports:preview_html", args=[team.slug]),
        reverse("reports:report", args=[team.slug, "2026-W48"]),
        reverse("reports:report_html", args=[team.slug, "2026-W48"]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(outsider)
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.post(reverse("reports:settings", args=[team.slug]), {"time_zone": "UTC"}).status_code == 404


def test_a_member_sets_extra_addresses_and_the_time_zone(client, alice, team):
    url = reverse("reports:settings", args=[team.slug])
    client.post(
        url, {"extra_recipients": "Leads@Example.com\nops@example.com, leads@example.com", "time_zone": "Asia/Tokyo"}
    )
    saved = ReportSettings.objects.get(team=team)
    assert (saved.extra_recipients, saved.time_zone) == (["leads@example.com", "ops@example.com"], "Asia/Tokyo")
    page = client.post(url, {"extra_recipients": "not an address", "time_zone": "UTC"}, follow=True)
    assert b"not an address is not an email address." in page.content
    client.post(url, {"extra_recipients": "", "time_zone": "Mars/Olympus_Mons"})
    saved.refresh_from_db()
    assert (saved.extra_recipients, saved.time_zone) == (["leads@example.com", "ops@example.com"], "Asia/Tokyo")


def test_a_member_stops_and_restarts_their_own_copy(client, alice, team, other_team):
    other_team.members.add(alice)
    url = reverse("reports:subscription", args=[team.slug])
    client.post(url, {"action": "stop"})
    assert list(OptOut.objects.values_list("team__slug", "address", "via")) == [
        ("platform", "alice@example.com", "dashboard")
    ]
    page = client.get(reverse("reports:archive", args=[team.slug]))
    assert b"You do not get this team" in page.content
    client.post(url, {"action": "resume"})
    assert not OptOut.objects.exists()
