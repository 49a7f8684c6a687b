"""The scoring formula (scoring/formula.py): statuses per the checklist's verdict table, caps, and
monotonicity: adding a violation never raises a factor's score nor the overall score."""

from __future__ import annotations

import random

import pytest

from scoring.formula import factor_verdict, overall, penalty
from scoring.model import Finding, Severity, Status

CHECKS = ["config.a", "config.b", "config.c", "config.d"]
VIOLATIONS = [Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW]


def finding(severity: Severity, check: str = "config.a", demoted: bool = False, n: int = 0) -> Finding:
    if demoted and severity is not Severity.INFO:
        return Finding(check, Severity.LOW, f"tests/f{n}.py", n + 1, "m", "r", demoted_from=severity)
    return Finding(check, severity, f"app/f{n}.py", n + 1, "m", "r")


def random_findings(rng: random.Random, size: int) -> list[Finding]:
    return [
        finding(rng.choice(list(Severity)), rng.choice(CHECKS), demoted=rng.random() < 0.2, n=i)
        for i in range(size)
    ]


@pytest.mark.parametrize(
    "findings, expected, status, score",
    [
        # positive evidence and nothing else
        ([finding(Severity.INFO)], True, Status.PASS, 10.0),
        # a low violation next to evidence still passes ("no violation above low")
        ([finding(Severity.INFO), finding(Severity.LOW)], True, Status.PASS, 9.0),
        # a medium violation warns, capped at 8
        ([finding(Severity.INFO), finding(Severity.MEDIUM)], True, Status.WARN, 7.0),
        # three mediums of one check: 3 + (3+3)/4 = 4.5 off
        ([finding(Severity.MEDIUM, n=i) for i in range(3)], True, Status.WARN, 5.5),
        # a high violation fails, capped at 4
        ([finding(Severity.INFO), finding(Severity.HIGH)], True, Status.FAIL, 4.0),
        # many highs of one check cost at most twice the worst weight
        ([finding(Severity.HIGH, n=i) for i in range(40)], True, Status.FAIL, 0.0),
        # a critical violation fails at 0, whatever the evidence
        ([finding(Severity.INFO), finding(Severity.CRITICAL)], True, Status.FAIL, 0.0),
        # no finding where evidence is expected: "could not tell", capped at 7
        ([], True, Status.WARN, 7.0),
        # a low violation and no evidence where it is expected: still could-not-tell
        ([finding(Severity.LOW)], True, Status.WARN, 7.0),
        # no finding where no evidence is expected (e.g. processes, or a library's factors)
        ([], False, Status.PASS, 10.0),
        # findings in tests/docs (demoted) count for nothing, not even their low
        ([finding(Severity.CRITICAL, demoted=True), finding(Severity.INFO)], True, Status.PASS, 10.0),
        ([finding(Severity.HIGH, demoted=True)], False, Status.PASS, 10.0),
        # two checks' penalties add up: high 6 + medium 3
        ([finding(Severity.HIGH, "config.a"), finding(Severity.MEDIUM, "config.b")], True, Status.FAIL, 1.0),
        # four medium checks cost 12, but a warn stays in its band: 4.5, above any fail
        ([finding(Severity.MEDIUM, c) for c in CHECKS], True, Status.WARN, 4.5),
        # four low checks with many findings each cost 8, but a pass stays at 8.5, above any warn
        ([finding(Severity.INFO)] + [finding(Severity.LOW, c, n=i) for c in CHECKS for i in range(4)], True, Status.PASS, 8.5),
        # could-not-tell with many lows: still a warn, in the warn band
        ([finding(Severity.LOW, c, n=i) for c in CHECKS for i in range(4)], True, Status.WARN, 4.5),
    ],
)
def test_it_maps_findings_to_the_checklist_verdicts(findings, expected, status, score):
    assert factor_verdict(findings, expected) == (status, score)


def test_it_charges_a_quarter_for_each_further_finding_of_a_check_up_to_double():
    assert penalty([finding(Severity.HIGH)]) == 6
    assert penalty([finding(Severity.HIGH), finding(Severity.MEDIUM, n=1)]) == 6 + 3 / 4
    assert penalty([finding(Severity.HIGH, n=i) for i in range(100)]) == 12
    assert penalty([finding(Severity.INFO, n=i) for i in range(100)]) == 0


@pytest.mark.parametrize("expected", [True, False])
def test_it_never_raises_a_factor_score_when_a_violation_is_added(expected):
    rng = random.Random(20241112)
    for _ in range(3000):
        before = random_findings(rng, rng.randrange(0, 8))
        extra = finding(rng.choice(VIOLATIONS), rng.choice(CHECKS), n=99)
        status_before, score_before = factor_verdict(before, expected)
        status_after, score_after = factor_verdict(before + [extra], expected)
        assert score_after <= score_before, (before, extra)
        order = [Status.PASS, Status.WARN, Status.FAIL]  # and the status only moves towards fail
        assert order.index(status_after) >= order.index(status_before), (before, extra)


def test_it_never_raises_the_overall_score_when_a_violation_is_added():
    rng = random.Random(7)
    for _ in range(1000):
        factors = [random_findings(rng, rng.randrange(0, 6)) for _ in range(12)]
        applicable = [rng.random() > 0.3 for _ in range(12)]

        def total(sets, applicable=applicable):
            return overall(factor_verdict(s, True)[1] if a else None for s, a in zip(sets, applicable, strict=True))

        i = rng.randrange(12)
        more = [list(s) for s in factors]
        more[i].append(finding(rng.choice(VIOLATIONS), rng.choice(CHECKS), n=50))
        assert total(more) <= total(factors)


def test_it_keeps_scores_in_range_whatever_the_findings():
    rng = random.Random(3)
    for _ in range(2000):
        status, score = factor_verdict(random_findings(rng, rng.randrange(0, 30)), rng.random() < 0.5)
        assert 0 <= score <= 10 and status in (Status.PASS, Status.WARN, Status.FAIL)


def test_it_averages_applicable_factors_over_100():
    assert overall([10.0] * 12) == 100.0
    assert overall([10.0, 5.0, None, None]) == 75.0
    assert overall([7.0, 7.0, 4.0]) == 60.0
    assert overall([None] * 12) == 0.0
    assert overall([]) == 0.0
    assert overall([9.3, 8.1, 7.7]) == 83.7  # rounded to one decimal


BANDS = {Status.FAIL: (0.0, 4.0), Status.WARN: (4.5, 8.0), Status.PASS: (8.5, 10.0)}


@pytest.mark.parametrize("expected", [True, False])
def test_it_keeps_each_status_in_its_own_score_band(expected):
    # status and score tell the same story: every fail < every warn < every pass
    rng = random.Random(11)
    for _ in range(3000):
        status, score = factor_verdict(random_findings(rng, rng.randrange(0, 30)), expected)
        low, high = BANDS[status]
        assert low <= score <= high, (status, score)


def test_a_warn_never_scores_below_a_fail_of_the_same_shape():
    # the same findings, one of them raised a step (medium -> high, low -> medium, high -> critical):
    # the worse status never scores higher
    rng = random.Random(5)
    raise_one = {Severity.LOW: Severity.MEDIUM, Severity.MEDIUM: Severity.HIGH, Severity.HIGH: Severity.CRITICAL}
    for _ in range(3000):
        before = [f for f in random_findings(rng, rng.randrange(1, 20)) if f.demoted_from is None]
        i = rng.randrange(len(before)) if before else None
        if i is None or before[i].severity not in raise_one:
            continue
        after = list(before)
        after[i] = finding(raise_one[before[i].severity], before[i].check, n=i)
        assert factor_verdict(after, True)[1] <= factor_verdict(before, True)[1], (before, after)


def test_the_band_rule_on_the_shapes_a_reviewer_compares():
    many_mediums = [finding(Severity.MEDIUM, c, n=i) for c in CHECKS for i in range(10)]
    one_high = [finding(Severity.HIGH)]
    assert factor_verdict(many_mediums, True) == (Status.WARN, 4.5)  # 10 - 24 would be 0 without the band
    assert factor_verdict(one_high, True) == (Status.FAIL, 4.0)
    assert factor_verdict(many_mediums[:-1] + [finding(Severity.HIGH, "config.d", n=9)], True)[1] == 0.0
