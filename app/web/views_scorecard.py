"""A repository's pages: its scorecard (the latest scan, or any earlier one at its own URL), its history,
the comparison of two scans, a rescan and the live status of a scan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from scoring.model import FACTORS

from . import pipeline, queries
from .access import get_repository
from .charts import Point, chart_pair, line_chart
from .hosting import commit_url, line_url
from .models import Repository, Scan

RECENT_SCANS = 60  # scans in the repository page's overall chart; the history page shows more
STAGES = (Scan.QUEUED, Scan.CLONING, Scan.SCORING, Scan.DONE)


@login_required
def repository(request, slug):
    repo = get_repository(request.user, slug)
    ctx = scorecard_context(repo, repo.latest_scan)
    ctx["scan"] = repo.scans.order_by("-queued_at").first()
    return render(request, "web/repository.html", ctx)


@login_required
def scan(request, slug, scan_id):
    """An earlier scan's scorecard, as it was: its findings linked at its own commit."""
    repo = get_repository(request.user, slug)
    shown = get_object_or_404(Scan, repository=repo, pk=scan_id, state=Scan.DONE)
    ctx = scorecard_context(repo, shown)
    ctx.update(scan=shown, viewing=shown, latest=repo.latest_scan)
    return render(request, "web/repository.html", ctx)


def scorecard_context(repo: Repository, done: Scan | None) -> dict:
    results = queries.scorecard(done) if done else []
    for r in results:
        for f in r.problems + r.evidence:
            f.url = line_url(repo.clone_url, done.commit_sha, f.path, f.line)
    scans = scan_choices(repo)
    recent = [queries.HistoryScan(s) for s in reversed(scans[:RECENT_SCANS])]
    a, b = compare_defaults(scans)
    return {
        "repo": repo,
        "done": done,
        "results": results,
        "scans": scans,
        "stages": STAGES,
        "compare_a": a,
        "compare_b": b,
        "commit_link": commit_url(repo.clone_url, done.commit_sha) if done else None,
        "chart": chart_pair([overall_point(h) for h in recent], f"Overall score of the last {len(recent)} scans"),
    }


@login_required
def history(request, slug):
    repo = get_repository(request.user, slug)
    last = request.GET.get("last", "100")
    rows = queries.history(repo, last=None if last == "all" else int(last) if last.isdigit() else 100)
    charts = [
        (
            f,
            line_chart(
                [factor_point(h, f) for h in rows],
                f"{f.number}. {f.name}: score per scan",
                top=10,
                width=400,
                height=160,
                ticks=3,
            ),
        )
        for f in FACTORS
    ]
    table = list(
        reversed(
            [
                (
                    h,
                    commit_url(repo.clone_url, h.scan.commit_sha),
                    None
                    if prev is None or prev.scan.score is None or h.scan.score is None
                    else h.scan.score - prev.scan.score,
                )
                for prev, h in zip([None, *rows], rows, strict=False)
            ]
        )
    )
    ctx = {
        "repo": repo,
        "rows": rows,
        "table": table,
        "last": last,
        "charts": charts,
        "overall": chart_pair([overall_point(h) for h in rows], "Overall score per scan", height=200),
    }
    return render(request, "web/history.html", ctx)


def overall_point(h: queries.HistoryScan) -> Point:
    s = h.scan
    score = "not scored" if s.score is None else f"score {s.score:.1f}"
    return Point(
        f"Scan #{s.pk} · commit {s.short_sha} · {s.queued_at:%d %b %Y %H:%M} · {score}", s.score, f"{s.queued_at:%d %b}"
    )


def factor_point(h: queries.HistoryScan, factor) -> Point:
    s, fr = h.scan, h.factors.get(factor.number)
    value = fr.score if fr else None
    result = f"{fr.status}, score {value:g}/10" if fr and value is not None else fr.status if fr else "no result"
    return Point(
        f"Scan #{s.pk} · commit {s.short_sha} · {s.queued_at:%d %b %Y} · {factor.name} {result}",
        value,
        f"{s.queued_at:%d %b}",
    )


def scan_choices(repo) -> list[Scan]:
    return list(
        repo.scans.filter(state=Scan.DONE)
        .order_by("-queued_at")
        .only("pk", "repository_id", "commit_sha", "score", "queued_at", "reused_from_id")
    )


@login_required
def compare(request, slug):
    repo = get_repository(request.user, slug)
    scans = scan_choices(repo)
    by_id = {str(s.pk): s for s in scans}
    default_a, default_b = compare_defaults(scans)
    a = by_id.get(request.GET.get("a", "")) or default_a
    b = by_id.get(request.GET.get("b", "")) or default_b
    swapped = bool(a and b and a.queued_at > b.queued_at)
    if swapped:  # the form says "from (older) to (newer)": keep that true whatever was picked
        a, b = b, a
    ctx = {
        "repo": repo,
        "scans": scans,
        "a": a,
        "b": b,
        "swapped": swapped,
        "comparison": queries.compare(a, b) if a and b else None,
    }
    if ctx["comparison"]:
        for f in ctx["comparison"].new + ctx["comparison"].unchanged:
            f.url = line_url(repo.clone_url, b.commit_sha, f.path, f.line)
        for f in ctx["comparison"].fixed:
            f.url = line_url(repo.clone_url, a.commit_sha, f.path, f.line)
    return render(request, "web/compare.html", ctx)


def compare_defaults(scans: list[Scan]) -> tuple[Scan | None, Scan | None]:
    """The newest scan against the newest one of another commit (the last two may be the same commit)."""
    if len(scans) < 2:
        return None, scans[0] if scans else None
    newest = scans[0]
    other = next((s for s in scans[1:] if s.commit_sha != newest.commit_sha), scans[1])
    return other, newest


@login_required
@require_POST
def rescan(request, slug):
    repo = get_repository(request.user, slug)
    with transaction.atomic():
        pipeline.request_scan(repo, Scan.MANUAL)
    messages.success(request, "A new scan is queued.")
    return redirect(repo)


@login_required
def scan_status(request, slug, scan_id):
    repo = get_repository(request.user, slug)
    scan = get_object_or_404(Scan, repository=repo, pk=scan_id)
    return JsonResponse(scan_json(scan))


def scan_json(scan: Scan) -> dict:
    return {
        "id": scan.pk,
        "state": scan.state,
        "error": scan.error,
        "commit": scan.commit_sha or None,
        "score": scan.score,
        "queued_at": scan.queued_at.isoformat(),
        "finished_at": scan.finished_at.isoformat() if scan.finished_at else None,
    }
