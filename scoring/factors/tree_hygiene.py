"""Repository-wide facts about the checkout itself, found while reading it (factor I, codebase)."""

from __future__ import annotations

from ..context import Context, found
from ..model import Severity
from ..registry import check

FACTOR = 1
MAX_REPORTED = 20


@check(
    "codebase.link-outside-tree",
    factor=FACTOR,
    title="A symbolic link points outside the repository",
    remediation="Commit the file itself, or declare what it provides (a package, a config value, a mounted "
    "volume); a checkout must not depend on paths outside it.",
    repository_wide=True,
)
def link_outside_tree(ctx: Context):
    """A symbolic link in the repository points outside it (an absolute path, or `../` out of the root).

    The codebase is what is tracked in revision control; a link to `/etc/…`, a home folder or a
    sibling checkout makes a deploy depend on whatever that path holds on the machine that builds
    or runs it, so two deploys of one commit can differ. The scorer never follows such a link: it is
    reported, not read. Commit the file, or replace the link with a declared dependency or setting.
    """
    escaping = [link for link in ctx.tree.links if link.escapes]
    for link in escaping[:MAX_REPORTED]:
        yield found(Severity.MEDIUM, "a symbolic link points outside the repository", link.path, None,
                    f"{link.path} -> {link.target}")
