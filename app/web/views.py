"""Pages and JSON endpoints for signed-in team members. Views read; the pipeline writes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from scoring.model import FACTOR_BY_NUMBER, FACTORS

from . import badges, jsonbody, pipeline, queries
from .access import repositories_of, teams_of
from .forms import AddRepositoryForm
from .models import FactorResult, Repository
from .views_scorecard import scan_json


@login_required
def repositories(request):
    params = queries.ListParams.from_get(request.GET)
    page = queries.repository_page(request.user, params)
    sorts = dict(queries.sort_options())
    sort_value = ("-" if params.desc else "") + params.sort
    following = next_sort(params)
    ctx = {"page": page, "repositories": page.object_list, "params": params, "teams": list(teams_of(request.user)),
           "sorts": sorts, "statuses": queries.STATUS_FILTERS, "sort_value": sort_value, "next_sort": following,
           "factor_columns": [(f.number, f.name, following[f"f{f.number}"]) for f in FACTORS],
           "sorted_factor": int(params.sort[1:]) if params.sort.startswith("f") else None,
           "totals": queries.factor_totals(request.user, params, page) if page.object_list else [],
           "sort_label": sorts[sort_value]}
    return render(request, "web/repositories.html", ctx)


def next_sort(params: queries.ListParams) -> dict[str, str]:
    """What each sortable column header links to: its usual direction first, the other on a second click."""
    usual = {"name": "name", "score": "-score", "last": "-last", **{f"f{f.number}": f"-f{f.number}" for f in FACTORS}}
    current = ("-" if params.desc else "") + params.sort
    return {key: (value.lstrip("-") if value.startswith("-") else "-" + value) if current == value else value
            for key, value in usual.items()}


@login_required
def add_repository(request):
    form = AddRepositoryForm(request.POST or None, user=request.user)
    if not form.fields["team"].queryset.exists():
        return render(request, "web/add_repository.html", {"form": None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        repo, _scan = pipeline.add_repository(data["team"], data["url"], branch=data["branch"],
                                              is_public=data["is_public"])
        messages.success(request, f"{repo.name} was added; its first scan is queued.")
        return redirect(repo)
    return render(request, "web/add_repository.html", {"form": form}, status=400 if form.errors else 200)


def public_repository(slug: str) -> Repository:
    """Badges need no sign-in, so they exist only for repositories marked public (404 for any other)."""
    return get_object_or_404(Repository.objects.select_related("latest_scan"), slug=slug, is_public=True)


def svg(body: str) -> HttpResponse:
    response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def badge(request, slug):
    scan = public_repository(slug).latest_scan
    return svg(badges.score_badge(scan.score if scan else None, scan.waived if scan else 0,
                                  scan.unwaived_score if scan else None))


def factor_badge(request, slug, number):
    repo = public_repository(slug)
    if number not in FACTOR_BY_NUMBER:
        raise Http404("No such factor")
    scan = repo.latest_scan
    fr = FactorResult.objects.filter(scan_id=scan.reused_from_id or scan.pk, factor=number).first() if scan else None
    unwaived = f"{fr.unwaived_status} {fr.unwaived_score:g}/10" if fr and fr.unwaived_score is not None else ""
    return svg(badges.factor_badge(number, FACTOR_BY_NUMBER[number].name, fr.status if fr else None,
                                   fr.score if fr else None, fr.waived if fr else 0, unwaived))


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
        data = form.cleaned_data
        repo, scan = pipeline.add_repository(team, data["url"], branch=data["branch"], is_public=data["is_public"])
    except ValidationError as exc:
        return JsonResponse({"errors": {"url": [{"message": m} for m in exc.messages]}}, status=400)
    return JsonResponse({"repository": repo.slug, "scan": scan_json(scan)}, status=201)
