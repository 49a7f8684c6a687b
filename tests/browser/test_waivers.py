"""Waiving in a real browser, with a real Celery worker and a git daemon on loopback: a member waives a finding
from the scorecard, rescans, and sees the factor's score and the waived count change, the score without
waivers one click away, and the waiver on the Waivers page, where they revoke it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from app.waivers.models import Waiver, today
from app.web.badges import whole
from app.web.models import FactorResult, Repository, Scan
from tests.browser.conftest import sign_in
from tests.conftest import SAMPLE_SERVICE, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
DONE_TIMEOUT = 90_000
REASON = "The platform's log agent ships app.log; production writes nothing else to disk."


def test_a_member_waives_a_finding_and_the_next_scan_counts_it_as_waived(
    page: Page, live_server, member, git_server, start_worker, shot
):
    url = git_server.create("waive-me", SAMPLE_SERVICE)
    start_worker("waivers")
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/repositories/add/")
    page.get_by_label("Git repository URL").fill(url)
    page.get_by_role("button", name="Add and scan").click()
    expect(page.get_by_role("heading", name="Score")).to_be_visible(timeout=DONE_TIMEOUT)
    first = Scan.objects.get()
    before = FactorResult.objects.get(scan=first, factor=11)
    assert before.status == "fail"
    logs = page.locator("#factor-11")
    expect(logs.locator(".pill")).to_contain_text(f"fail · {before.score:g}/10")
    expect(page.locator("#waived-total")).to_have_count(0)

    finding = logs.locator("details.finding", has_text="settings.py").first
    finding.locator("summary").click()
    finding.get_by_role("link", name="Waive this finding…").click()
    expect(page.get_by_role("heading", name="Waive a finding of waive-me")).to_be_visible()
    expect(page.get_by_label("Expires")).to_have_value((today() + timedelta(days=90)).isoformat())
    page.get_by_label("Reason").fill(REASON)
    shot(page, "01-waive-form")
    page.get_by_role("button", name="Waive this finding").click()
    expect(page.get_by_role("status").filter(has_text="It applies from the next scan")).to_be_visible()
    waiver = Waiver.objects.get()
    assert (waiver.created_by, waiver.reason, waiver.path) == (member, REASON, "settings.py")
    logs.locator("details.finding", has_text="settings.py").first.locator("summary").click()
    expect(logs.locator("[data-role=waiver]").first).to_contain_text("It applies from the next scan")
    expect(logs.locator(".pill")).to_contain_text(f"fail · {before.score:g}/10")  # nothing changes before a scan

    page.get_by_role("button", name="Rescan").click()
    expect(page.locator("[data-role=waived-count]")).to_have_text("1 finding waived", timeout=DONE_TIMEOUT)
    second = Scan.objects.exclude(pk=first.pk).get()
    after = FactorResult.objects.get(scan=second, factor=11)
    assert second.reused_from is None and second.commit_sha == first.commit_sha
    assert after.waived == 1 and after.score > before.score and second.score > first.score
    expect(logs.locator(".pill")).to_contain_text(f"{after.score:g}/10")
    expect(logs.locator("[data-role=waived]")).to_contain_text("1 finding waived")
    expect(logs.locator("[data-role=unwaived]")).to_have_text(f"fail · {before.score:g}/10")
    expect(page.locator(".big strong")).to_have_text(str(whole(second.score)))
    expect(logs.locator(".waived-tag")).to_have_count(1)
    page.locator("details.unwaived > summary").click()  # the score without waivers: one click away
    expect(page.locator("[data-role=unwaived-score]")).to_have_text(str(whole(first.score)))
    shot(page, "02-after-rescan")

    page.get_by_role("navigation", name="Repository").get_by_role("link", name="Waivers").click()
    row = page.locator("table.waivers tbody tr").first
    expect(row).to_contain_text(REASON)
    expect(row).to_contain_text("alice")
    expect(row).to_contain_text("Yes, in the latest scan")
    shot(page, "03-waivers-page")
    row.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("status")).to_contain_text("the finding counts again from the next scan")
    assert Waiver.objects.get().revoked_at is not None

    page.goto(f"{live_server.url}{Repository.objects.get().get_absolute_url()}")
    page.get_by_role("button", name="Rescan").click()
    wait_until(lambda: Scan.objects.filter(state__in=Scan.FINAL_STATES).count() == 3, timeout=DONE_TIMEOUT / 1000)
    expect(page.locator(".big strong")).to_have_text(str(whole(first.score)), timeout=DONE_TIMEOUT)
    expect(page.locator("#waived-total")).to_have_count(0)
