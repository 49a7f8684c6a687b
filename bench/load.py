"""Load benchmark: a burst of repositories added at once, scanned by real workers, all on loopback.

    .venv/bin/python bench/load.py [--small 100] [--large 20] [--workers 1 2] [--concurrency 1]
                                   [--bulk 40] [--interactive 5]

For each worker count in --workers, on a fresh database `factorcard_load` (or $BENCH_DATABASE) next
to DATABASE_URL's and the Redis database of $BENCH_REDIS_URL (default redis://127.0.0.1:6379/9;
only the benchmark's queues are emptied):

1. Serves --small small repositories (a dozen files, like a small service) and --large large ones
   (1,500 files, 7 MB: a mid-sized monolith) with `git daemon` on loopback.
2. Starts that many of the Procfile's worker processes (prefork, --concurrency pool processes
   each, the housekeeping/interactive/bulk queues in that order) and beat.
3. Burst: adds every repository at once (as people would: interactive scans) and waits until every
   scan is final. Prints the time to all done, scans per minute in all and per worker process, and
   the queue wait (queued → claimed) of the scans, median and max.
4. Priority: queues --bulk scheduled rescans (the bulk queue, as `manage.py rescore_all` does),
   then adds --interactive scans one a second while the bulk backlog is still there, and prints
   the max queue wait of an interactive scan next to the bulk backlog it jumped.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = os.environ.get("BENCH_DATABASE", "factorcard_load")
BENCH_REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
QUEUES = ("housekeeping", "interactive", "bulk")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.test",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.test",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
}
SMALL = {
    "requirements.txt": "flask==3.0.0\ngunicorn==23.0.0\npsycopg==3.2.0\n",
    "Procfile": "web: gunicorn app:app --bind 0.0.0.0:$PORT\nrelease: flask db upgrade\n",
    "app.py": "import os\nfrom flask import Flask\napp = Flask(__name__)\nDB = os.environ['DATABASE_URL']\n",
    "settings.py": "import logging\nlogging.basicConfig()\n",
    "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nRUN pip install -r /app/requirements.txt\n",
    "README.md": "# service\n",
    **{f"app/views_{i}.py": f"def view_{i}(request):\n    return {{'n': {i}}}\n" for i in range(6)},
}


def large_tree(files: int = 1500) -> dict[str, str]:
    rng = random.Random(7)
    tree = dict(SMALL)
    for i in range(files):
        kind = ("py", "js", "yml", "md")[i % 4]
        body = "\n".join(f"value_{j} = {rng.randint(0, 10**9)}  # {'x' * rng.randint(10, 80)}" for j in range(80))
        tree[f"pkg{i % 40}/mod_{i}.{kind}"] = body + "\n"
    return tree


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, check=True, capture_output=True)


def make_repo(base: Path, name: str, files: dict[str, str]) -> Path:
    work = base / "work" / name
    for rel, content in files.items():
        (work / rel).parent.mkdir(parents=True, exist_ok=True)
        (work / rel).write_text(content)
    git("init", "-q", "-b", "main", cwd=work)
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", "initial", cwd=work)
    bare = base / "srv" / f"{name}.git"
    git("clone", "-q", "--bare", str(work), str(bare), cwd=base)
    return bare


def serve(base: Path, small: int, large: int) -> tuple[subprocess.Popen, list[str]]:
    """Bare repositories under base/srv (copies share objects by hard links), served by git daemon."""
    (base / "srv").mkdir(parents=True)
    templates = {
        "small": make_repo(base, "template-small", SMALL),
        "large": make_repo(base, "template-large", large_tree()),
    }
    names = [f"small-{i}" for i in range(small)] + [f"large-{i}" for i in range(large)]
    for name in names:
        git(
            "clone",
            "-q",
            "--bare",
            "--local",
            str(templates[name.split("-")[0]]),
            str(base / "srv" / f"{name}.git"),
            cwd=base,
        )
    port = free_port()
    daemon = subprocess.Popen(
        [
            "git",
            "daemon",
            "--export-all",
            f"--base-path={base / 'srv'}",
            "--reuseaddr",
            "--listen=127.0.0.1",
            f"--port={port}",
            str(base / "srv"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return daemon, [f"git://127.0.0.1:{port}/{name}.git" for name in names]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_database(admin_url: str) -> None:
    with psycopg.connect(admin_url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def start_processes(workers: int, concurrency: int, env: dict[str, str], logs: Path) -> list[subprocess.Popen]:
    procfile = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip())
    venv = {
        **env,
        "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ.get('PATH', '')}",
        "WORKER_CONCURRENCY": str(concurrency),
    }
    commands = [procfile["worker"] + f" -n load{i}@%h" for i in range(workers)] + [procfile["beat"]]
    procs = []
    for i, command in enumerate(commands):
        out = open(logs / f"process-{i}.out", "wb")  # noqa: SIM115 (kept open for the process's lifetime)
        procs.append(
            subprocess.Popen(
                ["sh", "-c", "exec " + command],
                cwd=ROOT,
                env=venv,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    return procs


def wait_final(ids: list[int], timeout: float) -> None:
    from app.web.models import Scan

    deadline = time.monotonic() + timeout
    while Scan.objects.filter(pk__in=ids).exclude(state__in=Scan.FINAL_STATES).exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"scans still running after {timeout:.0f} s")
        time.sleep(0.25)


def waits(ids: list[int]) -> list[float]:
    from app.web.models import Scan

    return [
        (s.cloning_at - s.queued_at).total_seconds()
        for s in Scan.objects.filter(pk__in=ids, cloning_at__isnull=False).only("queued_at", "cloning_at")
    ]


def burst(team, urls: list[str], workers: int) -> None:
    from app.web import pipeline
    from app.web.models import Scan

    started = time.monotonic()
    ids = [pipeline.add_repository(team, url)[1].pk for url in urls]
    added = time.monotonic() - started
    wait_final(ids, timeout=60 * 60)
    took = time.monotonic() - started
    states = {s: Scan.objects.filter(pk__in=ids, state=s).count() for s in (Scan.DONE, Scan.FAILED)}
    w = waits(ids)
    per_minute = len(ids) / took * 60
    print(
        f"burst: {len(ids)} repositories added in {added:.1f} s; all final in {took:.1f} s "
        f"({states[Scan.DONE]} done, {states[Scan.FAILED]} failed)"
    )
    print(f"throughput: {per_minute:.1f} scans/min in all, {per_minute / workers:.1f} per worker process")
    print(f"queue wait: median {statistics.median(w):.1f} s, max {max(w):.1f} s")
    for size in ("small", "large"):
        d = [
            (s.finished_at - s.cloning_at).total_seconds()
            for s in Scan.objects.filter(
                pk__in=ids, repository__name__startswith=f"{size}-", finished_at__isnull=False, cloning_at__isnull=False
            )
        ]
        if d:
            print(f"scan time, {size}: median {statistics.median(d):.2f} s, max {max(d):.2f} s (clone + score + store)")


def priority(team, bulk_n: int, interactive_n: int) -> None:
    from app.web import pipeline
    from app.web.models import Repository, Scan

    repos = list(Repository.objects.filter(name__startswith="small-").order_by("pk"))
    bulk = [pipeline.request_scan(repos[i % len(repos)], Scan.SCHEDULE).pk for i in range(bulk_n)]
    interactive, backlog = [], []
    for i in range(interactive_n):
        time.sleep(1)
        backlog.append(Scan.objects.filter(pk__in=bulk, state=Scan.QUEUED).count())
        interactive.append(pipeline.request_scan(repos[-1 - i % len(repos)], Scan.MANUAL).pk)
    wait_final(interactive, timeout=600)
    w = waits(interactive)
    print(
        f"priority: {interactive_n} interactive scans added one a second behind {bulk_n} bulk scans "
        f"(bulk still queued at each addition: {backlog}); interactive queue wait max {max(w):.1f} s, "
        f"median {statistics.median(w):.1f} s"
    )
    wait_final(bulk, timeout=60 * 60)


def run(workers: int, args: argparse.Namespace, urls: list[str], env: dict[str, str], logs: Path) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connections

    from app.web.models import Team

    connections.close_all()
    fresh_database(env["ADMIN_DATABASE_URL"])
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    broker = redis.Redis.from_url(BENCH_REDIS)
    broker.delete(*QUEUES, "unacked", "unacked_index")
    team = Team.objects.create(name="Load", slug="load")
    team.members.add(get_user_model().objects.create_user("load"))
    procs = start_processes(workers, args.concurrency, env, logs)
    try:
        time.sleep(3)  # workers connect; the scans would wait for them anyway
        print(
            f"\n== {workers} worker process(es) × {args.concurrency} pool process(es), "
            f"load average before: {os.getloadavg()[0]:.2f}"
        )
        burst(team, urls, workers)
        if args.bulk and args.interactive:
            priority(team, args.bulk, args.interactive)
    finally:
        for proc in procs:
            os.killpg(proc.pid, 15)
        for proc in procs:
            proc.wait(120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=20)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--concurrency", type=int, default=1, help="pool processes per worker process")
    parser.add_argument("--bulk", type=int, default=40)
    parser.add_argument("--interactive", type=int, default=5)
    args = parser.parse_args()

    admin = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urllib.parse.urlsplit(admin)
    env = {
        **os.environ,
        "DATABASE_URL": urllib.parse.urlunsplit(parts._replace(path=f"/{BENCH_DB}")),
        "ADMIN_DATABASE_URL": admin,
        "REDIS_URL": BENCH_REDIS,
        "ALLOW_PRIVATE_HOSTS": "true",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + os.urandom(16).hex()),
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "app.settings",
    }
    os.environ.update(env)
    import django

    django.setup()
    base = Path(tempfile.mkdtemp(prefix="factorcard-load-"))
    daemon = None
    try:
        started = time.monotonic()
        daemon, urls = serve(base, args.small, args.large)
        print(
            f"serving {args.small} small and {args.large} large repositories on loopback "
            f"(made in {time.monotonic() - started:.1f} s); {os.cpu_count()} cores"
        )
        for workers in args.workers:
            run(workers, args, urls, env, base)
    finally:
        if daemon:
            daemon.terminate()
        shutil.rmtree(base, ignore_errors=True)
        with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


if __name__ == "__main__":
    main()
