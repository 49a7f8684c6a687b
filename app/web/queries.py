"""The reads behind the dashboard, each a fixed number of SQL queries whatever the data size.

The list page is one annotated query for a page of repositories (latest scan joined, newest scan
state, previous and week-old scores as correlated subqueries served by the `scan_repo_recent`
index), one COUNT for the paginator, and one query for the twelve factor cells of that page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
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
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def sort_options() -> list[tuple[str, str]]:
    """The sort menu: each key in both directions, worded for what it sorts (names go A to Z)."""
    options = [("name", "Name, A to Z"), ("-name", "Name, Z to A"), ("-score", "Score, high to low"),
               ("score", "Score, low to high"), ("-last", "Last scan, newest first"), ("last", "Last scan, oldest first")]
    for f in FACTORS:
        options += [(f"-f{f.number}", f"{ROMAN[f.number - 1]}. {f.name}, high to low"),
                    (f"f{f.number}", f"{ROMAN[f.number - 1]}. {f.name}, low to high")]
    return options


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


def filtered(user, params: ListParams) -> QuerySet[Repository]:
    """The user's repositories that match the filters, with `result_scan_id` (and `state`, the newest scan's,
    when the status filter needs it: it is a subquery per repository)."""
    qs = repositories_of(user).annotate(result_scan_id=Coalesce("latest_scan__reused_from_id", "latest_scan_id"))
    if params.status:
        qs = qs.annotate(state=Subquery(_newest().values("state")[:1]))
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
    return qs


def repository_rows(user, params: ListParams, now: datetime | None = None) -> QuerySet[Repository]:
    now = now or timezone.now()
    done = _newest().filter(state=Scan.DONE)
    before_latest = done.filter(queued_at__lt=OuterRef("latest_scan__queued_at"))
    qs = filtered(user, params)
    if not params.status:
        qs = qs.annotate(state=Subquery(_newest().values("state")[:1]))
    qs = qs.select_related("team", "latest_scan").defer(
        "webhook_secret", "latest_scan__stats", "latest_scan__kind_reasons", "latest_scan__error",
    ).annotate(
        previous_score=Subquery(before_latest.values("score")[:1]),
        previous_result_id=Subquery(before_latest.values(result=Coalesce("reused_from_id", "pk"))[:1]),
        week_score=Subquery(done.filter(queued_at__lte=now - timedelta(days=7)).values("score")[:1]),
    )
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
    new: int = 0  # findings of this factor that the previous scan did not have


@dataclass(frozen=True)
class Total:
    """One heatmap column's footer: how many of the scored repositories fail (or warn on) a factor."""

    number: int
    name: str
    failing: int
    warning: int
    scored: int


def repository_page(user, params: ListParams) -> Page:
    page = Paginator(repository_rows(user, params), PER_PAGE).get_page(params.page)
    attach_cells(page.object_list)
    return page


def factor_totals(user, params: ListParams, page: Page) -> list[Total]:
    """Per factor, over every repository the filters match (not only this page): counted from the page's
    cells when it is the only page, else one grouped query (some 30 ms over 1,000 repositories)."""
    if page.paginator.num_pages == 1:
        cells = [c for repo in page.object_list for c in repo.cells if c.status]
        return [Total(f.number, f.name, *(sum(1 for c in cells if c.number == f.number and c.status == s)
                                          for s in (FactorResult.FAIL, FactorResult.WARN)),
                      sum(1 for c in cells if c.number == f.number and c.status != FactorResult.NA)) for f in FACTORS]
    ids = filtered(user, params).filter(result_scan_id__isnull=False).order_by().values("result_scan_id")
    rows = FactorResult.objects.filter(scan_id__in=Subquery(ids)).values("factor").annotate(
        failing=Count("pk", filter=Q(status=FactorResult.FAIL)), warning=Count("pk", filter=Q(status=FactorResult.WARN)),
        scored=Count("pk", filter=~Q(status=FactorResult.NA)))
    by_factor = {r["factor"]: r for r in rows}
    return [Total(f.number, f.name, *(by_factor.get(f.number, {}).get(k, 0) for k in ("failing", "warning", "scored")))
            for f in FACTORS]


def attach_cells(repos) -> None:
    """Give each repository `.cells`: twelve factor results of its latest scan, with their new findings."""
    repos = list(repos)
    by_scan: dict[int, dict[int, tuple[str, float | None]]] = {}
    result_ids: dict[int, tuple[int, int]] = {}  # factor result → (scan, factor)
    ids = {r.result_scan_id for r in repos if r.result_scan_id} | {r.previous_result_id for r in repos
                                                                    if r.result_scan_id and r.previous_result_id}
    rows = FactorResult.objects.filter(scan_id__in=ids).values_list("pk", "scan_id", "factor", "status", "score")
    for pk, scan_id, factor, status, score in rows:  # tuples, not models: 1,200 of them per page
        by_scan.setdefault(scan_id, {})[factor] = (status, score)
        result_ids[pk] = (scan_id, factor)
    new = new_findings([(r.result_scan_id, r.previous_result_id) for r in repos if r.result_scan_id], result_ids)
    for repo in repos:
        score = repo.latest_scan.score if repo.latest_scan else None
        repo.delta_previous = _delta(score, repo.previous_score)
        repo.delta_week = _delta(score, repo.week_score)
        results = by_scan.get(repo.result_scan_id, {})
        repo.cells = [Cell(f.number, f.name, *results.get(f.number, ("", None)),
                           new=new.get((repo.result_scan_id, f.number), 0)) for f in FACTORS]


def new_findings(pairs: list[tuple[int, int | None]], results: dict[int, tuple[int, int]]) -> dict[tuple[int, int], int]:
    """(scan, factor) → how many of its problems the previous scan did not have, by fingerprint; one query.

    `results` maps the factor results of those scans to (scan, factor): findings are read by their
    factor result (the foreign key's index), never by joining on the scan. A factor already at 0 that
    gains a finding keeps its score: the count is what shows the change.
    """
    pairs = [(latest, previous) for latest, previous in pairs if previous and previous != latest]
    wanted = {x for pair in pairs for x in pair}
    fingerprints: dict[int, dict[int, set[str]]] = {}
    rows = Finding.objects.filter(factor_result_id__in=[pk for pk, (scan, _f) in results.items() if scan in wanted]
                                  ).exclude(severity="info").values_list("factor_result_id", "fingerprint")
    for result_id, fingerprint in rows:
        scan_id, factor = results[result_id]
        fingerprints.setdefault(scan_id, {}).setdefault(factor, set()).add(fingerprint)
    counts = {}
    for latest, previous in pairs:
        before = fingerprints.get(previous, {})
        for factor, prints in fingerprints.get(latest, {}).items():
            if added := len(prints - before.get(factor, set())):
                counts[(latest, factor)] = added
    return counts


def _delta(now: float | None, then: float | None) -> float | None:
    return None if now is None or then is None else now - then


@dataclass
class HistoryScan:
    scan: Scan
    factors: dict[int, FactorResult] = field(default_factory=dict)


def history(repo: Repository, last: int | None = None) -> list[HistoryScan]:
    """The repository's scored scans, oldest first (the newest `last` of them), with their factor results."""
    scans = Scan.objects.filter(repository=repo, state=Scan.DONE).order_by("-queued_at").only(
        "pk", "repository_id", "commit_sha", "score", "queued_at", "finished_at", "reused_from_id", "state", "trigger")
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
