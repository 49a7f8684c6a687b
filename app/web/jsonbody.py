"""JSON request bodies, bounded before they are parsed.

json.loads recurses once per nesting level, so a body of 100,000 "[" raises RecursionError (a 500
before this module existed). The size is checked first (from Content-Length, before reading), then
the nesting depth by one pass over the bytes, and only then is the body parsed; every failure is a
BodyError with a message for a 400 response.
"""

from __future__ import annotations

import json
import re

MAX_BYTES = 16 * 1024
MAX_DEPTH = 20
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(rb"[\[\]{}]")


class BodyError(ValueError):
    """A body that cannot be accepted; str(exc) says why."""


def nesting_depth(body: bytes) -> int:
    """The deepest nesting of arrays and objects, brackets inside strings not counted."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRING.sub(b'""', body)):
        depth += 1 if bracket in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest


def parse(request, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> object:
    """The request's JSON body, or BodyError."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise BodyError("The Content-Length header is not a number.") from None
    if declared > max_bytes:
        raise BodyError(f"The body is larger than {max_bytes} bytes.")
    body = request.body or b"{}"
    if len(body) > max_bytes:
        raise BodyError(f"The body is larger than {max_bytes} bytes.")
    if nesting_depth(body) > max_depth:
        raise BodyError(f"The body is nested more than {max_depth} levels deep.")
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BodyError("The body is not valid JSON.") from None
