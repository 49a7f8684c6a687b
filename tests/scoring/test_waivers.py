"""What .factorcard.yml and waivers do to a score, and that the scorecard stays honest: waived findings are
listed and marked, the score without them is kept beside the score with them, and the JSON and SARIF
outputs carry both (SARIF as suppressions that still validate against the SARIF 2.1.0 schema)."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta

import jsonschema

from scoring import Waiver, score_path
from scoring.factors import all_checks
from scoring.model import Kind, Severity, Status
from scoring.output import to_json, to_sarif, to_text
from scoring.waivers import utc_today
from tests.scoring.conftest import write_tree
from tests.scoring.test_output import sarif_schema

SOON = (utc_today() + timedelta(days=30)).isoformat()
SERVICE = {
    "Procfile": "web: gunicorn app:app --bind 0.0.0.0:$PORT\n",
    "requirements.txt": "gunicorn==23.0.0\nflask==3.0.0\n",
    "app/log.py": "import logging, sys\nh = logging.FileHandler('app.log')\ns = logging.StreamHandler(sys.stdout)\n",
    "README.md": "# svc\n",
}
CONTRIB = {
    "contrib/init.py": "import logging\nh = logging.FileHandler('/var/log/init.log')\n",
    "contrib/requirements.txt": "requests\n",
    "contrib/Dockerfile": "FROM python:3.12\nCMD python init.py\n",
}
WAIVE_LOGS = f"""\
waivers:
  - check: logs.file-handler
    paths: [app/log.py]
    reason: The platform's agent rotates this file and ships it.
    expires: {SOON}
"""


def scan(tmp_path, files: dict, name: str = "repo", **kw):
    root = write_tree(tmp_path / name, files)
    return score_path(os.fspath(root), **kw)


def handlers(report, path: str = "app/log.py"):
    return [f for f in report.findings if f.check == "logs.file-handler" and f.path == path]


def test_a_waived_finding_is_listed_and_marked_but_not_counted(tmp_path):
    plain = scan(tmp_path, SERVICE, "plain")
    waived = scan(tmp_path, {**SERVICE, ".factorcard.yml": WAIVE_LOGS})
    assert plain.factor("logs").status is Status.FAIL and plain.factor("logs").score == 4.0
    logs = waived.factor("logs")
    assert (logs.status, logs.score, logs.waived) == (Status.PASS, 10.0, 1)
    assert (logs.unwaived_status, logs.unwaived_score) == (Status.FAIL, 4.0)  # the honest number, kept
    (finding,) = handlers(waived)
    assert finding.severity is Severity.LOW and finding.demoted_from is Severity.HIGH
    assert finding.waiver.id == "config#1" and finding.waiver.reason.startswith("The platform's agent")
    assert finding.fingerprint == handlers(plain)[0].fingerprint  # the same finding, only answered
    assert waived.score > plain.score and waived.unwaived_score == plain.score
    (use,) = waived.waivers
    assert (use.matched, use.expired) == (1, False)


def test_a_waiver_by_fingerprint_follows_the_finding_when_its_line_moves(tmp_path):
    (target,) = handlers(scan(tmp_path, SERVICE, "first"))
    config = f"waivers:\n  - fingerprint: {target.fingerprint}\n    reason: Rotated by the host.\n    expires: {SOON}\n"
    moved = {**SERVICE, "app/log.py": "\n\n\n# moved down\n" + SERVICE["app/log.py"], ".factorcard.yml": config}
    (finding,) = handlers(scan(tmp_path, moved, "moved"))
    assert finding.line == target.line + 4
    assert finding.waiver is not None and finding.waiver.fingerprint == target.fingerprint


def test_an_edited_line_is_a_new_finding_that_the_old_waiver_no_longer_matches(tmp_path):
    (target,) = handlers(scan(tmp_path, SERVICE, "first"))
    config = f"waivers:\n  - fingerprint: {target.fingerprint}\n    reason: Rotated by the host.\n    expires: {SOON}\n"
    edited = {
        **SERVICE,
        ".factorcard.yml": config,
        "app/log.py": SERVICE["app/log.py"].replace("'app.log'", "'other.log'"),
    }
    report = scan(tmp_path, edited, "edited")
    assert handlers(report)[0].waiver is None
    assert report.waivers[0].matched == 0  # the Waivers page says it matches nothing any more


def test_an_expired_waiver_covers_nothing_and_says_so(tmp_path):
    config = WAIVE_LOGS.replace(SOON, (utc_today() - timedelta(days=1)).isoformat())
    report = scan(tmp_path, {**SERVICE, ".factorcard.yml": config})
    assert handlers(report)[0].waiver is None and report.factor("logs").status is Status.FAIL
    (use,) = report.waivers
    assert (use.expired, use.matched) == (True, 0)
    assert any("expired on" in m for m in report.config.messages)


def test_dashboard_waivers_apply_like_the_files_and_expire_on_their_day(tmp_path):
    (target,) = handlers(scan(tmp_path, SERVICE, "first"))
    waiver = Waiver(
        "dashboard#7",
        "A class name, not a key.",
        date(2030, 1, 1),
        fingerprint=target.fingerprint,
        check=target.check,
        by="alice",
    )
    before = scan(tmp_path, SERVICE, "before", waivers=[waiver], today=date(2029, 12, 31))
    on_the_day = scan(tmp_path, SERVICE, "after", waivers=[waiver], today=date(2030, 1, 1))
    assert handlers(before)[0].waiver == waiver and before.factor("logs").waived == 1
    assert handlers(on_the_day)[0].waiver is None and on_the_day.factor("logs").waived == 0
    assert on_the_day.waivers[0].expired and not before.waivers[0].expired


def test_evidence_and_findings_that_already_do_not_count_are_never_waived(tmp_path):
    files = {
        **SERVICE,
        "tests/test_log.py": "import logging\nh = logging.FileHandler('t.log')\n",
        ".factorcard.yml": f"waivers:\n  - check: logs.file-handler\n    paths: ['**/*.py']\n"
        f"    reason: Everything is fine.\n    expires: {SOON}\n"
        f"  - check: logs.stdout\n    paths: [app/**]\n    reason: x y z\n    expires: {SOON}\n",
    }
    report = scan(tmp_path, files)
    (in_tests,) = handlers(report, "tests/test_log.py")
    assert in_tests.demoted_from is Severity.HIGH and in_tests.waiver is None  # a test: it never counted
    assert not [f for f in report.findings if f.severity is Severity.INFO and f.waiver is not None]


def test_ignored_paths_count_like_examples_and_do_not_make_a_monorepo(tmp_path):
    without = scan(tmp_path, {**SERVICE, **CONTRIB}, "without")
    assert without.kind is Kind.MONOREPO  # contrib/ has a Dockerfile and a manifest of its own
    report = scan(tmp_path, {**SERVICE, **CONTRIB, ".factorcard.yml": "ignore: [contrib/**]\n"}, "with")
    assert report.kind is Kind.SERVICE
    (init,) = handlers(report, "contrib/init.py")
    assert init.severity is Severity.LOW and init.demoted_from is not None and init.waiver is None
    assert report.factor("logs").score == scan(tmp_path, SERVICE, "alone").factor("logs").score
    assert report.unwaived_score == report.score  # a description of the repository, not a waiver


def test_a_real_credential_in_an_ignored_path_still_counts(tmp_path):
    key = "AKIA" + "Q7XJ2M5N8P3R6T9W"
    files = {
        **SERVICE,
        "contrib/deploy.py": f"import logging\nh = logging.FileHandler('d.log')\nAWS_ACCESS_KEY_ID = '{key}'\n",
        ".factorcard.yml": "ignore: [contrib/]\n",
    }
    report = scan(tmp_path, files)
    (handler,) = handlers(report, "contrib/deploy.py")
    assert handler.demoted_from is Severity.HIGH  # the folder is ignored …
    leaks = [f for f in report.findings if f.check == "config.committed-secret" and f.path == "contrib/deploy.py"]
    assert leaks and leaks[0].demoted_from is None and leaks[0].severity.rank >= Severity.HIGH.rank  # … not a leak


def test_a_declared_kind_replaces_detection_and_says_so(tmp_path):
    report = scan(tmp_path, {**SERVICE, ".factorcard.yml": "kind: library\n"})
    assert report.kind is Kind.LIBRARY
    assert report.kind_reasons == ("declared in .factorcard.yml (detected: service)",)
    assert [f.number for f in report.factors if f.status is Status.NA] == [6, 7, 8, 9, 12]


def test_declared_deployables_make_a_monorepo_scored_per_folder(tmp_path):
    files = {
        "api/app.py": "import logging\nh = logging.FileHandler('api.log')\n",
        "api/requirements.txt": "flask==3.0.0\n",
        "site/index.html": "<h1>hi</h1>\n",
        ".factorcard.yml": "deployables:\n  - path: api\n    kind: service\n  - path: site\n    kind: static-site\n",
    }
    report = scan(tmp_path, files)
    assert report.kind is Kind.MONOREPO
    assert [(d.path, d.kind) for d in report.deployables] == [("api", Kind.SERVICE), ("site", Kind.STATIC_SITE)]
    assert report.kind_reasons == ("2 deployables declared in .factorcard.yml: api, site",)
    assert handlers(report, "api/app.py")


def test_a_factor_declared_not_applicable_leaves_the_mean_and_keeps_its_real_score(tmp_path):
    config = "not_applicable:\n  - factor: logs\n    reason: The host captures every stream.\n"
    plain = scan(tmp_path, SERVICE, "plain")
    report = scan(tmp_path, {**SERVICE, ".factorcard.yml": config})
    logs = report.factor(11)
    assert (logs.status, logs.score, logs.declared_na) == (Status.NA, None, "The host captures every stream.")
    assert logs.summary == "Not applicable, as .factorcard.yml declares: The host captures every stream."
    assert (logs.unwaived_status, logs.unwaived_score) == (Status.FAIL, 4.0)
    assert handlers(report)  # its findings are still listed
    applicable = [f.score for f in report.factors if f.score is not None]
    assert report.score == round(sum(applicable) / len(applicable) * 10, 1)
    assert report.unwaived_score == plain.score


def test_a_monorepos_factor_without_waivers_is_its_worst_deployable_without_them(tmp_path):
    files = {
        "services/api/Dockerfile": "FROM python:3.12\nCMD gunicorn app:app\n",
        "services/api/requirements.txt": "gunicorn==23.0.0\n",
        "services/api/app.py": "import logging\nh = logging.FileHandler('api.log')\n",
        "services/web/Dockerfile": "FROM python:3.12\nCMD gunicorn web:app\n",
        "services/web/requirements.txt": "gunicorn==23.0.0\n",
        "services/web/web.py": "import logging\nh = logging.FileHandler('web.log')\n",
    }
    plain = scan(tmp_path, files, "plain")
    config = WAIVE_LOGS.replace("app/log.py", "services/api/**")
    report = scan(tmp_path, {**files, ".factorcard.yml": config})
    logs = report.factor("logs")
    assert logs.waived == 1 and logs.score == plain.factor("logs").score  # services/web still fails
    assert logs.unwaived_score == plain.factor("logs").score


def test_the_json_contract_carries_the_waivers_and_both_scores(tmp_path):
    report = scan(tmp_path, {**SERVICE, ".factorcard.yml": WAIVE_LOGS + "bogus: 1\n"})
    data = json.loads(to_json(report))
    assert data["schema_version"] == 2
    assert (data["score"], data["unwaived_score"], data["waived"]) == (report.score, report.unwaived_score, 1)
    assert data["config"]["path"] == ".factorcard.yml" and data["config"]["messages"] == [
        "unknown key 'bogus': ignored."
    ]
    (use,) = data["waivers"]
    assert use == {
        "id": "config#1",
        "source": "config",
        "check": "logs.file-handler",
        "paths": ["app/log.py"],
        "fingerprint": None,
        "reason": "The platform's agent rotates this file and ships it.",
        "expires": SOON,
        "by": "",
        "expired": False,
        "matched": 1,
        "clamped_from": None,
    }
    logs = data["factors"][10]
    assert (logs["waived"], logs["unwaived_status"], logs["unwaived_score"]) == (1, "fail", 4.0)
    (finding,) = [f for f in logs["findings"] if f.get("waiver")]
    assert finding["waiver"]["id"] == "config#1" and finding["demoted_from"] == "high"
    assert all("waiver" not in f for fr in data["factors"] for f in fr["findings"] if f is not finding)


def test_waived_findings_are_sarif_suppressions_and_the_document_still_validates(tmp_path):
    (target,) = handlers(scan(tmp_path, SERVICE, "first"))
    files = {
        **SERVICE,
        "worker.py": "import logging\nw = logging.FileHandler('/var/log/w.log')\n",
        ".factorcard.yml": WAIVE_LOGS,
    }
    dashboard = Waiver(
        "dashboard#3",
        "Shipped by the sidecar.",
        utc_today() + timedelta(days=9),
        check="logs.file-handler",
        fingerprint=[f for f in handlers(scan(tmp_path, files, "probe"), "worker.py")][0].fingerprint,
        by="alice",
    )
    report = scan(tmp_path, files, waivers=[dashboard])
    doc = json.loads(to_sarif(report, all_checks()))
    validator = jsonschema.validators.validator_for(sarif_schema())(sarif_schema())
    errors = list(validator.iter_errors(doc))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    results = doc["runs"][0]["results"]
    assert len(results) == len(report.findings)  # never dropped
    suppressed = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r for r in results if "suppressions" in r
    }
    assert set(suppressed) == {"app/log.py", "worker.py"}
    (in_source,) = suppressed["app/log.py"]["suppressions"]
    assert in_source["kind"] == "inSource" and in_source["status"] == "accepted"
    assert in_source["justification"] == "The platform's agent rotates this file and ships it."
    assert in_source["location"]["physicalLocation"]["artifactLocation"]["uri"] == ".factorcard.yml"
    (external,) = suppressed["worker.py"]["suppressions"]
    assert external["kind"] == "external" and external["properties"]["by"] == "alice"
    assert suppressed["app/log.py"]["level"] == "error"  # the severity it would have had, not the demoted one
    assert target.fingerprint == suppressed["app/log.py"]["partialFingerprints"]["factorcard/v1"]


def test_the_terminal_scorecard_says_what_was_waived_and_the_score_without(tmp_path):
    text = to_text(scan(tmp_path, {**SERVICE, ".factorcard.yml": WAIVE_LOGS + "colour: red\n"}))
    assert "Waived: 1 finding; score without waivers and declarations:" in text
    assert "Configuration: unknown key 'colour': ignored." in text
    assert "(1 waived finding, not counted; 4.0 without waivers)" in text
    assert "Waived" not in to_text(scan(tmp_path, SERVICE, "plain"))
