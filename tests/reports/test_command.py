"""manage.py send_weekly_report [--team SLUG] [--week YYYY-Www] [--dry-run]."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from app.reports.models import WeeklyReport

from . import story

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("send_weekly_report", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def teams(team, other_team, member, outsider, monday):
    member.email, outsider.email = "alice@example.com", "mallory@example.com"
    member.save()
    outsider.save()
    story.story(team)
    return team, other_team


def test_a_dry_run_prints_the_report_and_sends_nothing(teams, smtp, site):
    out = run("--team", "platform", "--dry-run")
    assert "== platform 2026-W48 (dry run: nothing recorded or sent)" in out
    assert "To: alice@example.com\nSubject: Platform: 72 (+3) — 1 regression, 2 fixes\n" in out
    assert "REGRESSIONS (1)" in out and "EVERY REPOSITORY (7)" in out
    assert WeeklyReport.objects.count() == 0 and smtp.received == []


def test_it_sends_each_team_once(teams, smtp, site):
    out = run()
    assert "payments 2026-W48: 0 sent" in out and "(The team had no repositories" in out
    assert "platform 2026-W48: 1 sent, 0 failed, 0 pending, 0 skipped" in out
    assert run() == out  # the second run finds both weeks recorded and sends nothing more
    assert [r.rcpt_tos for r in smtp.received] == [["alice@example.com"]]


def test_it_sends_a_chosen_past_week_as_it_was(teams, smtp, site):
    run("--team", "platform", "--week", "2026-W46")
    report = WeeklyReport.objects.get()
    assert (report.week, report.as_of.isoformat()) == ("2026-W46", "2026-11-17T00:00:00+00:00")
    assert smtp.received[0].header("Subject").startswith("Platform: ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--team", "nope"), "There is no team 'nope'."),
        (("--week", "2026-48"), "'2026-48' is not an ISO week such as 2026-W48"),
        (("--week", "2026-W50"), "2026-W50 has not begun yet"),
    ],
)
def test_it_refuses_what_it_cannot_send(teams, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
