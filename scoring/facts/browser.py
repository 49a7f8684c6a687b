"""JavaScript that runs in a browser, not in the server: a page's scripts and components.

A timer or a console.log in such a file says nothing about the server's processes or logs. A file
is taken for browser code when its code (not a comment or string) touches `window.` or `document.`.
"""

from __future__ import annotations

import re

from ..context import Context
from ..tree import File

_BROWSER_CODE = re.compile(r"\b(?:window|document)\.[A-Za-z$]")


def is_browser_script(ctx: Context, f: File) -> bool:
    return f.language == "javascript" and ctx.first(_BROWSER_CODE, [f], where="code") is not None
