"""The webhook benchmark still runs and prints its figures (a smoke run: two seconds, three
repositories, one timed push). The figures are measured by hand and quoted in the README."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import psycopg

from tests.conftest import ROOT


def test_the_webhook_benchmark_loads_gunicorn_and_times_a_scorecard():
    env = {**os.environ, "BENCH_DATABASE": "factorcard_bench_webhooks_smoke"}
    try:
        out = subprocess.run(
            [sys.executable, "bench/webhooks.py", "--seconds", "2", "--clients", "2", "--repos", "3", "--e2e", "1"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        admin = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
            conn.execute('DROP DATABASE IF EXISTS "factorcard_bench_webhooks_smoke" WITH (FORCE)')
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    rate = re.search(r"accepted \(2xx\): (\d+) deliveries/s; 4xx: (\d+); 5xx: (\d+)", out.stdout)
    assert rate and int(rate[1]) > 0 and rate[2] == rate[3] == "0", out.stdout
    assert re.search(r"latency ms: p50 [\d.]+  p99 [\d.]+  max [\d.]+", out.stdout)
    checks = re.search(
        r"distinct commits accepted: (\d+); .* commits with two scans: (\d+); commits without a scan: "
        r"(\d+); most scans still queued for one repository: (\d+)",
        out.stdout,
    )
    assert checks and int(checks[1]) > 0 and checks[2] == checks[3] == "0" and checks[4] == "1", out.stdout
    assert re.search(r"delivery → stored scorecard .*: p50 [\d.]+ s", out.stdout), out.stdout
