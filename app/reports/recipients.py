"""Who gets a team's report, and the signed, expiring link that lets each of them stop it without signing in.

Recipients are the team's active members with an email address and the extra addresses set on the team,
one each (addresses compared lower-cased), minus the addresses that opted out of this team's report. The
link carries the team and the address, signed with SECRET_KEY and valid for REPORTS["UNSUBSCRIBE_DAYS"]
days (signing.dumps is readable, not secret: it only names the reader's own address).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse

from app.web.models import Team

from .links import absolute
from .models import OptOut, settings_of

SALT = "factorcard.reports.unsubscribe"


@dataclass(frozen=True)
class Recipient:
    address: str
    user_id: int | None  # the member; None for an extra address


def recipients_of(team: Team) -> list[Recipient]:
    found: dict[str, Recipient] = {}
    for pk, email in team.members.filter(is_active=True).exclude(email="").order_by("pk").values_list("pk", "email"):
        address = email.strip().lower()
        found.setdefault(address, Recipient(address, pk))
    for address in settings_of(team).extra_recipients:
        found.setdefault(address.lower(), Recipient(address.lower(), None))
    opted_out = set(OptOut.objects.filter(team=team).values_list("address", flat=True))
    return [r for address, r in sorted(found.items()) if address not in opted_out]


def is_opted_out(team_id: int, address: str) -> bool:
    return OptOut.objects.filter(team_id=team_id, address=address.lower()).exists()


def opt_out(team: Team, address: str, via: str) -> bool:
    """Record it; False when the address had already opted out."""
    try:
        with transaction.atomic():
            OptOut.objects.create(team=team, address=address.lower(), via=via)
    except IntegrityError:
        return False
    return True


def opt_in(team: Team, address: str) -> bool:
    return OptOut.objects.filter(team=team, address=address.lower()).delete()[0] > 0


def token(team: Team, address: str) -> str:
    return signing.dumps({"t": team.pk, "a": address.lower()}, salt=SALT, compress=True)


def read_token(value: str) -> tuple[int, str]:
    """(team id, address); signing.SignatureExpired for an old link, signing.BadSignature for a forged one."""
    payload = signing.loads(value, salt=SALT, max_age=timedelta(days=settings.REPORTS["UNSUBSCRIBE_DAYS"]))
    if not isinstance(payload, dict) or not isinstance(payload.get("t"), int) or not isinstance(payload.get("a"), str):
        raise signing.BadSignature("not an unsubscribe token")
    return payload["t"], payload["a"]


def unsubscribe_url(team: Team, address: str) -> str:
    return absolute(reverse("reports:unsubscribe", args=[token(team, address)]))
