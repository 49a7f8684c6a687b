"""Waivers at scan time, called by the pipeline: the live dashboard waivers handed to the engine, and
the waiver columns of the results it stores.

The engine applies them (with the repository's own .factorcard.yml waivers) while it scores, because
only it has every finding of every deployable: the report lists at most 50 findings per check, and a
monorepo's factor is its worst deployable's, so a report cannot be re-scored after the fact.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import scoring
from app.web.models import Repository, Scan
from scoring.model import FactorResult, Finding

from .models import Waiver, today


def dashboard_waivers(repo: Repository) -> list[scoring.Waiver]:
    """The repository's live waivers, as the engine takes them."""
    live = Waiver.objects.live(today()).filter(repository=repo).select_related("created_by").order_by("pk")
    return [
        scoring.Waiver(
            f"dashboard#{w.pk}", w.reason, w.expires_on, check=w.check_id, fingerprint=w.fingerprint, by=w.author
        )
        for w in live
    ]


def waivers_key(report: scoring.Report) -> str:
    """'' when neither a .factorcard.yml nor a waiver shaped the report; else a digest of both, so a
    rescan of the same commit reuses earlier results only if they were shaped the same way."""
    if not report.config.digest and not report.waivers:
        return ""
    shaped = {"config": report.config.digest, "waivers": [u.to_dict() for u in report.waivers]}
    return hashlib.sha256(json.dumps(shaped, sort_keys=True).encode()).hexdigest()


def stamp(scan: Scan, report: scoring.Report, key: str) -> None:
    """The scan's waiver columns (the caller saves the scan)."""
    scan.waivers_key = key
    scan.unwaived_score = report.unwaived_score
    scan.waived = report.waived
    scan.config = report.config.to_dict()
    scan.waivers_applied = [u.to_dict() for u in report.waivers]


def factor_fields(f: FactorResult) -> dict[str, Any]:
    return {
        "waived": f.waived,
        "unwaived_status": (f.unwaived_status or f.status).value,
        "unwaived_score": f.score if f.unwaived_status is None else f.unwaived_score,
    }


def finding_fields(x: Finding) -> dict[str, Any]:
    if x.waiver is None:
        return {}
    data = x.to_dict()["waiver"]
    return {"waiver": {**data, "severity": x.demoted_from.value if x.demoted_from else x.severity.value}}
