"""The reads behind the dashboard, each a fixed number of SQL queries whatever the data size.

The list page is one annotated query for a page of repositories (latest scan joined, newest scan
state, previous and week-old scores as correlated subqueries served by the `scan_repo_recent`
index), one COUNT for the paginator, and one query for the twelve factor cells of that page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from scoring.model import FACTORS

from .access import repositories_of
from .models import FactorResult, Finding, Repository, Scan

PER_PAGE = 50
STATUS_FILTERS = {"done": "Scored", "running": "Queued or running", "failed": "Failed", "never": "Never scanned"}
SORTS = {"name": "Name", "score": "Score", "last": "Last scan", **{f"f{f.number}": f.name for f in FACTORS}}
SORT_KEYS = {"name": "name", "score": "latest_scan__score", "last": "latest_scan__finished_at"}
SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}


@dataclass
class ListParams:
    team: str = ""
    status: str = ""
    q: str = ""
    sort: str = "name"
    desc: bool = False
    page: str = "1"

    @classmethod
    def from_get(cls, get) -> ListParams:
        sort = get.get("sort", "name")
        desc = sort.startswith("-")
        sort = sort.lstrip("-")
        return cls(team=get.get("team", ""), status=get.get("status", "") if get.get("status") in STATUS_FILTERS else "",
                   q=get.get("q", "").strip()[:200], sort=sort if sort in SORTS else "name",
                   desc=desc, page=get.get("page", "1"))


def _newest(repo_ref: str = "pk") -> QuerySet[Scan]:
    return Scan.objects.filter(repository=OuterRef(repo_ref)).order_by("-queued_at")


def repository_rows(user, params: ListParams, now: datetime | None = None) -> QuerySet[Repository]:
    now = now or timezone.now()
    done = _newest().filter(state=Scan.DONE)
    qs = repositories_of(user).select_related("team", "latest_scan").defer(
        "webhook_secret", "latest_scan__stats", "latest_scan__kind_reasons", "latest_scan__error",
    ).annotate(
        state=Subquery(_newest().values("state")[:1]),
        result_scan_id=Coalesce("latest_scan__reused_from_id", "latest_scan_id"),
        previous_score=Subquery(done.filter(queued_at__lt=OuterRef("latest_scan__queued_at")).values("score")[:1]),
        week_score=Subquery(done.filter(queued_at__lte=now - timedelta(days=7)).values("score")[:1]),
    )
    if params.team:
        qs = qs.filter(team__slug=params.team)
    if params.q:
        qs = qs.filter(Q(name__icontains=params.q) | Q(clone_url__icontains=params.q))
    if params.status == "running":
        qs = qs.filter(state__in=(Scan.QUEUED, *Scan.RUNNING_STATES))
    elif params.status == "never":
        qs = qs.filter(state__isnull=True)
    elif params.status:
        qs = qs.filter(state=params.status)
    if params.sort.startswith("f"):  # a factor's score in the latest scan
        qs = qs.annotate(sort_factor=Subquery(FactorResult.objects.filter(
            scan_id=OuterRef("result_scan_id"), factor=int(params.sort[1:])).values("score")[:1]))
    key = F(SORT_KEYS.get(params.sort, "sort_factor"))
    return qs.order_by(key.desc(nulls_last=True) if params.desc else key.asc(nulls_last=True), "name", "pk")


@dataclass
class Cell:
    number: int
    name: str
    status: str = ""  # "" when the repository has no scored scan yet
    score: float | None = None


def repository_page(user, params: ListParams) -> Page:
    page = Paginator(repository_rows(user, params), PER_PAGE).get_page(params.page)
    attach_cells(page.object_list)
    return page


def attach_cells(repos) -> None:
    """Give each repository `.cells`: twelve factor results of its latest scan, in one query."""
    repos = list(repos)
    by_scan: dict[int, dict[int, tuple[str, float | None]]] = {}
    ids = [r.result_scan_id for r in repos if r.result_scan_id]
    rows = FactorResult.objects.filter(scan_id__in=ids).values_list("scan_id", "factor", "status", "score")
    for scan_id, factor, status, score in rows:  # tuples, not models: 600 of them per page
        by_scan.setdefault(scan_id, {})[factor] = (status, score)
    for repo in repos:
        score = repo.latest_scan.score if repo.latest_scan else None
        repo.delta_previous = _delta(score, repo.previous_score)
        repo.delta_week = _delta(score, repo.week_score)
        results = by_scan.get(repo.result_scan_id, {})
        repo.cells = [Cell(f.number, f.name, *results.get(f.number, ("", None))) for f in FACTORS]


def _delta(now: float | None, then: float | None) -> float | None:
    return None if now is None or then is None else now - then


@dataclass
class HistoryScan:
    scan: Scan
    factors: dict[int, FactorResult] = field(default_factory=dict)


def history(repo: Repository, last: int | None = None) -> list[HistoryScan]:
    """The repository's scored scans, oldest first (the newest `last` of them), with their factor results."""
    scans = Scan.objects.filter(repository=repo, state=Scan.DONE).order_by("-queued_at").only(
        "pk", "repository_id", "commit_sha", "score", "queued_at", "finished_at", "reused_from_id", "state")
    if last:
        scans = scans[:last]
    rows = [HistoryScan(s) for s in reversed(list(scans))]
    ids = {r.scan.reused_from_id or r.scan.pk for r in rows}
    by_scan: dict[int, dict[int, FactorResult]] = {}
    for fr in FactorResult.objects.filter(repository=repo, scan_id__in=ids).only(
            "scan_id", "factor", "name", "status", "score"):
        by_scan.setdefault(fr.scan_id, {})[fr.factor] = fr
    for row in rows:
        row.factors = by_scan.get(row.scan.reused_from_id or row.scan.pk, {})
    return rows


def scorecard(scan: Scan) -> list[FactorResult]:
    """The twelve factor results of a scan, each with `.problems` (worst first) and `.evidence`."""
    results = list(FactorResult.objects.filter(scan_id=scan.reused_from_id or scan.pk))
    findings: dict[int, list[Finding]] = {}
    for f in Finding.objects.filter(factor_result__in=results).order_by("path", "line", "pk"):
        findings.setdefault(f.factor_result_id, []).append(f)
    for r in results:
        mine = sorted(findings.get(r.pk, []), key=lambda f: SEVERITY_RANK.get(f.severity, 9))
        r.problems = [f for f in mine if not f.is_evidence]
        r.evidence = [f for f in mine if f.is_evidence]
    return results


@dataclass
class Comparison:
    new: list[Finding]
    fixed: list[Finding]
    unchanged: list[Finding]
    deltas: list[tuple[int, str, FactorResult | None, FactorResult | None, float | None]]


def compare(a: Scan, b: Scan) -> Comparison:
    """Findings of `b` against `a` by fingerprint (problems only: evidence is not a finding to fix)."""
    ra, rb = a.reused_from_id or a.pk, b.reused_from_id or b.pk
    results = {(fr.scan_id, fr.factor): fr for fr in FactorResult.objects.filter(scan_id__in=(ra, rb))}
    findings: dict[int, dict[str, Finding]] = {ra: {}, rb: {}}
    for f in Finding.objects.filter(factor_result__scan_id__in=(ra, rb)).exclude(severity="info").select_related(
            "factor_result").order_by("factor_result__factor", "path", "line", "pk"):
        findings[f.factor_result.scan_id].setdefault(f.fingerprint, f)
    old, new = findings[ra], findings[rb]
    deltas = []
    for factor in FACTORS:
        x, y = results.get((ra, factor.number)), results.get((rb, factor.number))
        delta = y.score - x.score if x and y and x.score is not None and y.score is not None else None
        deltas.append((factor.number, factor.name, x, y, delta))
    return Comparison(
        new=[f for fp, f in new.items() if fp not in old],
        fixed=[f for fp, f in old.items() if fp not in new],
        unchanged=[f for fp, f in new.items() if fp in old],
        deltas=deltas,
    )
