"""Template hooks of the scorecard: a finding's live waiver, the waive form's dates, expiring waivers."""

from __future__ import annotations

from datetime import date, timedelta

from django import template

from ..models import DEFAULT_DAYS, Waiver, latest_allowed, today
from ..queries import Expiring, expiring_for_repository

register = template.Library()


def live_waivers(repo) -> dict[str, Waiver]:
    """The repository's live dashboard waivers by fingerprint: one query per page, kept on the repository."""
    live = getattr(repo, "_live_waivers", None)
    if live is None:
        live = repo._live_waivers = {
            w.fingerprint: w for w in Waiver.objects.live().filter(repository=repo).select_related("created_by")
        }
    return live


@register.filter
def live_waiver(repo, fingerprint: str) -> Waiver | None:
    """The finding's live waiver (recorded since the scan, or the one the scan applied)."""
    return live_waivers(repo).get(fingerprint)


@register.simple_tag
def expiry_dates() -> dict[str, str]:
    on = today()
    return {
        "default": (on + timedelta(days=DEFAULT_DAYS)).isoformat(),
        "min": (on + timedelta(days=1)).isoformat(),
        "max": latest_allowed(on).isoformat(),
    }


@register.simple_tag
def expiring_soon(repo) -> list[Expiring]:
    return expiring_for_repository(repo, live_waivers(repo).values())


@register.filter
def as_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
