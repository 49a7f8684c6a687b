"""The command line, run as a subprocess in a fresh interpreter, against /work/shared/SCORER_OUTPUT.md."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scoring.tree import MiB
from tests.scoring.conftest import write_tree

ROOT = Path(__file__).resolve().parents[2]
SERVICE = {
    "Procfile": "web: gunicorn app:app --bind 0.0.0.0:$PORT\n",
    "requirements.txt": "gunicorn==23.0.0\nflask==3.0.0\n",
    "app.py": "import logging\nh = logging.FileHandler('app.log')\n",  # a high violation: the score is < 100
}
FACTORS = [
    (1, "codebase"), (2, "dependencies"), (3, "config"), (4, "backing-services"), (5, "build-release-run"),
    (6, "processes"), (7, "port-binding"), (8, "concurrency"), (9, "disposability"), (10, "dev-prod-parity"),
    (11, "logs"), (12, "admin-processes"),
]
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.test",
    "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.test",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
}


def cli(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run([sys.executable, "-m", "scoring", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def service(tmp_path) -> Path:
    return write_tree(tmp_path / "service", SERVICE)


@pytest.fixture
def git_service(tmp_path) -> tuple[Path, str]:
    root = write_tree(tmp_path / "git-service", SERVICE)
    for cmd in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "first"]):
        subprocess.run(["git", *cmd], cwd=root, check=True, env=GIT_ENV)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, check=True, env=GIT_ENV,
                          capture_output=True, text=True).stdout.strip()
    return root, head


def test_it_prints_the_json_contract(git_service):
    root, head = git_service
    out = cli(os.fspath(root), "--format", "json")
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    report = json.loads(out.stdout)
    assert report["schema_version"] == 2
    assert set(report["engine"]) >= {"name", "version"} and all(report["engine"].values())
    assert report["target"] == {"path": os.path.realpath(root), "commit": head}
    assert re.fullmatch(r"[0-9a-f]{40}", report["target"]["commit"])
    assert report["kind"]["value"] in {"service", "library", "static-site", "cli", "monorepo"}
    assert report["kind"]["reasons"] and all(isinstance(r, str) for r in report["kind"]["reasons"])
    assert isinstance(report["score"], (int, float)) and 0 <= report["score"] < 100
    assert [(f["number"], f["id"]) for f in report["factors"]] == FACTORS
    for factor in report["factors"]:
        assert set(factor) >= {"number", "id", "name", "status", "score", "summary", "findings"}
        assert factor["status"] in {"pass", "warn", "fail", "na"}
        assert factor["score"] is None if factor["status"] == "na" else 0 <= factor["score"] <= 10
        assert isinstance(factor["summary"], str) and factor["summary"]
        for f in factor["findings"]:
            assert set(f) >= {"check", "severity", "path", "line", "message", "remediation", "snippet"}
            assert f["check"].startswith(factor["id"] + ".")
            assert f["severity"] in {"critical", "high", "medium", "low", "info"}
            assert f["path"] is None or (not f["path"].startswith("/") and "\\" not in f["path"])
            assert f["line"] is None or (isinstance(f["line"], int) and f["line"] >= 1)
            assert f["message"] and f["remediation"]
    stats = report["stats"]
    assert set(stats) >= {"files_scanned", "bytes_scanned", "duration_ms", "skipped"}
    assert set(stats["skipped"]) >= {"too_large", "binary"}
    assert stats["files_scanned"] == 3
    logs = report["factors"][10]
    assert logs["status"] == "fail"
    assert [(f["path"], f["line"]) for f in logs["findings"] if f["check"] == "logs.file-handler"] == [("app.py", 2)]


def test_it_reports_a_null_commit_outside_git(service):
    report = json.loads(cli(os.fspath(service), "--format", "json").stdout)
    assert report["target"]["commit"] is None


def test_it_prints_a_text_scorecard_by_default(service):
    out = cli(os.fspath(service))
    assert out.returncode == 0, out.stderr
    assert "Overall score:" in out.stdout
    assert "\x1b[" not in out.stdout  # no colour when stdout is not a terminal
    for roman in ("I.", "VI.", "XII."):
        assert roman in out.stdout


def test_it_writes_the_report_to_a_file(service, tmp_path):
    target = tmp_path / "out" / "report.json"
    target.parent.mkdir()
    out = cli(os.fspath(service), "--format", "json", "--output", os.fspath(target))
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["schema_version"] == 2
    sarif = tmp_path / "out" / "report.sarif"
    assert cli(os.fspath(service), "--format", "sarif", "--output", os.fspath(sarif)).returncode == 0
    assert json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_it_exits_1_only_when_the_score_is_below_fail_under(service):
    score = json.loads(cli(os.fspath(service), "--format", "json").stdout)["score"]
    assert 0 < score < 100
    above = cli(os.fspath(service), "--format", "json", "--fail-under", str(min(100, score + 0.1)))
    assert above.returncode == 1
    assert json.loads(above.stdout)["score"] == score  # the report is still printed
    assert cli(os.fspath(service), "--fail-under", str(score)).returncode == 0  # equal is not below
    assert cli(os.fspath(service), "--fail-under", "0").returncode == 0


@pytest.mark.parametrize(
    "args",
    [
        # no PATH at all
        [],
        # an unknown format
        ["{path}", "--format", "xml"],
        # an unknown option
        ["{path}", "--verbose-ish"],
        # a threshold that is not a number, or out of 0–100
        ["{path}", "--fail-under", "abc"],
        ["{path}", "--fail-under", "101"],
        ["{path}", "--fail-under", "-1"],
        ["{path}", "--fail-under", "nan"],
        # a size limit that is not a positive number
        ["{path}", "--max-file-size", "0"],
        ["{path}", "--max-file-size", "inf"],
        # a PATH that does not exist
        ["{missing}"],
        # a PATH that is a file, not a folder
        ["{file}"],
        # an --output that cannot be written
        ["{path}", "--output", "{missing}/report.json"],
    ],
)
def test_it_exits_2_with_one_line_on_usage_errors(service, tmp_path, args):
    (tmp_path / "plain.txt").write_text("x")
    values = {"path": os.fspath(service), "missing": os.fspath(tmp_path / "nope"), "file": os.fspath(tmp_path / "plain.txt")}
    out = cli(*[a.format(**values) for a in args])
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert out.stderr.startswith("python -m scoring: ")
    assert "Traceback" not in out.stderr


def test_it_takes_the_file_size_limit_from_the_command_line(tmp_path):
    root = write_tree(tmp_path / "repo", {"big.py": "x = 1\n" + "#" * (MiB + 10) + "\n", "small.py": "x = 1\n"})
    default = json.loads(cli(os.fspath(root), "--format", "json").stdout)
    assert default["stats"]["skipped"]["too_large"] == 1 and default["stats"]["files_scanned"] == 1
    raised = json.loads(cli(os.fspath(root), "--format", "json", "--max-file-size", "2").stdout)
    assert raised["stats"]["skipped"]["too_large"] == 0 and raised["stats"]["files_scanned"] == 2
    lowered = json.loads(cli(os.fspath(root), "--format", "json", "--max-file-size", "0.000001").stdout)
    assert lowered["stats"]["files_scanned"] == 0


def test_it_writes_utf8_whatever_the_locale(tmp_path):
    root = write_tree(tmp_path / "repo", {"app.py": "import logging\nh = logging.FileHandler('journal-é….log')\n"})
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    for fmt in ("json", "text", "sarif"):
        out = subprocess.run([sys.executable, "-m", "scoring", os.fspath(root), "--format", fmt], cwd=ROOT, env=env,
                             capture_output=True, timeout=120)
        assert out.returncode == 0, out.stderr
        assert "journal-é….log".encode() in out.stdout
