"""Waivers through the real pipeline (PostgreSQL, a git daemon on loopback, the engine in-process): a dashboard
waiver applies at the next scan, follows its finding when lines move, stops at revocation and at expiry
(time-machine), and the repository's .factorcard.yml is read with its messages stored."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from app.waivers import actions
from app.web import pipeline
from app.web.models import FactorResult, Finding, Scan
from tests.conftest import SAMPLE_SERVICE

pytestmark = pytest.mark.django_db


def rescan(repo) -> Scan:
    scan = pipeline.request_scan(repo, Scan.MANUAL)
    pipeline.run_scan(scan.pk)
    scan.refresh_from_db()
    assert scan.state == Scan.DONE, scan.error
    return scan


def logs_of(scan: Scan) -> FactorResult:
    return FactorResult.objects.get(scan_id=scan.reused_from_id or scan.pk, factor=11)


def handler(scan: Scan) -> Finding:
    return Finding.objects.get(factor_result=logs_of(scan), check_id="logs.file-handler", path="settings.py")


def test_a_dashboard_waiver_applies_at_the_next_scan_follows_moved_lines_and_ends_when_revoked(
    team, member, git_server, allow_local, no_broker
):
    url = git_server.create("waived", SAMPLE_SERVICE)
    repo, first = pipeline.add_repository(team, url)
    pipeline.run_scan(first.pk)
    first.refresh_from_db()
    assert logs_of(first).status == "fail" and first.waived == 0 and first.waivers_key == ""
    repo.refresh_from_db()
    waiver, _ = actions.record(
        repo, handler(first), member, "The platform ships app.log.", date.today() + timedelta(days=30)
    )

    second = rescan(repo)  # the same commit, but new waivers: scored again, not reused
    assert second.reused_from is None and second.commit_sha == first.commit_sha
    logs = logs_of(second)
    assert (logs.waived, logs.unwaived_status, logs.unwaived_score) == (1, "fail", logs_of(first).score)
    assert logs.status != "fail" and logs.score > logs_of(first).score
    assert (second.waived, second.unwaived_score) == (1, first.score) and second.score > first.score
    stored = handler(second)
    assert stored.severity == "low" and stored.waiver["id"] == f"dashboard#{waiver.pk}"
    assert (stored.waiver["by"], stored.waiver["severity"], stored.waiver["source"]) == ("alice", "high", "dashboard")
    assert second.waivers_applied[0]["matched"] == 1

    assert rescan(repo).reused_from == second  # nothing changed: the same results

    git_server.push("waived", {"settings.py": "# logging set-up\n\n" + SAMPLE_SERVICE["settings.py"]}, "move it down")
    moved = rescan(repo)
    assert moved.commit_sha != first.commit_sha and handler(moved).line == handler(first).line + 2
    assert handler(moved).waiver is not None and logs_of(moved).waived == 1  # it followed the finding

    assert actions.revoke(waiver, member)
    after = rescan(repo)
    assert handler(after).waiver is None and logs_of(after).status == "fail" and after.waived == 0
    assert after.score == after.unwaived_score == first.score


def test_a_waiver_that_expired_before_the_scan_no_longer_counts(team, member, git_server, allow_local, no_broker):
    url = git_server.create("expiring", SAMPLE_SERVICE)
    with time_machine.travel(datetime(2026, 6, 1, 12, tzinfo=UTC)) as traveller:
        repo, first = pipeline.add_repository(team, url)
        pipeline.run_scan(first.pk)
        repo.refresh_from_db()
        actions.record(repo, handler(Scan.objects.get(pk=first.pk)), member, "Until the migration.", date(2026, 6, 3))
        assert handler(rescan(repo)).waiver is not None

        traveller.move_to(datetime(2026, 6, 3, 0, 0, 1, tzinfo=UTC))  # its expiry day
        later = rescan(repo)
        assert handler(later).waiver is None and logs_of(later).status == "fail"
        assert later.reused_from_id == first.pk  # shaped like the first scan again: its results are reused


CONFIG = """\
ignore: [contrib/**]
bogus: yes
waivers:
  - check: logs.file-handler
    paths: [settings.py]
    reason: The platform ships app.log.
    expires: {expires}
"""


def test_the_repositorys_configuration_is_applied_and_its_messages_stored(team, git_server, allow_local, no_broker):
    expires = (date.today() + timedelta(days=10)).isoformat()
    files = {
        **SAMPLE_SERVICE,
        ".factorcard.yml": CONFIG.format(expires=expires),
        "contrib/init.py": "import logging\nh = logging.FileHandler('/var/log/init.log')\n",
    }
    url = git_server.create("configured", files)
    repo, scan = pipeline.add_repository(team, url)
    pipeline.run_scan(scan.pk)
    scan.refresh_from_db()
    assert scan.config["path"] == ".factorcard.yml" and scan.config["ignore"] == ["contrib/**"]
    assert scan.config["messages"] == ["unknown key 'bogus': ignored."]
    (use,) = scan.waivers_applied
    assert (use["id"], use["source"], use["matched"], use["expires"]) == ("config#1", "config", 1, expires)
    assert handler(scan).waiver["source"] == "config" and scan.waived == 1
    contrib = Finding.objects.get(factor_result__scan=scan, path="contrib/init.py", check_id="logs.file-handler")
    assert contrib.severity == "low" and contrib.waiver is None  # not deployed: shown, not counted, not a waiver
    assert len(scan.waivers_key) == 64
