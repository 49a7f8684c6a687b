"""The product in a real browser: sign in, add a repository served by a local git server, watch its
scan progress to done with a real Celery worker, read the scorecard, rescan after a push, read the
history chart, compare the two scans and load the public badge."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from app.web.badges import whole
from app.web.models import Repository, Scan
from tests.browser.conftest import sign_in
from tests.conftest import SAMPLE_SERVICE, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
DONE_TIMEOUT = 90_000

# The second commit fixes the log file in settings.py and adds a worker that logs to /var/log.
SECOND_COMMIT = {
    "settings.py": "import logging\n",
    "worker.py": "import logging\nhandler = logging.FileHandler('/var/log/worker.log')\n",
}


def test_it_scans_a_repository_and_shows_its_scorecard_history_comparison_and_badge(
        page: Page, live_server, member, git_server, start_worker, shot):
    url = git_server.create("shop", SAMPLE_SERVICE)
    sign_in(page, live_server.url)
    shot(page, "01-empty-list")

    page.get_by_role("link", name="Add repository").first.click()
    page.get_by_label("Git repository URL").fill("ftp://example.com/x.git")
    page.get_by_role("button", name="Add and scan").click()
    expect(page.get_by_role("alert")).to_be_visible()  # the service's own validation message
    shot(page, "02-add-invalid")

    page.get_by_label("Git repository URL").fill(url)
    page.get_by_label("Public badge").check()
    page.get_by_role("button", name="Add and scan").click()
    progress = page.locator("#scan-progress")
    expect(progress.locator("[data-role=state]")).to_have_text("Queued")  # no worker yet: it waits
    shot(page, "03-queued")

    polled = []
    page.on("response", lambda r: "/status" in r.url and polled.append(r.status))
    start_worker("browser")  # the page updates itself, no reload by hand
    expect(page.get_by_role("heading", name="Score")).to_be_visible(timeout=DONE_TIMEOUT)
    assert polled and set(polled) == {200}
    repo = Repository.objects.get()
    first = Scan.objects.get()
    expect(page.get_by_role("heading", name="11. Logs")).to_be_visible()
    shot(page, "04-scorecard")

    logs = page.locator("#factor-11")
    finding = logs.locator("details.finding").first
    finding.locator("summary").click()
    expect(finding.get_by_text("How to fix")).to_be_visible()
    expect(finding.locator("dd code").first).to_have_text("settings.py:2")  # git:// host: the path, no link
    finding.scroll_into_view_if_needed()
    shot(page, "05-finding-open")

    git_server.push("shop", SECOND_COMMIT, "log to stdout; add a worker")
    page.get_by_role("button", name="Rescan").click()
    wait_until(lambda: Scan.objects.filter(repository=repo).exclude(pk=first.pk).filter(
        state__in=Scan.FINAL_STATES).exists(), timeout=DONE_TIMEOUT / 1000)
    second = Scan.objects.exclude(pk=first.pk).get()
    assert second.state == Scan.DONE, second.error
    expect(page.locator("#scanned-commit")).to_contain_text(f"Commit {second.short_sha}", timeout=DONE_TIMEOUT)
    shot(page, "06-after-rescan")

    page.get_by_role("link", name="History", exact=True).click()
    overall = page.locator("section", has=page.get_by_role("heading", name="Overall score")).locator(
        ".chart-wide-only .pt")  # the desktop drawing (a phone gets its own, hidden here)
    expect(overall).to_have_count(2)
    overall.first.focus()
    page.keyboard.press("Tab")  # tabbing to the second point names it
    focused = overall.nth(1)
    expect(focused.locator(".tip")).to_be_visible()
    expect(focused.locator(".tip")).to_contain_text(f"Scan #{second.pk} · commit {second.short_sha}")
    overall.first.hover()
    expect(overall.first.locator(".tip")).to_contain_text(f"commit {first.short_sha}")
    shot(page, "07-history")

    page.go_back()
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name=re.compile(r"New findings \(\d+\)"))).to_be_visible()
    new = page.locator("section", has=page.get_by_role("heading", name=re.compile("New findings")))
    fixed = page.locator("section", has=page.get_by_role("heading", name=re.compile("Fixed findings")))
    expect(new).to_contain_text("worker.py")
    expect(fixed).to_contain_text("settings.py")
    expect(page.get_by_role("row", name=re.compile("11. Logs"))).to_contain_text("▼")  # worse: a new high finding
    shot(page, "08-compare")

    anonymous = page.context.browser.new_page()  # a new context: no session cookie
    response = anonymous.request.get(f"{live_server.url}/badge/{repo.slug}.svg")
    assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert f"{whole(second.score)}/100" in response.text()
    anonymous.set_content(f'<p>README: <img alt="badge" src="{live_server.url}/badge/{repo.slug}.svg"> '
                          f'<img alt="factor badge" src="{live_server.url}/badge/{repo.slug}/11.svg"></p>')
    expect(anonymous.get_by_alt_text("factor badge")).to_be_visible()
    shot(anonymous, "09-badge", full_page=False)
    anonymous.close()


def test_a_failed_scan_shows_its_reason_and_a_rescan_button(page: Page, live_server, member, git_server,
                                                           start_worker, shot):
    url = git_server.create("nobranch", {"README.md": "hi\n"})
    start_worker("browser-fail")
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/repositories/add/")
    page.get_by_label("Git repository URL").fill(url)
    page.get_by_label("Branch").fill("no-such-branch")
    page.get_by_role("button", name="Add and scan").click()
    state = page.locator("#scan-progress [data-role=state]")
    expect(state).to_have_text("Failed", timeout=DONE_TIMEOUT)
    expect(page.locator("#scan-progress [data-role=error]")).to_contain_text("branch")
    expect(page.get_by_role("button", name="Rescan")).to_be_visible()
    shot(page, "failed")
