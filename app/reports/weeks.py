"""ISO weeks in a team's time zone, and which week a report is for.

A report is keyed by (team, ISO week). Its numbers are taken "as of" one moment: when it is built, but
never later than a day after its week ended, so that the scheduled Monday-morning report still counts
scans of the Sunday-night rescan that finish after midnight, and a week built later (a backfill with
--week) describes that week. Its changes are over the seven days before that moment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

WEEK = timedelta(days=7)
GRACE = timedelta(days=1)  # how long after its end a week's report still takes newer scans
NEAREST = timedelta(days=3, hours=12)  # half a week: any moment is this close to some week's end
_PATTERN = re.compile(r"^(?P<year>\d{4})-W(?P<week>\d{2})$")


@dataclass(frozen=True, order=True)
class Week:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Week:
        """'2026-W48' → Week(2026, 48); ValueError for anything else, or a week the year does not have."""
        match = _PATTERN.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not an ISO week such as 2026-W48")
        week = cls(int(match["year"]), int(match["week"]))
        date.fromisocalendar(week.year, week.number, 1)  # ValueError for week 53 of a 52-week year
        return week

    @classmethod
    def of(cls, moment: datetime, zone: ZoneInfo) -> Week:
        year, number, _day = moment.astimezone(zone).isocalendar()
        return cls(year, number)

    def __str__(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    def start(self, zone: ZoneInfo) -> datetime:
        """Monday 00:00 in `zone` (a day is not always 24 hours there: weeks are counted in dates)."""
        return datetime.combine(self.monday, time(), tzinfo=zone)

    def end(self, zone: ZoneInfo) -> datetime:
        return datetime.combine(self.monday + WEEK, time(), tzinfo=zone)

    def label(self) -> str:
        sunday = self.monday + timedelta(days=6)
        first = f"{self.monday:%-d %b}" if self.monday.year == sunday.year else f"{self.monday:%-d %b %Y}"
        return f"week {self.number}, {first} – {sunday:%-d %b %Y}"


def zone_named(name: str) -> ZoneInfo:
    """The zone, or UTC for an empty or unknown name (a setting saved before a zone was removed)."""
    return ZoneInfo(name) if name in zone_names() else ZoneInfo("UTC")


def zone_names() -> set[str]:
    return available_timezones() | {"UTC"}


def default_week(now: datetime, zone: ZoneInfo) -> Week:
    """The week a report sent at `now` is about: the one whose end, in the team's zone, is nearest.

    Sent on a Monday (the default schedule), that is the week that just ended, wherever the team is:
    Monday 08:00 UTC is still Sunday 22:00 in Honolulu and already Monday 21:00 in Auckland. Sent on a
    Friday, it is the current week so far. A second firing within three days picks the same week.
    """
    return Week.of(now - NEAREST, zone)


def as_of(week: Week, zone: ZoneInfo, now: datetime) -> datetime:
    """The moment a report for `week` built at `now` describes. ValueError for a week not begun yet."""
    if week.start(zone) > now:
        raise ValueError(f"{week} has not begun yet")
    return min(now, week.end(zone) + GRACE).astimezone(UTC)  # in UTC: "7 days before" is then 168 hours
