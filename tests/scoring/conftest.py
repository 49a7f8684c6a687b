"""Helpers for engine tests: build a tiny tree from a dict, score it, pick findings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scoring import score_path
from scoring.model import Finding, Report


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return root


@pytest.fixture
def score_tree(tmp_path):
    """score_tree({"app.py": "..."}) → Report of that tree."""

    def run(files: dict[str, str | bytes]) -> Report:
        root = tmp_path / f"repo{len(list(tmp_path.iterdir()))}"
        root.mkdir()
        write_tree(root, files)
        return score_path(os.fspath(root))

    return run


def findings(report: Report, check: str, *, violations_only: bool = False) -> list[Finding]:
    out = [f for f in report.findings if f.check == check]
    if violations_only:
        out = [f for f in out if f.severity.value != "info"]
    return out


def assert_fires(report: Report, check: str, severity: str) -> list[Finding]:
    """The check reported a violation, and the worst one has this severity."""
    got = findings(report, check, violations_only=True)
    assert got, f"{check} did not fire"
    assert got[0].severity.value == severity
    return got
