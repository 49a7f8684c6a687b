"""A team's numbers as of a moment: its average score and trend, its weakest factors, its most common
failing checks, and the repositories that need attention.

Plain functions over the stored scans, each taking a team and an `as_of` datetime and returning small
frozen dataclasses: the team page, the weekly email and the API all read these, so a number means the
same thing everywhere. "As of" means: scans finished by then, repositories added by then. A
repository's score at a moment is the score of its newest scored scan finished by then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Avg, Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from app.web.models import FactorResult, Finding, Repository, Scan, Team
from scoring.model import FACTOR_BY_NUMBER

WEEK = timedelta(days=7)
FAILING_SEVERITIES = ("critical", "high", "medium")  # what makes a factor warn or fail (low only dents it)


@dataclass(frozen=True)
class Average:
    value: float | None  # mean of the repositories' scores; None when none is scored
    previous: float | None  # the same, one window earlier
    scored: int  # repositories with a score
    repositories: int  # repositories of the team

    @property
    def delta(self) -> float | None:
        return None if self.value is None or self.previous is None else round(self.value - self.previous, 1)


@dataclass(frozen=True)
class TrendPoint:
    at: datetime
    average: float | None
    scored: int


@dataclass(frozen=True)
class FactorStanding:
    number: int
    name: str
    average: float | None  # mean factor score (0–10) where it applies
    failing: int
    warning: int
    scored: int  # repositories where the factor applies


@dataclass(frozen=True)
class CheckCount:
    check_id: str
    factor: int
    repositories: int  # how many repositories it fails in
    findings: int


@dataclass(frozen=True)
class ScoredScan:
    """A repository's newest scored scan at a moment."""

    scan_id: int
    result_id: int  # the scan holding its stored results (itself, or the identical earlier one)
    score: float | None
    commit: str
    finished_at: datetime


@dataclass(frozen=True)
class Attention:
    repository: Repository
    reason: str  # "failed", "stale" or "never"
    detail: str
    last_scored: datetime | None


def _scores(team: Team, as_of: datetime) -> list[tuple[int, datetime, datetime, float | None]]:
    """(repository, queued, finished, score) of every scored scan of the team finished by `as_of`."""
    return list(
        Scan.objects.filter(repository__team=team, state=Scan.DONE, finished_at__lte=as_of).values_list(
            "repository_id", "queued_at", "finished_at", "score"
        )
    )


def _latest_scores(rows, at: datetime) -> dict[int, float]:
    newest: dict[int, tuple[datetime, float | None]] = {}
    for repo_id, queued, finished, score in rows:
        if finished <= at and (repo_id not in newest or queued > newest[repo_id][0]):
            newest[repo_id] = (queued, score)
    return {repo_id: score for repo_id, (_q, score) in newest.items() if score is not None}


def _mean(values) -> float | None:
    values = list(values)
    return round(sum(values) / len(values), 1) if values else None


def average(team: Team, as_of: datetime, window: timedelta = WEEK) -> Average:
    rows = _scores(team, as_of)
    now, then = _latest_scores(rows, as_of), _latest_scores(rows, as_of - window)
    total = Repository.objects.filter(team=team, created_at__lte=as_of).count()
    return Average(_mean(now.values()), _mean(then.values()), len(now), total)


def trend(team: Team, as_of: datetime, points: int = 8, step: timedelta = WEEK) -> list[TrendPoint]:
    """The average at `as_of` and at each `step` before it, oldest first (one query)."""
    rows = _scores(team, as_of)
    out = []
    for k in range(points - 1, -1, -1):
        at = as_of - k * step
        scores = _latest_scores(rows, at)
        out.append(TrendPoint(at, _mean(scores.values()), len(scores)))
    return out


def repository_series(team: Team, as_of: datetime, points: int = 8, step: timedelta = WEEK) -> dict[int, list]:
    """Each repository's score at `as_of` and at each `step` before it, oldest first (None: no score
    then), computed as `trend` computes the team's average (one query)."""
    rows = _scores(team, as_of)
    at = [_latest_scores(rows, as_of - k * step) for k in range(points - 1, -1, -1)]
    return {repo_id: [scores.get(repo_id) for scores in at] for repo_id in {r[0] for r in rows}}


def latest_scans(team: Team, at: datetime) -> dict[int, ScoredScan]:
    """Repository → its newest scored scan finished by `at` (the scan the scorecard showed then)."""
    rows = (
        Scan.objects.filter(repository__team=team, state=Scan.DONE, finished_at__lte=at)
        .order_by("repository_id", "-queued_at")
        .distinct("repository_id")
        .values_list("repository_id", "pk", "reused_from_id", "score", "commit_sha", "finished_at")
    )
    return {r: ScoredScan(pk, reused or pk, score, commit, finished) for r, pk, reused, score, commit, finished in rows}


def _result_scan_ids(team: Team, as_of: datetime) -> Subquery:
    """The scan holding the stored results of each repository's newest scored scan by `as_of`."""
    newest = (
        Scan.objects.filter(repository=OuterRef("pk"), state=Scan.DONE, finished_at__lte=as_of)
        .order_by("-queued_at")
        .values(result=Coalesce("reused_from_id", "pk"))[:1]
    )
    return (
        Repository.objects.filter(team=team)
        .annotate(result=Subquery(newest))
        .filter(result__isnull=False)
        .values("result")
    )


def weakest_factors(team: Team, as_of: datetime, limit: int = 3) -> list[FactorStanding]:
    """Factors by their mean score across the team, lowest first (most failing first on a tie)."""
    rows = (
        FactorResult.objects.filter(scan_id__in=_result_scan_ids(team, as_of))
        .values("factor")
        .annotate(
            average=Avg("score"),
            failing=Count("pk", filter=Q(status=FactorResult.FAIL)),
            warning=Count("pk", filter=Q(status=FactorResult.WARN)),
            scored=Count("pk", filter=~Q(status=FactorResult.NA)),
        )
    )
    standings = [
        FactorStanding(
            r["factor"],
            FACTOR_BY_NUMBER[r["factor"]].name,
            None if r["average"] is None else round(r["average"], 1),
            r["failing"],
            r["warning"],
            r["scored"],
        )
        for r in rows
        if r["scored"]
    ]
    standings.sort(key=lambda s: (s.average, -s.failing, s.number))
    return standings[:limit]


def common_failing_checks(team: Team, as_of: datetime, limit: int = 5) -> list[CheckCount]:
    """The checks with medium or worse findings in the most repositories (then the most findings)."""
    rows = (
        Finding.objects.filter(
            factor_result__scan_id__in=_result_scan_ids(team, as_of), severity__in=FAILING_SEVERITIES
        )
        .values("check_id", "factor_result__factor")
        .annotate(
            repositories=Count("factor_result__scan_id", distinct=True),
            findings=Count("pk"),
        )
        .order_by("-repositories", "-findings", "check_id")[:limit]
    )
    return [CheckCount(r["check_id"], r["factor_result__factor"], r["repositories"], r["findings"]) for r in rows]


def needs_attention(team: Team, as_of: datetime, stale_after: timedelta = WEEK) -> list[Attention]:
    """Repositories whose newest scan failed, that were never scored, or not scored for `stale_after`."""
    newest = Scan.objects.filter(repository=OuterRef("pk"), queued_at__lte=as_of).order_by("-queued_at")
    scored = newest.filter(state=Scan.DONE, finished_at__lte=as_of)
    repos = (
        Repository.objects.filter(team=team, created_at__lte=as_of)
        .annotate(
            newest_state=Subquery(newest.values("state")[:1]),
            newest_error=Subquery(newest.values("error")[:1]),
            last_scored=Subquery(scored.values("finished_at")[:1]),
        )
        .order_by("name", "pk")
    )
    out = []
    for repo in repos:
        if repo.newest_state == Scan.FAILED:
            out.append(Attention(repo, "failed", repo.newest_error or "The last scan failed.", repo.last_scored))
        elif repo.last_scored is None:
            out.append(Attention(repo, "never", "Not scored yet.", None))
        elif repo.last_scored < as_of - stale_after:
            days = round((as_of - repo.last_scored) / timedelta(days=1))
            out.append(Attention(repo, "stale", f"Not scanned for {days} days.", repo.last_scored))
    return out
