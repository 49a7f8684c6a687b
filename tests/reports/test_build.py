"""The report's numbers and content for seeded scan history, with the clock moved by time-machine: deltas over the
right dates, regressions and fixes by fingerprint, what was not scanned, the table, and the team's own changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from app.reports import send
from app.reports.models import ReportSettings
from app.reports.weeks import Week
from app.teams import numbers
from app.waivers.models import Waiver
from app.web.models import Finding, Repository, Scan

from . import story
from .story import NOW, F

pytestmark = pytest.mark.django_db
W48 = Week(2026, 48)


def compose(team, week=W48, now=NOW):
    return send.compose(team, week, now)


def test_it_counts_the_week_with_the_team_pages_numbers(team, monday, site):
    story.story(team)
    data, _ = compose(team)
    average = numbers.average(team, NOW)
    assert (data.average, data.previous, data.scored, data.repositories) == (
        average.value,
        average.previous,
        average.scored,
        average.repositories,
    )
    assert (data.average, data.previous, data.delta) == (71.6, 69.4, 3)  # 72 shown against 69 a week ago
    assert [w.number for w in data.weakest] == [w.number for w in numbers.weakest_factors(team, NOW)]
    assert [c.check_id for c in data.checks] == [c.check_id for c in numbers.common_failing_checks(team, NOW)]


def test_a_regression_lists_its_new_high_and_critical_findings_worst_first(team, monday, site):
    repos = story.story(team)
    data, _ = compose(team)
    (api,) = data.regressions
    assert (api.name, api.previous, api.score, api.delta) == ("api-gateway", 81, 64.5, -16)  # 81 → 65 as shown
    assert [(i.severity, i.check_id, i.path, i.line) for i in api.new] == [
        ("critical", "config.committed-secret", "settings/production.py", 12),
        ("high", "config.connection-string-credentials", "deploy/values.yaml", 40),
    ]
    week_ago, latest = repos["api-gateway"].scans.order_by("queued_at")[1:]
    assert api.compare_url == (
        f"{site}/repositories/{repos['api-gateway'].slug}/compare/?a={week_ago.pk}&b={latest.pk}"
    )
    assert api.new[0].url == (
        f"https://github.com/acme/api-gateway/blob/{latest.commit_sha}/settings/production.py#L12"
    )
    assert api.new[0].title == "A secret is committed to the repository"


def test_fixed_findings_are_the_improvements(team, monday, site):
    story.story(team)
    data, rendered = compose(team)
    (billing,) = data.improvements
    assert (billing.name, billing.delta, billing.fixed_total) == ("billing", 13, 2)
    assert [i.check_id for i in billing.fixed] == ["port-binding.hard-coded-port", "logs.logrotate-config"]
    assert data.fixes == 2
    assert rendered.subject == "Platform: 72 (+3) — 1 regression, 2 fixes"


def test_repositories_not_scanned_this_week_or_failing_say_why(team, monday, site):
    story.story(team)
    data, _ = compose(team)
    assert [(u.name, u.reason, u.detail) for u in data.unscanned] == [
        ("docs-site", "never", "Not scored yet."),
        ("legacy-monolith", "failed", "The clone took longer than 120 s and was stopped."),
        ("search", "stale", "Not scanned for 12 days."),
    ]


def test_the_table_lists_every_repository_lowest_score_first(team, monday, site):
    story.story(team)
    data, rendered = compose(team)
    assert [(r.name, r.score, r.delta, r.note) for r in data.table] == [
        ("legacy-monolith", 41, 0, ""),
        ("api-gateway", 64.5, -16, ""),
        ("billing", 71, 13, ""),
        ("search", 77, 0, ""),
        ("notifications", 86, None, "new"),  # added on Friday: nothing to compare with
        ("catalog", 90, 0, ""),
        ("docs-site", None, None, "never"),
    ]
    api = data.table[1]
    assert api.statuses == ["pass", "pass", "fail", *["pass"] * 7, "warn", "pass"]
    # one point a week, the newest last: 80 was stored 21 days + 1 minute ago, so it counts from 14 days ago
    assert api.series == [None] * 5 + [80, 81, 64.5]
    assert data.added == ["notifications"]
    assert "   65     −16  ✓✓✗✓✓✓✓✓✓✓!✓  ·····▇▇▆      api-gateway" in rendered.text


def test_a_change_is_measured_against_the_scan_seven_days_before(team, monday, site):
    repo = story.repository(team, "edge", NOW - timedelta(days=30))
    story.scan(repo, 50, NOW - timedelta(days=7, minutes=2))  # finished a minute before the week began
    story.scan(repo, 60, NOW - timedelta(days=7) + timedelta(minutes=1))  # inside the week
    story.scan(repo, 70, NOW - timedelta(hours=1))
    data, _ = compose(team)
    assert (data.table[0].score, data.table[0].delta, data.regressions, data.improvements[0].previous) == (
        70,
        20,
        [],
        50,
    )


def test_a_past_week_is_built_as_of_the_day_after_it_ended(team, monday, site):
    repo = story.repository(team, "backfill", NOW - timedelta(days=40))
    story.scan(repo, 40, NOW - timedelta(days=22))  # Sunday 8 November, before the 7 days to Tuesday 17
    story.scan(repo, 55, NOW - timedelta(days=14, hours=9))  # Sunday 15 November, 23:00: in week 46
    story.scan(repo, 90, NOW - timedelta(days=1))  # this week: not in week 46's report
    data, _ = compose(team, Week(2026, 46))
    assert data.as_of.isoformat() == "2026-11-17T00:00:00+00:00"
    assert (data.table[0].score, data.table[0].delta) == (55, 15)


def test_a_team_in_another_zone_counts_its_own_week(team, monday, site):
    ReportSettings.objects.create(team=team, time_zone="Asia/Tokyo")
    story.story(team)
    data, rendered = compose(team)
    assert data.time_zone == "Asia/Tokyo"
    assert "Numbers as of Mon 30 Nov 2026, 17:00 Asia/Tokyo" in rendered.text
    thursday = NOW + timedelta(days=3, hours=3)  # Thursday 11:00 UTC, 20:00 in Tokyo: nearer week 49's end there
    assert dict(send.due_reports(thursday)) == {team.pk: "2026-W49"}
    ReportSettings.objects.filter(team=team).update(time_zone="UTC")
    assert dict(send.due_reports(thursday)) == {team.pk: "2026-W48"}  # Sunday 23:00, three days and a half ago


def test_a_quiet_week_says_so_in_one_line(team, monday, site):
    repo = story.repository(team, "catalog", NOW - timedelta(days=60))
    story.scan(repo, 90, NOW - timedelta(days=10), (story.ROTATE,))
    story.scan(repo, 90, NOW - timedelta(days=3), (story.ROTATE,))
    data, rendered = compose(team)
    assert data.nothing_changed
    assert rendered.subject == "Platform: 90 (±0) — nothing changed this week"
    assert rendered.text.count("Nothing changed this week") == 1


def test_a_new_low_finding_is_a_change_even_when_no_score_moves(team, monday, site):
    repo = story.repository(team, "catalog", NOW - timedelta(days=60))
    story.scan(repo, 90, NOW - timedelta(days=10))
    story.scan(repo, 90, NOW - timedelta(days=3), (story.ROTATE,))
    data, rendered = compose(team)
    assert not data.nothing_changed and data.new_findings == 1
    assert rendered.subject == "Platform: 90 (±0) — no regressions, no fixes"


def test_repositories_never_scanned_or_whose_every_scan_failed(team, monday, site):
    never = story.repository(team, "never", NOW - timedelta(days=30))
    broken = story.repository(team, "broken", NOW - timedelta(days=30))
    story.failed(broken, NOW - timedelta(days=8), "The branch does not exist in the repository.")
    story.failed(broken, NOW - timedelta(days=1), "Authentication failed for https://****@example.com/x.git")
    data, rendered = compose(team)
    assert rendered.subject == "Platform: no scores yet: 2 repositories not scanned or failing"
    assert [(u.name, u.reason) for u in data.unscanned] == [("broken", "failed"), ("never", "never")]
    assert data.unscanned[0].detail == "Authentication failed for https://****@example.com/x.git"
    assert [r.name for r in data.table] == ["broken", "never"] and never.pk


def test_a_waived_finding_is_neither_new_nor_a_regression(team, monday, site):
    repo = story.repository(team, "waived", NOW - timedelta(days=60))
    story.scan(repo, 80, NOW - timedelta(days=9))
    story.scan(repo, 80, NOW - timedelta(days=1), (story.SECRET,))
    Finding.objects.filter(fingerprint=story.SECRET.fingerprint).update(waiver={"id": "dashboard#1"})
    data, _ = compose(team)
    assert data.regressions == [] and data.new_findings == 0


def test_it_lists_the_waivers_expiring_within_two_weeks(team, member, monday, site):
    repos = story.story(team)
    for days, check in ((5, "config.committed-secret"), (30, "logs.file-handler")):
        Waiver.objects.create(
            repository=repos["api-gateway"],
            fingerprint=f"fp{days}",
            check_id=check,
            path="settings/production.py",
            reason="Rotated; the key is revoked.",
            expires_on=NOW.date() + timedelta(days=days),
            created_by=member,
        )
    data, rendered = compose(team)
    assert [(e.repository, e.what, e.days_left) for e in data.expiring] == [
        ("api-gateway", "config.committed-secret in settings/production.py", 5)
    ]
    assert "WAIVERS EXPIRING WITHIN 14 DAYS (1)" in rendered.text


def test_repositories_that_left_the_team_since_the_last_report_are_named(team, other_team, site):
    with time_machine.travel(NOW - timedelta(days=7), tick=False):
        repos = story.story(team, now=NOW - timedelta(days=7))
        last_week = send.prepare(team, Week(2026, 47))
    assert last_week.data["table"][0]["name"] == "legacy-monolith"
    with time_machine.travel(NOW, tick=False):
        Repository.objects.filter(pk=repos["search"].pk).update(team=other_team)  # moved
        repos["docs-site"].delete()  # deleted
        data, rendered = compose(team)
    assert data.removed == ["docs-site", "search"]
    assert data.added == []  # notifications was added in week 47, and reported then
    assert "No longer in the team since the last report: docs-site, search." in rendered.text


def test_a_stored_snippet_that_holds_a_secret_is_redacted_again(team, monday, site):
    leaky = F(
        3,
        "config.committed-secret",
        "critical",
        f"keys/{story.AWS_SECRET.replace('/', '')}.txt",
        1,
        "A secret is committed.",
        f"aws_secret_access_key = {story.AWS_SECRET}",
    )
    repo = story.repository(team, "leaky", NOW - timedelta(days=60))
    story.scan(repo, 80, NOW - timedelta(days=9))
    story.scan(repo, 60, NOW - timedelta(days=1), (leaky,))
    data, rendered = compose(team)
    (item,) = data.regressions[0].new
    assert item.snippet == "aws_secret_access_key = wJ****"
    assert item.path == "ke****.txt" and item.url is None  # no link: it would carry the path
    assert "XRfiCYzEXAMPLEKEY" not in rendered.text + rendered.html


def test_two_hundred_repositories_fit_a_message_gmail_shows_whole(team, monday, site, django_assert_max_num_queries):
    repos = Repository.objects.bulk_create(
        Repository(
            team=team,
            name=f"service-{n:03d}-" + "x" * (n % 40),
            slug=f"s-{n}",
            created_at=NOW - timedelta(days=60),
            clone_url=f"https://github.com/acme/s{n}.git",
        )
        for n in range(200)
    )
    for n, repo in enumerate(repos):
        story.scan(repo, 40 + n % 60, NOW - timedelta(days=9), (story.LOG_FILE,), {11: "fail"})
        story.scan(repo, 41 + n % 60, NOW - timedelta(days=2), (story.PORT,) if n % 7 == 0 else (), {7: "warn"})
    with django_assert_max_num_queries(40):  # a fixed number, whatever the size of the team
        data, rendered = compose(team)
    assert len(data.table) == 200 and len(data.improvements) == 200
    assert len(rendered.html.encode()) <= 100_000
    shown = rendered.html.count('class="name"')
    assert 100 <= shown < 200 and f"… and {200 - shown} more, with higher scores" in rendered.html
    table = rendered.text.split("EVERY REPOSITORY (200)")[1]
    assert sum("service-" in line for line in table.splitlines()) == 200  # the plain text lists them all
    assert "… and 180 more: see the table below." in rendered.text  # 20 improvements listed one by one
    assert Scan.objects.count() == 400
