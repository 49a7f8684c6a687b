"""The Procfile's processes really run: release migrates, web serves and drains on SIGTERM, worker and
beat start and stop cleanly. Each line is run as the platform would run it: `sh -c` with $PORT set."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
import urllib.request

import pytest

from tests.conftest import ROOT, free_port, wait_for_port

pytestmark = pytest.mark.django_db(transaction=True)


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def with_venv(env: dict[str, str]) -> dict[str, str]:
    """The environment a platform gives the process: the app's own interpreter first on PATH."""
    return {**env, "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ.get('PATH', '')}"}


def start(command: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        ["sh", "-c", "exec " + command],
        cwd=ROOT,
        env=with_venv(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen, timeout: float = 30) -> tuple[int, str]:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        return -9, out.decode()
    return proc.returncode, out.decode()


def test_the_procfile_declares_the_four_process_types():
    assert set(procfile()) == {"web", "worker", "beat", "release"}


def test_release_migrates(worker_env):
    out = subprocess.run(
        ["sh", "-c", procfile()["release"]],
        cwd=ROOT,
        env=with_venv(worker_env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "No migrations to apply" in out.stdout or "Applying" in out.stdout


def test_web_binds_port_and_drains_on_sigterm(worker_env):
    port = free_port()
    proc = start(procfile()["web"], {**worker_env, "PORT": str(port), "WEB_CONCURRENCY": "1"})
    try:
        wait_for_port(port, timeout=30)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            assert json.load(response) == {"status": "ok"}
    finally:
        code, out = stop(proc)
    assert code == 0, out
    events = [json.loads(line)["event"] for line in out.splitlines()]  # every line is JSON
    assert any("Handling signal: term" in e for e in events)
    assert any("Shutting down" in e for e in events)


class Output:
    """Collects a process's output in the background, so a test can wait for a line."""

    def __init__(self, proc: subprocess.Popen):
        self.proc, self.text = proc, ""
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in iter(self.proc.stdout.readline, b""):
            self.text += line.decode("utf-8", "replace")

    def wait_for(self, needle: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text:
            assert self.proc.poll() is None, self.text
            assert time.monotonic() < deadline, f"no {needle!r} in:\n{self.text}"
            time.sleep(0.1)

    def stop(self, timeout: float = 30) -> int:
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            return -9


def test_worker_and_beat_start_and_stop_cleanly_and_log_only_json(worker_env):
    """Every line either process prints is one JSON object: the banners are off, and a pool process
    that dies ("Process 'ForkPoolWorker-1' … exited with 'signal 9 (SIGKILL)'") and the shutdown
    notice ("worker: Warm shutdown") are JSON lines too (issue 9, defect 10)."""
    worker = Output(start(procfile()["worker"], {**worker_env, "WORKER_CONCURRENCY": "2"}))
    beat = Output(start(procfile()["beat"], worker_env))
    try:
        worker.wait_for("ready")
        beat.wait_for("beat: Starting")
        with open(f"/proc/{worker.proc.pid}/task/{worker.proc.pid}/children") as fh:
            child = int(fh.read().split()[0])
        os.kill(child, signal.SIGKILL)  # the out-of-memory killer takes a pool process
        worker.wait_for("exited with")
    finally:
        worker_code, beat_code = worker.stop(), beat.stop()
    assert worker_code == 0, worker.text  # a warm shutdown: finish (or give back) the task, then exit
    assert beat_code == 0, beat.text
    for text in (worker.text, beat.text):
        events = [json.loads(line) for line in text.splitlines() if line.strip()]  # raises on a plain line
        assert all(isinstance(e, dict) and e.get("event") for e in events), text
    worker_events = [json.loads(line) for line in worker.text.splitlines() if line.strip()]
    ready = next(e for e in worker_events if e["event"] == "worker_ready")
    assert ready["queues"] == ["housekeeping", "interactive", "bulk"]  # consumed in this order
    assert any("exited with" in e["event"] and e["level"] == "error" for e in worker_events)
    assert any(e["event"] == "worker: Warm shutdown (MainProcess)" for e in worker_events)
