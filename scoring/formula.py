"""The scoring formula: findings of one factor → score 0–10 and status; factors → overall 0–100.

Per factor:

* Findings in tests, fixtures, examples, docs and vendored code are listed as `low` with the
  severity they would have had (`demoted_from`), and count for nothing below: a fake key in
  `tests/fixtures/` is not a leak. Real-format credentials are never demoted.

* Each violated check costs a penalty: the weight of its worst finding (critical 10, high 6,
  medium 3, low 1) plus a quarter of that weight for each further finding of the check, capped at
  twice the worst weight. Several findings of one check count more than one, but never swamp the
  factor; every further finding costs at least as much as nothing.
* The raw score is 10 minus the sum of penalties, floored at 0.
* The status: `fail` with any critical or high violation, `warn` with any medium violation, or with
  no finding at all where evidence is expected for this kind of repository ("could not tell");
  otherwise `pass`. `na` when the factor does not apply to the repository's kind.
* The score is then kept inside its status's band, so status and score tell the same story: a
  critical violation scores 0, `fail` at most 4; `warn` between 4.5 and 8 (at most 7 when the
  warning is "no evidence"); `pass` at least 8.5. A `warn` therefore never scores below a `fail`
  however many medium findings it holds (five medium checks: 10 - 15 -> 4.5, not 0, while one high
  scores 4), and a `pass` with many low findings never below a `warn`.

Overall: the mean of the applicable factors' scores × 10, rounded to one decimal (0 when none apply).

Monotone: adding a violation adds a non-negative penalty and can only move the status towards
`fail`, whose band is lower, so it never raises a factor's score nor the overall score; raising a
finding's severity never raises it either (docs/verdicts/eng-runtime.md has worked examples). Adding info
findings (evidence) can turn "could not tell" into `pass`, but never changes penalties.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .model import Finding, Severity, Status

WEIGHTS = {Severity.CRITICAL: 10.0, Severity.HIGH: 6.0, Severity.MEDIUM: 3.0, Severity.LOW: 1.0, Severity.INFO: 0.0}
FAIL_CAP, WARN_CAP, NO_EVIDENCE_CAP = 4.0, 8.0, 7.0
# The floors keep the bands apart (fail <= 4 < 4.5 <= warn <= 8 < 8.5 <= pass): the status is the
# headline and the score must never contradict it.
WARN_FLOOR, PASS_FLOOR = 4.5, 8.5


def penalty(findings: Iterable[Finding]) -> float:
    by_check: dict[str, list[float]] = defaultdict(list)
    for f in findings:
        if f.severity is not Severity.INFO and f.demoted_from is None:
            by_check[f.check].append(WEIGHTS[f.severity])
    total = 0.0
    for weights in by_check.values():
        worst = max(weights)
        extra = sum(weights) - worst
        total += min(2 * worst, worst + extra / 4)
    return total


def factor_verdict(findings: list[Finding], evidence_expected: bool) -> tuple[Status, float]:
    worst = max((f.severity.rank for f in findings if f.demoted_from is None), default=0)
    has_evidence = any(f.severity is Severity.INFO for f in findings)
    score = max(0.0, 10.0 - penalty(findings))
    if worst >= Severity.HIGH.rank:
        status, floor, cap = Status.FAIL, 0.0, (0.0 if worst == Severity.CRITICAL.rank else FAIL_CAP)
    elif worst == Severity.MEDIUM.rank:
        status, floor, cap = Status.WARN, WARN_FLOOR, WARN_CAP
    elif not has_evidence and evidence_expected:
        status, floor, cap = Status.WARN, WARN_FLOOR, NO_EVIDENCE_CAP
    else:
        status, floor, cap = Status.PASS, PASS_FLOOR, 10.0
    return status, round(min(max(score, floor), cap), 1)


def overall(scores: Iterable[float | None]) -> float:
    applicable = [s for s in scores if s is not None]
    if not applicable:
        return 0.0
    return round(sum(applicable) / len(applicable) * 10, 1)
