"""A repository's Waivers page, waiving a finding from the scorecard, and revoking a waiver."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from app.web.access import get_repository

from . import actions, queries
from .forms import WaiveForm
from .models import Waiver, today


@login_required
def waivers(request, slug):
    repo = get_repository(request.user, slug)
    return render(request, "waivers/list.html", {"repo": repo, **queries.repository_waivers(repo)})


@login_required
def waive(request, slug):
    """GET: the form for one finding of the latest scan; POST: record the waiver (applied at the next scan)."""
    repo = get_repository(request.user, slug)
    fingerprint = request.POST.get("fingerprint") or request.GET.get("fingerprint", "")
    finding = actions.latest_finding(repo, fingerprint[:40])
    if finding is None:
        raise Http404("No such finding in the latest scan")
    form = WaiveForm(request.POST or None, initial={"fingerprint": finding.fingerprint}, on=today())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        waiver, created = actions.record(repo, finding, request.user, data["reason"], data["expires_on"])
        if created:
            messages.success(
                request,
                f"Waived until {waiver.expires_on:%d %b %Y}. It applies from the next scan: "
                "rescan to see the score without this finding.",
            )
        else:
            messages.info(request, f"{waiver.author} already waived this finding until {waiver.expires_on:%d %b %Y}.")
        return redirect(f"{repo.get_absolute_url()}#factor-{finding.factor_result.factor}")
    ctx = {"repo": repo, "finding": finding, "form": form}
    return render(request, "waivers/waive.html", ctx, status=400 if form.errors else 200)


@login_required
@require_POST
def revoke(request, slug, pk):
    repo = get_repository(request.user, slug)
    waiver = get_object_or_404(Waiver, repository=repo, pk=pk)
    if actions.revoke(waiver, request.user):
        messages.success(request, "The waiver is revoked: the finding counts again from the next scan.")
    return redirect("waivers:list", repo.slug)
