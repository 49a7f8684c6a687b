"""The text report as a tool's output: --all lists what is not counted, "could not tell" is explained once,
and --fail-under says why it failed (issue 13)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scoring import score_path
from scoring.__main__ import cli
from scoring.output import COULD_NOT_TELL, to_text
from tests.scoring.conftest import write_tree

ROOT = Path(__file__).resolve().parents[2]
SERVICE = {
    "Procfile": "web: gunicorn app:app --bind 0.0.0.0:$PORT\n",
    "requirements.txt": "gunicorn==23.0.0\nflask==3.0.0\n",
    "app.py": "import logging\n" + "".join(f"h{i} = logging.FileHandler('app{i}.log')\n" for i in range(7)),
    "tests/test_log.py": "import logging\nh = logging.FileHandler('test.log')\n",  # demoted: not counted
}


def test_all_lists_every_violation_and_the_uncounted_findings(tmp_path):
    report = score_path(os.fspath(write_tree(tmp_path / "svc", SERVICE)))
    short, full = to_text(report), to_text(report, show_all=True)
    assert "tests/test_log.py" not in short and "--all lists them" in short
    assert "not counted (tests, docs or examples):" in full
    assert "tests/test_log.py:2" in full and "(would be high)" in full
    assert full.count("app.py:") > short.count("app.py:") and "more (--all" not in full


def test_could_not_tell_is_explained_in_one_line_where_it_occurs(tmp_path):
    empty = score_path(
        os.fspath(
            write_tree(tmp_path / "bare", {"app.py": "from flask import Flask\n", "requirements.txt": "flask==3.0.0\n"})
        )
    )
    text = to_text(empty)
    rows = text.splitlines()
    first = next(i for i, line in enumerate(rows) if "No evidence found either way" in line)
    assert rows[first + 1].strip() == f"({COULD_NOT_TELL})"
    assert text.count(COULD_NOT_TELL) == 1  # once, under the first factor it applies to


def test_python_m_scoring_says_why_fail_under_failed(tmp_path):
    tree = write_tree(tmp_path / "svc", SERVICE)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    out = subprocess.run(
        [sys.executable, "-m", "scoring", os.fspath(tree), "--fail-under", "100"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 1
    (line,) = out.stderr.splitlines()
    assert line.startswith("python -m scoring: score ") and line.endswith("below the threshold 100 (--fail-under)")


def test_the_console_script_needs_the_score_command(capsys):
    assert cli(["--help"]) == 0 and "factorcard score PATH" in capsys.readouterr().out
    assert cli([]) == 2 and "expected a command" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        cli(["score"])
    assert usage.value.code == 2 and capsys.readouterr().err.startswith("factorcard score: ")
