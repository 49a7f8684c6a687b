"""The team numbers on seeded history: the same functions feed the team page, the weekly email and the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from app.teams import numbers
from app.web.models import Scan
from tests.web import factories

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def days_ago(n: float):
    return NOW - timedelta(days=n)


@pytest.fixture
def history(team, other_team):
    """Four repositories of one team, each with its own story, and another team's that must never count."""
    old = {"created_at": days_ago(60)}
    a, b, c, d = (factories.repository(team, name, **old) for name in ("api", "billing", "catalog", "docs"))
    factories.scan(a, 50, when=days_ago(20), findings=[(3, "high", "x.py")])
    factories.scan(a, 70, when=days_ago(3), findings=[(3, "high", "x.py"), (11, "low", "y.py")])
    factories.scan(
        b,
        80,
        when=days_ago(10),
        statuses={3: "fail", 6: "na"},
        findings=[(3, "high", "settings.py"), (3, "medium", "other.py")],
    )
    # c: never scanned
    factories.scan(d, 60, when=days_ago(1), findings=[(11, "medium", "log.py")])
    Scan.objects.create(
        repository=d,
        state=Scan.FAILED,
        error="The branch does not exist in the repository.",
        queued_at=NOW - timedelta(hours=2),
        finished_at=NOW - timedelta(hours=2),
    )
    factories.scan(
        factories.repository(other_team, "elsewhere", **old),
        5,
        when=days_ago(2),
        statuses={3: "fail"},
        findings=[(3, "critical", "leak.py")],
    )
    return a, b, c, d


def test_the_average_and_its_change_over_a_week(team, history):
    avg = numbers.average(team, NOW)
    assert (avg.value, avg.previous, avg.delta) == (70.0, 65.0, 5.0)  # (70+80+60)/3 now; (50+80)/2 a week ago
    assert (avg.scored, avg.repositories) == (3, 4)


def test_the_trend_is_the_average_at_each_step_oldest_first(team, history):
    points = numbers.trend(team, NOW, points=3)
    assert [(p.average, p.scored) for p in points] == [(50.0, 1), (65.0, 2), (70.0, 3)]
    assert points[-1].at == NOW and points[0].at == NOW - timedelta(days=14)


def test_the_weakest_factors_come_first_with_their_failures(team, history):
    weakest = numbers.weakest_factors(team, NOW, limit=2)
    # factor 6 is not applicable to billing: (7 + 6) / 2; factor 3 averages 7 like the rest but fails once
    assert [(w.number, w.average, w.failing, w.scored) for w in weakest] == [(6, 6.5, 0, 2), (3, 7.0, 1, 3)]


def test_the_most_common_failing_checks_count_repositories(team, history):
    checks = numbers.common_failing_checks(team, NOW)
    # check.3: api (1 finding) and billing (2); check.11: docs only (api's is low: it does not fail a factor)
    assert [(c.check_id, c.factor, c.repositories, c.findings) for c in checks] == [
        ("check.3", 3, 2, 3),
        ("check.11", 11, 1, 1),
    ]


def test_repositories_that_need_attention(team, history):
    a, b, c, d = history
    attention = {x.repository.name: (x.reason, x.detail) for x in numbers.needs_attention(team, NOW)}
    assert attention == {
        "billing": ("stale", "Not scanned for 10 days."),
        "catalog": ("never", "Not scored yet."),
        "docs": ("failed", "The branch does not exist in the repository."),
    }


def test_every_number_can_be_taken_as_of_an_earlier_moment(team, history):
    then = days_ago(5)
    avg = numbers.average(team, then)
    assert (avg.value, avg.scored) == (65.0, 2)  # api 50, billing 80: docs was not scanned yet
    assert [c.check_id for c in numbers.common_failing_checks(team, then)] == ["check.3"]
    assert {x.repository.name: x.reason for x in numbers.needs_attention(team, then)} == {
        "api": "stale",
        "catalog": "never",
        "docs": "never",
    }


def test_a_team_with_nothing_scored_has_no_average(team):
    factories.repository(team, "fresh", created_at=days_ago(1))
    avg = numbers.average(team, NOW)
    assert (avg.value, avg.delta, avg.scored, avg.repositories) == (None, None, 0, 1)
    assert numbers.weakest_factors(team, NOW) == [] and numbers.common_failing_checks(team, NOW) == []
