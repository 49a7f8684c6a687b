"""Shared fixtures: real git repositories served by `git daemon` on loopback, real Celery workers,
and the three personas (a member, a member of another team, an anonymous visitor)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.test",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.test",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def git(*args: str, cwd: Path) -> str:
    out = subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, check=True,
                         capture_output=True, text=True)
    return out.stdout.strip()


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {port}")


class GitServer:
    """Bare repositories under `base`, served read-only by git daemon on a loopback port."""

    def __init__(self, base: Path, port: int):
        self.base, self.port = base, port

    def url(self, name: str) -> str:
        return f"git://127.0.0.1:{self.port}/{name}.git"

    def create(self, name: str, files: dict[str, str], branch: str = "main") -> str:
        """A repository with one commit of `files`; returns its git:// URL."""
        work = self.base.parent / "work" / name
        if work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True)
        git("init", "-q", "-b", branch, cwd=work)
        self.commit(work, files, "initial")
        bare = self.base / f"{name}.git"
        if bare.exists():
            shutil.rmtree(bare)
        git("clone", "-q", "--bare", str(work), str(bare), cwd=self.base)
        return self.url(name)

    def push(self, name: str, files: dict[str, str], message: str = "change") -> str:
        """Commit more files to the repository and update the served copy; returns the new sha."""
        work = self.base.parent / "work" / name
        sha = self.commit(work, files, message)
        git("push", "-q", str(self.base / f"{name}.git"), "HEAD", cwd=work)
        return sha

    def branch(self, name: str, branch: str, files: dict[str, str]) -> str:
        """Push a new branch that diverges from the current one by `files`; returns its sha."""
        work = self.base.parent / "work" / name
        current = git("rev-parse", "--abbrev-ref", "HEAD", cwd=work)
        git("checkout", "-q", "-b", branch, cwd=work)
        sha = self.commit(work, files, f"on {branch}")
        git("push", "-q", str(self.base / f"{name}.git"), branch, cwd=work)
        git("checkout", "-q", current, cwd=work)
        return sha

    @staticmethod
    def commit(work: Path, files: dict[str, str], message: str) -> str:
        for rel, content in files.items():
            path = work / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content)
        git("add", "-A", cwd=work)
        git("commit", "-q", "-m", message, cwd=work)
        return git("rev-parse", "HEAD", cwd=work)


@pytest.fixture(scope="session")
def git_server(tmp_path_factory):
    base = tmp_path_factory.mktemp("git") / "srv"
    base.mkdir()
    port = free_port()
    proc = subprocess.Popen(
        ["git", "daemon", "--export-all", f"--base-path={base}", "--reuseaddr", "--listen=127.0.0.1",
         f"--port={port}", "--informative-errors", str(base)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield GitServer(base, port)
    finally:
        proc.terminate()
        proc.wait(5)


# A small twelve-factor-ish service used by several tests.
SAMPLE_SERVICE = {
    "requirements.txt": "flask==3.0.0\ngunicorn==23.0.0\n",
    "Procfile": "web: gunicorn app:app --bind 0.0.0.0:$PORT\nrelease: flask db upgrade\n",
    "app.py": "import os\nfrom flask import Flask\napp = Flask(__name__)\nDB = os.environ['DATABASE_URL']\n",
    "settings.py": "import logging\nlogging.basicConfig(filename='app.log')\n",
}


class Worker:
    """A real `celery worker` process for the test database and the test Redis."""

    def __init__(self, name: str, env: dict[str, str], log_dir: Path, pool: str = "solo"):
        self.name = name
        self.log = log_dir / f"worker-{name}.out"  # in pytest's temporary folder; shown when a test fails
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "app", "worker", f"--pool={pool}", "--concurrency=1",
                 "-n", f"{name}@%h",
                 "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )

    def output(self, last: int = 60) -> str:
        lines = self.log.read_text("utf-8", "replace").splitlines()
        return "\n".join(lines[-last:])

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker_env(transactional_db, settings):
    """Environment for worker processes: the test database (data must be committed: transactional tests)."""
    from django.db import connection

    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "ALLOW_PRIVATE_HOSTS": "true",
        "ALLOW_LOCAL_REPOSITORIES": "true",
        "BROKER_VISIBILITY_TIMEOUT": "6",
        "BROKER_RESTORE_INTERVAL": "1",
        "BROKER_RESTORE_THROTTLE": "1",
        "BROKER_RESTORE_LOCK_EXPIRE": "2",
        "DB_CONN_MAX_AGE": "0",
    }
    settings.FACTORCARD = {**settings.FACTORCARD, "ALLOW_PRIVATE_HOSTS": True, "ALLOW_LOCAL_REPOSITORIES": True}
    return env


@pytest.fixture
def start_worker(worker_env, tmp_path):
    from app.celery import app as celery_app

    celery_app.control.purge()
    started: list[Worker] = []

    def start(name: str = "w1", pool: str = "solo", **extra: str) -> Worker:
        w = Worker(name, {**worker_env, **extra}, tmp_path, pool)
        started.append(w)
        return w

    yield start
    for w in started:
        w.kill()
        print(f"--- worker {w.name} (exit {w.proc.returncode}):\n{w.output()}")  # pytest shows it on failure


@pytest.fixture
def allow_local(settings):
    settings.FACTORCARD = {**settings.FACTORCARD, "ALLOW_PRIVATE_HOSTS": True, "ALLOW_LOCAL_REPOSITORIES": True}


@pytest.fixture
def team(db):
    from app.web.models import Team

    return Team.objects.create(name="Platform", slug="platform")


@pytest.fixture
def other_team(db):
    from app.web.models import Team

    return Team.objects.create(name="Payments", slug="payments")


@pytest.fixture
def member(team, django_user_model):
    user = django_user_model.objects.create_user("alice", password="a-long-test-passphrase")
    team.members.add(user)
    return user


@pytest.fixture
def outsider(other_team, django_user_model):
    user = django_user_model.objects.create_user("mallory", password="another-long-passphrase")
    other_team.members.add(user)
    return user


def wait_until(predicate, timeout: float = 60.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError("condition not met in time")
