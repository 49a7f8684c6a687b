"""Duplicate and late deliveries: once claimed, a scan is changed only by the attempt that holds the
claim, never after it is final, and its results are stored once (issue 9, defect 1)."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

import scoring
from app.web import pipeline
from app.web.models import FactorResult, Scan
from tests.conftest import SAMPLE_SERVICE

pytestmark = pytest.mark.django_db


def _clone_that_lets_a_duplicate_run(monkeypatch, scan_id: int, before_duplicate=None):
    """The first delivery's clone: in its middle, a second delivery of the same scan runs to the end."""
    real_clone = pipeline.clone_repository
    calls = []

    def clone(url, workdir, branch="", *, commit=""):
        calls.append(url)
        if len(calls) == 1:
            if before_duplicate:
                before_duplicate()
            pipeline.run_scan(scan_id)  # the duplicate delivery, overlapping the first run
        return real_clone(url, workdir, branch)

    monkeypatch.setattr(pipeline, "clone_repository", clone)
    return calls


def test_it_ignores_a_duplicate_delivery_while_the_first_run_is_alive(
    team, git_server, allow_local, no_broker, monkeypatch
):
    url = git_server.create("dup-alive", SAMPLE_SERVICE)
    repo, scan = pipeline.add_repository(team, url)
    calls = _clone_that_lets_a_duplicate_run(monkeypatch, scan.pk)
    pipeline.run_scan(scan.pk)
    scan.refresh_from_db()
    assert scan.state == Scan.DONE, scan.error
    assert scan.error == ""
    assert scan.attempts == 1  # the duplicate saw a live claim and left the scan alone
    assert len(calls) == 1  # and did not clone
    assert FactorResult.objects.filter(scan=scan).count() == 12


def test_a_late_attempt_never_unfinishes_a_scan_another_attempt_stored(
    team, git_server, allow_local, no_broker, monkeypatch
):
    """The first run looks lost (its heartbeat is old), a second delivery takes the scan over and
    stores it; then the first run's clone ends: it must change nothing."""
    url = git_server.create("dup-late", SAMPLE_SERVICE)
    repo, scan = pipeline.add_repository(team, url)

    def first_run_looks_lost():
        Scan.objects.filter(pk=scan.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))

    calls = _clone_that_lets_a_duplicate_run(monkeypatch, scan.pk, before_duplicate=first_run_looks_lost)
    pipeline.run_scan(scan.pk)
    scan.refresh_from_db()
    assert len(calls) == 2  # both deliveries cloned
    assert scan.state == Scan.DONE, scan.error
    assert scan.error == ""
    assert scan.attempts == 2
    assert FactorResult.objects.filter(scan=scan).count() == 12


def test_storing_a_report_twice_stores_it_once(team, git_server, allow_local, no_broker):
    url = git_server.create("store-twice", SAMPLE_SERVICE)
    repo, scan = pipeline.add_repository(team, url)
    pipeline.run_scan(scan.pk)
    scan.refresh_from_db()
    finished_at = scan.finished_at
    report = scoring.score_path(str(git_server.base / "store-twice.git"))
    pipeline.store_report(scan.pk, report, attempt=scan.attempts)
    scan.refresh_from_db()
    assert scan.finished_at == finished_at
    assert FactorResult.objects.filter(scan=scan).count() == 12


def test_a_store_that_loses_its_connection_is_tried_again(team, git_server, allow_local, no_broker, monkeypatch):
    url = git_server.create("store-retry", SAMPLE_SERVICE)
    repo, scan = pipeline.add_repository(team, url)
    real_store, failures = pipeline.store_report, []

    def flaky_store(scan_id, report, *, attempt=None):
        if len(failures) < 2:
            failures.append(attempt)
            raise OperationalError("server closed the connection unexpectedly")
        return real_store(scan_id, report, attempt=attempt)

    monkeypatch.setattr(pipeline, "store_report", flaky_store)
    monkeypatch.setattr(pipeline.connection, "close", lambda: None)  # the test's own transaction stays open
    pipeline.run_scan(scan.pk)
    scan.refresh_from_db()
    assert failures == [1, 1] and scan.state == Scan.DONE, scan.error
    assert FactorResult.objects.filter(scan=scan).count() == 12


def test_a_store_that_keeps_failing_returns_the_scan_to_the_queue(
    team, git_server, allow_local, no_broker, settings, monkeypatch
):
    settings.FACTORCARD = {**settings.FACTORCARD, "STORE_RETRY_FOR": 0.3}
    url = git_server.create("store-gives-up", SAMPLE_SERVICE)
    repo, scan = pipeline.add_repository(team, url)
    real_store = pipeline.store_report

    def down(scan_id, report, *, attempt=None):
        raise OperationalError("connection refused")

    monkeypatch.setattr(pipeline, "store_report", down)
    monkeypatch.setattr(pipeline.connection, "close", lambda: None)
    with pytest.raises(pipeline.ReturnToQueue) as returned:
        pipeline.run_scan(scan.pk)
    assert returned.value.attempt == 1
    scan.refresh_from_db()
    assert scan.state == Scan.SCORING and "database was unreachable" in scan.error  # the reason, for whoever looks
    monkeypatch.setattr(pipeline, "store_report", real_store)
    pipeline.run_scan(scan.pk, released=returned.value.attempt)  # the message sent again takes it over at once
    scan.refresh_from_db()
    assert scan.state == Scan.DONE and scan.attempts == 2 and scan.error == ""
