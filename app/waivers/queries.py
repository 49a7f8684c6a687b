"""What the pages and the weekly report read about waivers: a repository's waivers and whether they still
match anything, and a team's waivers that expire soon (dashboard waivers and .factorcard.yml ones)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from app.web.models import Finding, Repository, Team

from .models import SOON_DAYS, Waiver, today


@dataclass(frozen=True)
class Expiring:
    """A waiver that stops applying within a few days, of either kind."""

    repository: Repository
    source: str  # "dashboard" or "config" (the repository's .factorcard.yml, as its latest scan read it)
    what: str  # the check and path, or the fingerprint
    reason: str
    expires_on: date
    by: str
    days_left: int


def expiring_waivers(team: Team, within_days: int = SOON_DAYS, now: datetime | None = None) -> list[Expiring]:
    """The team's live waivers that expire within `within_days` days, soonest first, for the weekly report:
    the dashboard's, and the .factorcard.yml ones as each repository's latest scan read them."""
    on = (now or timezone.now()).date()
    repos = list(Repository.objects.filter(team=team).select_related("latest_scan"))
    live = Waiver.objects.live(on).filter(repository__team=team, expires_on__lte=on + timedelta(days=within_days))
    return _expiring(repos, live.select_related("created_by"), on, within_days)


def expiring_for_repository(
    repo: Repository, live: Iterable[Waiver], on: date | None = None, within_days: int = SOON_DAYS
) -> list[Expiring]:
    """The same for one repository, from its live waivers already read."""
    return _expiring([repo], live, on or today(), within_days)


def _expiring(repos: list[Repository], live: Iterable[Waiver], on: date, within_days: int) -> list[Expiring]:
    until = on + timedelta(days=within_days)
    by_id = {r.pk: r for r in repos}
    out = [
        Expiring(
            by_id[w.repository_id],
            "dashboard",
            f"{w.check_id} in {w.path or 'the repository'}",
            w.reason,
            w.expires_on,
            w.author,
            (w.expires_on - on).days,
        )
        for w in live
        if on < w.expires_on <= until and w.revoked_at is None
    ]
    for repo in repos:
        for use in (repo.latest_scan.waivers_applied or ()) if repo.latest_scan else ():
            expires = date.fromisoformat(use["expires"])
            if use["source"] == "config" and on < expires <= until:
                out.append(Expiring(repo, "config", _config_what(use), use["reason"], expires, "", (expires - on).days))
    return sorted(out, key=lambda e: (e.expires_on, e.repository.name, e.what))


def _config_what(use: dict) -> str:
    if use.get("fingerprint"):
        return f"the finding {use['fingerprint']}"
    return f"{use['check']} in {', '.join(use['paths'])}"


@dataclass
class Row:
    waiver: Waiver
    state: str
    matches: bool  # a finding of the latest scan has its fingerprint
    soon: bool


def repository_waivers(repo: Repository, on: date | None = None) -> dict:
    """The Waivers page: dashboard waivers (live and expired, then revoked) and the .factorcard.yml
    waivers the latest scan read, each saying whether it still matches a finding."""
    on = on or today()
    waivers = list(
        Waiver.objects.filter(repository=repo).select_related("created_by", "revoked_by").order_by("expires_on", "pk")
    )
    scan = repo.latest_scan
    present = set()
    if scan is not None:
        present = set(
            Finding.objects.filter(
                factor_result__scan_id=scan.reused_from_id or scan.pk, fingerprint__in={w.fingerprint for w in waivers}
            ).values_list("fingerprint", flat=True)
        )
    rows = [Row(w, w.state(on), w.fingerprint in present, w.expires_soon(on)) for w in waivers]
    config = [
        dict(u, expires_on=date.fromisoformat(u["expires"]), what=_config_what(u))
        for u in ((scan.waivers_applied or []) if scan else [])
        if u["source"] == "config"
    ]
    return {
        "rows": [r for r in rows if r.state != Waiver.REVOKED],
        "revoked": [r for r in rows if r.state == Waiver.REVOKED],
        "config_waivers": config,
        "config": (scan.config or {}) if scan else {},
        "scan": scan,
        "soon_days": SOON_DAYS,
    }
