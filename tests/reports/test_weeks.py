"""Which ISO week a report is about, in the team's time zone, and the moment its numbers are taken."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.reports.weeks import Week, as_of, default_week, zone_named

MONDAY_8 = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # the default schedule's firing for 2026-W48


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("UTC", Week(2026, 48)),  # the week ended 8 hours ago
        ("Pacific/Honolulu", Week(2026, 48)),  # still Sunday 22:00 there: the week so far
        ("Pacific/Auckland", Week(2026, 48)),  # already Monday 21:00 there: the week that ended
        ("Pacific/Kiritimati", Week(2026, 48)),  # UTC+14, the earliest zone
        ("America/Los_Angeles", Week(2026, 48)),  # Monday 00:00 exactly
    ],
)
def test_it_reports_the_week_that_just_ended_wherever_the_team_is(zone, expected):
    assert default_week(MONDAY_8, ZoneInfo(zone)) == expected


def test_it_reports_the_week_whose_end_is_nearest_when_sent_on_another_day():
    utc, auckland = ZoneInfo("UTC"), ZoneInfo("Pacific/Auckland")
    assert default_week(datetime(2026, 11, 27, 17, 0, tzinfo=UTC), utc) == Week(2026, 48)  # Friday: this week
    assert default_week(MONDAY_8 + timedelta(days=1), utc) == Week(2026, 48)  # Tuesday: still the last one
    assert default_week(MONDAY_8 + timedelta(days=3, hours=13), utc) == Week(2026, 49)  # Thursday 21:00
    assert default_week(MONDAY_8 + timedelta(hours=4), auckland) == Week(2026, 48)  # Tuesday 01:00 there


def test_a_week_starts_and_ends_at_local_midnight_across_a_clock_change():
    berlin = ZoneInfo("Europe/Berlin")
    week = Week(2026, 13)  # 23–29 March 2026: summer time starts on Sunday the 29th
    assert week.start(berlin).isoformat() == "2026-03-23T00:00:00+01:00"
    assert week.end(berlin).isoformat() == "2026-03-30T00:00:00+02:00"
    assert week.end(berlin).astimezone(UTC) - week.start(berlin).astimezone(UTC) == timedelta(hours=167)


def test_its_numbers_are_taken_when_it_is_built_but_at_most_a_day_after_the_week():
    utc = ZoneInfo("UTC")
    assert as_of(Week(2026, 48), utc, MONDAY_8) == MONDAY_8  # Sunday night's rescan finishing at 01:00 counts
    assert as_of(Week(2026, 46), utc, MONDAY_8) == datetime(2026, 11, 17, 0, 0, tzinfo=utc)  # a backfill
    tokyo = as_of(Week(2026, 46), ZoneInfo("Asia/Tokyo"), MONDAY_8)
    assert (tokyo, tokyo.tzinfo) == (datetime(2026, 11, 16, 15, 0, tzinfo=UTC), UTC)  # Tuesday 00:00 in Tokyo
    with pytest.raises(ValueError, match="has not begun"):
        as_of(Week(2026, 50), utc, MONDAY_8)


@pytest.mark.parametrize(
    ("text", "week"),
    [("2026-W48", Week(2026, 48)), ("2026-W01", Week(2026, 1)), ("2026-W53", Week(2026, 53))],
)
def test_it_reads_iso_weeks(text, week):
    assert Week.parse(text) == week
    assert str(week) == text.strip()


@pytest.mark.parametrize("text", ["2026-48", "2026-W4", "2026W48", "2026-W00", "2026-W54", "2025-W53", "next week"])
def test_it_refuses_what_is_not_an_iso_week(text):
    with pytest.raises(ValueError):
        Week.parse(text)  # 2025-W53: 2025 has 52 weeks (2020 and 2026 have 53)


def test_an_unknown_zone_counts_in_utc():
    assert str(zone_named("Mars/Olympus_Mons")) == "UTC"
    assert str(zone_named("Asia/Tokyo")) == "Asia/Tokyo"


def test_the_label_names_the_monday_and_the_sunday():
    assert Week(2026, 48).label() == "week 48, 23 Nov – 29 Nov 2026"
    assert Week(2026, 1).label() == "week 1, 29 Dec 2025 – 4 Jan 2026"  # across a new year
