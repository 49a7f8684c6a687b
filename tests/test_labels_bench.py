"""bench/labels.py (also reached as `bench/accuracy.py --labels`) measures the engine against reviewer
labels: a labeled repository is checked out of its local mirror at the labeled commit and scored, and
its must-find violations, traps and verdicts are counted as the docstring says."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

FACTORS = ["codebase", "dependencies", "config", "backing-services", "build-release-run", "processes",
           "port-binding", "concurrency", "disposability", "dev-prod-parity", "logs", "admin-processes"]
ANY = ["pass", "warn", "fail", "na"]
GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.test", "-c", "init.defaultBranch=main"]


def make_mirror(mirrors, files: dict[str, str]) -> str:
    repo = mirrors / "acme+demo" / "repo"
    repo.mkdir(parents=True)
    for path, text in files.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text)
    subprocess.run([*GIT, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*GIT, "commit", "-qm", "labeled"], cwd=repo, check=True)
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()


def test_it_counts_found_missed_false_alarms_and_verdicts(tmp_path):
    secret = "Zq8" + "vT3pL9xWm2Kd7Rf4"  # assembled: no literal secret in this file
    commit = make_mirror(tmp_path / "mirrors", {
        "requirements.txt": "flask==3.0.0\ngunicorn==23.0.0\n",
        "Procfile": "web: gunicorn app:app\n",
        "app.py": "import logging\nfrom flask import Flask\n\napp = Flask(__name__)\n"
                  "logging.getLogger().addHandler(logging.FileHandler('/var/log/app.log'))\n",
        "settings.py": f"SECRET_KEY = '{secret}'\n",
        "notes.py": "x = 1\n",
    })
    labels = tmp_path / "labels"
    labels.mkdir()
    verdicts = {f: {"accept": ANY, "why": "-"} for f in FACTORS}
    verdicts["logs"] = {"accept": ["fail"], "why": "FileHandler"}
    verdicts["config"] = {"accept": ["pass"], "why": "a reviewer who takes the key for a fixture"}
    (labels / "acme+demo.json").write_text(json.dumps({
        "repo": "acme/demo", "mirror": "acme+demo", "commit": commit, "kind": "service", "summary": "-",
        "labels": verdicts,
        "must_find": [
            {"factor": "logs", "path": "app.py", "line": 5, "severity_at_least": "medium", "why": "file log"},
            {"factor": "processes", "path": "notes.py", "line": 1, "severity_at_least": "low", "why": "nothing there"},
        ],
        "must_not_flag": [{"path": "settings.py", "line": 1, "why": "a trap the engine falls into"}],
    }))
    out = subprocess.run(
        [sys.executable, "bench/accuracy.py", "--labels", str(labels), "--mirrors", str(tmp_path / "mirrors"),
         "--checkouts", str(tmp_path / "checkouts"), "--misses", "--json", str(tmp_path / "figures.json")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "MISS  processes          notes.py:1" in out.stdout
    assert "FA    config             settings.py:1 config.committed-secret" in out.stdout
    assert "VERD  config             engine fail, label pass" in out.stdout
    assert "must-find 1/2 (at the label's severity 1), false alarms 1/1, verdicts 11/12" in out.stdout
    assert secret not in out.stdout  # the report quotes redacted snippets only
    row = json.loads((tmp_path / "figures.json").read_text())[str(labels)][0]
    assert (row["found"], row["must"], row["alarms"], row["verdicts_ok"]) == (1, 2, 1, 11)
    # the checkout is the labeled commit, taken from the mirror
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=tmp_path / "checkouts" / "acme+demo",
                          capture_output=True, text=True).stdout.strip()
    assert head == commit
    assert "a constant answer per factor (the status most of these labels accept): verdicts 12/12" in out.stdout


def test_the_constant_answer_is_the_best_single_status_per_factor():
    sys.path.insert(0, str(ROOT / "bench"))
    from labels import constant_answer

    def label(**accept):
        return {"labels": {factor: {"accept": statuses} for factor, statuses in accept.items()}}

    labels = [
        label(logs=["fail"], config=["pass"]),
        label(logs=["fail", "warn"], config=["warn"]),
        label(logs=["warn"], config=["pass", "warn"]),
    ]
    # logs: "fail" is accepted twice, "warn" twice → 2 of 3; config: "warn" or "pass" … "warn" twice → 2 of 3
    assert constant_answer(labels) == (4, 6)
    assert constant_answer([label(logs=["pass"]), label(logs=["pass"])]) == (2, 2)
    # chosen on other labels, the constant can be wrong where this set's labels disagree with them
    others = [label(logs=["pass"], config=["fail"]), label(logs=["pass"], config=["fail"])]
    assert constant_answer(labels, chosen_on=others) == (0, 6)
