"""docs/coverage/*.md names, for every covered cell of the coverage matrix, fixture ids in
tests/scoring/coverage/: each id named there must exist as a trigger and as a look-alike test, so the
matrix can never claim a cell that no test proves."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from tests.conftest import ROOT

DOCS = sorted((ROOT / "docs" / "coverage").glob("*.md"))
# a cell's fixture id: class<N><letter>-…, ix-…, …; with or without its -trigger/-lookalike suffix
_ID = re.compile(r"`((?:class\d+[a-z]?|ix|factor\d+)-[a-z0-9][a-z0-9-]*?)(-trigger|-lookalike)?`")
_PIPE = re.compile(r"(?<!\\)\|")  # a column separator, not an escaped `\|` inside a cell
_CELL_ROW = re.compile(r"^\|(?!\s*-)(?!\s*class\s*\|)(.+)\|\s*$")


def collected_ids() -> set[str]:
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "tests/scoring/coverage"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "SECRET_KEY": os.environ.get("SECRET_KEY", "x")},
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    return {m.group(1) for m in re.finditer(r"\[([^\]]+)\]$", out.stdout, re.M)}


ECOSYSTEMS = ["Python", "Node/TS", "Go", "Ruby", "Java/Kotlin", "PHP", "Rust", ".NET", "every ecosystem"]
INDEX = ROOT / "docs" / "coverage.md"


def cells() -> list[tuple[str, str, list[str]]]:
    """(document, row label, ids) for every table cell of the per-ecosystem matrices that names an id."""
    return [(doc, label, ids) for doc, label, _column, ids in located_cells()]


def located_cells() -> list[tuple[str, str, int, list[str]]]:
    """(document, row label, column (0 = Python … 7 = .NET, 8 = a row for every ecosystem), ids) per covered cell."""
    found = []
    for doc in DOCS:
        lines = doc.read_text().splitlines()
        per_ecosystem = False  # the current table's columns are the eight ecosystems
        for i, line in enumerate(lines):
            if i + 1 < len(lines) and re.match(r"^\|\s*-", lines[i + 1]):  # a table's header row
                heads = [c.strip() for c in _PIPE.split(line.strip("|"))]
                per_ecosystem = heads[1:2] == ["Python"] and heads[8:9] == [".NET"]
                continue
            row = _CELL_ROW.match(line)
            if not row:
                continue
            label, *columns = [c.strip() for c in _PIPE.split(row.group(1))]
            for number, column in enumerate(columns):
                number = number if per_ecosystem else len(ECOSYSTEMS) - 1  # a row for every ecosystem at once
                ids = _ID.findall(column)  # (base, suffix): a base id names a pair, a suffixed one that test
                pairs = {b for b, suffix in ids if not suffix} | (
                    {b for b, x in ids if x == "-trigger"} & {b for b, x in ids if x == "-lookalike"}
                )
                if pairs:  # a cell is covered when it names a trigger and look-alike pair
                    found.append((doc.name, label, number, ids))
    return found


def test_every_cell_the_matrix_claims_has_a_trigger_and_a_look_alike_test():
    known = collected_ids()
    missing = [
        f"{doc}: {label[:40]} → {wanted}"
        for doc, label, ids in cells()
        for base, suffix in ids
        for wanted in ([base + suffix] if suffix else [f"{base}-trigger", f"{base}-lookalike"])
        if wanted not in known
    ]
    assert not missing, "\n".join(missing)


def test_the_matrix_covers_at_least_sixty_cells():
    assert len(cells()) >= 60, len(cells())


def summary_table() -> str:
    """The per-document, per-ecosystem counts of covered cells that docs/coverage.md shows."""
    counts: dict[str, list[int]] = {}
    for doc, _label, column, _ids in located_cells():
        counts.setdefault(doc, [0] * len(ECOSYSTEMS))[column] += 1
    lines = ["| matrix | " + " | ".join(ECOSYSTEMS) + " | covered cells |", "|---" * (len(ECOSYSTEMS) + 2) + "|"]
    for doc, row in sorted(counts.items()):
        lines.append(f"| [{doc}](coverage/{doc}) | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
    totals = [sum(row[i] for row in counts.values()) for i in range(len(ECOSYSTEMS))]
    lines.append("| **all** | " + " | ".join(map(str, totals)) + f" | **{sum(totals)}** |")
    return "\n".join(lines)


def test_the_coverage_index_shows_the_counts_the_matrices_hold():
    """docs/coverage.md's summary is the matrices' own count (regenerate: python -m tests.scoring.test_coverage_matrix)."""
    assert summary_table() in INDEX.read_text(), "docs/coverage.md is out of date:\n" + summary_table()


if __name__ == "__main__":
    print(summary_table())
