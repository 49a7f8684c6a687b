"""Pages with seeded scans: a phone-sized list and scorecard, keyboard use, and refusal of others."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.web import factories

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def seeded(team, other_team):
    now = timezone.now()
    repos = []
    for i, name in enumerate(["checkout", "search", "billing-api", "notifications"]):
        repo = factories.repository(team, name)
        for day in (9, 3, 0):
            factories.scan(repo, 50 + i * 10 + (9 - day), when=now - timedelta(days=day, hours=i),
                           statuses={3: "fail", 6: "na", 11: "warn"} if i % 2 else {5: "warn"},
                           findings=[(3, "high", "app/settings.py"), (11, "medium", "worker.py"),
                                     (2, "info", "requirements.txt")])
        repos.append(repo)
    factories.scan(factories.repository(other_team, "secret-project"), 99)
    return repos


def no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_list_works_on_a_phone(page: Page, live_server, member, seeded, shot):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url)
    expect(page.get_by_role("link", name="checkout")).to_be_visible()
    expect(page.get_by_text("secret-project")).to_have_count(0)  # another team's repository
    assert no_horizontal_scroll(page)
    shot(page, "list-phone")
    page.get_by_role("link", name="search").click()
    expect(page.get_by_role("heading", name="3. Config")).to_be_visible()
    assert no_horizontal_scroll(page)
    shot(page, "scorecard-phone")


def test_the_list_sorts_and_filters_with_the_keyboard(page: Page, live_server, member, seeded, shot):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server.url)
    page.get_by_label("Sort by").select_option("-score")
    page.get_by_label("Search").fill("a")
    page.get_by_label("Search").press("Enter")
    names = page.locator("table.repos tbody tr th.name a").all_inner_texts()
    assert names == ["notifications", "billing-api", "search", "checkout"]
    cell = page.locator("table.repos tbody tr").first.locator(".cell").nth(2)
    expect(cell.locator("a")).to_have_attribute("title", "III. Config: fail, 8.9/10")
    expect(cell.locator(".sr")).to_have_text("III. Config: fail, 8.9/10")  # for screen readers, not colour alone
    expect(cell).to_contain_text("8.9")  # the score is written, not only on hover
    shot(page, "list-desktop")


def test_a_member_of_another_team_gets_not_found(page: Page, live_server, outsider, seeded):
    sign_in(page, live_server.url, "mallory", "another-long-passphrase")
    response = page.goto(f"{live_server.url}{seeded[0].get_absolute_url()}")
    assert response.status == 404
