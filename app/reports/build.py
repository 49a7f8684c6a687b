"""A team's week as data: every number and line of the weekly report, read from the database, no rendering.

The team-wide numbers are app/teams/numbers.py's (the team page shows the same ones); this module adds
what only the report needs: each repository's scan now against its scan seven days before (new and fixed
findings by fingerprint), the table of every repository, and what changed in the team itself. Anything
that came out of a scanned repository (paths, messages, snippets, scan errors, a config file's reasons)
goes through the engine's redaction again before it is put in the report: the email must never carry a
secret, even one the engine's own redaction let through into an older scan's stored snippet.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

import scoring  # noqa: F401  (loads the checks, for their titles)
from app.teams import numbers
from app.waivers.queries import expiring_waivers
from app.web.badges import whole
from app.web.hosting import line_url
from app.web.models import FactorResult, Finding, Repository, Team
from app.web.queries import SEVERITY_RANK
from scoring.model import FACTOR_BY_NUMBER, FACTORS
from scoring.redact import redact_snippet
from scoring.registry import registered

from .links import absolute
from .weeks import WEEK, Week

SERIOUS = ("critical", "high")  # new findings of these severities make a repository a regression
ITEMS = 5  # findings listed per repository (the rest are counted)
SPARK_POINTS = 8  # weekly scores in a repository's trend


@dataclass(frozen=True)
class Item:
    """One finding, as the email shows it."""

    check_id: str
    title: str
    severity: str
    factor: int
    path: str
    line: int | None
    message: str
    snippet: str
    url: str | None  # the file and line at the scanned commit, where the host is known


@dataclass(frozen=True)
class Change:
    """A repository's week: its score then and now, and the findings that came and went."""

    name: str
    slug: str
    url: str
    compare_url: str | None
    score: float | None
    previous: float | None
    new: list[Item]  # the new high and critical findings, worst first, at most ITEMS
    new_serious: int  # how many new high and critical findings in all
    new_total: int  # new findings of any severity
    fixed: list[Item]
    fixed_total: int

    @property
    def delta(self) -> int | None:
        return points_change(self.score, self.previous)

    @property
    def more_new(self) -> int:
        return self.new_serious - len(self.new)

    @property
    def more_fixed(self) -> int:
        return self.fixed_total - len(self.fixed)


@dataclass(frozen=True)
class Row:
    """A line of the table of every repository."""

    slug: str
    name: str
    url: str
    score: float | None
    delta: int | None  # over the 7 days before the report, in whole points
    statuses: list[str]  # the twelve factors' statuses ("" when not scored)
    series: list[float | None]  # the score at the end of each of the last SPARK_POINTS weeks, oldest first
    note: str  # "new" (added this week), "never" (no score yet), or ""
    compare_url: str | None  # this week's scan against last week's, when it changed


@dataclass(frozen=True)
class Unscanned:
    name: str
    url: str
    reason: str  # "failed", "stale" or "never"
    detail: str


@dataclass(frozen=True)
class Weak:
    number: int
    name: str
    average: float | None
    failing: int
    warning: int
    scored: int


@dataclass(frozen=True)
class CommonCheck:
    check_id: str
    title: str
    factor: int
    factor_name: str
    repositories: int
    findings: int


@dataclass(frozen=True)
class Expiry:
    repository: str
    url: str
    what: str
    reason: str
    expires_on: date
    days_left: int
    source: str  # "dashboard" or "config"


@dataclass(frozen=True)
class ReportData:
    team: str
    team_slug: str
    week: str
    week_label: str
    time_zone: str
    as_of: datetime
    since: datetime  # as_of minus 7 days: what every change is measured against
    average: float | None
    previous: float | None
    scored: int
    repositories: int
    regressions: list[Change]
    improvements: list[Change]
    weakest: list[Weak]
    checks: list[CommonCheck]
    unscanned: list[Unscanned]
    table: list[Row]
    expiring: list[Expiry]
    added: list[str]
    removed: list[str]
    new_findings: int  # findings (any severity) that appeared in the week, across the team
    links: dict[str, str] = field(default_factory=dict)

    @property
    def delta(self) -> int | None:
        return points_change(self.average, self.previous)

    @property
    def fixes(self) -> int:
        return sum(c.fixed_total for c in self.improvements)

    @property
    def nothing_changed(self) -> bool:
        """No score moved, no finding came or went, no repository came or went."""
        moved = any(r.delta or (r.score is not None and r.delta is None) for r in self.table)  # or a first score
        moved = moved or self.new_findings or self.fixes
        return not (moved or self.regressions or self.improvements or self.added or self.removed)


def points_change(now: float | None, then: float | None) -> int | None:
    """The change as the email shows it: between the two scores as displayed, whole points (so that
    "81 → 65" reads −16, not the −16.5 between 81.0 and 64.5), and a change below half a point is none."""
    return None if now is None or then is None else whole(now) - whole(then)


def safe(text: str | None) -> str:
    """Text from a scanned repository, redacted again (at most 200 characters, as a snippet)."""
    return redact_snippet(text or "")


def build(team: Team, week: Week, as_of: datetime, zone: ZoneInfo, removed: list[str] = ()) -> ReportData:
    """The report of `team` for `week`, as of `as_of`; `removed` names the repositories the previous
    report listed that the team no longer has (send.py reads them from that report's data)."""
    since = as_of - WEEK
    repos = list(Repository.objects.filter(team=team, created_at__lte=as_of).order_by("name", "pk"))
    now, then = numbers.latest_scans(team, as_of), numbers.latest_scans(team, since)
    average = numbers.average(team, as_of)
    changes = week_changes(repos, now, then)
    return ReportData(
        team=team.name,
        team_slug=team.slug,
        week=str(week),
        week_label=week.label(),
        time_zone=str(zone),
        as_of=as_of,
        since=since,
        average=average.value,
        previous=average.previous,
        scored=average.scored,
        repositories=average.repositories,
        regressions=sorted((c for c in changes if _regressed(c)), key=lambda c: (c.delta or 0, -c.new_serious, c.name)),
        improvements=sorted((c for c in changes if _improved(c)), key=lambda c: (-c.fixed_total, c.name)),
        weakest=[
            Weak(w.number, w.name, w.average, w.failing, w.warning, w.scored)
            for w in numbers.weakest_factors(team, as_of)
            if w.failing or w.warning
        ],  # only what needs work
        checks=common_checks(team, as_of),
        unscanned=[
            Unscanned(a.repository.name, _scorecard(a.repository), a.reason, safe(a.detail))
            for a in numbers.needs_attention(team, as_of)
        ],
        table=table(team, repos, now, since, as_of, changes),
        expiring=[
            Expiry(
                e.repository.name,
                _scorecard(e.repository),
                safe(e.what),
                safe(e.reason),
                e.expires_on,
                e.days_left,
                e.source,
            )
            for e in expiring_waivers(team, within_days=14, now=as_of)
        ],
        added=[r.name for r in repos if r.created_at > since],
        removed=sorted(removed),
        new_findings=sum(c.new_total for c in changes),
        links={
            "team": absolute(reverse("teams:detail", args=[team.slug])),
            "repositories": absolute(reverse("repositories") + f"?team={team.slug}"),
            "settings": absolute(reverse("reports:archive", args=[team.slug])),
        },
    )


def _regressed(c: Change) -> bool:
    return (c.delta is not None and c.delta < 0) or c.new_serious > 0


def _improved(c: Change) -> bool:
    return (c.delta is not None and c.delta > 0) or c.fixed_total > 0


def _scorecard(repo: Repository) -> str:
    return absolute(reverse("repository", args=[repo.slug]))


def week_changes(repos: list[Repository], now: dict, then: dict) -> list[Change]:
    """Per repository scored both now and a week ago: its findings compared by fingerprint (one query)."""
    pairs = {r.pk: (then[r.pk], now[r.pk]) for r in repos if r.pk in now and r.pk in then}
    findings = _findings({s.result_id for pair in pairs.values() for s in pair})
    out = []
    for repo in repos:
        if repo.pk not in pairs:
            continue
        old, new = pairs[repo.pk]
        before, after = findings.get(old.result_id, {}), findings.get(new.result_id, {})
        counted = {fp: f for fp, f in after.items() if f.waiver is None}  # a waived finding is not counted
        appeared = [f for fp, f in counted.items() if fp not in before]
        gone = [f for fp, f in before.items() if fp not in after and f.waiver is None]
        serious = [f for f in appeared if f.severity in SERIOUS]
        compare = reverse("compare", args=[repo.slug]) + f"?a={old.scan_id}&b={new.scan_id}"
        out.append(
            Change(
                name=repo.name,
                slug=repo.slug,
                url=_scorecard(repo),
                compare_url=absolute(compare) if old.scan_id != new.scan_id else None,
                score=new.score,
                previous=old.score,
                new=[_item(repo, new.commit, f) for f in _worst(serious)[:ITEMS]],
                new_serious=len(serious),
                new_total=len(appeared),
                fixed=[_item(repo, old.commit, f) for f in _worst(gone)[:ITEMS]],
                fixed_total=len(gone),
            )
        )
    return out


def _findings(result_ids: set[int]) -> dict[int, dict[str, Finding]]:
    """Result scan → fingerprint → finding, problems only (evidence is not something to fix)."""
    out: dict[int, dict[str, Finding]] = defaultdict(dict)
    rows = (
        Finding.objects.filter(factor_result__scan_id__in=result_ids)
        .exclude(severity="info")
        .select_related("factor_result")
        .only(
            "check_id",
            "severity",
            "path",
            "line",
            "message",
            "snippet",
            "fingerprint",
            "waiver",
            "factor_result__scan_id",
            "factor_result__factor",
        )
        .order_by("pk")
    )
    for f in rows:
        out[f.factor_result.scan_id].setdefault(f.fingerprint, f)
    return out


def _worst(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_RANK.get(f.severity, 9), f.path, f.line or 0, f.check_id))


def _item(repo: Repository, commit: str, f: Finding) -> Item:
    path = safe(f.path)
    return Item(
        check_id=f.check_id,
        title=check_titles().get(f.check_id, f.check_id),
        severity=f.severity,
        factor=f.factor_result.factor,
        path=path,
        line=f.line,
        message=safe(f.message),
        snippet=safe(f.snippet),
        url=line_url(repo.clone_url, commit, f.path, f.line) if path == f.path else None,  # no link to a redacted path
    )


_TITLES: dict[str, str] = {}


def check_titles() -> dict[str, str]:
    if not _TITLES:
        _TITLES.update({c.spec.id: c.spec.title for c in registered()})
    return _TITLES


def common_checks(team: Team, as_of: datetime) -> list[CommonCheck]:
    return [
        CommonCheck(
            c.check_id,
            check_titles().get(c.check_id, c.check_id),
            c.factor,
            FACTOR_BY_NUMBER[c.factor].name,
            c.repositories,
            c.findings,
        )
        for c in numbers.common_failing_checks(team, as_of)
    ]


def table(
    team: Team, repos: list[Repository], now: dict, since: datetime, as_of: datetime, changes: list[Change]
) -> list[Row]:
    """Every repository, lowest score first (those without a score last): two queries."""
    compare = {c.slug: c.compare_url for c in changes}
    series = numbers.repository_series(team, as_of, points=SPARK_POINTS)
    statuses: dict[int, dict[int, str]] = defaultdict(dict)
    for scan_id, factor, status in FactorResult.objects.filter(
        scan_id__in={s.result_id for s in now.values()}
    ).values_list("scan_id", "factor", "status"):
        statuses[scan_id][factor] = status
    rows = []
    for repo in repos:
        scan = now.get(repo.pk)
        points = series.get(repo.pk, [None] * SPARK_POINTS)
        week_ago = points[-2]  # the points are a week apart
        score = scan.score if scan else None
        by_factor = statuses.get(scan.result_id, {}) if scan else {}
        rows.append(
            Row(
                slug=repo.slug,
                name=repo.name,
                url=_scorecard(repo),
                score=score,
                delta=points_change(score, week_ago),
                statuses=[by_factor.get(f.number, "") for f in FACTORS],
                series=points,
                note="new" if repo.created_at > since else "never" if scan is None else "",
                compare_url=compare.get(repo.slug),
            )
        )
    return sorted(rows, key=lambda r: (r.score is None, r.score or 0, r.name.lower(), r.slug))
