"""python -m scoring PATH [--format text|json|sarif] [--output FILE] [--fail-under SCORE] [--all]

Installed (`pip install .`), the same command is `factorcard score PATH …`.

Exit status: 0 on a report, 1 when --fail-under is given and the score is below it (with one line on
stderr saying the score and the threshold), 2 on a usage error or an unreadable PATH.
"""

from __future__ import annotations

import argparse
import math
import sys
from typing import NoReturn

from . import __version__
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


def parse_args(argv: list[str] | None, prog: str = "python -m scoring") -> argparse.Namespace:
    p = _Parser(prog=prog, description="Score a checkout against the Twelve-Factor App.")
    p.add_argument("path", metavar="PATH", help="a checked-out tree (git work tree or plain folder)")
    p.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    p.add_argument("--output", metavar="FILE", help="write the report here instead of standard output")
    p.add_argument("--fail-under", metavar="SCORE", type=float, help="exit 1 when the overall score is below SCORE")
    p.add_argument("--max-file-size", metavar="MIB", type=number, default=1.0, help="skip larger files (default 1 MiB)")
    p.add_argument("--time-limit", metavar="SECONDS", type=number, default=120.0,
                   help="stop reading and checking after this long and report what was done (default 120)")
    p.add_argument("--all", action="store_true", dest="show_all",
                   help="text format: list every finding, including those in tests, docs or examples (not counted)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None, prog: str = "python -m scoring") -> int:
    args = parse_args(argv, prog)
    if args.fail_under is not None and not 0 <= args.fail_under <= 100:
        print(f"{prog}: --fail-under takes a score from 0 to 100", file=sys.stderr)
        return 2
    limits = Limits(max_file_bytes=int(args.max_file_size * MiB), deadline_s=args.time_limit)
    try:
        report = score_path(args.path, limits)
    except UnreadablePath as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        out = to_json(report)
    elif args.format == "sarif":
        out = to_sarif(report, all_checks())
    else:
        out = to_text(report, color=args.output is None and sys.stdout.isatty(), show_all=args.show_all)
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
        print(f"{prog}: cannot write {args.output or 'to standard output'}: {exc.strerror}", file=sys.stderr)
        return 2
    if args.fail_under is not None and report.score < args.fail_under:
        print(f"{prog}: score {report.score:.1f} is below the threshold {args.fail_under:g} (--fail-under)",
              file=sys.stderr)
        return 1
    return 0


COMMANDS = "usage: factorcard score PATH [--format text|json|sarif] [--output FILE] [--fail-under SCORE] [--all]"


def cli(argv: list[str] | None = None) -> int:
    """The installed command: `factorcard score PATH …` (the console script of `pip install .`)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] in (["-h"], ["--help"]):
        print(f"{COMMANDS}\n\nScore a checked-out tree against the Twelve-Factor App; `factorcard score --help` for the options.")
        return 0
    if argv[:1] == ["--version"]:
        print(f"factorcard {__version__}")
        return 0
    if argv[:1] != ["score"]:
        print("factorcard: expected a command, as in: factorcard score PATH (see --help)", file=sys.stderr)
        return 2
    return main(argv[1:], prog="factorcard score")


if __name__ == "__main__":
    sys.exit(main())
