"""A team's reports: the archive of what was sent, the preview of what would be sent now, the settings
(extra addresses, time zone, one's own subscription), and the opt-out link of the email (no sign-in)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from app.web.access import teams_of
from app.web.models import Team

from . import recipients, send
from . import render as email_render
from .forms import ReportSettingsForm
from .links import absolute
from .models import Delivery, OptOut, WeeklyReport, settings_of
from .weeks import Week


def team_of(user, slug: str) -> Team:
    try:
        return teams_of(user).get(slug=slug)
    except Team.DoesNotExist:
        raise Http404("No such team") from None


def report_of(team: Team, week: str) -> WeeklyReport:
    try:
        Week.parse(week)
    except ValueError:
        raise Http404("No such week") from None
    return get_object_or_404(WeeklyReport, team=team, week=week)


@login_required
def archive(request, slug):
    team = team_of(request.user, slug)
    reports = team.weekly_reports.order_by("-week").annotate(
        total=Count("deliveries"),
        sent=Count("deliveries", filter=Q(deliveries__state=Delivery.SENT)),
        failed=Count("deliveries", filter=Q(deliveries__state=Delivery.FAILED)),
    )
    address = request.user.email.strip().lower()
    ctx = {
        "team": team,
        "reports": reports,
        "form": ReportSettingsForm(instance=settings_of(team)),
        "address": address,
        "opted_out": bool(address) and recipients.is_opted_out(team.pk, address),
        "recipients": recipients.recipients_of(team),
    }
    return render(request, "reports/archive.html", ctx)


@login_required
@require_POST
def save_settings(request, slug):
    team = team_of(request.user, slug)
    form = ReportSettingsForm(request.POST, instance=settings_of(team))
    if form.is_valid():
        form.save()
        messages.success(request, "The report settings are saved.")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("reports:archive", team.slug)


@login_required
@require_POST
def subscription(request, slug):
    """Stop or restart one's own copy of the team's report."""
    team = team_of(request.user, slug)
    address = request.user.email.strip().lower()
    if not address:
        messages.error(request, "Your account has no email address: there is nothing to send to.")
    elif request.POST.get("action") == "resume":
        recipients.opt_in(team, address)
        messages.success(request, f"You will get {team.name}'s weekly report again.")
    else:
        recipients.opt_out(team, address, OptOut.DASHBOARD)
        messages.success(request, f"You will no longer get {team.name}'s weekly report.")
    return redirect("reports:archive", team.slug)


@login_required
def preview(request, slug):
    team = team_of(request.user, slug)
    week, rendered, recorded = send.preview(team)
    ctx = {
        "team": team,
        "week": week,
        "rendered": rendered,
        "recorded": recorded,
        "recipients": recipients.recipients_of(team),
    }
    return render(request, "reports/preview.html", ctx)


@login_required
@xframe_options_sameorigin
def preview_html(request, slug):
    """The email's HTML exactly as it would go out now, with the viewer's own unsubscribe link."""
    team = team_of(request.user, slug)
    _week, rendered, _recorded = send.preview(team)
    link = recipients.unsubscribe_url(team, request.user.email) if request.user.email else _settings_link(team)
    return HttpResponse(email_render.personalize(rendered.html, link))


@login_required
def report(request, slug, week):
    team = team_of(request.user, slug)
    recorded = report_of(team, week)
    ctx = {"team": team, "report": recorded, "deliveries": recorded.deliveries.all()}
    return render(request, "reports/report.html", ctx)


@login_required
@xframe_options_sameorigin
def report_html(request, slug, week):
    team = team_of(request.user, slug)
    return HttpResponse(email_render.personalize(report_of(team, week).html, _settings_link(team)))


def _settings_link(team: Team) -> str:
    return absolute(reverse("reports:archive", args=[team.slug]))


@csrf_exempt  # the signed link is the credential; mail clients POST here for RFC 8058 one-click
def unsubscribe(request, token):
    """GET asks (link checkers and previews open links: they must not unsubscribe anyone); POST does."""
    try:
        team_id, address = recipients.read_token(token)
    except signing.SignatureExpired:
        return render(request, "reports/unsubscribe.html", {"state": "expired"}, status=410)
    except signing.BadSignature:
        return render(request, "reports/unsubscribe.html", {"state": "invalid"}, status=400)
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        return render(request, "reports/unsubscribe.html", {"state": "invalid"}, status=404)
    state = "ask"
    if request.method == "POST" and request.POST.get("action") == "resume":
        recipients.opt_in(team, address)
        state = "resumed"
    elif request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        recipients.opt_out(team, address, OptOut.ONE_CLICK if one_click else OptOut.LINK)
        state = "stopped"
    elif recipients.is_opted_out(team.pk, address):
        state = "stopped"
    ctx = {"state": state, "team": team, "address": address, "token": token}
    return render(request, "reports/unsubscribe.html", ctx)
