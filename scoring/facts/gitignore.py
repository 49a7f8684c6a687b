"""`.gitignore` semantics (pathspec's gitwildmatch), for "is this lock file ignored?"."""

from __future__ import annotations

from dataclasses import dataclass

import pathspec

from ..context import Context
from ..tree import File


@dataclass(frozen=True)
class Ignore:
    rules: tuple[tuple[str, pathspec.PathSpec, File], ...]  # (folder, spec, file)

    def matching_rule(self, path: str) -> tuple[File, int] | None:
        """The .gitignore file and line that ignore `path`, or None."""
        for folder, spec, f in self.rules:
            prefix = folder + "/" if folder else ""
            if not path.startswith(prefix):
                continue
            rel = path[len(prefix):]
            if spec.match_file(rel):
                for i, line in enumerate(f.lines, 1):
                    line = line.strip()
                    if line and not line.startswith(("#", "!")) and pathspec.PathSpec.from_lines(
                        "gitwildmatch", [line]).match_file(rel):
                        return f, i
                return f, 1
        return None


def gitignore(ctx: Context) -> Ignore:
    rules = []
    for f in ctx.tree.named(".gitignore"):
        try:
            spec = pathspec.PathSpec.from_lines("gitwildmatch", f.lines)
        except Exception:
            continue
        rules.append((f.dir, spec, f))
    return Ignore(tuple(rules))
