"""The weekly email as a mail client shows it: the HTML the SMTP server received, rendered by headless Chromium at
desktop and phone widths, with nothing fetched from anywhere. Screenshots go to artifacts/screenshots/
(test_the_email_reads_at_desktop_and_phone_widths-*.png and the others of this module); docs/report-email.png,
shown in the README, is a copy of the desktop one."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from app.reports import send
from app.web.models import Repository
from tests.browser.conftest import sign_in
from tests.reports import story
from tests.reports.conftest import site, smtp  # noqa: F401  (fixtures: the SMTP server, SITE_URL)

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = {"desktop": 1024, "phone": 375, "small-phone": 320}
LONG_REPOSITORY = "an-extraordinarily-long-repository-name-for-the-payments-reconciliation-" * 2
LONG_PATH = "services/payments/internal/configuration/environments/production/settings_production_override.py"


def sent_html(team, member, smtp) -> str:  # noqa: F811
    member.email = "alice@example.com"
    member.save()
    with time_machine.travel(story.NOW, tick=False):
        send.send_week(team.pk, "2026-W48")
    (received,) = smtp.received
    return received.part("text/html")


def show(page, html: str, width: int) -> list[str]:
    """The email at `width`; the URLs of any request it tried to make (none is allowed through)."""
    requests = []
    page.route("**/*", lambda route: (requests.append(route.request.url), route.abort()))
    page.set_viewport_size({"width": width, "height": 900})
    page.set_content(html, wait_until="load")
    return requests


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_the_email_reads_at_desktop_and_phone_widths(page, team, member, smtp, site, shot):  # noqa: F811
    with time_machine.travel(story.NOW, tick=False):
        story.story(team)
    html = sent_html(team, member, smtp)
    for name, width in WIDTHS.items():
        assert show(page, html, width) == []  # no image, font or stylesheet to fetch
        assert overflow(page) <= 0, f"{name}: wider than the screen"
        assert page.get_by_role("heading", name="Regressions (1)").is_visible()
        smallest = page.evaluate(
            "Math.min(...[...document.querySelectorAll('body *')].filter(e => e.childNodes.length &&"
            " [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())).map(e =>"
            " parseFloat(getComputedStyle(e).fontSize)))"
        )
        assert smallest >= 11, f"{name}: text of {smallest}px"
        shot(page, name)
    regression = page.locator("td", has_text="A secret is committed to the repository").first
    assert regression.is_visible()


def test_long_names_and_paths_wrap_instead_of_widening_the_email(page, team, member, smtp, site, shot):  # noqa: F811
    team.name = "The Platform Reliability and Developer Experience Engineering Group, Northern Europe"
    team.save()
    with time_machine.travel(story.NOW, tick=False):
        repos = story.story(team)
        long = story.repository(team, LONG_REPOSITORY[:200], story.NOW - timedelta(days=30))
        story.scan(long, 70, story.NOW - timedelta(days=9))
        deep = story.F(3, "config.committed-secret", "critical", LONG_PATH, 120, "A key is committed.", "KEY = '****'")
        story.scan(long, 52, story.NOW - timedelta(days=1), (deep,), {3: "fail"})
        Repository.objects.filter(pk=repos["catalog"].pk).update(name="catalog_" + "x" * 120)
    html = sent_html(team, member, smtp)
    for name, width in WIDTHS.items():
        show(page, html, width)
        assert overflow(page) <= 0, f"{name}: wider than the screen"
        shot(page, f"long-{name}")


def test_the_preview_page_shows_the_email_on_a_phone(page, live_server, team, member, site, shot):  # noqa: F811
    with time_machine.travel(story.NOW, tick=False):
        story.story(team)
    sign_in(page, live_server.url)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(live_server.url + reverse("reports:preview", args=[team.slug]))
    frame = page.frame_locator("iframe.email-frame")
    assert frame.get_by_role("heading", name="Improvements (1)").is_visible()
    assert overflow(page) <= 0
    shot(page, "preview-phone", full_page=False)
