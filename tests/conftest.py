"""Shared fixtures: real git repositories served by `git daemon` on loopback, real Celery workers,
and the three personas (a member, a member of another team, an anonymous visitor)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import threading
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


def git_processes(needle: str) -> list[int]:
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



# A small twelve-factor-ish service used by several tests.
SAMPLE_SERVICE = {
    "requirements.txt": "flask==3.0.0\ngunicorn==23.0.0\n",
    "Procfile": "web: gunicorn app:app --bind 0.0.0.0:$PORT\nrelease: flask db upgrade\n",
    "app.py": "import os\nfrom flask import Flask\napp = Flask(__name__)\nDB = os.environ['DATABASE_URL']\n",
    "settings.py": "import logging\nlogging.basicConfig(filename='app.log')\n",
}


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def with_venv(env: dict[str, str]) -> dict[str, str]:
    """The environment a platform gives the process: the app's own interpreter first on PATH."""
    return {**env, "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ.get('PATH', '')}"}


class Process:
    """A Procfile process run as the platform runs it (`sh -c`, in a process group of its own),
    its output in a file of pytest's temporary folder (shown when a test fails)."""

    def __init__(self, kind: str, name: str, command: str, env: dict[str, str], log_dir: Path):
        self.name = name
        self.log = log_dir / f"{kind}-{name}.out"
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(["sh", "-c", "exec " + command], cwd=ROOT, env=with_venv(env), stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def children(self) -> list[int]:
        with open(f"/proc/{self.pid}/task/{self.pid}/children") as fh:
            return [int(c) for c in fh.read().split()]

    def output(self, last: int = 60) -> str:
        lines = self.log.read_text("utf-8", "replace").splitlines()
        return "\n".join(lines[-last:])

    def wait_for(self, needle: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.log.read_text("utf-8", "replace"):
            assert self.proc.poll() is None, self.output()
            assert time.monotonic() < deadline, f"no {needle!r} in:\n{self.output()}"
            time.sleep(0.05)

    def signal_group(self, sig: int) -> None:
        os.killpg(self.pid, sig)

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self, timeout: float = 30) -> int:
        if self.proc.poll() is None:
            os.killpg(self.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.proc.returncode


def worker_command(name: str) -> str:
    """The Procfile's worker (prefork pool, its queues and their order) under a name of its own;
    gossip, mingle and heartbeats off only to start faster."""
    return procfile()["worker"] + f" -n {name}@%h --without-gossip --without-mingle --without-heartbeat"


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
        "BROKER_RESTORE_INTERVAL": "1",
        "BROKER_RESTORE_THROTTLE": "1",
        "BROKER_RESTORE_LOCK_EXPIRE": "2",
        "DB_CONN_MAX_AGE": "0",
    }
    settings.FACTORCARD = {**settings.FACTORCARD, "ALLOW_PRIVATE_HOSTS": True, "ALLOW_LOCAL_REPOSITORIES": True}
    return env


@pytest.fixture
def start_worker(worker_env, tmp_path):
    """Start real workers: `start_worker("name", WORKER_CONCURRENCY="2", SOME_SETTING="x")`."""
    from app.celery import app as celery_app

    celery_app.control.purge()
    started: list[Process] = []

    def start(name: str = "w1", **extra: str) -> Process:
        w = Process("worker", name, worker_command(name), {**worker_env, "WORKER_CONCURRENCY": "1", **extra}, tmp_path)
        started.append(w)
        return w

    yield start
    for w in started:
        w.kill()
        print(f"--- worker {w.name} (exit {w.proc.returncode}):\n{w.output()}")  # pytest shows it on failure


@pytest.fixture
def start_beat(worker_env, tmp_path):
    """Start the Procfile's beat: `start_beat(SWEEP_EVERY="1")`."""
    started: list[Process] = []

    def start(**extra: str) -> Process:
        b = Process("beat", "beat", procfile()["beat"], {**worker_env, **extra}, tmp_path)
        started.append(b)
        return b

    yield start
    for b in started:
        b.kill()
        print(f"--- beat (exit {b.proc.returncode}):\n{b.output()}")


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
