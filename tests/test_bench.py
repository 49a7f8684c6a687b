"""The benchmarks still run and print their figures: smoke runs on a small tree and a small seeded
database. The figures themselves are measured by hand and quoted in the README, never asserted."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.parse

from tests.conftest import ROOT


def test_the_engine_benchmark_prints_its_table_and_verdict(tmp_path):
    out = subprocess.run(
        [sys.executable, "bench/engine.py", "--trees", "synthetic", "--synthetic-files", "120", "--runs", "1",
         "--checks", "3", "--keep", str(tmp_path / "trees")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    number = r"(\d+(?:\.\d+)?)"
    row = re.search(rf"^synthetic-120\s+120\s+{number}\s+{number}\s+\({number}\)\s+{number}\s+{number}\s+(\d+)\s+"
                    rf"{number}\s+{number}x\s+{number}\s+{number}x$", out.stdout, re.M)
    assert row, out.stdout
    mb, engine_s, _wall, files_per_s, _mbs, patterns, own_s, own_ratio, lit_s, lit_ratio = map(float, row.groups())
    assert engine_s > 0 and own_s > 0 and lit_s > 0 and int(patterns) > 100
    # the engine time is printed to 3 decimals: files/s must agree with it within that rounding
    assert 120 / (engine_s + 0.0005) - 1 <= files_per_s <= 120 / max(engine_s - 0.0005, 1e-6) + 1
    # both times are printed to 3 decimals and the ratio to 2: it must lie within what that rounding allows
    low, high = (engine_s - 0.0005) / (lit_s + 0.0005), (engine_s + 0.0005) / max(lit_s - 0.0005, 1e-6)
    assert low - 0.005 <= lit_ratio <= high + 0.005
    assert re.search(r"^target \(synthetic-120, pinned to core \d+\): under 5 s of one core: (yes|NO)", out.stdout, re.M)
    assert re.search(r"^target \(synthetic-120\): at most 2x git grep: (yes|NO) \(\d+\.\d\dx\); "
                     r"at least 1,500 files/s: (yes|NO) \([\d,]+\)$", out.stdout, re.M)
    assert re.search(r"checks: \d+ registered; sum cold \d+ ms", out.stdout)  # the per-check breakdown


def test_the_dashboard_benchmark_seeds_serves_and_prints_latencies():
    import psycopg

    database = f"factorcard_bench_smoke_{os.getpid()}"  # per run: two runs on one machine never share it
    # the server's maintenance database: DATABASE_URL may name one that does not exist (bin/test names its own)
    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    server = urllib.parse.urlunsplit(urllib.parse.urlsplit(server)._replace(path="/postgres"))
    env = {**os.environ, "BENCH_DATABASE": database, "DATABASE_URL": server}
    try:
        out = subprocess.run(
            [sys.executable, "bench/dashboard.py", "--repos", "4", "--scans", "3", "--history", "6", "--requests", "3"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )
    finally:
        with psycopg.connect(server.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert re.search(r"^seeded 4 repositories, 15 scans \(\d+ reused\), \d+ factor results", out.stdout, re.M)
    pages = re.findall(r"^(.+?)\s+(\d+\.\d)\s+(\d+\.\d)\s+(\d+\.\d)$", out.stdout, re.M)
    assert [p[0] for p in pages] == ["list, by name", "list, by score", "list, by factor 3", "list, filtered, page 5",
                                     "repository page (6 scans)", "history page, all 6 scans",
                                     "comparison of two scans"], out.stdout
    for _page, p50, p95, worst in pages:
        assert 0 < float(p50) <= float(p95) <= float(worst)
