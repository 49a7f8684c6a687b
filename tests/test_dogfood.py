"""Factorcard is itself a twelve-factor app: its own engine must pass every applicable factor."""

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_it_passes_every_factor_on_its_own_scorecard():
    out = subprocess.run([sys.executable, "-m", "scoring", str(ROOT), "--format", "json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    failing = {
        f["id"]: [(x["severity"], x["path"], x["line"], x["message"]) for x in f["findings"] if x["severity"] != "info"]
        for f in report["factors"]
        if f["status"] not in ("pass", "na")
    }
    assert failing == {}
    assert report["kind"]["value"] == "service"
    assert report["score"] == 100.0
