"""Configuration files that are neither source code nor prose: web-server, YAML, Terraform, INI files.

Checks that look for directives (nginx `ip_hash`, `sessionAffinity`, Apache `WSGIScriptAlias`,
supervisord `[program:…]`) search these, so a README that quotes a directive is not mistaken for
configuration.
"""

from __future__ import annotations

import re

from ..context import Context
from ..tree import File

_CONFIG_EXTS = {
    "", ".conf", ".cfg", ".ini", ".yaml", ".yml", ".json", ".toml", ".tf", ".hcl", ".tpl", ".template",
    ".properties", ".xml", ".service", ".vhost", ".site", ".nginx", ".j2", ".jinja", ".tmpl",
}
_PROSE_NAMES = re.compile(r"^(readme|changelog|changes|license|licence|copying|authors|notice|contributing)\b", re.I)
_NGINX = re.compile(r"(^|/)nginx[^/]*(/|\.conf)|(^|/)(sites-(available|enabled)|conf\.d)/", re.I)


def config_files(ctx: Context) -> list[File]:
    """Non-source, non-prose files of the app (test paths kept, for demoted findings)."""
    return [
        f for f in ctx.files
        if f.language is None and f.ext in _CONFIG_EXTS and f.role not in ("doc", "vendor")
        and not _PROSE_NAMES.match(f.name)
    ]


def nginx_files(ctx: Context) -> list[File]:
    """nginx configuration: under an nginx folder or named for nginx, or a .conf with a server block."""
    return [f for f in ctx.fact(config_files)
            if _NGINX.search(f.path) or (f.ext == ".conf" and ("server {" in f.text or "upstream " in f.text))]
