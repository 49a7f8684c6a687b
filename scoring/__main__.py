"""python -m scoring PATH [--format text|json|sarif] [--output FILE] [--fail-under SCORE]

Exit status: 0 on a report, 1 when --fail-under is given and the score is below it, 2 on a usage
error or an unreadable PATH.
"""

from __future__ import annotations

import argparse
import math
import sys
from typing import NoReturn

from .factors import all_checks
from .output import to_json, to_sarif, to_text
from .runner import UnreadablePath, score_path
from .tree import Limits, MiB


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """A usage error is one line on stderr (the contract), not argparse's usage block."""
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = _Parser(prog="python -m scoring", description="Score a checkout against the Twelve-Factor App.")
    p.add_argument("path", metavar="PATH", help="a checked-out tree (git work tree or plain folder)")
    p.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    p.add_argument("--output", metavar="FILE", help="write the report here instead of standard output")
    p.add_argument("--fail-under", metavar="SCORE", type=float, help="exit 1 when the overall score is below SCORE")
    p.add_argument("--max-file-size", metavar="MIB", type=number, default=1.0, help="skip larger files (default 1 MiB)")
    p.add_argument("--time-limit", metavar="SECONDS", type=number, default=120.0,
                   help="stop reading and checking after this long and report what was done (default 120)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.fail_under is not None and not 0 <= args.fail_under <= 100:
        print("python -m scoring: --fail-under takes a score from 0 to 100", file=sys.stderr)
        return 2
    limits = Limits(max_file_bytes=int(args.max_file_size * MiB), deadline_s=args.time_limit)
    try:
        report = score_path(args.path, limits)
    except UnreadablePath as exc:
        print(f"python -m scoring: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        out = to_json(report)
    elif args.format == "sarif":
        out = to_sarif(report, all_checks())
    else:
        out = to_text(report, color=args.output is None and sys.stdout.isatty())
    try:
        if args.output:
            with open(args.output, "w", encoding="utf-8") as fh:
                fh.write(out)
        else:
            # The report is UTF-8 whatever the locale says (PYTHONIOENCODING=ascii must not crash it).
            if hasattr(sys.stdout, "reconfigure"):
                sys.stdout.reconfigure(encoding="utf-8")
            sys.stdout.write(out)
            sys.stdout.flush()
    except OSError as exc:
        print(f"python -m scoring: cannot write {args.output or 'to standard output'}: {exc.strerror}", file=sys.stderr)
        return 2
    if args.fail_under is not None and report.score < args.fail_under:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
