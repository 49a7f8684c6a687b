"""End to end with real processes: the Procfile's Celery worker against the real Redis and PostgreSQL,
repositories served by git daemon on loopback, and a broker that cannot be reached. Workers killed,
stopped and frozen mid-scan are in tests/faults/."""

from __future__ import annotations

import subprocess
import sys

import pytest

from app.web import pipeline, sweep
from app.web.models import FactorResult, Scan
from tests.conftest import ROOT, SAMPLE_SERVICE, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def scan_state(pk: int) -> Scan:
    return Scan.objects.get(pk=pk)


def test_it_scans_a_repository_end_to_end(team, git_server, start_worker):
    url = git_server.create("e2e", SAMPLE_SERVICE)
    start_worker("e2e")  # the Procfile's worker: prefork pool, its queues
    repo, scan = pipeline.add_repository(team, url)
    done = wait_until(lambda: (s := scan_state(scan.pk)).is_final and s, timeout=90)
    assert done.state == Scan.DONE, done.error
    assert done.attempts == 1
    assert FactorResult.objects.filter(scan=done).count() == 12
    assert FactorResult.objects.get(scan=done, factor=11).status == "fail"  # the sample logs to a file


def test_a_scan_added_while_the_broker_is_unreachable_is_sent_by_the_sweep(
    team, member, git_server, worker_env, start_worker, settings
):
    url = git_server.create("outage", SAMPLE_SERVICE)
    # The web process with a wrong REDIS_URL: adding a repository must still answer 201 and record the scan.
    script = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "from django.contrib.auth import get_user_model\n"
        "import time\n"
        "c = Client(); c.force_login(get_user_model().objects.get(username='alice'))\n"
        "t = time.monotonic()\n"
        f"r = c.post('/api/repositories', json.dumps({{'url': {url!r}, 'team': 'platform'}}), "
        "content_type='application/json')\n"
        "print('SECONDS', time.monotonic() - t)\n"
        "print('RESULT', r.status_code, r.content.decode())\n"
    )
    env = {
        **worker_env,
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "DJANGO_SETTINGS_MODULE": "app.settings",
        "ALLOWED_HOSTS": "testserver",
    }
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    result = [line for line in out.stdout.splitlines() if line.startswith("RESULT ")]
    assert result and result[0].startswith("RESULT 201"), out.stdout + out.stderr
    # No hang: one refused connection, no retry loop (it took 6 s before; the clone probe is local)
    seconds = float(next(line for line in out.stdout.splitlines() if line.startswith("SECONDS ")).split()[1])
    assert seconds < 3, seconds
    scan = Scan.objects.get(repository__clone_url=url)
    assert scan.state == Scan.QUEUED and scan.enqueued_at is None  # recorded, never handed to the broker
    start_worker("after-outage")
    settings.FACTORCARD = {**settings.FACTORCARD, "UNSENT_GRACE": 0}  # no need to wait in a test
    counts = sweep.sweep()  # the broker is back: the beat task's sweep sends it
    assert counts["resent"] >= 1
    done = wait_until(lambda: (s := scan_state(scan.pk)).is_final and s, timeout=90)
    assert done.state == Scan.DONE, done.error
    assert FactorResult.objects.filter(scan=done).count() == 12


def test_readyz_reports_an_unreachable_broker(client, settings):
    from app.celery import app as celery_app

    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    good = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/readyz")
    finally:
        celery_app.conf.broker_url = good
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "broker": False}


def test_scans_someone_waits_for_go_before_scheduled_rescans(team, git_server, start_worker):
    """Six scheduled rescans (bulk) are queued, then two scans people asked for (interactive): the
    Procfile's worker empties the interactive queue first, whatever arrived before (with Redis's
    default round robin between queues, the second one would wait behind a bulk scan)."""
    urls = [git_server.create(f"prio-{i}", SAMPLE_SERVICE) for i in range(6)]
    repos = [pipeline.add_repository(team, url)[0] for url in urls]
    Scan.objects.all().delete()  # only the scans below
    bulk = [pipeline.request_scan(r, Scan.SCHEDULE) for r in repos]
    manual = [pipeline.request_scan(r, Scan.MANUAL) for r in repos[:2]]
    start_worker("prio")  # one pool process: it takes one scan at a time
    for s in [*bulk, *manual]:
        wait_until(lambda s=s: scan_state(s.pk).is_final, timeout=90)
    order = sorted([*bulk, *manual], key=lambda s: scan_state(s.pk).cloning_at)
    assert {s.pk for s in order[:2]} == {s.pk for s in manual}, [(s.pk, s.trigger) for s in order]
