"""Logs are one JSON object per line on stdout: request ids on web lines, scan ids on worker lines."""

import json
import subprocess
import sys

import pytest

from app.web.models import Repository, Scan
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = """
import django; django.setup()
from django.test import Client
from app.web import pipeline
Client().get('/login/')  # probes skip the middleware: a page has the request id
pipeline.run_scan({scan_id})
"""


def test_web_and_worker_lines_are_json_with_their_ids(team, worker_env):
    repo = Repository.objects.create(team=team, name="gone", clone_url="git://127.0.0.1:9/gone.git")
    scan = Scan.objects.create(repository=repo)
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(scan_id=scan.pk)],
        cwd=ROOT,
        env={**worker_env, "ALLOWED_HOSTS": "testserver"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = [line for line in out.stdout.splitlines() if line.strip()]
    assert lines, out.stderr
    events = [json.loads(line) for line in lines]  # every line is a JSON object
    request = next(e for e in events if e["event"] == "request_finished")
    assert request["request_id"] and request["code"] == 200
    failed = next(e for e in events if e["event"] == "scan_failed")
    assert failed["scan_id"] == scan.pk and "request_id" not in failed
    assert not list(ROOT.glob("*.log"))


def test_control_characters_in_log_fields_become_visible_escapes():
    from app.logs import printable_fields

    event = {"event": "scan_failed", "reason": "remote: a\x00b\x1b[2J\nnext", "scan_id": 7}
    assert printable_fields(None, "warning", event) == {"event": "scan_failed", "reason": "remote: a\\x00b\\x1b[2J\nnext",
                                                        "scan_id": 7}
