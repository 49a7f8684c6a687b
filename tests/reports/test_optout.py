"""The opt-out link of the email: it works without signing in, only for its own team and address, and only for
a while; a GET asks (link checkers open links), a POST, from the page or a mail client's one-click, does it."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import signing

from app.reports import recipients, send
from app.reports.models import OptOut, ReportSettings

from . import story
from .story import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailed(team, other_team, member, django_user_model, smtp, site, monday):
    """Platform's week-48 report sent to alice (who is in Payments too) and to an extra address."""
    member.email = "alice@example.com"
    member.save()
    other_team.members.add(member)
    ReportSettings.objects.create(team=team, extra_recipients=["leads@example.com"])
    story.story(team)
    send.send_week(team.pk, "2026-W48")
    return {r.rcpt_tos[0]: r.header("List-Unsubscribe").strip("<>") for r in smtp.received}


def path(link: str) -> str:
    return link.removeprefix("https://factorcard.example.com")


def test_opening_the_link_asks_and_changes_nothing(client, mailed, team):
    page = client.get(path(mailed["alice@example.com"]))
    assert page.status_code == 200
    assert b"Stop the weekly report?" in page.content and b"alice@example.com" in page.content
    assert not OptOut.objects.exists()


def test_the_button_on_the_page_unsubscribes_without_signing_in(client, mailed, team, other_team, smtp):
    page = client.post(path(mailed["alice@example.com"]), {"action": "stop"})
    assert page.status_code == 200 and b"You are unsubscribed" in page.content
    assert list(OptOut.objects.values_list("team__slug", "address", "via")) == [
        ("platform", "alice@example.com", "link")
    ]
    assert [r.address for r in recipients.recipients_of(team)] == ["leads@example.com"]
    assert [r.address for r in recipients.recipients_of(other_team)] == ["alice@example.com"]  # Payments still


def test_a_mail_clients_one_click_post_unsubscribes(client, mailed, team, monday, smtp):
    """RFC 8058: the client POSTs `List-Unsubscribe=One-Click` to the header's URL, with no cookie or token."""
    response = client.post(
        path(mailed["leads@example.com"]),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert OptOut.objects.get().via == "one-click"
    monday.shift(timedelta(days=7))
    send.send_week(team.pk, "2026-W49")
    assert [r.rcpt_tos for r in smtp.received[-1:]] == [["alice@example.com"]]  # leads got week 48 only
    assert len(smtp.to("leads@example.com")) == 1


def test_it_can_be_undone_from_the_same_link(client, mailed, team):
    link = path(mailed["alice@example.com"])
    client.post(link, {"action": "stop"})
    page = client.post(link, {"action": "resume"})
    assert b"You will get it again" in page.content and not OptOut.objects.exists()


def test_an_old_link_has_expired(client, mailed, settings):
    with time_machine.travel(NOW + timedelta(days=settings.REPORTS["UNSUBSCRIBE_DAYS"], minutes=1)):
        page = client.post(path(mailed["alice@example.com"]), {"action": "stop"})
    assert page.status_code == 410 and b"This link has expired" in page.content
    assert not OptOut.objects.exists()


def test_a_link_still_works_the_day_before_it_expires(client, mailed, settings):
    with time_machine.travel(NOW + timedelta(days=settings.REPORTS["UNSUBSCRIBE_DAYS"] - 1)):
        assert client.post(path(mailed["alice@example.com"]), {"action": "stop"}).status_code == 200
    assert OptOut.objects.count() == 1


@pytest.mark.parametrize(
    "forge",
    [
        lambda link: link[:-3] + "xyz/",  # a changed signature
        lambda link: link[:60] + "/",  # cut short by a mail client
        lambda link: (
            f"/reports/unsubscribe/{signing.dumps({'t': 1, 'a': 'x@example.com'}, salt='other')}/"
        ),  # other salt
    ],
)
def test_a_forged_or_damaged_link_does_nothing(client, mailed, forge):
    page = client.post(forge(path(mailed["alice@example.com"])), {"action": "stop"})
    assert page.status_code == 400 and b"This link does not work" in page.content
    assert not OptOut.objects.exists()


def test_each_recipient_has_a_link_of_their_own_team_and_address(mailed, team):
    tokens = {address: path(link).split("/")[3] for address, link in mailed.items()}
    assert {address: recipients.read_token(t) for address, t in tokens.items()} == {
        "alice@example.com": (team.pk, "alice@example.com"),
        "leads@example.com": (team.pk, "leads@example.com"),
    }
