"""Branch names and commit ids from users and webhook payloads: hostile input, checked before use.

The rules are git's own (`git check-ref-format`), plus a length cap: no control characters
(a newline would forge a line in a log or a packed-refs file), no space or ~^:?*[\\, no "..", no
"@{", no leading "-" (it would read as an option) or "/", no trailing "/", "." or ".lock".
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

MAX_LENGTH = 255
_FORBIDDEN = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]|\.\.|@\{|//|/\.|\.lock(/|$)")
_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def check_branch(name: str) -> str:
    """The branch name, or "" for the default branch; ValidationError when git would refuse it."""
    if not name:
        return ""
    if (
        len(name) > MAX_LENGTH
        or _FORBIDDEN.search(name)
        or name.startswith(("-", "/", "."))
        or name.endswith(("/", "."))
        or name == "@"
    ):
        raise ValidationError("That is not a valid branch name.", code="branch")
    return name


def check_commit(sha: str) -> str:
    """A full commit id (SHA-1 or SHA-256, lower case), or "" for none."""
    if sha and not _COMMIT.fullmatch(sha):
        raise ValidationError("That is not a full commit id.", code="commit")
    return sha
