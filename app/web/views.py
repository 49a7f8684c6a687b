"""Pages and JSON endpoints for signed-in team members. Views read; the pipeline writes."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import pipeline
from .access import get_repository, repositories_of, teams_of
from .forms import AddRepositoryForm
from .models import Scan


@login_required
def repositories(request):
    repos = repositories_of(request.user).select_related("team", "latest_scan").order_by("name")
    return render(request, "web/repositories.html", {"repositories": repos})


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
    scan = repo.scans.order_by("-queued_at").first()
    done = repo.latest_scan
    results = []
    if done is not None:
        results = list(done.result_scan.factor_results.prefetch_related("findings"))
    return render(request, "web/repository.html", {"repo": repo, "scan": scan, "done": done, "results": results})


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
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"errors": {"__all__": ["The body is not valid JSON."]}}, status=400)
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
