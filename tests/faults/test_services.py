"""Fault suite, services: the whole Procfile (web under gunicorn, the prefork worker, beat) against a
PostgreSQL cluster and a Redis server of this module's own, which the tests stop, restart, empty and
cut off mid-store. Repositories are added through the HTTP API as a user would; each test prints
what it measured."""

from __future__ import annotations

import os
import re
import subprocess
import time

import pytest
import requests

from tests.conftest import (
    ROOT,
    SAMPLE_SERVICE,
    Process,
    SlowProxy,
    free_port,
    procfile,
    wait_for_port,
    wait_until,
    with_venv,
    worker_command,
)
from tests.faults.services import PrivatePostgres, PrivateRedis

DB = "factorcard"
STACK_ENV = {
    "ALLOW_PRIVATE_HOSTS": "true",
    "ALLOW_LOCAL_REPOSITORIES": "true",
    "ALLOWED_HOSTS": "127.0.0.1",
    "HEARTBEAT_EVERY": "0.5",
    "LOST_AFTER": "3",
    "SWEEP_EVERY": "1",
    "UNSENT_GRACE": "1",
    "STORE_RETRY_FOR": "2",
    "DB_CONNECT_TIMEOUT": "2",
    "WORKER_CONCURRENCY": "2",
    "WEB_CONCURRENCY": "1",
}


class Stack:
    def __init__(self, tmp, env: dict[str, str], pg: PrivatePostgres, broker: PrivateRedis):
        self.tmp, self.env, self.pg, self.redis = tmp, env, pg, broker
        self.port = int(env["PORT"])
        self.base = f"http://127.0.0.1:{self.port}"
        self.web = Process("web", "web", procfile()["web"], env, tmp)
        self.beat = Process("beat", "beat", procfile()["beat"], env, tmp)
        self.worker = self.start_worker("w1")
        self.http = requests.Session()

    def start_worker(self, name: str) -> Process:
        worker = Process("worker", name, worker_command(name), self.env, self.tmp)
        worker.wait_for("worker_ready")
        return worker

    def sign_in(self, password: str) -> None:
        wait_for_port(self.port, timeout=30)
        page = self.http.get(f"{self.base}/login/", timeout=10)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
        response = self.http.post(
            f"{self.base}/login/",
            timeout=10,
            allow_redirects=False,
            data={"username": "demo", "password": password, "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302, response.text[:500]
        assert "sessionid" in self.http.cookies  # every later request, probes included, sends it

    def add(self, url: str) -> tuple[int, float, dict]:
        started = time.monotonic()
        response = self.http.post(
            f"{self.base}/api/repositories",
            json={"url": url, "team": "demo"},
            timeout=30,
            headers={"X-CSRFToken": self.http.cookies["csrftoken"]},
        )
        return response.status_code, time.monotonic() - started, response.json()

    def probe(self, path: str) -> int:
        return self.http.get(f"{self.base}{path}", timeout=10).status_code

    def scans(self, ids: list[int]) -> dict[int, tuple[str, int, int, str]]:
        """{scan id: (state, attempts, factor results, error)}, straight from the database."""
        with self.pg.connect(DB) as conn:
            rows = conn.execute(
                "SELECT s.id, s.state, s.attempts, count(r.id), s.error FROM web_scan s "
                "LEFT JOIN web_factorresult r ON r.scan_id = s.id WHERE s.id = ANY(%s) GROUP BY s.id",
                [ids],
            ).fetchall()
        return {r[0]: r[1:] for r in rows}

    def wait_done(self, ids: list[int], timeout: float = 60) -> float:
        started = time.monotonic()
        wait_until(
            lambda: all(s[0] in ("done", "failed") for s in self.scans(ids).values()), timeout=timeout, interval=0.2
        )
        return time.monotonic() - started

    def assert_done_once(self, ids: list[int]) -> None:
        for scan_id, (state, attempts, results, error) in self.scans(ids).items():
            assert (state, results) == ("done", 12), (scan_id, state, attempts, results, error)

    def close(self) -> None:
        for process in (self.worker, self.beat, self.web):
            process.kill()


@pytest.fixture(scope="module")
def stack(tmp_path_factory, git_server):
    pg, broker = PrivatePostgres(), PrivateRedis()
    tmp = tmp_path_factory.mktemp("stack")
    env = {
        **os.environ,
        **STACK_ENV,
        "DATABASE_URL": pg.url(DB),
        "REDIS_URL": broker.url(0),
        "CACHE_URL": f"rediscache://127.0.0.1:{broker.port}/1",
        "PORT": str(free_port()),
    }
    stack = None
    try:
        pg.connect("postgres").execute(f"CREATE DATABASE {DB}")
        manage = ["python", "manage.py"]
        subprocess.run([*manage, "migrate", "-v", "0"], cwd=ROOT, env=with_venv(env), check=True, timeout=120)
        out = subprocess.run(
            [*manage, "ensure_demo_user"],
            cwd=ROOT,
            env=with_venv(env),
            check=True,
            timeout=60,
            capture_output=True,
            text=True,
        ).stdout
        stack = Stack(tmp, env, pg, broker)
        stack.sign_in(re.search(r"with password (\S+)", out)[1])
        stack.git = git_server
        yield stack
    finally:
        if stack:
            stack.close()
            for p in (stack.web, stack.worker, stack.beat):
                print(f"--- {p.name}:\n{p.output(40)}")
        pg.close()
        broker.close()


def new_repos(stack: Stack, prefix: str, n: int) -> list[str]:
    return [stack.git.create(f"{prefix}-{i}", SAMPLE_SERVICE) for i in range(n)]


def test_redis_stopped_during_a_burst_of_additions(stack):
    """Redis dies while the worker runs a scan (its message not yet acknowledged) and repositories
    keep being added: every addition is answered 201 at once, the worker survives (kombu's cleanup of
    the dead connection used to kill it, see app/celery.py), the scan in flight is stored, and the
    sweep sends the new scans once Redis is back; each is scored once."""
    stack.git.create("redis-down-slow", SAMPLE_SERVICE)
    proxy = SlowProxy(stack.git.port, delay=1.5)
    try:
        in_flight = stack.add(f"git://127.0.0.1:{proxy.port}/redis-down-slow.git")[2]["scan"]["id"]
        wait_until(lambda: stack.scans([in_flight])[in_flight][0] == "cloning", timeout=30, interval=0.05)
        urls = new_repos(stack, "redis-down", 6)
        stack.redis.stop()
        answers = [stack.add(url) for url in urls]
        assert stack.probe("/readyz") == 503 and stack.probe("/healthz") == 200
        stack.redis.start()
        restarted = time.monotonic()
        ids = [body["scan"]["id"] for _, _, body in answers]
        stack.wait_done([in_flight, *ids])
    finally:
        proxy.close()
    recovered = time.monotonic() - restarted
    slowest = max(seconds for _, seconds, _ in answers)
    print(
        f"\nRedis down: {len(urls)} additions answered {sorted({code for code, _, _ in answers})}, the slowest in "
        f"{slowest * 1000:.0f} ms; all scans done {recovered:.1f} s after Redis came back"
    )
    assert {code for code, _, _ in answers} == {201}
    assert slowest < 3
    assert stack.worker.proc.poll() is None, stack.worker.output()
    stack.assert_done_once([in_flight, *ids])
    assert stack.probe("/readyz") == 200


def test_redis_restarted_empty_loses_queued_messages_and_the_sweep_sends_them_again(stack):
    assert stack.worker.stop() == 0  # no worker: the scans wait in the broker
    urls = new_repos(stack, "redis-empty", 4)
    ids = [stack.add(url)[2]["scan"]["id"] for url in urls]
    stack.redis.stop()
    stack.redis.start()  # nothing kept on disk: the queued messages are gone
    restarted = time.monotonic()
    stack.worker = stack.start_worker("w2")
    stack.wait_done(ids)
    print(
        f"\nRedis restarted empty with {len(ids)} scans queued: all done {time.monotonic() - restarted:.1f} s later "
        "(a new worker's start-up included)"
    )
    stack.assert_done_once(ids)
    assert "broker_emptied" in stack.worker.output(400)


def _store_blocked(stack: Stack, lock_conn, prefix: str) -> tuple[int, int]:
    """Add a repository while the test holds a lock on the results table: the worker's store waits
    inside its transaction. Returns (scan id, the worker's backend pid)."""
    lock_conn.execute("BEGIN")
    lock_conn.execute("LOCK TABLE web_factorresult IN ACCESS EXCLUSIVE MODE")
    (url,) = new_repos(stack, prefix, 1)
    scan_id = stack.add(url)[2]["scan"]["id"]

    def blocked_backend():
        with stack.pg.connect(DB) as conn:
            row = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%web_factorresult%'"
            ).fetchone()
        return row and row[0]

    return scan_id, wait_until(blocked_backend, timeout=30, interval=0.1)


def test_postgres_restarted_mid_store(stack):
    """PostgreSQL stops while a scan's results are being written: nothing half-written, the store is
    retried for STORE_RETRY_FOR (2 s here), then the scan goes back to the queue with the reason and
    is stored once PostgreSQL is back. Probes, with a session cookie: /healthz 200, /readyz 503
    during the outage, 200 after."""
    lock_conn = stack.pg.connect(DB)
    scan_id, _backend = _store_blocked(stack, lock_conn, "pg-restart")
    stack.pg.stop("fast")  # terminates every session, the test's lock holder included
    lock_conn.close()
    down = time.monotonic()
    during = {path: stack.probe(path) for path in ("/healthz", "/readyz")}
    stack.worker.wait_for("scan_returned_to_queue", timeout=30)
    stack.pg.start()
    outage = time.monotonic() - down
    stack.wait_done([scan_id])
    recovered = time.monotonic() - down - outage
    print(
        f"\nPostgreSQL stopped mid-store for {outage:.1f} s: probes during the outage {during}; the scan, "
        f"returned to the queue, was done {recovered:.1f} s after PostgreSQL came back"
    )
    assert during == {"/healthz": 200, "/readyz": 503}
    stack.assert_done_once([scan_id])
    assert stack.probe("/readyz") == 200 and stack.probe("/healthz") == 200


def test_connections_terminated_mid_store(stack):
    """pg_terminate_backend on the worker's connection in the middle of its store (a failover, an
    administrator): the transaction leaves nothing behind and the store is retried on a new
    connection at once."""
    lock_conn = stack.pg.connect(DB)
    scan_id, backend = _store_blocked(stack, lock_conn, "pg-terminate")
    with stack.pg.connect(DB) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", [backend]).fetchone()[0]
    wait_until(lambda: "store_retry" in stack.worker.output(400), timeout=10)
    terminated = time.monotonic()
    # nothing of the interrupted transaction is there (read under the lock the test still holds)
    assert lock_conn.execute("SELECT count(*) FROM web_factorresult WHERE scan_id = %s", [scan_id]).fetchone() == (0,)
    lock_conn.execute("ROLLBACK")
    lock_conn.close()
    stack.wait_done([scan_id])
    print(f"\nconnection terminated mid-store: the scan was stored {time.monotonic() - terminated:.1f} s later")
    stack.assert_done_once([scan_id])
    assert stack.scans([scan_id])[scan_id][1] == 1  # retried in place, not run again
