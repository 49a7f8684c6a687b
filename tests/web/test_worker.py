"""End to end with real processes: a Celery worker against the real Redis and PostgreSQL, repositories
served by git daemon on loopback. Includes a worker killed mid-scan and a broker outage."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
import redis

from app.web import pipeline
from app.web.models import FactorResult, Scan
from tests.conftest import ROOT, SAMPLE_SERVICE, free_port, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def scan_state(pk: int) -> Scan:
    return Scan.objects.get(pk=pk)


@pytest.mark.parametrize("pool", ["solo", "prefork"])  # the tests' pool, and the Procfile's
def test_it_scans_a_repository_end_to_end(team, git_server, start_worker, pool):
    url = git_server.create("e2e", SAMPLE_SERVICE)
    start_worker("e2e", pool=pool)
    repo, scan = pipeline.add_repository(team, url)
    done = wait_until(lambda: (s := scan_state(scan.pk)).is_final and s, timeout=90)
    assert done.state == Scan.DONE, done.error
    assert done.attempts == 1
    assert FactorResult.objects.filter(scan=done).count() == 12
    assert FactorResult.objects.get(scan=done, factor=11).status == "fail"  # the sample logs to a file


class SlowProxy:
    """A TCP proxy on loopback that holds each connection for `delay` seconds before relaying:
    a slow network, so a clone takes long enough to kill the worker in the middle of it."""

    def __init__(self, target_port: int, delay: float):
        self.port, self.target, self.delay = free_port(), target_port, delay
        self.server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client):
        time.sleep(self.delay)
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target))
        except OSError:  # the test is over and the server gone
            client.close()
            return
        for a, b in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src, dst):
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        self.server.close()


def _git_processes(needle: str) -> list[int]:
    """Pids of running git processes whose command line mentions `needle` (read from /proc)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                argv = fh.read().split(b"\0")
            with open(f"/proc/{entry}/stat", "rb") as fh:
                zombie = fh.read().rsplit(b")", 1)[1].split()[0] == b"Z"
        except OSError:
            continue
        if not zombie and argv and argv[0].endswith(b"git") and any(needle.encode() in a for a in argv):
            pids.append(int(entry))
    return pids


def test_a_scan_survives_its_worker_being_killed(team, git_server, worker_env, start_worker):
    git_server.create("crash", SAMPLE_SERVICE)
    proxy = SlowProxy(git_server.port, delay=4.0)
    try:
        url = f"git://127.0.0.1:{proxy.port}/crash.git"
        first = start_worker("doomed")
        repo, scan = pipeline.add_repository(team, url)
        wait_until(lambda: scan_state(scan.pk).state == Scan.CLONING, timeout=30, interval=0.05)
        wait_until(lambda: _git_processes("crash.git"), timeout=10, interval=0.05)  # git is running
        first.kill()  # SIGKILL while the clone is in flight: the message was never acknowledged
        assert scan_state(scan.pk).state == Scan.CLONING
        # The worst moment for a kill: inside kombu's restore of lost messages, whose Redis lock then
        # outlives the worker (a worker killed at teardown left it behind once in CI: 300 s by default).
        broker = redis.Redis.from_url(worker_env["REDIS_URL"])
        broker.set("unacked_mutex", "a-dead-worker", ex=int(worker_env["BROKER_RESTORE_LOCK_EXPIRE"]))
        # git dies with its worker at once (the proxy holds the clone back for 4 s: it would outlive it)
        wait_until(lambda: not _git_processes("crash.git"), timeout=2)
        start_worker("rescuer")
        done = wait_until(lambda: (s := scan_state(scan.pk)).is_final and s, timeout=90)
    finally:
        proxy.close()
    assert done.state == Scan.DONE, done.error
    assert done.attempts == 2  # claimed by the first worker, then by the second
    assert FactorResult.objects.filter(repository=repo).count() == 12  # exactly one stored result


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as fh:
        return [int(c) for c in fh.read().split()]


def test_a_scan_survives_its_pool_process_being_killed(team, git_server, start_worker):
    """The Procfile's prefork pool: the out-of-memory killer takes the child running a scan. The
    main process sees the child die and gives the message back at once (the broker's visibility
    timeout is an hour here, so nothing else could bring it back), a new child runs the scan again,
    and git dies with the child it belonged to."""
    git_server.create("oom", SAMPLE_SERVICE)
    proxy = SlowProxy(git_server.port, delay=4.0)
    try:
        worker = start_worker("prefork", pool="prefork", BROKER_VISIBILITY_TIMEOUT="3600")
        repo, scan = pipeline.add_repository(team, f"git://127.0.0.1:{proxy.port}/oom.git")
        wait_until(lambda: scan_state(scan.pk).state == Scan.CLONING, timeout=30, interval=0.05)
        first_git = wait_until(lambda: _git_processes("oom.git"), timeout=10, interval=0.05)
        (child,) = _children(worker.proc.pid)
        os.kill(child, signal.SIGKILL)
        wait_until(lambda: not set(first_git) & set(_git_processes("oom.git")), timeout=2)
        done = wait_until(lambda: (s := scan_state(scan.pk)).is_final and s, timeout=60)
    finally:
        proxy.close()
    assert done.state == Scan.DONE, done.error
    assert done.attempts == 2
    assert worker.proc.poll() is None  # the worker itself lives on with a new child
    assert FactorResult.objects.filter(repository=repo).count() == 12


def test_a_scan_added_while_the_broker_is_unreachable_is_sent_by_the_sweep(team, member, git_server, worker_env,
                                                                           start_worker):
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
    env = {**worker_env, "REDIS_URL": "redis://127.0.0.1:1/0", "DJANGO_SETTINGS_MODULE": "app.settings",
           "ALLOWED_HOSTS": "testserver"}
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    result = [line for line in out.stdout.splitlines() if line.startswith("RESULT ")]
    assert result and result[0].startswith("RESULT 201"), out.stdout + out.stderr
    # No hang: one refused connection, no retry loop (it took 6 s before; the clone probe is local)
    seconds = float(next(line for line in out.stdout.splitlines() if line.startswith("SECONDS ")).split()[1])
    assert seconds < 3, seconds
    scan = Scan.objects.get(repository__clone_url=url)
    assert scan.state == Scan.QUEUED and scan.enqueued_at is None  # recorded, never handed to the broker
    start_worker("after-outage")
    counts = pipeline.sweep()  # the broker is back: the beat task's sweep sends it
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


@pytest.mark.parametrize("whole_group", [False, True], ids=["worker", "process-group"])
def test_a_worker_told_to_stop_mid_scan_finishes_the_scan_first(team, git_server, start_worker, whole_group):
    """SIGTERM (a deploy, a scale-down) mid-clone, to the worker process as a container runtime sends
    it, or to all its processes as Heroku, honcho and systemd do: git runs in a session of its own, so
    it is not cut off, and Celery's warm shutdown stores the scan before the worker exits 0; nothing
    is lost or run twice."""
    git_server.create("deploying", SAMPLE_SERVICE)
    proxy = SlowProxy(git_server.port, delay=3.0)
    try:
        worker = start_worker("stopping")
        repo, scan = pipeline.add_repository(team, f"git://127.0.0.1:{proxy.port}/deploying.git")
        wait_until(lambda: scan_state(scan.pk).state == Scan.CLONING, timeout=30, interval=0.05)
        if whole_group:
            os.killpg(worker.proc.pid, signal.SIGTERM)
        else:
            worker.proc.send_signal(signal.SIGTERM)
        assert worker.proc.wait(60) == 0
    finally:
        proxy.close()
    done = scan_state(scan.pk)
    assert done.state == Scan.DONE, done.error
    assert done.attempts == 1
    assert FactorResult.objects.filter(repository=repo).count() == 12
