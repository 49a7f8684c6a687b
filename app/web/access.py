"""Who may see what: a user sees the repositories of the teams they belong to, nothing else."""

from django.db.models import QuerySet
from django.http import Http404

from .models import Repository, Team


def teams_of(user) -> QuerySet[Team]:
    if not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(members=user)


def repositories_of(user) -> QuerySet[Repository]:
    return Repository.objects.filter(team__members=user) if user.is_authenticated else Repository.objects.none()


def get_repository(user, slug: str) -> Repository:
    """The repository, or 404 when it does not exist or belongs to another team (no difference shown)."""
    try:
        return repositories_of(user).select_related("team", "latest_scan").get(slug=slug)
    except Repository.DoesNotExist:
        raise Http404("No such repository") from None
