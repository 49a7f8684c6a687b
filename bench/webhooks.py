"""Webhook benchmark: signed deliveries through gunicorn on loopback, then delivery → stored scorecard.

    .venv/bin/python bench/webhooks.py [--seconds 30] [--clients 4] [--repos 50] [--copies 3] [--e2e 20]

1. Creates the database `factorcard_bench_webhooks` (or $BENCH_DATABASE) next to DATABASE_URL's,
   migrates it, and adds --repos repositories with their hooks. The broker is $BENCH_REDIS_URL
   (default: REDIS_URL); its queues are emptied before and after.
2. Load: gunicorn (the repository's gunicorn.conf.py, $WEB_CONCURRENCY workers, default 2) on a
   free loopback port, and --clients threads sending deliveries back to back for --seconds. The
   deliveries rotate through the six shapes (GitHub, GitLab, Gitea, Forgejo, Bitbucket, generic);
   each new commit of a repository is delivered --copies times under different delivery ids (a
   provider's retries, two hooks) and one delivery in ten is a replay of an earlier one (same id).
   No worker runs: the scans stay queued (newer pushes supersede the queued ones). Prints accepted
   deliveries/s, p50/p99 latency, 5xx count, scans created against the distinct commits delivered,
   and any commit with more or fewer than one scan. Target: ≥ 300 deliveries/s, p99 < 100 ms, no 5xx.
3. Delivery → scorecard: a git daemon serving a small repository and the Procfile's worker
   (`celery -A app worker`); --e2e times a new commit is pushed, its GitHub delivery sent, and the
   time until the scan of that commit is stored is taken. Prints p50/p90/max. Target: p50 < 3 s.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from http.client import HTTPConnection
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = os.environ.get("BENCH_DATABASE", "factorcard_bench_webhooks")
SHAPES = ["github", "gitlab", "gitea", "forgejo", "bitbucket", "generic"]
SMALL_REPO = {
    "requirements.txt": "flask==3.0.0\ngunicorn==23.0.0\n",
    "Procfile": "web: gunicorn app:app --bind 0.0.0.0:$PORT\n",
    "app.py": "import os\nfrom flask import Flask\napp = Flask(__name__)\nDB = os.environ['DATABASE_URL']\n",
}
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.test",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.test",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
}


def database_urls() -> tuple[str, str]:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urllib.parse.urlsplit(base)
    return base, urllib.parse.urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


def create_database(admin_url: str) -> None:
    with psycopg.connect(admin_url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def deliveries(repos: list, copies: int, seed: int = 7):
    """An endless stream of (path, Sent, commit): new commits per repository, each sent `copies` times
    under new ids, and one in ten deliveries a replay of a recent one."""
    from tests.webhooks import payloads

    rng = random.Random(seed)
    recent: list[tuple[str, payloads.Sent, str]] = []
    for n in itertools.count(1):
        repo, token, secret = repos[n % len(repos)]
        commit = uuid.uuid4().hex + uuid.uuid4().hex[:8]
        for copy in range(copies):
            if recent and rng.random() < 0.1:
                yield rng.choice(recent)
            shape = SHAPES[(n + copy) % len(SHAPES)]
            extra = {"delivery": uuid.uuid4().hex} if shape == "generic" else {}
            item = (f"/hooks/{token}", payloads.push_for(shape, secret, commit, **extra), commit)
            recent = (recent + [item])[-50:]
            yield item


def post(base: str, path: str, sent) -> int:
    host, port = base.removeprefix("http://").split(":")
    conn = HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request("POST", path, sent.body, {**sent.headers, "Content-Type": sent.content_type})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def load(base: str, stream, seconds: float, clients: int) -> tuple[list[float], list[int], set[str]]:
    lock, latencies, statuses, commits = threading.Lock(), [], [], set()
    stop = time.monotonic() + seconds

    def client() -> None:
        while time.monotonic() < stop:
            with lock:
                path, sent, commit = next(stream)
            started = time.perf_counter()
            status = post(base, path, sent)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses.append(status)
                if status == 202:
                    commits.add(commit)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, statuses, commits


def cpu_seconds(match) -> float:
    """CPU time (user + system) of the processes whose command line `match` accepts, from /proc."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if match(pid, cmdline):
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def server_cpu(web: subprocess.Popen) -> dict[str, float]:
    """CPU seconds so far of gunicorn (master and workers) and of the bench database's backends."""
    workers = {str(web.pid)} | set(Path(f"/proc/{web.pid}/task/{web.pid}/children").read_text().split())
    return {
        "gunicorn": cpu_seconds(lambda pid, cmd: pid in workers),
        "postgres": cpu_seconds(lambda pid, cmd: cmd.startswith("postgres:") and f" {BENCH_DB} " in cmd),
    }


def start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with open(log, "wb") as out:
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def wait_http(base: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            conn = HTTPConnection(base.removeprefix("http://"), timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def git(*args: str, cwd: Path) -> str:
    out = subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, check=True, capture_output=True, text=True
    )
    return out.stdout.strip()


def scorecard_latency(base: str, env: dict[str, str], runs: int, workdir: Path) -> list[float]:
    """Push a commit, deliver it, time until the scan of that commit is stored."""
    from app.web.models import Repository, Scan, Team
    from app.webhooks import hooks
    from tests.conftest import free_port, wait_for_port
    from tests.webhooks import payloads

    work, served = workdir / "work", workdir / "srv"
    work.mkdir()
    served.mkdir()
    git("init", "-q", "-b", "main", cwd=work)
    for name, text in SMALL_REPO.items():
        (work / name).write_text(text)
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", "initial", cwd=work)
    git("clone", "-q", "--bare", str(work), str(served / "small.git"), cwd=workdir)
    port = free_port()
    daemon = start(
        [
            "git",
            "daemon",
            "--export-all",
            f"--base-path={served}",
            "--reuseaddr",
            "--listen=127.0.0.1",
            f"--port={port}",
            str(served),
        ],
        env,
        workdir / "git-daemon.log",
    )
    worker = start(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "app",
            "worker",
            "--concurrency",
            "2",
            "-n",
            "bench@%h",
            "--loglevel",
            "WARNING",
        ],
        {**env, "ALLOW_PRIVATE_HOSTS": "true", "ALLOW_LOCAL_REPOSITORIES": "true"},
        workdir / "worker.log",
    )
    try:
        wait_for_port(port)
        team = Team.objects.get_or_create(name="E2E", slug="e2e")[0]
        repo = Repository.objects.create(
            team=team, name="small", default_branch="main", clone_url=f"git://127.0.0.1:{port}/small.git"
        )
        token = hooks.hook_for(repo).token
        times = []
        for n in range(runs + 1):  # the first run warms the worker up and is not counted
            (work / "CHANGES").write_text(f"change {n}\n")
            git("add", "-A", cwd=work)
            git("commit", "-q", "-m", f"change {n}", cwd=work)
            git("push", "-q", str(served / "small.git"), "main", cwd=work)
            commit = git("rev-parse", "HEAD", cwd=work)
            started = time.perf_counter()
            status = post(base, f"/hooks/{token}", payloads.github_push(repo.webhook_secret, commit))
            assert status == 202, status
            while not Scan.objects.filter(repository=repo, requested_commit=commit, state=Scan.DONE).exists():
                if Scan.objects.filter(repository=repo, requested_commit=commit, state=Scan.FAILED).exists():
                    raise SystemExit(f"the scan of {commit} failed; see {workdir / 'worker.log'}")
                if time.perf_counter() - started > 60:
                    raise SystemExit(f"no scorecard for {commit} after 60 s; see {workdir / 'worker.log'}")
                time.sleep(0.01)
            if n:
                times.append(time.perf_counter() - started)
        return times
    finally:
        stop(worker)
        stop(daemon)


def bench_env() -> dict[str, str]:
    admin_url, bench_url = database_urls()
    create_database(admin_url)
    env = {
        **os.environ,
        "DATABASE_URL": bench_url,
        "DEBUG": "false",
        "DB_CONN_MAX_AGE": "60",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")),
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + os.urandom(16).hex()),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
        "DJANGO_SETTINGS_MODULE": "app.settings",
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    return env


def seed(count: int) -> list[tuple]:
    from app.web.models import Repository, Team
    from app.webhooks import hooks

    team = Team.objects.create(name="Bench", slug="bench")
    repos = []
    for n in range(count):
        url = f"https://example.test/r{n}.git"
        repo = Repository.objects.create(team=team, name=f"r{n}", clone_url=url, default_branch="main")
        repos.append((repo, hooks.hook_for(repo).token, repo.webhook_secret))
    return repos


def run_load(base: str, web: subprocess.Popen, repos: list, args) -> None:
    from django.db.models import Count

    from app.web.models import Scan

    stream = deliveries(repos, args.copies)
    *_, warm_commits = load(base, stream, 2, args.clients)  # warm-up: imports, connections, caches
    before, cpu_before, client_before = Scan.objects.count(), server_cpu(web), time.process_time()
    latencies, statuses, commits = load(base, stream, args.seconds, args.clients)
    cpu = {k: v - cpu_before[k] for k, v in server_cpu(web).items()}
    cpu["client"] = time.process_time() - client_before
    commits |= warm_commits
    scans = Scan.objects.filter(trigger=Scan.WEBHOOK)
    twice = scans.values("repository", "requested_commit").annotate(n=Count("id")).filter(n__gt=1).count()
    scanned = set(scans.values_list("requested_commit", flat=True))
    queued = scans.filter(state=Scan.QUEUED).values("repository").annotate(n=Count("id"))
    print(
        f"load: {len(statuses)} deliveries in {args.seconds:.0f} s from {args.clients} clients to "
        f"{os.environ['WEB_CONCURRENCY']} gunicorn workers; {args.repos} repositories, {args.copies} deliveries "
        "per commit, one in ten a replay"
    )
    print(
        f"  accepted (2xx): {sum(200 <= s < 300 for s in statuses) / args.seconds:.0f} deliveries/s; "
        f"4xx: {sum(400 <= s < 500 for s in statuses)}; 5xx: {sum(s >= 500 for s in statuses)}"
    )
    print(
        f"  latency ms: p50 {percentile(latencies, 50):.1f}  p99 {percentile(latencies, 99):.1f}  "
        f"max {max(latencies):.1f}"
    )
    print(
        "  CPU ms per delivery: "
        + ", ".join(f"{k} {v * 1000 / len(statuses):.2f}" for k, v in cpu.items())
        + f"; machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(
        f"  distinct commits accepted: {len(commits)}; scans: {scans.count()} ({scans.count() - before} during the "
        f"timed run); commits with two scans: {twice}; commits without a scan: {len(commits - scanned)}; "
        f"most scans still queued for one repository: {max((q['n'] for q in queued), default=0)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--repos", type=int, default=50)
    parser.add_argument("--copies", type=int, default=3)
    parser.add_argument("--e2e", type=int, default=20)
    args = parser.parse_args()
    env = bench_env()
    os.environ.update(env)

    import django

    django.setup()
    from app.celery import app as celery_app
    from tests.conftest import free_port

    celery_app.control.purge()
    repos = seed(args.repos)
    workdir = Path(tempfile.mkdtemp(prefix="bench-webhooks-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
    web = start([*gunicorn, "--access-logfile", "/dev/null", "app.wsgi"], env, workdir / "gunicorn.log")
    try:
        wait_http(base, web)
        run_load(base, web, repos, args)
        celery_app.control.purge()
        if args.e2e:
            times = scorecard_latency(base, env, args.e2e, workdir)
            print(
                f"delivery → stored scorecard ({args.e2e} pushes of a {len(SMALL_REPO)}-file repository on git "
                f"daemon): p50 {statistics.median(times):.2f} s  p90 {percentile(times, 90):.2f} s  "
                f"max {max(times):.2f} s"
            )
    finally:
        stop(web)
        celery_app.control.purge()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
