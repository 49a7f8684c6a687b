"""Waiving from the scorecard, the Waivers page, revoking, and expiry with time travel (time-machine), for the
three personas; scorecards of waived scans and of scans from before waivers existed; badges."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from xml.etree import ElementTree

import pytest
import time_machine
from django.urls import reverse

from app.waivers import actions
from app.waivers.models import Waiver
from app.waivers.queries import expiring_waivers
from app.waivers.store import dashboard_waivers
from app.web.badges import factor_badge, score_badge
from app.web.models import FactorResult, Finding, Scan
from tests.web import factories

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


@pytest.fixture
def travel():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def repo(team, travel):
    repo = factories.repository(team, "api")
    factories.scan(repo, 70, findings=[(3, "high", "settings.py"), (11, "medium", "log.py"), (4, "info", "app.py")])
    return repo


def finding(repo, path: str = "settings.py") -> Finding:
    return Finding.objects.get(factor_result__scan=repo.latest_scan, path=path)


def waive(client, repo, fingerprint: str, reason: str = "A class name the engine took for a key.", **extra):
    data = {"fingerprint": fingerprint, "reason": reason, "expires_on": extra.pop("expires_on", "2026-05-31"), **extra}
    return client.post(reverse("waivers:waive", args=[repo.slug]), data)


def test_a_member_waives_a_finding_and_who_why_and_until_when_are_recorded(client, member, repo):
    client.force_login(member)
    target = finding(repo)
    response = waive(client, repo, target.fingerprint)
    assert response.status_code == 302 and response["Location"] == f"{repo.get_absolute_url()}#factor-3"
    (waiver,) = Waiver.objects.all()
    assert (waiver.repository, waiver.fingerprint, waiver.check_id, waiver.path) == (
        repo,
        target.fingerprint,
        target.check_id,
        "settings.py",
    )
    assert waiver.created_by == member and waiver.expires_on == date(2026, 5, 31)
    assert waiver.reason == "A class name the engine took for a key." and waiver.message == target.message
    page = client.get(response["Location"]).content.decode()
    assert "It applies from the next scan" in page  # not yet scored: the scorecard says so
    assert [w.fingerprint for w in dashboard_waivers(repo)] == [target.fingerprint]  # the next scan gets it


def test_waive_asks_for_a_reason_and_an_expiry_of_ninety_days_at_most_a_year(client, member, repo):
    client.force_login(member)
    target = finding(repo)
    page = client.get(repo.get_absolute_url()).content.decode()
    link = f"{reverse('waivers:waive', args=[repo.slug])}?fingerprint={target.fingerprint}"
    assert f'<a href="{link}">Waive this finding…</a>' in page
    form = client.get(link)
    body = form.content.decode()
    assert form.status_code == 200 and target.message in body and f"fingerprint: {target.fingerprint}" in body
    assert 'name="expires_on" value="2026-05-31"' in body  # T0 + 90 days
    assert 'min="2026-03-03"' in body and 'max="2027-03-02"' in body and 'name="reason"' in body


@pytest.mark.parametrize(
    "reason, expires_on, error",
    [
        ("", "2026-05-31", "This field is required."),
        ("ok", "2026-05-31", "Ensure this value has at least 3 characters"),
        ("Fine.", "2026-03-02", "Pick a day after today."),  # today
        ("Fine.", "2025-01-01", "Pick a day after today."),  # in the past
        ("Fine.", "2027-03-03", "A waiver lasts at most a year: pick 02 March 2027 or earlier."),
        ("Fine.", "2076-03-02", "A waiver lasts at most a year"),  # fifty years ahead
        ("Fine.", "soon", "Enter a valid date."),
        ("Fine.\x00", "2026-05-31", "Null characters are not allowed."),
    ],
)
def test_a_bad_waiver_is_refused_with_the_reason(client, member, repo, reason, expires_on, error):
    client.force_login(member)
    response = waive(client, repo, finding(repo).fingerprint, reason=reason, expires_on=expires_on)
    assert response.status_code == 400 and error in response.content.decode()
    assert not Waiver.objects.exists()


def test_only_findings_of_the_latest_scan_can_be_waived_and_never_evidence(client, member, repo):
    client.force_login(member)
    assert waive(client, repo, "f" * 20).status_code == 404
    assert waive(client, repo, finding(repo, "app.py").fingerprint).status_code == 404  # info: evidence
    assert not Waiver.objects.exists()


def test_waiving_twice_keeps_one_waiver(client, member, repo):
    client.force_login(member)
    target = finding(repo).fingerprint
    waive(client, repo, target)
    response = waive(client, repo, target, reason="Another reason.")
    assert response.status_code == 302 and Waiver.objects.count() == 1
    assert Waiver.objects.get().reason == "A class name the engine took for a key."


def test_other_teams_and_anonymous_visitors_can_neither_see_nor_waive_nor_revoke(client, member, outsider, repo):
    waiver, _ = actions.record(repo, finding(repo), member, "Because.", date(2026, 4, 1))
    urls = [reverse("waivers:list", args=[repo.slug]), reverse("waivers:waive", args=[repo.slug])]
    revoke = reverse("waivers:revoke", args=[repo.slug, waiver.pk])
    for url in urls:
        response = client.get(url, {"fingerprint": waiver.fingerprint})
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.post(revoke)["Location"].startswith("/login/")
    client.force_login(outsider)
    for url in urls:
        assert client.get(url, {"fingerprint": waiver.fingerprint}).status_code == 404
    assert waive(client, repo, waiver.fingerprint).status_code == 404
    assert client.post(revoke).status_code == 404
    assert Waiver.objects.get().revoked_at is None and Waiver.objects.count() == 1


def test_a_member_revokes_a_waiver_and_the_next_scan_no_longer_gets_it(client, member, repo, django_user_model):
    author = django_user_model.objects.create_user("bob", password="x-long-test-passphrase")
    waiver, _ = actions.record(repo, finding(repo), author, "Because.", date(2026, 4, 1))
    client.force_login(member)
    assert client.get(reverse("waivers:revoke", args=[repo.slug, waiver.pk])).status_code == 405  # POST only
    response = client.post(reverse("waivers:revoke", args=[repo.slug, waiver.pk]), follow=True)
    assert "the finding counts again from the next scan" in response.content.decode()
    waiver.refresh_from_db()
    assert waiver.revoked_by == member and waiver.revoked_at == T0
    assert dashboard_waivers(repo) == []
    page = response.content.decode()
    assert "Revoked (1)" in page and "revoked 2 Mar 2026 by alice" in page


def test_the_waivers_page_lists_author_reason_expiry_and_whether_each_still_matches(client, member, repo):
    actions.record(repo, finding(repo), member, "Overridden in production.", date(2026, 4, 1))
    gone = Waiver.objects.create(
        repository=repo,
        fingerprint="0" * 20,
        check_id="logs.file-handler",
        path="old.py",
        reason="Removed since.",
        expires_on=date(2026, 6, 1),
        created_by=member,
    )
    client.force_login(member)
    response = client.get(reverse("waivers:list", args=[repo.slug]))
    rows = {r.waiver.pk: r for r in response.context["rows"]}
    assert rows[gone.pk].matches is False and all(r.matches for pk, r in rows.items() if pk != gone.pk)
    page = response.content.decode()
    assert "Overridden in production." in page and "alice" in page and "1 Apr 2026" in page
    assert "no finding of the latest scan has its fingerprint" in page


def test_a_waiver_expires_soon_then_expires_and_stops_applying(client, member, team, repo, travel):
    waiver, _ = actions.record(repo, finding(repo), member, "Overridden in production.", T0.date() + timedelta(days=90))
    travel.move_to(T0 + timedelta(days=75))  # 15 days left: not yet "soon"
    client.force_login(member)  # (a session lasts two weeks)
    assert (
        expiring_waivers(team) == []
        and "expiring within 14 days" not in client.get(repo.get_absolute_url()).content.decode()
    )

    travel.move_to(T0 + timedelta(days=76))  # 14 days left
    (soon,) = expiring_waivers(team)
    assert (soon.repository, soon.source, soon.days_left, soon.by) == (repo, "dashboard", 14, "alice")
    page = client.get(repo.get_absolute_url()).content.decode()
    assert "Waivers expiring within 14 days" in page and "in 14 days" in page
    assert dashboard_waivers(repo)  # still applies

    travel.move_to(T0 + timedelta(days=90))  # its expiry day: no longer applies
    client.force_login(member)
    assert waiver.state() == Waiver.EXPIRED
    assert dashboard_waivers(repo) == [] and expiring_waivers(team) == []
    listing = client.get(reverse("waivers:list", args=[repo.slug])).content.decode()
    assert "Expired</strong> on 31 May 2026: the finding counts again" in listing
    assert waive(client, repo, waiver.fingerprint, expires_on="2026-08-31").status_code == 302  # waived again
    assert Waiver.objects.count() == 2


def test_expiring_waivers_covers_the_repositorys_config_and_only_the_team(member, team, other_team, repo, travel):
    other = factories.repository(other_team, "elsewhere")
    factories.scan(other, 50, findings=[(3, "high", "x.py")])
    actions.record(
        other, Finding.objects.get(factor_result__scan=other.latest_scan), member, "Other team.", date(2026, 3, 5)
    )
    Scan.objects.filter(pk=repo.latest_scan.pk).update(
        waivers_applied=[
            {
                "id": "config#1",
                "source": "config",
                "check": "logs.file-handler",
                "paths": ["contrib/**"],
                "fingerprint": None,
                "reason": "Not deployed.",
                "expires": "2026-03-10",
                "by": "",
                "expired": False,
                "matched": 2,
                "clamped_from": None,
            },
            {
                "id": "config#2",
                "source": "config",
                "check": None,
                "paths": [],
                "fingerprint": "1" * 20,
                "reason": "Later.",
                "expires": "2026-09-01",
                "by": "",
                "expired": False,
                "matched": 1,
                "clamped_from": None,
            },
        ]
    )
    actions.record(repo, finding(repo), member, "Dashboard.", date(2026, 3, 4))
    found = expiring_waivers(team, now=T0)
    assert [(e.source, e.what, e.days_left) for e in found] == [
        ("dashboard", "check.3 in settings.py", 2),
        ("config", "logs.file-handler in contrib/**", 8),
    ]


def waived_scan(repo):
    """A scan as the pipeline stores it when one finding of factor 3 was waived."""
    s = factories.scan(repo, 80, findings=[(3, "high", "settings.py")])
    Scan.objects.filter(pk=s.pk).update(
        waived=1,
        unwaived_score=70.0,
        waivers_key="k",
        config={"path": ".factorcard.yml", "messages": ["unknown key 'colour': ignored."]},
    )
    FactorResult.objects.filter(scan=s, factor=3).update(waived=1, unwaived_status="fail", unwaived_score=4.0)
    FactorResult.objects.filter(scan=s).exclude(factor=3).update(unwaived_status="pass", unwaived_score=8.0)
    Finding.objects.filter(factor_result__scan=s).update(
        severity="low",
        waiver={
            "id": "dashboard#1",
            "source": "dashboard",
            "reason": "Checked by security.",
            "expires": "2026-05-31",
            "by": "alice",
            "severity": "high",
        },
    )
    repo.latest_scan.refresh_from_db()
    return s


def test_the_scorecard_shows_waived_counts_the_score_without_and_the_config_messages(client, member, repo):
    waived_scan(repo)
    client.force_login(member)
    page = client.get(repo.get_absolute_url()).content.decode()
    assert "1 finding waived" in page and "Score without waivers" in page
    assert '<strong data-role="unwaived-score">70</strong> / 100' in page
    assert 'without waivers: <span data-role="unwaived">fail · 4/10</span>' in page
    assert '<span class="waived-tag">waived</span>' in page
    assert "<strong>Waived</strong> by alice until 31 May 2026 (on the dashboard): Checked by security." in page
    assert "its severity would be high" in page
    assert "Messages about .factorcard.yml" in page and "unknown key &#x27;colour&#x27;: ignored." in page


def test_scans_from_before_waivers_render_as_they_did(client, member, repo):
    client.force_login(member)
    page = client.get(repo.get_absolute_url()).content.decode()
    assert 'data-role="waived' not in page and "waived-tag" not in page and 'data-role="waiver"' not in page
    assert "Score without waivers" not in page and "Messages about" not in page
    assert page.count("Waive this finding…") == 2  # the two violations can be waived, not the evidence
    factories.scan(repo, 60, when=T0 + timedelta(hours=1), findings=[(11, "high", "new.py")])
    compare = client.get(reverse("compare", args=[repo.slug])).content.decode()
    assert "new.py" in compare and "Waive this finding" not in compare  # only on the latest scorecard


def test_a_badge_never_hides_waived_findings(client, repo):
    assert ElementTree.fromstring(score_badge(80, 0, 80)).get("aria-label") == "twelve-factor: 80/100"
    svg = ElementTree.fromstring(score_badge(80, 3, 71.6))
    assert svg.get("aria-label") == "twelve-factor: 80/100 w (3 findings waived; 72/100 without waivers)"
    assert "1 finding waived; fail 4/10 without waivers" in factor_badge(3, "Config", "pass", 10.0, 1, "fail 4/10")
    waived_scan(repo)
    repo.is_public = True
    repo.save()
    assert "80/100 w" in client.get(reverse("badge", args=[repo.slug])).content.decode()
    factor = client.get(reverse("factor_badge", args=[repo.slug, 3])).content.decode()
    assert "3. config: pass 8/10 w (1 finding waived; fail 4/10 without waivers)" in factor
