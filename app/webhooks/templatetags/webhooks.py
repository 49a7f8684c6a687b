"""The history page's list of webhook scans that a newer push replaced before they started."""

from django import template

from app.web.models import Repository, Scan

register = template.Library()
SHOWN = 20


@register.inclusion_tag("webhooks/_superseded.html")
def superseded_scans(repo: Repository) -> dict:
    scans = Scan.objects.filter(repository=repo, state=Scan.SUPERSEDED).order_by("-queued_at")
    return {
        "scans": list(scans.only("pk", "requested_commit", "branch", "queued_at", "finished_at")[:SHOWN]),
        "total": scans.count(),
        "shown": SHOWN,
    }
