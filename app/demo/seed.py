"""An offline demo for a fresh install: local git repositories built from the example trees in demo/,
scanned at each of their commits so that scorecards, history and a comparison exist at once.

Each folder of demo/ is a repository; its numbered subfolders are commits, each laid over the one
before. The repositories are written under LOCAL_REPOSITORY_ROOT, the one folder development allows
file:// URLs from; the scans run here, in-process, with no broker and no network. Seeding is done
once: a Demo team that has repositories already is left alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from app.web import pipeline
from app.web.models import Repository, Scan, Team

TREES = Path(settings.BASE_DIR) / "demo"
STEP = timedelta(days=7)  # the commits of a story are shown a week apart
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Factorcard demo",
    "GIT_AUTHOR_EMAIL": "demo@localhost",
    "GIT_COMMITTER_NAME": "Factorcard demo",
    "GIT_COMMITTER_EMAIL": "demo@localhost",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
}


@dataclass(frozen=True)
class Seeded:
    repositories: int
    scans: int
    failed: list[str]


def stories(trees: Path = TREES) -> list[tuple[str, list[Path]]]:
    """(name, commit folders in order) for each example repository."""
    out = []
    for folder in sorted(p for p in trees.iterdir() if p.is_dir()):
        steps = sorted((p for p in folder.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name))
        if steps:
            out.append((folder.name, steps))
    return out


def git(*args: str, cwd: Path) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout.strip()


def commit(work: Path, step: Path) -> None:
    shutil.copytree(step, work, dirs_exist_ok=True)
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", f"Demo step {step.name}", cwd=work)


def seed(team: Team, root: Path, trees: Path = TREES) -> Seeded:
    """Build each example repository under `root` and scan it after each commit; backdate the scans."""
    now, count, failed = timezone.now(), 0, []
    for name, steps in stories(trees):
        work = root / name
        if work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True)
        git("init", "-q", "-b", "main", cwd=work)
        repo = None
        for i, step in enumerate(steps):
            commit(work, step)
            if repo is None:
                repo = Repository.objects.create(team=team, name=name, clone_url=f"file://{work}")
            with transaction.atomic():
                scan = pipeline.request_scan(repo, Scan.MANUAL)
            pipeline.run_scan(scan.pk)
            when = now - STEP * (len(steps) - 1 - i)
            Scan.objects.filter(pk=scan.pk).update(queued_at=when, finished_at=when + timedelta(seconds=2))
            scan.refresh_from_db()
            count += 1
            if scan.state != Scan.DONE:
                failed.append(f"{name} step {step.name}: {scan.error}")
    return Seeded(len(stories(trees)), count, failed)
