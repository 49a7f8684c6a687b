"""Pages and JSON endpoints for signed-in team members. Views read; the pipeline writes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from scoring.model import FACTOR_BY_NUMBER, FACTORS

from . import badges, jsonbody, pipeline, queries
from .access import get_repository, repositories_of, teams_of
from .charts import Point, line_chart
from .forms import AddRepositoryForm
from .hosting import line_url
from .models import FactorResult, Repository, Scan

RECENT_SCANS = 60  # scans in the repository page's overall chart; the history page shows more


@login_required
def repositories(request):
    params = queries.ListParams.from_get(request.GET)
    page = queries.repository_page(request.user, params)
    ctx = {"page": page, "repositories": page.object_list, "params": params, "teams": list(teams_of(request.user)),
           "factors": FACTORS, "sorts": queries.SORTS, "statuses": queries.STATUS_FILTERS,
           "sort_value": ("-" if params.desc else "") + params.sort, "next_sort": next_sort(params),
           "sort_label": f"{queries.SORTS[params.sort].lower()}, {'descending' if params.desc else 'ascending'}"}
    return render(request, "web/repositories.html", ctx)


def next_sort(params: queries.ListParams) -> dict[str, str]:
    """What each sortable column header links to: its usual direction first, the other on a second click."""
    usual = {"name": "name", "score": "-score", "last": "-last"}
    current = ("-" if params.desc else "") + params.sort
    return {key: (value.lstrip("-") if value.startswith("-") else "-" + value) if current == value else value
            for key, value in usual.items()}


@login_required
def add_repository(request):
    form = AddRepositoryForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        repo, _scan = pipeline.add_repository(data["team"], data["url"], branch=data["branch"],
                                              is_public=data["is_public"])
        messages.success(request, f"{repo.name} was added; its first scan is queued.")
        return redirect(repo)
    return render(request, "web/add_repository.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def repository(request, slug):
    repo = get_repository(request.user, slug)
    done = repo.latest_scan
    results = queries.scorecard(done) if done else []
    for r in results:
        for f in r.problems + r.evidence:
            f.url = line_url(repo.clone_url, done.commit_sha, f.path, f.line)
    scans = scan_choices(repo)
    recent = [queries.HistoryScan(s) for s in reversed(scans[:RECENT_SCANS])]
    ctx = {"repo": repo, "scan": repo.scans.order_by("-queued_at").first(), "done": done, "results": results,
           "chart": line_chart([overall_point(h) for h in recent], f"Overall score of the last {len(recent)} scans"),
           "scans": scans, "stages": (Scan.QUEUED, Scan.CLONING, Scan.SCORING, Scan.DONE)}
    return render(request, "web/repository.html", ctx)


@login_required
def history(request, slug):
    repo = get_repository(request.user, slug)
    last = request.GET.get("last", "100")
    rows = queries.history(repo, last=None if last == "all" else int(last) if last.isdigit() else 100)
    charts = [(f, line_chart([factor_point(h, f) for h in rows], f"{f.number}. {f.name}: score per scan", top=10,
                              width=400, height=150))
              for f in FACTORS]
    ctx = {"repo": repo, "rows": rows, "last": last, "charts": charts,
           "overall": line_chart([overall_point(h) for h in rows], "Overall score per scan", width=960, height=220)}
    return render(request, "web/history.html", ctx)


def overall_point(h: queries.HistoryScan) -> Point:
    s = h.scan
    score = "not scored" if s.score is None else f"score {s.score:.1f}"
    return Point(f"Scan #{s.pk} · commit {s.short_sha} · {s.queued_at:%d %b %Y %H:%M} · {score}", s.score)


def factor_point(h: queries.HistoryScan, factor) -> Point:
    s, fr = h.scan, h.factors.get(factor.number)
    value = fr.score if fr else None
    result = f"{fr.status}, score {value:g}/10" if fr and value is not None else fr.status if fr else "no result"
    return Point(f"Scan #{s.pk} · commit {s.short_sha} · {s.queued_at:%d %b %Y} · {factor.name} {result}", value)


def scan_choices(repo) -> list[Scan]:
    return list(repo.scans.filter(state=Scan.DONE).order_by("-queued_at").only(
        "pk", "repository_id", "commit_sha", "score", "queued_at", "reused_from_id"))


@login_required
def compare(request, slug):
    repo = get_repository(request.user, slug)
    scans = scan_choices(repo)
    by_id = {str(s.pk): s for s in scans}
    b = by_id.get(request.GET.get("b", "")) or (scans[0] if scans else None)
    a = by_id.get(request.GET.get("a", "")) or (scans[1] if len(scans) > 1 else None)
    ctx = {"repo": repo, "scans": scans, "a": a, "b": b,
           "comparison": queries.compare(a, b) if a and b else None}
    if ctx["comparison"]:
        for f in ctx["comparison"].new + ctx["comparison"].unchanged:
            f.url = line_url(repo.clone_url, b.commit_sha, f.path, f.line)
        for f in ctx["comparison"].fixed:
            f.url = line_url(repo.clone_url, a.commit_sha, f.path, f.line)
    return render(request, "web/compare.html", ctx)


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


def public_repository(slug: str) -> Repository:
    """Badges need no sign-in, so they exist only for repositories marked public (404 for any other)."""
    return get_object_or_404(Repository.objects.select_related("latest_scan"), slug=slug, is_public=True)


def svg(body: str) -> HttpResponse:
    response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def badge(request, slug):
    scan = public_repository(slug).latest_scan
    return svg(badges.score_badge(scan.score if scan else None))


def factor_badge(request, slug, number):
    repo = public_repository(slug)
    if number not in FACTOR_BY_NUMBER:
        raise Http404("No such factor")
    scan = repo.latest_scan
    fr = FactorResult.objects.filter(scan_id=scan.reused_from_id or scan.pk, factor=number).first() if scan else None
    return svg(badges.factor_badge(number, FACTOR_BY_NUMBER[number].name, fr.status if fr else None,
                                   fr.score if fr else None))


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


@login_required
def api_repositories(request):
    """GET: the user's repositories. POST {"url", "team", "branch"?}: add one (201), or 400 with errors."""
    if request.method == "POST":
        return _api_add(request)
    repos = repositories_of(request.user).select_related("team", "latest_scan").order_by("name")
    return JsonResponse({"repositories": [
        {"slug": r.slug, "name": r.name, "team": r.team.slug, "url": r.clone_url,
         "score": r.latest_scan.score if r.latest_scan else None} for r in repos
    ]})


def _api_add(request):
    try:
        body = jsonbody.parse(request)
    except jsonbody.BodyError as exc:
        return JsonResponse({"errors": {"__all__": [str(exc)]}}, status=400)
    if not isinstance(body, dict):
        return JsonResponse({"errors": {"__all__": ["The body must be a JSON object."]}}, status=400)
    teams = teams_of(request.user)
    team = teams.filter(slug=body.get("team")).first() if body.get("team") else None
    if team is None and teams.count() == 1 and not body.get("team"):
        team = teams.first()
    if team is None:
        return JsonResponse({"errors": {"team": ["Name one of your teams."]}}, status=400)
    form = AddRepositoryForm({"url": body.get("url", ""), "team": team.pk, "branch": body.get("branch", ""),
                              "is_public": bool(body.get("is_public"))}, user=request.user)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    try:
        repo, scan = pipeline.add_repository(team, form.cleaned_data["url"], branch=form.cleaned_data["branch"])
    except ValidationError as exc:
        return JsonResponse({"errors": {"url": [{"message": m} for m in exc.messages]}}, status=400)
    return JsonResponse({"repository": repo.slug, "scan": scan_json(scan)}, status=201)
