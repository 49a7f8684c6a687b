"""The repository's configuration and the team's waivers, applied to one scan (the runner's hooks).

What each part of .factorcard.yml does to the score, and what stays visible:

* `ignore`: the paths are treated like examples by every check; findings there are listed as `low`
  with `demoted_from` and not counted, evidence there is dropped (the tree's `role_of`). Real-format
  credentials still count anywhere, as they do in tests.
* `kind` / `deployables`: replace detection (`facts.kind.declared`); the reasons say "declared".
* waivers (the file's and the dashboard's): a finding a waiver covers is listed as `low` with
  `demoted_from` and the waiver (who, why, until when), and is not counted. Evidence and findings
  that already did not count are never waived. An expired waiver covers nothing and says so.
* `not_applicable`: the factor is `na` with the declared reason and left out of the overall score.

Every factor also keeps its status and score *without* waivers and declarations (`unwaived_status`,
`unwaived_score`), computed from the same findings by the same formula, and the report its overall
score without them: the honest number is always one look away.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from .context import Context
from .facts.kind import Verdict, classify, declared
from .model import FactorResult, Finding, RepoConfig, Report, Severity, Status, Waiver, WaiverUse
from .repoconfig import load_config, spec_of
from .tree import Tree

Found = dict[int, list[Finding]]  # factor number → findings, as the runner collects them


def utc_today() -> date:
    return datetime.now(UTC).date()


class Rules:
    def __init__(self, config: RepoConfig, extra: Sequence[Waiver] = (), today: date | None = None):
        self.config = config
        self.today = today or utc_today()
        self.waivers = (*config.waivers, *extra)
        self._active = [(w, spec_of(w.paths)) for w in self.waivers if self.today < w.expires]
        self._matched: dict[str, set[tuple[str, int | None]]] = {w.id: set() for w in self.waivers}

    @classmethod
    def load(cls, tree: Tree, known_checks: set[str], extra: Sequence[Waiver] = (), today: date | None = None) -> Rules:
        """Read the tree's .factorcard.yml; declare its `ignore` paths on the tree before any check runs."""
        today = today or utc_today()
        config = load_config(tree, known_checks, today)
        if config.ignore:
            tree.declare_not_deployed(spec_of(config.ignore, backend=None))
        return cls(config, extra, today)

    def classify(self, ctx: Context) -> Verdict:
        if self.config.kind is not None:
            return declared(ctx, self.config.kind, self.config.deployables, self.config.path or "")
        return classify(ctx)

    def mark(self, found: Found) -> Found:
        """The same findings, those covered by a waiver demoted and marked."""
        if not self._active:
            return found
        return {number: [self._waived(f) for f in findings] for number, findings in found.items()}

    def _waived(self, f: Finding) -> Finding:
        if f.severity is Severity.INFO or f.demoted_from is not None:
            return f
        for waiver, spec in self._active:
            if waiver.fingerprint:
                covers = waiver.fingerprint == f.fingerprint
            else:
                covers = waiver.check == f.check and f.path is not None and spec.match_file(f.path)
            if covers:
                self._matched[waiver.id].add((f.fingerprint, f.line))
                return replace(f, severity=Severity.LOW, demoted_from=f.severity, waiver=waiver)
        return f

    @property
    def changed_anything(self) -> bool:
        """Whether the scores differ from the ones without waivers and declarations."""
        return bool(self.config.not_applicable) or any(self._matched.values())

    def settle(self, factors: list[FactorResult], unwaived: list[FactorResult]) -> list[FactorResult]:
        """The factors with declared non-applicability, each with its status and score without them."""
        reasons = dict(self.config.not_applicable)
        out = []
        for f, plain in zip(factors, unwaived, strict=True):
            reason = reasons.get(f.number)
            if reason and f.status is not Status.NA:
                f = replace(
                    f,
                    status=Status.NA,
                    score=None,
                    declared_na=reason,
                    summary=f"Not applicable, as {self.config.path} declares: {reason}",
                )
            out.append(replace(f, unwaived_status=plain.status, unwaived_score=plain.score))
        return out

    def uses(self) -> tuple[WaiverUse, ...]:
        clamped = dict(self.config.clamped)
        return tuple(
            WaiverUse(w, len(self._matched[w.id]), self.today >= w.expires, clamped.get(w.id)) for w in self.waivers
        )


# --- The report's formats (scoring/output.py calls these) ---


def sarif_suppression(f: Finding, report: Report) -> dict[str, Any]:
    """SARIF fields of a waived result: its real level and a suppression saying where the waiver is
    kept (in the repository's file: inSource; in the dashboard: external) and why. Never dropped."""
    w = f.waiver
    if w is None:
        return {}
    suppression: dict[str, Any] = {
        "kind": "inSource" if w.source == "config" else "external",
        "status": "accepted",
        "justification": w.reason,
        "properties": {"waiver": w.id, "expires": w.expires.isoformat(), **({"by": w.by} if w.by else {})},
    }
    if w.source == "config" and report.config.path:
        suppression["location"] = {
            "physicalLocation": {"artifactLocation": {"uri": report.config.path, "uriBaseId": "SRCROOT"}}
        }
    level = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning"}
    return {"level": level.get(f.demoted_from, "note"), "suppressions": [suppression]}


def text_lines(report: Report) -> list[str]:
    """The terminal scorecard's lines about the configuration and the waivers (none when there are none)."""
    lines = []
    if report.waived or report.unwaived_score not in (None, report.score):
        lines.append(
            f"Waived: {report.waived} finding{'s' if report.waived != 1 else ''}; "
            f"score without waivers and declarations: {report.unwaived_score:.1f} / 100"
        )
    lines += [f"Configuration: {m}" for m in report.config.messages]
    return lines + [""] if lines else []


def waived_line(f: FactorResult) -> str:
    if not f.waived:
        return ""
    plain = "" if f.unwaived_score in (None, f.score) else f"; {f.unwaived_score:.1f} without waivers"
    return f"        ({f.waived} waived finding{'s' if f.waived != 1 else ''}, not counted{plain})"
