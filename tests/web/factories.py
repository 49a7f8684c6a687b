"""Scans with results written straight to the database, for page tests that need many of them quickly."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.utils import timezone

from app.web.models import FactorResult, Finding, Repository, Scan, Team
from scoring.model import FACTORS


def repository(team: Team, name: str, **kw) -> Repository:
    return Repository.objects.create(team=team, name=name, clone_url=kw.pop("url", f"https://github.com/acme/{name}.git"),
                                     **kw)


def scan(repo: Repository, score: float, *, when: datetime | None = None, statuses: dict[int, str] | None = None,
         findings: list[tuple[int, str, str]] = (), commit: str | None = None, latest: bool = True) -> Scan:
    """A done scan with twelve factor results (`statuses` overrides pass) and findings (factor, severity, path)."""
    when = when or timezone.now()
    commit = commit or hashlib.sha1(f"{repo.pk}-{when.isoformat()}-{score}".encode()).hexdigest()
    s = Scan.objects.create(repository=repo, state=Scan.DONE, score=score, commit_sha=commit, queued_at=when,
                            finished_at=when + timedelta(seconds=5), engine_version="test")
    statuses = statuses or {}
    results = FactorResult.objects.bulk_create(
        FactorResult(scan=s, repository=repo, factor=f.number, factor_id=f.id, name=f.name,
                     status=statuses.get(f.number, "pass"),
                     score=None if statuses.get(f.number) == "na" else score / 10, summary=f"{f.name} summary")
        for f in FACTORS
    )
    Finding.objects.bulk_create(
        Finding(factor_result=results[factor - 1], check_id=f"check.{factor}", severity=severity, path=path, line=3,
                message=f"Problem in {path}", remediation="Fix it.", snippet="SECRET = '****'",
                fingerprint=hashlib.sha1(f"{factor}{path}{severity}".encode()).hexdigest()[:20])
        for factor, severity, path in findings
    )
    if latest:
        Repository.objects.filter(pk=repo.pk).update(latest_scan=s)
        repo.latest_scan = s
    return s
