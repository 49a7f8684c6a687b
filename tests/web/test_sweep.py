"""The sweep (beat's housekeeping), run in-process against the real PostgreSQL and Redis: what it
sends again, what it leaves alone, what it fails, and the orphaned clone folders it removes."""

import os
import subprocess
from datetime import timedelta

import psycopg
import pytest
import redis
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from app.web import queues, sweep, workdirs
from app.web.claims import HOST
from app.web.models import Repository, Scan

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """The (scan id, queue) pairs the sweep hands to the broker; the broker itself kept its data."""
    calls = []
    monkeypatch.setattr(sweep.pipeline, "enqueue", lambda scan_id, queue: calls.append((scan_id, queue)) or True)
    monkeypatch.setattr(queues, "broker_was_emptied", lambda: False)
    monkeypatch.setattr(queues, "waiting", lambda queue: 0)
    return calls


@pytest.fixture
def repo(team):
    return Repository.objects.create(team=team, name="r", clone_url="git://127.0.0.1:9/r.git")


def ago(seconds: float):
    return timezone.now() - timedelta(seconds=seconds)


def test_it_gives_a_scan_not_yet_handed_to_the_broker_a_grace_period(repo, sent):
    """A sweep landing between the commit and enqueue() must not send a second message (defect 2)."""
    fresh = Scan.objects.create(repository=repo, queued_at=ago(0.01))
    unsent = Scan.objects.create(repository=repo, queued_at=ago(django_settings.FACTORCARD["UNSENT_GRACE"] + 1))
    sweep.sweep()
    assert sent == [(unsent.pk, "interactive")]
    assert fresh.pk not in [pk for pk, _ in sent]


def test_it_leaves_queued_scans_whose_message_may_be_waiting_alone(repo, sent, monkeypatch):
    Scan.objects.create(repository=repo, queued_at=ago(60), enqueued_at=ago(59))  # sent a minute ago
    old = Scan.objects.create(repository=repo, queued_at=ago(7200), enqueued_at=ago(7200), trigger=Scan.SCHEDULE)
    stuck = Scan.objects.create(repository=repo, queued_at=ago(7200), enqueued_at=ago(7200), trigger=Scan.MANUAL)
    monkeypatch.setattr(queues, "waiting", lambda queue: {"interactive": 3, "bulk": 0}[queue])
    sweep.sweep()
    # past QUEUED_RESEND_AFTER and its queue (bulk) is empty: sent again, on that queue; the manual
    # one's queue still holds messages (a backlog, not a loss): left alone
    assert sent == [(old.pk, "bulk")]
    assert stuck.pk not in [pk for pk, _ in sent]


def test_it_sends_every_queued_scan_again_once_when_the_broker_lost_its_data(repo, monkeypatch):
    calls = []
    monkeypatch.setattr(sweep.pipeline, "enqueue", lambda scan_id, queue: calls.append(scan_id) or True)
    waiting = Scan.objects.create(repository=repo, queued_at=ago(30), enqueued_at=ago(30))
    broker = redis.Redis.from_url(django_settings.CELERY_BROKER_URL)
    broker.delete(queues.EPOCH_KEY)  # what a restart without persistence does to every key
    sweep.sweep()
    sweep.sweep()
    assert calls == [waiting.pk]
    assert broker.exists(queues.EPOCH_KEY)


@pytest.mark.parametrize(
    "heartbeat_age, holder, resent",
    [
        (5, "elsewhere 1", False),  # alive on another host: left alone
        (60, "elsewhere 1", True),  # no heartbeat for LOST_AFTER: its worker is gone
        (5, f"{HOST} 999999999", True),  # a process of this host that no longer exists: at once
        (5, f"{HOST} {os.getpid()}", False),  # this very process: alive
    ],
)
def test_it_takes_back_the_running_scans_of_lost_workers(repo, sent, heartbeat_age, holder, resent):
    scan = Scan.objects.create(
        repository=repo,
        state=Scan.CLONING,
        attempts=1,
        cloning_at=ago(heartbeat_age),
        heartbeat_at=ago(heartbeat_age),
        claimed_by=holder,
        enqueued_at=ago(70),
    )
    sweep.sweep()
    assert sent == ([(scan.pk, "interactive")] if resent else [])


def test_it_fails_a_lost_scan_that_was_tried_too_often(repo, sent):
    stuck = Scan.objects.create(
        repository=repo,
        state=Scan.SCORING,
        attempts=3,
        cloning_at=ago(7200),
        heartbeat_at=ago(7000),
        claimed_by="elsewhere 1",
    )
    counts = sweep.sweep()
    stuck.refresh_from_db()
    assert stuck.state == Scan.FAILED and "interrupted" in stuck.error
    assert counts["failed"] == 1 and sent == []


def test_it_removes_the_clone_folders_of_dead_processes_only(tmp_path, monkeypatch):
    monkeypatch.setattr(workdirs.tempfile, "gettempdir", lambda: str(tmp_path))
    dead = subprocess.Popen(["true"])
    dead.wait()
    host = workdirs._HOST
    names = {
        "dead": f"factorcard-scan-{host}-{dead.pid}-abc",
        "alive": f"factorcard-scan-{host}-{os.getpid()}-abc",
        "other_host": f"factorcard-scan-otherhost-{dead.pid}-abc",
        "not_ours": "something-else",
    }
    for name in names.values():
        (tmp_path / name / "checkout").mkdir(parents=True)
    assert workdirs.remove_orphans() == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(v for k, v in names.items() if k != "dead")
    with workdirs.scan_workdir() as path:  # a scan's own folder is named after its process
        assert os.path.basename(path).startswith(f"factorcard-scan-{host}-{os.getpid()}-")


def test_two_sweeps_never_run_at_once(repo, sent):
    """Sweeps delivered together (as after a broker outage) would send the same scans twice."""
    Scan.objects.create(repository=repo, queued_at=ago(60))
    db = connection.settings_dict
    other = psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"], autocommit=True
    )
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [sweep.LOCK_KEY])  # a sweep running elsewhere
        assert sweep.sweep()["resent"] == 0 and sent == []
        other.execute("SELECT pg_advisory_unlock(%s)", [sweep.LOCK_KEY])
        assert sweep.sweep()["resent"] == 1
    finally:
        other.close()
