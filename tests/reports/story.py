"""A team's month of scans, written straight to the database: each repository has its own story for the week
2026-W48 (23–29 November 2026), reported on Monday 30 November at 08:00 UTC."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.web.models import FactorResult, Finding, Repository, Scan, Team
from scoring.model import FACTORS

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # a Monday, the default schedule
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"  # what a snippet must never show in full


@dataclass(frozen=True)
class F:
    factor: int
    check: str
    severity: str
    path: str
    line: int
    message: str
    snippet: str = ""

    @property
    def fingerprint(self) -> str:
        return hashlib.sha1(f"{self.check}|{self.path}|{self.message}".encode()).hexdigest()[:32]


SECRET = F(
    3,
    "config.committed-secret",
    "critical",
    "settings/production.py",
    12,
    "An AWS secret access key is committed.",
    "AWS_SECRET_ACCESS_KEY = 'wJ****'",
)
DB_URL = F(
    3,
    "config.connection-string-credentials",
    "high",
    "deploy/values.yaml",
    40,
    "A PostgreSQL URL with a password is committed.",
    "url: postgres://app:****@db:5432/app",
)
LOG_FILE = F(
    11,
    "logs.file-handler",
    "medium",
    "app/logging.py",
    8,
    "Logs are written to app.log.",
    "logging.basicConfig(filename='app.log')",
)
SQLITE = F(
    6,
    "processes.sqlite-database",
    "high",
    "billing/settings.py",
    31,
    "The database is an SQLite file.",
    "ENGINE: django.db.backends.sqlite3",
)
PORT = F(
    7,
    "port-binding.hard-coded-port",
    "medium",
    "billing/server.py",
    5,
    "The port 8080 is hard-coded.",
    "app.run(port=8080)",
)
ROTATE = F(11, "logs.logrotate-config", "low", "ops/logrotate.conf", 1, "A logrotate configuration ships.")
DEBUG = F(
    3,
    "config.debug-in-production",
    "high",
    "search/settings.py",
    3,
    "DEBUG = True in production settings.",
    "DEBUG = True",
)


FACTOR_SCORE = {"pass": 10.0, "warn": 5.0, "fail": 1.0, "na": None}


def repository(team: Team, name: str, created: datetime, **kw) -> Repository:
    url = kw.pop("url", f"https://github.com/acme/{name}.git")
    return Repository.objects.create(team=team, name=name, clone_url=url, created_at=created, **kw)


def scan(
    repo: Repository, score: float, when: datetime, findings: tuple[F, ...] = (), statuses: dict[int, str] | None = None
) -> Scan:
    """A done scan with twelve factor results (`statuses` overrides pass) and its findings."""
    commit = hashlib.sha1(f"{repo.pk}-{when.isoformat()}-{score}".encode()).hexdigest()
    s = Scan.objects.create(
        repository=repo,
        state=Scan.DONE,
        score=score,
        commit_sha=commit,
        queued_at=when,
        finished_at=when + timedelta(minutes=1),
        engine_version="test",
        trigger=Scan.SCHEDULE,
    )
    statuses = statuses or {}
    results = FactorResult.objects.bulk_create(
        FactorResult(
            scan=s,
            repository=repo,
            factor=f.number,
            factor_id=f.id,
            name=f.name,
            status=statuses.get(f.number, "pass"),
            score=FACTOR_SCORE[statuses.get(f.number, "pass")],
            summary="",
        )
        for f in FACTORS
    )
    Finding.objects.bulk_create(
        Finding(
            factor_result=results[x.factor - 1],
            check_id=x.check,
            severity=x.severity,
            path=x.path,
            line=x.line,
            message=x.message,
            remediation="Fix it.",
            snippet=x.snippet,
            fingerprint=x.fingerprint,
        )
        for x in findings
    )
    Repository.objects.filter(pk=repo.pk).update(latest_scan=s)
    return s


def failed(repo: Repository, when: datetime, error: str) -> Scan:
    return Scan.objects.create(
        repository=repo,
        state=Scan.FAILED,
        error=error,
        queued_at=when,
        finished_at=when + timedelta(seconds=20),
        trigger=Scan.SCHEDULE,
    )


def story(team: Team, now: datetime = NOW) -> dict[str, Repository]:
    """Seven repositories: one regressed (a new critical and a new high), one improved (two fixes), one
    unchanged, one never scanned, one whose last scan failed, one not scanned this week, one added."""

    def ago(days: float) -> datetime:
        return now - timedelta(days=days)

    old = ago(60)
    r = {
        name: repository(team, name, old)
        for name in ("api-gateway", "billing", "catalog", "docs-site", "legacy-monolith", "search")
    }
    r["notifications"] = repository(team, "notifications", ago(3))
    scan(r["api-gateway"], 80, ago(21), (LOG_FILE,), {11: "warn"})
    scan(r["api-gateway"], 81, ago(8), (LOG_FILE,), {11: "warn"})
    scan(r["api-gateway"], 64.5, ago(2), (LOG_FILE, SECRET, DB_URL), {3: "fail", 11: "warn"})
    scan(r["billing"], 58, ago(9), (SQLITE, PORT, ROTATE), {6: "fail", 7: "warn"})
    scan(r["billing"], 71, ago(1), (SQLITE,), {6: "fail"})
    scan(r["catalog"], 90, ago(10), (ROTATE,))
    scan(r["catalog"], 90, ago(3), (ROTATE,))
    scan(r["legacy-monolith"], 41, ago(20), (DEBUG, LOG_FILE), {3: "fail", 11: "fail", 6: "na"})
    failed(r["legacy-monolith"], ago(1), "The clone took longer than 120 s and was stopped.")
    scan(r["search"], 77, ago(12), (DEBUG,), {3: "warn"})
    scan(r["notifications"], 86, ago(1), (PORT,), {7: "warn"})
    return r
