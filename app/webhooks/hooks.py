"""A repository's hook: made on first use, its secret revealed once, rotated on request."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from app.web.models import Repository, new_webhook_secret

from .models import Delivery, Hook

SHOWN_DELIVERIES = 50


def hook_for(repo: Repository) -> Hook:
    return Hook.objects.get_or_create(repository=repo)[0]


def reveal_secret(hook: Hook) -> str | None:
    """The secret in full the first time it is asked for after it was made or rotated; None after that.

    A conditional UPDATE, so two pages opened at once cannot both show it.
    """
    if not Hook.objects.filter(pk=hook.pk, secret_unseen=True).update(secret_unseen=False):
        return None
    return Repository.objects.values_list("webhook_secret", flat=True).get(pk=hook.repository_id)


def rotate(repo: Repository) -> None:
    """A new secret: deliveries signed with the old one are refused from now on."""
    with transaction.atomic():
        hook = hook_for(repo)
        Repository.objects.filter(pk=repo.pk).update(webhook_secret=new_webhook_secret())
        Hook.objects.filter(pk=hook.pk).update(secret_unseen=True, rotated_at=timezone.now())


def masked(secret: str) -> str:
    return "•" * 12 + secret[-4:]


def recent_deliveries(repo: Repository) -> list[Delivery]:
    return list(Delivery.objects.filter(repository=repo).select_related("scan").order_by("-id")[:SHOWN_DELIVERIES])
