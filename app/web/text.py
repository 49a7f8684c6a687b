"""Text from outside (git's error output, a hostile repository's file contents) made safe to store and log.

PostgreSQL refuses NUL in a text column, and other control characters garble a log line or a page;
each is written as a visible escape (\\x00) instead, so nothing is silently lost. Newlines and tabs stay.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def printable(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text) if text else text
