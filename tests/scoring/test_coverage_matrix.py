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
_CELL_ROW = re.compile(r"^\|(?!\s*-)(?!\s*class\s*\|)(.+)\|\s*$")


def collected_ids() -> set[str]:
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "tests/scoring/coverage"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "SECRET_KEY": os.environ.get("SECRET_KEY", "x")},
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    return {m.group(1) for m in re.finditer(r"\[([^\]]+)\]$", out.stdout, re.M)}


def cells() -> list[tuple[str, str, list[str]]]:
    """(document, row label, ids) for every table cell of the per-ecosystem matrices that names an id."""
    found = []
    for doc in DOCS:
        for line in doc.read_text().splitlines():
            row = _CELL_ROW.match(line)
            if not row:
                continue
            label, *columns = [c.strip() for c in row.group(1).split("|")]
            for column in columns:
                ids = _ID.findall(column)  # (base, suffix): a base id names a pair, a suffixed one that test
                pairs = {b for b, suffix in ids if not suffix} | (
                    {b for b, x in ids if x == "-trigger"} & {b for b, x in ids if x == "-lookalike"}
                )
                if pairs:  # a cell is covered when it names a trigger and look-alike pair
                    found.append((doc.name, label, ids))
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
