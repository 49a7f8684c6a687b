"""The hook endpoint (verify the signature → record the delivery → request a scan → 2xx) and the
repository's webhook settings page. Views never talk to Celery: intake and the pipeline do."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from app.web.access import get_repository

from . import hooks, intake, providers
from .models import Delivery

MAX_BODY = 1024 * 1024  # GitHub caps payloads at 25 MB; a push payload worth scanning is far smaller


@csrf_exempt
@require_POST
def receive(request: HttpRequest, token: str):
    repo = intake.hooked_repository(token)
    if repo is None:
        return JsonResponse({"error": "No such hook."}, status=404)
    body = read_body(request)
    if body is None:
        return answer(intake.reject(repo, providers.sender(request.headers), 413, "The body is larger than 1 MiB."))
    try:
        event = providers.read(request.headers, body, repo.webhook_secret)
    except providers.Rejected as exc:
        return answer(intake.reject(repo, providers.sender(request.headers, body), exc.status, exc.reason))
    return answer(intake.accept(repo, event))


def read_body(request: HttpRequest) -> bytes | None:
    """The raw body, or None when it is over MAX_BODY (refused before reading when the length says so)."""
    length = request.META.get("CONTENT_LENGTH") or ""
    if length.isdigit() and int(length) > MAX_BODY:
        return None
    body = request.read(MAX_BODY + 1)
    return None if len(body) > MAX_BODY else body


def answer(delivery: Delivery) -> JsonResponse:
    body = {"outcome": delivery.outcome, "reason": delivery.reason, "scan": delivery.scan_id}
    return JsonResponse(body, status=delivery.status_code)


@never_cache
@login_required
def settings_page(request: HttpRequest, slug: str):
    repo = get_repository(request.user, slug)
    hook = hooks.hook_for(repo)
    ctx = {
        "repo": repo,
        "hook": hook,
        "payload_url": request.build_absolute_uri(reverse("webhook_receive", args=[hook.token])),
        "secret": hooks.reveal_secret(hook),
        "masked_secret": hooks.masked(repo.webhook_secret),
        "branch": intake.tracked_branch(repo),
        "deliveries": hooks.recent_deliveries(repo),
        "shown": hooks.SHOWN_DELIVERIES,
    }
    return render(request, "webhooks/settings.html", ctx)


@login_required
@require_POST
def rotate(request: HttpRequest, slug: str):
    repo = get_repository(request.user, slug)
    hooks.rotate(repo)
    messages.success(request, "A new secret was made and the old one no longer works: paste it into your git host.")
    return redirect("webhook_settings", slug=repo.slug)
