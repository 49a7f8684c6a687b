"""Every page fits the screen, from a 360 px phone to a 1400 px desktop, with long names, URLs and paths:
the document is never wider than the viewport. Screenshots at 1400 and 390 px go to artifacts/screenshots/."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.web import factories

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = [360, 390, 1400]
LONG_NAME = "platform-healthchecks/an-extraordinarily-long-repository-name-that-keeps-going-and-going"
LONG_PATH = "services/payments/internal/configuration/environments/production/settings_production_override.py"


@pytest.fixture
def long_fleet(team, other_team, member):
    other_team.members.add(member)
    now = timezone.now()
    url = "https://github.com/an-organisation-with-a-very-long-name/" + "x" * 90 + ".git"
    long = factories.repository(team, LONG_NAME, url=url)
    for day, score in ((20, 41), (9, 55), (2, 62), (0, 62)):
        factories.scan(
            long,
            score,
            when=now - timedelta(days=day, minutes=day),
            statuses={3: "fail", 6: "na", 11: "warn", 12: "fail"},
            findings=[
                (3, "critical", LONG_PATH),
                (3, "high", LONG_PATH + ".bak"),
                (11, "medium", "a/" * 40 + "worker.py"),
                (2, "info", "requirements.txt"),
            ],
        )
    for i, name in enumerate(["checkout", "search", "billing-api"]):
        repo = factories.repository(team if i % 2 else other_team, name)
        factories.scan(
            repo, 70 + i * 7, when=now - timedelta(days=i), statuses={5: "warn"}, findings=[(5, "medium", "Dockerfile")]
        )
    return long


def pages(repo) -> dict[str, str]:
    first = repo.scans.order_by("queued_at").first()
    return {
        "list": "/",
        "list-sorted": "/?sort=-f3",
        "scorecard": repo.get_absolute_url(),
        "scan": reverse("scan", args=[repo.slug, first.pk]),
        "history": reverse("history", args=[repo.slug]),
        "compare": reverse("compare", args=[repo.slug]),
        "team": reverse("teams:detail", args=[repo.team.slug]),
        "teams": reverse("teams:list"),
        "add": reverse("add_repository"),
    }


def document_fits(page: Page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits_the_screen_with_long_names(page: Page, live_server, member, long_fleet, shot, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/login/")
    assert document_fits(page)[0] <= width, "login"
    sign_in(page, live_server.url)
    for name, url in pages(long_fleet).items():
        page.goto(live_server.url + url)
        expect(page.locator("main h1")).to_be_visible()
        document, viewport = document_fits(page)
        assert document <= viewport, f"{name} at {width} px is {document} px wide"
        if width in (390, 1400):
            shot(page, f"{name}-{width}")


def test_the_sort_menu_shows_its_longest_option_whole_on_a_phone(page: Page, live_server, member, long_fleet):
    page.set_viewport_size({"width": 360, "height": 800})
    sign_in(page, live_server.url)
    select = page.get_by_label("Sort by")
    needed, room = select.evaluate("""s => {
        const c = document.createElement('canvas').getContext('2d');
        c.font = getComputedStyle(s).font;
        const longest = Math.max(...[...s.options].map(o => c.measureText(o.text).width));
        return [longest + 40, s.clientWidth];  // 40 px: padding and the arrow
    }""")
    assert needed <= room


def test_the_history_chart_labels_stay_readable_on_a_phone(page: Page, live_server, member, long_fleet):
    page.set_viewport_size({"width": 360, "height": 800})
    sign_in(page, live_server.url)
    page.goto(live_server.url + reverse("history", args=[long_fleet.slug]))
    overall = page.locator("section", has=page.get_by_role("heading", name="Overall score"))
    axis = overall.locator(".chart-narrow-only text.axis.x").first
    expect(axis).to_be_visible()
    height = axis.evaluate("t => t.getBoundingClientRect().height")
    assert height >= 10  # px on screen: the narrow chart is drawn for this width, not a shrunk wide one
    expect(overall.locator(".chart-wide-only")).to_be_hidden()
