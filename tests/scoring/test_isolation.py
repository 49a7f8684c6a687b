"""The engine is pure Python: importing it, or scoring a tree with it, never loads Django or the web app."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, sys
import scoring
report = scoring.score_path(sys.argv[1]) if len(sys.argv) > 1 else None
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {"django", "app", "celery", "environ", "psycopg"})
print(json.dumps({"loaded": loaded, "score": report.score if report else None}))
"""


def probe(*args: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    out = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_it_imports_scoring_without_django():
    assert probe()["loaded"] == []


def test_it_scores_a_tree_without_django(tmp_path):
    (tmp_path / "manage.py").write_text("import django\nfrom django.core.management import execute_from_command_line\n")
    (tmp_path / "requirements.txt").write_text("Django==5.2\n")
    result = probe(os.fspath(tmp_path))
    assert result["loaded"] == []
    assert result["score"] is not None


def test_it_has_no_import_of_the_web_app_in_its_source():
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in (ROOT / "scoring").rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.lstrip().startswith(("import django", "from django", "import app", "from app"))
    ]
    assert offenders == []
