"""What every coverage cell asserts, written once for all the matrices' modules.

A cell is a pair of parametrized cases, `<id>-trigger` and `<id>-lookalike` (`pytest.param(files,
check, path, severity, id=…)`): the trigger's tree must be reported by the check at `path` with
`severity`, counted (not demoted as a test, doc or example); the look-alike's tree (`path` None)
must not be — at all, or above a `ceiling` severity where the matrix lets a look-alike keep a note
(a low one, say).
"""

from __future__ import annotations

from scoring.model import Report
from tests.scoring.conftest import findings

ORDER = ["info", "low", "medium", "high", "critical"]


def assert_cell(report: Report, check: str, path: str | None, severity: str | None, *, ceiling: str | None = None):
    counted = [f for f in findings(report, check, violations_only=True) if f.demoted_from is None]
    if path is None:
        allowed = ORDER.index(ceiling) if ceiling else 0
        alarms = [f for f in counted if ORDER.index(f.severity.value) > allowed]
        assert alarms == [], [(f.path, f.line, f.severity.value, f.message) for f in alarms]
    else:
        assert (path, severity) in {(f.path, f.severity.value) for f in counted}, [
            (f.path, f.line, f.severity.value, f.message) for f in counted
        ]


def assert_paired(cells: list, *, at_least: int = 0):
    """Every id is used once, and every trigger has its look-alike (and the other way round)."""
    ids = [cell.id for cell in cells]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    triggers = {i.removesuffix("-trigger") for i in ids if i.endswith("-trigger")}
    lookalikes = {i.removesuffix("-lookalike") for i in ids if i.endswith("-lookalike")}
    assert triggers == lookalikes, triggers ^ lookalikes
    assert len(triggers) >= at_least
