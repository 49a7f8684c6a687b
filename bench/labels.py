"""Measure the engine against reviewer labels (../shared/accuracy/ and bench/labels/).

    .venv/bin/python bench/labels.py [--mirrors /work/.mirror] [--checkouts /tmp/acc-labels]
                                     [--labels DIR ...] [--misses] [--json FILE] [NAME ...]

Each label file (format: ../shared/accuracy/README.md) names a repository, a mirror folder and a
commit. The repository is checked out at that commit from its local mirror (never downloaded),
scored in-process, and compared with the labels:

* must-find recall: a counted finding (not demoted from tests/docs/examples) of the label's
  factor, on its path, within 3 lines of its line (any line when the label has none), of
  severity low or above; "at severity" also asks for the label's `severity_at_least`;
* trap false alarms: a finding of severity high or critical on a `must_not_flag` path within 3
  lines (any line when the trap has none), unless the finding is itself one the labels ask for (a
  must-find of the same factor near it: `spring.sql.init.mode=always` two lines below a password
  trap in the same properties file is not an alarm on the password);
* verdicts: the factor's status is one of the label's accepted statuses.

Per repository one row, then the totals per label set. With --misses every missed violation,
every false alarm and every verdict off its label is listed, which is what a review works from.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring import score_path  # noqa: E402

SHARED = ROOT.parent / "shared" / "accuracy"
OWN = ROOT / "bench" / "labels"
RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
NEAR = 3


@dataclass
class Outcome:
    name: str
    kind: str = ""
    label_kind: str = ""
    found: int = 0
    found_at_severity: int = 0
    must: int = 0
    traps: int = 0
    alarms: int = 0
    verdicts_ok: int = 0
    verdicts: int = 0
    notes: list[str] = field(default_factory=list)


def git_dir(mirrors: Path, mirror: str) -> Path:
    base = mirrors / mirror / "repo"
    return base / ".git" if (base / ".git").is_dir() else base


def checkout(label: dict, mirrors: Path, checkouts: Path) -> Path:
    """A work tree of the labeled commit, made from the local mirror (reused when already there)."""
    dest = checkouts / label["mirror"]
    head = dest / ".git" / "HEAD"
    if head.is_file():
        current = subprocess.run(["git", "-C", str(dest), "rev-parse", "HEAD"], capture_output=True, text=True)
        if current.stdout.strip() == label["commit"]:
            return dest
    src = git_dir(mirrors, label["mirror"])
    if not src.is_dir():
        raise FileNotFoundError(f"no mirror of {label['repo']} at {src} (fetch github:{label['repo']})")
    subprocess.run(["rm", "-rf", str(dest)], check=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    run = {"check": True, "capture_output": True}
    subprocess.run(["git", "clone", "-q", "--no-checkout", str(src), str(dest)], **run)
    subprocess.run(["git", "-C", str(dest), "-c", "advice.detachedHead=false", "checkout", "-q", label["commit"]], **run)
    # the origin a real clone has: the engine names the app after it (a `git clone` of the app's own
    # repository in a Dockerfile is recognised by that name, not by the mirror's folder)
    subprocess.run(["git", "-C", str(dest), "remote", "set-url", "origin", f"https://github.com/{label['repo']}.git"], **run)
    return dest


def near(finding: dict, path: str, line: int | None) -> bool:
    if finding.get("path") != path:
        return False
    return line is None or finding.get("line") is None or abs(finding["line"] - line) <= NEAR


def evaluate(label: dict, report: dict) -> Outcome:
    out = Outcome(label["repo"], report["kind"]["value"], label.get("kind", ""))
    by_factor = {f["id"]: f for f in report["factors"]}
    counted = [
        dict(x, factor=f["id"])
        for f in report["factors"]
        for x in f["findings"]
        if x["severity"] != "info" and not x.get("demoted_from")
    ]
    expected: set[int] = set()
    for item in label.get("must_find", []):
        out.must += 1
        hits = [x for x in counted if x["factor"] == item["factor"] and near(x, item["path"], item.get("line"))]
        expected.update(id(x) for x in hits)
        want = RANK.get(item.get("severity_at_least", "low"), 1)
        if hits:
            out.found += 1
            if max(RANK[x["severity"]] for x in hits) >= want:
                out.found_at_severity += 1
            else:
                out.notes.append(f"  low   {item['factor']:<18} {item['path']}:{item.get('line')} "
                                 f"found at {max(hits, key=lambda x: RANK[x['severity']])['severity']}, "
                                 f"label says {item.get('severity_at_least')}")
        else:
            out.notes.append(f"  MISS  {item['factor']:<18} {item['path']}:{item.get('line')} — {item['why'][:150]}")
    for trap in label.get("must_not_flag", []):
        out.traps += 1
        alarms = [
            x for x in counted
            if RANK[x["severity"]] >= RANK["high"] and id(x) not in expected and near(x, trap["path"], trap.get("line"))
        ]
        if alarms:
            out.alarms += 1
            x = alarms[0]
            out.notes.append(f"  FA    {x['factor']:<18} {trap['path']}:{trap.get('line')} {x['check']} "
                             f"({x['severity']}) — trap: {trap['why'][:120]}")
    for factor_id, verdict in label["labels"].items():
        out.verdicts += 1
        status = by_factor[factor_id]["status"]
        if status in verdict["accept"]:
            out.verdicts_ok += 1
        else:
            out.notes.append(f"  VERD  {factor_id:<18} engine {status}, label {'/'.join(verdict['accept'])}: "
                             f"{by_factor[factor_id]['summary'][:110]}")
    return out


def constant_statuses(labels: list[dict]) -> dict[str, str]:
    """The answer of a scorer that never reads a repository: for each factor, the one status most of
    these labels accept."""
    factors = sorted({factor for label in labels for factor in label["labels"]})
    return {
        factor: max(("pass", "warn", "fail", "na"),
                    key=lambda status: sum(status in label["labels"][factor]["accept"]
                                           for label in labels if factor in label["labels"]))
        for factor in factors
    }


def agreement(labels: list[dict], statuses: dict[str, str]) -> tuple[int, int]:
    pairs = [(statuses.get(factor), verdict["accept"]) for label in labels for factor, verdict in label["labels"].items()]
    return sum(status in accept for status, accept in pairs), len(pairs)


def constant_answer(labels: list[dict], chosen_on: list[dict] | None = None) -> tuple[int, int]:
    """Verdicts on `labels` of the constant answer chosen on `chosen_on` (by default on the same labels,
    which is the constant's best case)."""
    return agreement(labels, constant_statuses(labels if chosen_on is None else chosen_on))


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}%" if b else "   — "


def table(title: str, outcomes: list[Outcome], labels: list[dict], others: list[dict]) -> str:
    lines = [f"\n{title}",
             f"{'repository':<48} {'kind':<18} {'must-find':>10} {'at sev':>7} {'traps':>7} {'verdicts':>9}"]
    for o in outcomes:
        kind = o.kind if o.kind == o.label_kind else f"{o.kind}≠{o.label_kind}"
        lines.append(f"{o.name:<48} {kind:<18} {o.found:>4}/{o.must:<5} {o.found_at_severity:>3}/{o.must:<3} "
                     f"{o.alarms:>3}/{o.traps:<3} {o.verdicts_ok:>4}/{o.verdicts:<4}")
    t = Outcome("total")
    for o in outcomes:
        for k in ("found", "found_at_severity", "must", "traps", "alarms", "verdicts_ok", "verdicts"):
            setattr(t, k, getattr(t, k) + getattr(o, k))
    lines.append(f"{'total':<48} {'':<18} {pct(t.found, t.must):>10} {pct(t.found_at_severity, t.must):>7} "
                 f"{pct(t.alarms, t.traps):>7} {pct(t.verdicts_ok, t.verdicts):>9}")
    lines.append(f"  must-find {t.found}/{t.must} (at the label's severity {t.found_at_severity}), "
                 f"false alarms {t.alarms}/{t.traps}, verdicts {t.verdicts_ok}/{t.verdicts}")
    ok, total = constant_answer(labels)
    lines.append(f"  a constant answer per factor (the status most of these labels accept): verdicts {ok}/{total} "
                 f"({pct(ok, total).strip()})")
    if others:
        ok, total = constant_answer(labels, chosen_on=others)
        lines.append(f"  the constant answer chosen on the other label folders: verdicts {ok}/{total} "
                     f"({pct(ok, total).strip()})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help="only these (substring of owner/name)")
    ap.add_argument("--mirrors", type=Path, default=ROOT.parent / ".mirror")
    ap.add_argument("--checkouts", type=Path, default=Path("/tmp/acc-labels"))
    ap.add_argument("--labels", type=Path, action="append", help=f"label folders (default {SHARED} and {OWN})")
    ap.add_argument("--misses", action="store_true", help="list misses, false alarms and verdicts off label")
    ap.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = ap.parse_args(argv)

    folders = args.labels or [SHARED, OWN]
    every = {folder: [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))] for folder in folders}
    summary = {}
    for folder in folders:
        outcomes, labels = [], []
        others = [label for other in folders if other != folder for label in every[other]]
        for label in every[folder]:
            if args.names and not any(n in label["repo"] for n in args.names):
                continue
            try:
                tree = checkout(label, args.mirrors, args.checkouts)
            except (FileNotFoundError, subprocess.CalledProcessError) as exc:
                print(f"skipped {label['repo']}: {exc}", file=sys.stderr)
                continue
            outcome = evaluate(label, score_path(tree).to_dict())
            outcomes.append(outcome)
            labels.append(label)
            if args.misses and outcome.notes:
                print(f"\n== {outcome.name} ({label['commit'][:8]})")
                print("\n".join(outcome.notes))
        if outcomes:
            print(table(f"labels in {folder}", outcomes, labels, others))
            summary[str(folder)] = [o.__dict__ for o in outcomes]
            summary[f"{folder} constant answer"] = dict(zip(("verdicts_ok", "verdicts"), constant_answer(labels), strict=True))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
