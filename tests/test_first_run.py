"""A first run that works anywhere: bin/dev keeps what the environment says and checks its port, the
test suite never reads the developer's .env and never shares a database with another run, and the
Docker image never sees a .env (issue 13)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys

import pytest
import yaml
from django.db import connection

from tests.conftest import ROOT

PROBE = """
import environ
calls = []
environ.Env.read_env = staticmethod(lambda *a, **k: calls.append(k))
import app.settings
print(calls)
"""


def test_load_dotenv_fills_in_only_what_the_environment_leaves_unset(tmp_path):
    (tmp_path / ".env").write_text(
        '# comment\nDATABASE_URL=postgres://from-file/x\nPORT=8000\nNAME="quoted value"\nnot a line\n'
    )
    script = f'source "{ROOT}/bin/services"; load_dotenv "{tmp_path}/.env"; echo "$DATABASE_URL|$PORT|$NAME"'
    env = {"PATH": os.environ["PATH"], "DATABASE_URL": "postgres://from-env/y"}
    out = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=30)
    assert out.stdout.strip() == "postgres://from-env/y|8000|quoted value", out.stderr


def test_bin_dev_stops_with_a_message_when_its_port_is_taken(tmp_path):
    if subprocess.run(["cmp", "-s", ROOT / "requirements.lock.txt", ROOT / ".venv" / ".lock"]).returncode:
        pytest.skip("the virtualenv is not built from this lock file: bin/dev would rebuild it first")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {**os.environ, "PORT": str(port)}
        out = subprocess.run([ROOT / "bin" / "dev"], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert f"port {port} is already in use" in out.stderr and "PORT=8001 ./bin/dev" in out.stderr
    assert "open http://" not in out.stderr + out.stdout  # no URL printed for a port it cannot serve


@pytest.mark.parametrize("flag, reads", [("0", False), ("1", True), (None, True)])
def test_settings_read_dotenv_unless_told_not_to_and_never_override(flag, reads):
    env = {k: v for k, v in os.environ.items() if k != "FACTORCARD_DOTENV"}
    if flag is not None:
        env["FACTORCARD_DOTENV"] = flag
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ("[{'overwrite': False}]" if reads else "[]")


@pytest.mark.django_db
def test_this_run_ignores_the_dotenv_and_has_a_database_of_its_own():
    assert os.environ.get("FACTORCARD_DOTENV") == "0", "run the suite with ./bin/test"
    assert re.fullmatch(r"test_factorcard_\d+_\d+(_gw\d+)?", connection.settings_dict["NAME"])  # xdist adds _gwN
    assert os.environ["TMPDIR"].rsplit("/", 1)[-1].startswith("factorcard-test-")


def test_the_image_never_holds_or_reads_a_dotenv():
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert {".env", ".venv", ".git", "artifacts"} <= set(ignored)
    assert "FACTORCARD_DOTENV=0" in (ROOT / "Dockerfile").read_text()
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert all("env_file" not in service for service in compose["services"].values())


def test_compose_runs_the_worker_as_the_procfile_does():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    procfile = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line)
    assert " ".join(compose["services"]["worker"]["command"]) == procfile["worker"]


def test_bin_dev_keeps_honcho_from_reading_dotenv_over_the_environment():
    """honcho loads .env over os.environ by default: bin/dev has loaded it already, without overriding."""
    (start,) = [line for line in (ROOT / "bin" / "dev").read_text().splitlines() if line.startswith("exec honcho")]
    assert start.split("#")[0].split() == ["exec", "honcho", "start", "-e", "/dev/null", "web", "worker", "beat"]
