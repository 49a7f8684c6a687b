"""Telling a configuration key written as a string literal from the same words inside prose or fixtures.

`app.config["SESSION_TYPE"] = "filesystem"` and `{"ENGINE": "django.db.backends.sqlite3"}` start
with a string literal, so a check must search strings too; but a test that embeds a whole settings
file in one string (`"SESSION_TYPE = 'filesystem'\\n"`) must not count. A key counts when it is in
code or when it is the entire string literal.
"""

from __future__ import annotations

from ..context import Context, Hit


def keyed(ctx: Context, hit: Hit, group: str = "key", *, suffix: bool = False) -> bool:
    """The hit starts in code, or its `group` is exactly one whole string literal.

    With `suffix`, the group need only end the literal (`"task_acks_late"` for a group `acks_late`).
    """
    if hit.where == "code":
        return True
    if hit.where != "string" or hit.match.groupdict().get(group) is None:
        return False
    start, end = hit.match.span(group)
    span = ctx.mask(hit.file).span_at(start)
    if span is None or span[1] != end + 1:
        return False
    return suffix or span[0] == start - 1
