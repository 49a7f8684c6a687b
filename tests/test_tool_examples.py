"""The pre-commit hook and the example CI workflow call the command line as it really parses."""

from __future__ import annotations

import shlex

import yaml

from scoring.__main__ import parse_args
from tests.conftest import ROOT


def factorcard_args(command: str) -> list[str]:
    words = shlex.split(command.split("#")[0])
    assert words[:2] == ["factorcard", "score"], command
    return words[2:]


def test_the_pre_commit_hook_scores_the_whole_repository():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "factorcard" and hook["pass_filenames"] is False and hook["language"] == "python"
    args = parse_args([*factorcard_args(hook["entry"]), "--fail-under", "70"])
    assert (args.path, args.fail_under) == (".", 70.0)


def test_the_example_workflow_uploads_sarif_and_enforces_a_threshold():
    workflow = yaml.safe_load((ROOT / "docs" / "examples" / "github-code-scanning.yml").read_text())
    steps = workflow["jobs"]["factorcard"]["steps"]
    runs = [parse_args(factorcard_args(s["run"])) for s in steps if s.get("run", "").startswith("factorcard ")]
    assert [(r.format, r.output, r.fail_under) for r in runs] == [
        ("sarif", "factorcard.sarif", None),
        ("text", None, 70.0),
    ]
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert upload["with"]["sarif_file"] == "factorcard.sarif"
    assert workflow["permissions"]["security-events"] == "write"
    assert not (ROOT / ".github" / "workflows" / "factorcard.yml").exists()  # an example, not this repository's CI
