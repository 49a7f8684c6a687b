"""Dashboard benchmark: page latency through gunicorn with 1,000 repositories × 52 scans.

    .venv/bin/python bench/dashboard.py [--repos 1000] [--scans 52] [--history 500] [--requests 200] [--reuse]

1. Creates (or, with --reuse, keeps) the database `factorcard_bench` (or $BENCH_DATABASE) next to DATABASE_URL's (default
   postgres://postgres@127.0.0.1:5432/postgres), migrates it and seeds one team with --repos
   repositories of --scans scored scans each (a quarter reusing the previous scan's result, as a
   rescan of an unchanged commit does), twelve factor results per stored scan and a few findings;
   one repository ("history-500") gets --history scans. Rows go in with COPY: 650,000 rows in
   well under a minute.
2. Starts gunicorn (the repository's gunicorn.conf.py, 2 workers) on a free loopback port with the
   bench DATABASE_URL, signs in through the login form and keeps the session cookie.
3. Requests each page --requests times, one at a time after 10 warm-up requests, and prints
   p50/p95/max in milliseconds. Target: p95 under 150 ms for the list and the repository page.
"""

from __future__ import annotations

import argparse
import hashlib
import http.cookiejar
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = os.environ.get("BENCH_DATABASE", "factorcard_bench")  # the test suite's smoke run uses its own
USER, PASSWORD = "bench", "bench-passphrase-not-secret"
STATUSES = ["pass"] * 6 + ["warn"] * 3 + ["fail", "fail", "na"]


def database_urls() -> tuple[str, str]:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urllib.parse.urlsplit(base)
    return base, urllib.parse.urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


def create_database(admin_url: str, reuse: bool) -> bool:
    """True when the database was created (and so needs seeding)."""
    with psycopg.connect(admin_url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone()
        if exists and reuse:
            return False
        if exists:
            conn.execute(f'DROP DATABASE "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    return True


def copy_rows(cursor, table: str, columns: list[str], rows) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def seed(repos: int, scans: int, history: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from app.web.models import Repository, Scan, Team
    from scoring.model import FACTORS

    rng = random.Random(12)
    now = timezone.now()
    user = get_user_model().objects.create_user(USER, password=PASSWORD)
    team = Team.objects.create(name="Bench", slug="bench")
    team.members.add(user)
    repo_rows = Repository.objects.bulk_create(
        Repository(team=team, name=name, slug=f"bench-{name}", clone_url=f"https://github.com/bench/{name}.git")
        for name in ["history-500", *(f"service-{i:04}" for i in range(1, repos))]
    )
    with transaction.atomic():
        scan_objs = []
        for repo in repo_rows:
            count = history if repo.name == "history-500" else scans
            for j in range(count):
                when = now - timedelta(days=(count - j) * 3 // 2, minutes=rng.randrange(600))
                scan_objs.append(Scan(repository=repo, state=Scan.DONE, engine_version="bench", queued_at=when,
                                      finished_at=when + timedelta(seconds=9), score=round(rng.uniform(30, 100), 1),
                                      commit_sha=hashlib.sha1(f"{repo.pk}-{j}".encode()).hexdigest()))
        scan_objs = Scan.objects.bulk_create(scan_objs, batch_size=5000)
        stored, reused, previous = [], [], {}
        for s in scan_objs:
            prev = previous.get(s.repository_id)
            if prev is not None and rng.random() < 0.25:
                reused.append((prev.pk, prev.score, s.pk))
            else:
                stored.append(s)
                previous[s.repository_id] = s
        with connection.cursor() as c:
            c.executemany("UPDATE web_scan SET reused_from_id = %s, score = %s WHERE id = %s", reused)
            pg = c.cursor
            results = []
            for s in stored:
                for f in FACTORS:
                    status = rng.choice(STATUSES)
                    score = None if status == "na" else {"pass": 10.0, "warn": 7.0, "fail": 4.0}[status]
                    results.append((s.pk, s.repository_id, f.number, f.id, f.name, score, status, f"{f.name}: summary"))
            copy_rows(pg, "web_factorresult", ["scan_id", "repository_id", "factor", "factor_id", "name", "score",
                                               "status", "summary"], results)
            c.execute("SELECT id, scan_id, factor FROM web_factorresult WHERE factor IN (3, 11)")
            findings = [
                (fr_id, f"check.{factor}", "high" if factor == 3 else "medium", f"app/file{k}.py", 10 + k,
                 "A problem was found here.", "Fix it like this.", "KEY = '****'",
                 hashlib.sha1(f"{factor}-{k}".encode()).hexdigest()[:20])
                for fr_id, _scan, factor in c.fetchall() for k in range(2)
            ]
            copy_rows(pg, "web_finding", ["factor_result_id", "check_id", "severity", "path", "line", "message",
                                          "remediation", "snippet", "fingerprint"], findings)
            c.execute("""UPDATE web_repository r SET latest_scan_id = (
                           SELECT id FROM web_scan s WHERE s.repository_id = r.id ORDER BY queued_at DESC LIMIT 1)""")
            c.execute("ANALYZE")
    print(f"seeded {len(repo_rows)} repositories, {len(scan_objs)} scans ({len(reused)} reused), "
          f"{len(results)} factor results, {len(findings)} findings")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "--access-logfile", "/dev/null", "--log-level", "warning", "app.wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            return proc, base
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def signed_in_opener(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(f"{base}/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    body = urllib.parse.urlencode({"username": USER, "password": PASSWORD, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(f"{base}/login/", data=body, headers={"Referer": f"{base}/login/"})
    final = opener.open(request)
    if final.url.rstrip("/") != base:
        raise SystemExit(f"sign-in failed (ended on {final.url})")
    return opener


def measure(opener, url: str, n: int) -> list[float]:
    for _ in range(10):
        opener.open(url).read()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = opener.open(url)
        response.read()
        times.append((time.perf_counter() - start) * 1000)
        assert response.status == 200
    return times


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=1000)
    parser.add_argument("--scans", type=int, default=52)
    parser.add_argument("--history", type=int, default=500)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded bench database")
    args = parser.parse_args()

    admin_url, bench_url = database_urls()
    env = {**os.environ, "DATABASE_URL": bench_url, "DEBUG": "false", "DB_CONN_MAX_AGE": "60",
           "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + os.urandom(16).hex()), "LOG_LEVEL": "WARNING",
           "DJANGO_SETTINGS_MODULE": "app.settings", "WEB_CONCURRENCY": "2"}
    os.environ.update(env)
    fresh = create_database(admin_url, args.reuse)
    import django
    from django.core.management import call_command

    django.setup()
    if fresh:
        call_command("migrate", verbosity=0)
        start = time.monotonic()
        seed(args.repos, args.scans, args.history)
        print(f"seeding took {time.monotonic() - start:.1f} s")
    proc, base = start_gunicorn(env)
    try:
        opener = signed_in_opener(base)
        pages = {
            "list, by name": "/",
            "list, by score": "/?sort=-score",
            "list, by factor 3": "/?sort=-f3",
            "list, filtered, page 5": "/?status=done&q=service&page=5",
            f"repository page ({args.history} scans)": "/repositories/bench-history-500/",
            f"history page, all {args.history} scans": "/repositories/bench-history-500/history/?last=all",
            "comparison of two scans": "/repositories/bench-history-500/compare/",
        }
        print(f"{'page':44} {'p50':>8} {'p95':>8} {'max':>8}  ({args.requests} requests each, ms)", flush=True)
        for name, path in pages.items():
            times = measure(opener, base + path, args.requests)
            print(f"{name:44} {statistics.median(times):8.1f} {percentile(times, 95):8.1f} {max(times):8.1f}",
                  flush=True)
    finally:
        proc.terminate()
        proc.wait(30)


if __name__ == "__main__":
    main()
