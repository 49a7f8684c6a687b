"""Teams without the admin: create one, add and remove members, move repositories, read the overview.

Any member of a team may manage it (there are no roles yet); a team outside the user's is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from app.web.access import teams_of
from app.web.charts import Point, chart_pair
from app.web.models import Repository, Team

from . import numbers
from .forms import AddMemberForm, CreateTeamForm, MoveRepositoryForm


def get_team(user, slug: str) -> Team:
    try:
        return teams_of(user).get(slug=slug)
    except Team.DoesNotExist:
        raise Http404("No such team") from None


@login_required
def team_list(request):
    teams = teams_of(request.user).order_by("name")
    return render(request, "teams/list.html", {"teams": teams, "form": CreateTeamForm()})


@login_required
@require_POST
def create_team(request):
    form = CreateTeamForm(request.POST)
    if not form.is_valid():
        return render(request, "teams/list.html", {"teams": teams_of(request.user), "form": form}, status=400)
    with transaction.atomic():
        team = Team.objects.create(name=form.cleaned_data["name"], slug=unique_team_slug(form.cleaned_data["name"]))
        team.members.add(request.user)
    messages.success(request, f"Team {team.name} was created; you are its first member.")
    return redirect("teams:detail", team.slug)


def unique_team_slug(name: str) -> str:
    base = slugify(name)[:90] or "team"
    slug, n = base, 1
    while Team.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@login_required
def team(request, slug):
    team = get_team(request.user, slug)
    now = timezone.now()
    trend = numbers.trend(team, now)
    ctx = {
        "team": team,
        "average": numbers.average(team, now),
        "weakest": numbers.weakest_factors(team, now),
        "checks": numbers.common_failing_checks(team, now),
        "attention": numbers.needs_attention(team, now),
        "trend": chart_pair(
            [
                Point(f"Week ending {p.at:%d %b %Y}: average {p.average} of {p.scored}", p.average, f"{p.at:%d %b}")
                for p in trend
            ],
            f"{team.name}: average score per week",
        ),
        "members": team.members.order_by("username"),
        "repositories": team.repositories.order_by("name"),
        "member_form": AddMemberForm(team=team),
        "move_form": MoveRepositoryForm(teams=teams_of(request.user).exclude(pk=team.pk)),
    }
    return render(request, "teams/team.html", ctx)


@login_required
@require_POST
def add_member(request, slug):
    team = get_team(request.user, slug)
    form = AddMemberForm(request.POST, team=team)
    if form.is_valid():
        team.members.add(form.cleaned_data["username"])
        messages.success(request, f"{form.cleaned_data['username'].username} is now in {team.name}.")
    else:
        messages.error(request, " ".join(form.errors["username"]))
    return redirect("teams:detail", team.slug)


@login_required
@require_POST
def remove_member(request, slug, user_id):
    team = get_team(request.user, slug)
    user = get_object_or_404(team.members, pk=user_id)
    if team.members.count() == 1:
        messages.error(request, f"{user.username} is the last member of {team.name}; a team needs one.")
        return redirect("teams:detail", team.slug)
    team.members.remove(user)
    messages.success(request, f"{user.username} left {team.name}.")
    if user == request.user:
        return redirect("teams:list")
    return redirect("teams:detail", team.slug)


@login_required
@require_POST
def move_repository(request, slug, repo_slug):
    team = get_team(request.user, slug)
    repo = get_object_or_404(Repository, team=team, slug=repo_slug)
    form = MoveRepositoryForm(request.POST, teams=teams_of(request.user).exclude(pk=team.pk))
    if not form.is_valid():
        messages.error(request, "Choose one of your other teams.")
        return redirect("teams:detail", team.slug)
    target = form.cleaned_data["to"]
    if Repository.objects.filter(team=target, clone_url=repo.clone_url).exists():
        messages.error(request, f"{target.name} already has a repository with that URL.")
        return redirect("teams:detail", team.slug)
    Repository.objects.filter(pk=repo.pk).update(team=target)
    messages.success(request, f"{repo.name} moved to {target.name}.")
    return redirect("teams:detail", team.slug)
