"""The report's three formats: a terminal scorecard, the JSON contract, and SARIF 2.1.0."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .model import FactorResult, Finding, Report, Severity, Status
from .registry import Check
from .waivers import sarif_suppression, text_lines, waived_line

_MARK = {Status.PASS: "PASS", Status.WARN: "WARN", Status.FAIL: "FAIL", Status.NA: " n/a"}
_SARIF_LEVEL = {
    Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
    Severity.LOW: "note", Severity.INFO: "none",
}
_SECURITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "7.5", Severity.MEDIUM: "5.0", Severity.LOW: "2.0",
             Severity.INFO: "0.0"}
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def to_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


COULD_NOT_TELL = ("could not tell: nothing in the tree shows this factor either way, so it is a warning "
                  "worth at most 7/10 until something does")


def could_not_tell(f: FactorResult) -> bool:
    """A warning for lack of evidence rather than for a medium or worse violation (see formula.py)."""
    return f.status is Status.WARN and not any(
        x.demoted_from is None and x.severity.rank >= Severity.MEDIUM.rank for x in f.findings)


def to_text(report: Report, color: bool = False, max_findings: int = 5, show_all: bool = False) -> str:
    """The terminal scorecard; `show_all` lists every violation and the findings that are not counted."""
    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if color else text

    colors = {Status.PASS: "32", Status.WARN: "33", Status.FAIL: "31", Status.NA: "90"}
    lines = [
        f"Twelve-factor scorecard for {report.target_path}",
        f"commit {report.commit or '(not a git checkout)'} · kind {report.kind.value}: {'; '.join(report.kind_reasons)}",
        "",
        f"Overall score: {report.score:.1f} / 100",
        "",
        *text_lines(report),
    ]
    explained = False
    for f in report.factors:
        score = "  - " if f.score is None else f"{f.score:4.1f}"
        lines.append(f"{_ROMAN[f.number - 1]:>4}. {f.name:<20} {paint(_MARK[f.status], colors[f.status])} {score}  {f.summary}")
        if could_not_tell(f) and not explained:
            lines.append(f"        ({COULD_NOT_TELL})")
            explained = True
        violations = [x for x in f.findings if x.severity is not Severity.INFO and x.demoted_from is None]
        uncounted = [x for x in f.findings if x.demoted_from is not None and x.waiver is None]
        shown = violations if show_all else violations[:max_findings]
        for x in shown:
            lines += _finding_lines(x)
        if len(violations) > len(shown):
            lines.append(f"        … and {len(violations) - len(shown)} more (--all lists them)")
        if uncounted and show_all:
            lines.append("        not counted (tests, docs or examples):")
            for x in uncounted:
                lines += _finding_lines(x, f" (would be {x.demoted_from.value})")
        elif uncounted:
            lines.append(f"        ({len(uncounted)} finding{'s' if len(uncounted) != 1 else ''} in tests, docs or "
                         "examples, not counted; --all lists them)")
        if f.waived:
            lines.append(waived_line(f))
    s = report.stats
    skipped = ", ".join(f"{k} {v}" for k, v in sorted(s.skipped.items()) if v) or "none"
    lines += ["", f"{s.files_scanned} files, {s.bytes_scanned / 1e6:.1f} MB in {s.duration_ms} ms; skipped: {skipped}"]
    if s.partial:
        lines.append("PARTIAL REPORT: " + "; ".join(s.partial_reasons))
    if s.check_errors:
        lines.append("checks that failed to run: " + ", ".join(s.check_errors))
    return "\n".join(lines) + "\n"


def _finding_lines(x: Finding, note: str = "") -> list[str]:
    where = f"{x.path}:{x.line}" if x.path and x.line else (x.path or "(repository)")
    out = [f"        {x.severity.value:<8} {where}  {x.message}{note}"]
    if x.snippet:
        out.append(f"                 | {x.snippet}")
    return out


def _uri(path: str | None) -> str:
    """A relative URI reference for a repository path (spaces, '#', '%' and non-ASCII escaped)."""
    return "." if path is None else quote(path, safe="/")


def to_sarif(report: Report, checks: list[Check]) -> str:
    rules, index = [], {}
    for i, c in enumerate(checks):
        index[c.spec.id] = i
        rules.append({
            "id": c.spec.id,
            "name": "".join(w.capitalize() for w in c.spec.id.replace(".", "-").split("-")),
            "shortDescription": {"text": c.spec.title},
            "fullDescription": {"text": c.spec.doc.split("\n\n", 1)[0]},
            "help": {"text": f"{c.spec.doc}\n\nHow to fix: {c.spec.remediation}"},
            "properties": {"factor": c.spec.factor, "tags": ["twelve-factor", f"factor-{c.spec.factor}"]},
        })
    results = []
    for factor in report.factors:
        for f in factor.findings:
            result: dict[str, Any] = {
                "ruleId": f.check,
                "ruleIndex": index.get(f.check, 0),
                "level": _SARIF_LEVEL[f.severity],
                "kind": "pass" if f.severity is Severity.INFO else "fail",
                "message": {"text": f"{f.message} {f.remediation}".strip()},
                "partialFingerprints": {"factorcard/v1": f.fingerprint},
                "properties": {"severity": f.severity.value, "security-severity": _SECURITY[f.severity]},
            }
            location: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": _uri(f.path),
                                                                                  "uriBaseId": "SRCROOT"}}}
            if f.line:
                location["physicalLocation"]["region"] = {"startLine": f.line, "snippet": {"text": f.snippet}}
            result["locations"] = [location]
            result.update(sarif_suppression(f, report))
            results.append(result)
    root_uri = Path(report.target_path).absolute().as_uri()
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": report.engine_name, "version": report.engine_version,
                                "informationUri": "https://12factor.net/", "rules": rules}},
            "originalUriBaseIds": {"SRCROOT": {"uri": root_uri.rstrip("/") + "/"}},
            "versionControlProvenance": [{"repositoryUri": root_uri, "revisionId": report.commit}] if report.commit else [],
            "results": results,
            "properties": {"score": report.score, "kind": report.kind.value},
        }],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
