"""The webhook settings page in Chromium: reached from the repository page, the secret copied once,
a bad delivery visible with its reason, rotation, and no sideways scrolling on a phone."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.web import factories
from tests.webhooks import payloads

pytestmark = pytest.mark.django_db(transaction=True)


def deliver(url: str, sent: payloads.Sent) -> int:
    request = urllib.request.Request(url, sent.body, {**sent.headers, "Content-Type": sent.content_type})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=["desktop", "phone"]
)
def test_setting_up_a_hook_from_the_page(page: Page, live_server, member, team, shot, viewport, monkeypatch):
    from app.web import pipeline

    monkeypatch.setattr(pipeline, "enqueue", lambda scan_id, *queue: True)  # no broker needed here
    repo = factories.repository(team, "checkout", default_branch="main")
    page.set_viewport_size(viewport)
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}{repo.get_absolute_url()}")
    page.get_by_role("link", name="Webhook").click()
    expect(page.get_by_role("heading", name="Webhook of checkout")).to_be_visible()
    hook_url = page.locator("#payload-url").inner_text().strip()
    secret = page.locator("#secret").inner_text().strip()
    assert hook_url.startswith(live_server.url + "/hooks/") and secret == repo.webhook_secret
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, f"created-{viewport['width']}")

    assert deliver(hook_url, payloads.github_push("a-typo-in-the-secret", "a" * 40)) == 401
    assert deliver(hook_url, payloads.github_push(secret, "b" * 40)) == 202
    page.reload()
    expect(page.locator("#secret")).to_have_count(0)  # shown once
    rows = page.locator("tr.delivery")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("queued")
    expect(rows.nth(1)).to_contain_text("rejected")
    expect(rows.nth(1)).to_contain_text("does not match this repository's secret")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, f"deliveries-{viewport['width']}")

    page.get_by_role("button", name="Make a new secret").click()
    expect(page.get_by_text("the old one no longer works")).to_be_visible()
    rotated = page.locator("#secret").inner_text().strip()
    assert rotated != secret
    assert deliver(hook_url, payloads.github_push(secret, "c" * 40)) == 401
    assert deliver(hook_url, payloads.github_push(rotated, "c" * 40)) == 202
