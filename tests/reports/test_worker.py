"""Exactly once with real processes: two Celery workers on the housekeeping queue race over a report fired
twice by beat, against the real Redis, the real PostgreSQL and a real SMTP server on loopback."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.utils import timezone

from app.reports import tasks
from app.reports.models import Delivery, ReportSettings, WeeklyReport
from tests.conftest import ROOT, wait_until

from . import story

pytestmark = pytest.mark.django_db(transaction=True)


class QueueWorker:
    """`celery worker` consuming the default and the housekeeping queues (the report tasks are routed there)."""

    def __init__(self, name: str, env: dict[str, str], log_dir: Path):
        self.name, self.log = name, log_dir / f"worker-{name}.out"
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "app", "worker", "--pool=solo", "-Q", "celery,housekeeping",
                 "-n", f"{name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    def output(self) -> str:
        return self.log.read_text("utf-8", "replace")

    def ran(self, task: str) -> int:
        return self.output().count(f"Task {task}[") // 2  # "received" and "succeeded" (or "retry")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)


def clear_broker(env: dict[str, str]) -> None:
    """No message left by an earlier test: queued, or held unacknowledged by a worker that was killed (a
    racing worker's retry, due in REPORT_SEND_LEASE seconds, would otherwise come back in the next test)."""
    redis.Redis.from_url(env["REDIS_URL"]).delete("celery", "housekeeping", "unacked", "unacked_index")


@pytest.fixture
def workers(worker_env, smtp, tmp_path):
    env = {**worker_env, "EMAIL_URL": smtp.url, "SITE_URL": "https://factorcard.example.com"}
    clear_broker(worker_env)
    started = [QueueWorker(name, env, tmp_path) for name in ("w1", "w2")]
    try:
        wait_until(lambda: all("ready." in w.output() for w in started), timeout=60)
        yield started
    finally:
        for w in started:
            w.stop()
            print(f"--- worker {w.name}:\n{w.output()[-4000:]}")  # shown when the test fails
        clear_broker(worker_env)


@pytest.fixture
def platform(team, django_user_model):
    for name in ("alice", "bob", "carol"):
        team.members.add(django_user_model.objects.create_user(name, email=f"{name}@example.com"))
    ReportSettings.objects.create(team=team, extra_recipients=["leads@example.com"])
    story.story(team, now=timezone.now())
    return team


def test_a_double_firing_raced_by_two_workers_sends_one_email_per_recipient(platform, workers, smtp):
    smtp.delay = 0.4  # each message takes a while: both workers are sending at the same time
    tasks.send_weekly_reports.delay()
    tasks.send_weekly_reports.delay()  # beat fired twice (two beats, or one restarted at the minute)
    wait_until(lambda: WeeklyReport.objects.filter(completed_at__isnull=False).exists(), timeout=90)
    wait_until(lambda: sum(w.ran(tasks.send_team_report.name) for w in workers) == 2, timeout=30)
    time.sleep(1)  # anything sent twice would have arrived by now
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == [
        "alice@example.com", "bob@example.com", "carol@example.com", "leads@example.com"]  # fmt: skip
    assert [w.ran(tasks.send_team_report.name) for w in workers] == [1, 1]  # each worker ran one: a real race
    assert set(Delivery.objects.values_list("state", "attempts")) == {("sent", 1)}


def test_a_failed_recipient_is_retried_by_the_worker_after_its_backoff(platform, worker_env, smtp, tmp_path):
    smtp.refuse["bob@example.com"] = ["451 4.7.1 Greylisted, try again"]
    env = {**worker_env, "EMAIL_URL": smtp.url, "REPORT_RETRY_BASE": "2"}
    clear_broker(worker_env)
    worker = QueueWorker("retry", env, tmp_path)
    try:
        tasks.send_weekly_reports.delay()
        bob = wait_until(lambda: Delivery.objects.filter(address="bob@example.com", state="sent").first(), 90)
    finally:
        worker.stop()
        print(worker.output()[-4000:])
        clear_broker(worker_env)
    assert (
        bob.attempts == 2
        and (bob.sent_at - Delivery.objects.get(address="alice@example.com").sent_at).total_seconds() >= 2
    )
    assert re.search(r"send_team_report\[[-\w]+\] retry: Retry in [12]\.\d+s", worker.output())
    assert len(smtp.to("bob@example.com")) == 1 and len(smtp.received) == 4
