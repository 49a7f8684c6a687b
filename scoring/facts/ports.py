"""Fixed listen ports one step away from the listen call: passed through an identifier assigned a
literal in the same file, or written in the server's configuration file with no placeholder.

`const PORT = 5000; app.listen(PORT)`, `app.set('port', 5000)` … `app.get('port')`, Go
`addr := ":8080"` … `ListenAndServe(addr, nil)`, Python `PORT = 8000` … `uvicorn.run(app, port=PORT)`,
Rust `let addr = "0.0.0.0:3000"` … `bind(addr)`; Spring's `server.port=8080`, Kestrel endpoints in
appsettings.json, gunicorn's `bind = "0.0.0.0:8000"`, uWSGI's `http-socket = :8000`, `next start -p 3000`.
An identifier assigned from the environment (`PORT = int(os.environ.get("PORT", 8000))`) is not a
literal, and dev-only files (application-dev.properties, appsettings.Development.json,
launchSettings.json, a `dev` npm script) are not production's configuration.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..context import Context
from ..tree import File

_ID = r"([A-Za-z_$][\w$]*(?:\.[A-Za-z_]\w*)?)"
# A listen/bind call whose port (or address) argument is an identifier, per language.
_CALL_WITH_NAME = {
    "python": re.compile(
        r"\b(?:app\.run|application\.run|api\.run|server\.run|uvicorn\.run|web\.run_app|serve)\([^)\n]{0,300}?\bport\s*=\s*"
        + _ID
        + r"\s*[,)]|"
        r"\b(?:HTTPServer|ThreadingHTTPServer|TCPServer|make_server)\(\s*\(?\s*['\"][^'\"\n]*['\"]\s*,\s*" + _ID + r"\b"
    ),
    "javascript": re.compile(r"\.listen\(\s*\{?\s*(?:port\s*:\s*)?" + _ID + r"\s*[,)}]"),
    "go": re.compile(
        r"\b(?:ListenAndServe(?:TLS)?|Run|Start|Listen)\(\s*" + _ID + r"\s*[,)]|\bAddr\s*:\s*" + _ID + r"\s*[,}\n]"
    ),
    "java": re.compile(
        r"\bnew\s+(?:ServerSocket|InetSocketAddress)\(\s*(?:\"[^\"\n]*\"\s*,\s*)?" + _ID + r"\s*\)|"
        r"\bembeddedServer\(\s*\w+\s*,\s*port\s*=\s*" + _ID + r"\b|\.port\(\s*" + _ID + r"\s*\)"
    ),
    "rust": re.compile(
        r"\.bind\(\s*\(?\s*(?:\"[^\"\n]*\"\s*,\s*)?&?"
        + _ID
        + r"\s*\)?\s*\)|\bTcpListener::bind\(\s*&?"
        + _ID
        + r"\s*\)"
    ),
    "dotnet": re.compile(r"\b(?:UseUrls|app\.Run|Listen(?:Any|Local)IP)\(\s*" + _ID + r"\s*[,)]"),
    "php": re.compile(r"\bnew\s+\\?(?:Swoole|OpenSwoole)\\Http\\Server\(\s*[^,\n]+,\s*(\$\w+)"),
}
# How each language assigns a literal port (or an address ending in one) to a name; {name} is filled in.
_ASSIGN = {
    "python": r"^[ \t]*{name}\s*(?::\s*int\s*)?=\s*(\d{{2,5}})\s*(?:#[^\n]*)?$",
    "javascript": r"\b(?:const|let|var)\s+{name}\s*(?::\s*number\s*)?=\s*['\"]?(\d{{2,5}})['\"]?\s*;?\s*$",
    "go": r"\b{name}\s*(?::=|=)\s*\"[^\"\n]*:(\d{{2,5}})\"",
    "java": r"\b(?:int|Integer|val|var|const\s+val)\s+{name}\s*(?::\s*Int\s*)?=\s*(\d{{2,5}})\b",
    "rust": r"\b(?:let|const|static)\s+(?:mut\s+)?{name}\s*(?::\s*[&\w]+\s*)?=\s*(?:\"[^\"\n]*:)?(\d{{2,5}})\b",
    "dotnet": r"\b(?:const\s+)?(?:string|int|var)\s+{name}\s*=\s*(?:\"[^\"\n]*:)?(\d{{2,5}})\b",
    "php": r"^\s*{name}\s*=\s*(\d{{2,5}})\s*;",
}
_EXPRESS_SET = re.compile(r"\b(\w+)\.set\(\s*['\"]port['\"]\s*,\s*(\d{2,5})\s*\)")
_EXPRESS_GET = re.compile(r"\.listen\(\s*\w+\.get\(\s*['\"]port['\"]\s*\)")


@dataclass(frozen=True)
class FixedPort:
    file: File
    line: int
    snippet: str
    port: str
    via: str  # the identifier or setting that carries it
    # The framework's own variable that still overrides it (Spring's SERVER_PORT), if any: then the
    # platform's $PORT is ignored but the port is not beyond the environment's reach.
    override: str | None = None


def through_names(ctx: Context, language: str, f: File) -> Iterator[FixedPort]:
    """Listen calls in `f` whose port is an identifier assigned a literal port in the same file."""
    pattern = _CALL_WITH_NAME.get(language)
    if pattern is None:
        return
    for hit in ctx.grep(pattern, [f], where="code", limit=5):
        name = next((g for g in hit.match.groups() if g), None)
        if not name or name[0].isdigit():
            continue
        assign = re.compile(_ASSIGN[language].format(name=re.escape(name)), re.M)
        m = assign.search(f.text)
        if m and ctx.mask(f).kind_at(m.start()) == "code":
            yield FixedPort(f, hit.line, hit.text, m.group(1), name)
    if language == "javascript":
        setter = ctx.first(_EXPRESS_SET, [f], where="code")
        getter = ctx.first(_EXPRESS_GET, [f], where="code") if setter else None
        if getter:
            yield FixedPort(f, getter.line, getter.text, setter.match.group(2), "app.set('port')")


# Server configuration files and how they fix a port.
_PROPERTIES_PORT = re.compile(
    r"^[ \t]*(?:server\.port|quarkus\.http\.port|micronaut\.server\.port)[ \t]*[=:][ \t]*(\d{2,5})[ \t]*$", re.M
)
_YAML_SERVER_PORT = re.compile(
    r"^(?:server|micronaut):[ \t]*\n(?:[ \t]+[^\n]*\n){0,20}?[ \t]+port:[ \t]*(\d{2,5})[ \t]*$", re.M
)
_SPRING_CONFIG = re.compile(r"(?:^|/)(?:application|bootstrap)(?:-(?!dev|local|test)[\w]+)?\.(?:properties|ya?ml)$")
_GUNICORN_BIND = re.compile(r"^bind\s*=\s*\[?\s*['\"][^'\"\n]*:(\d{2,5})['\"]", re.M)
_UWSGI_HTTP = re.compile(r"^[ \t]*(?:http|http-socket|https)[ \t]*=[ \t]*[\w.\-\[\]]*:(\d{2,5})\b", re.M)
_KTOR_PORT = re.compile(r"^[ \t]*port[ \t]*=[ \t]*(\d{2,5})[ \t]*$", re.M)
_KTOR_ENV = re.compile(r"^[ \t]*port[ \t]*=[ \t]*\$\{\??\w+\}", re.M)
_ROADRUNNER = re.compile(r"^[ \t]*address:[ \t]*['\"]?[\w.\-]*:(\d{2,5})['\"]?[ \t]*$", re.M)
_NPM_START_PORT = re.compile(
    r"\b(?:next\s+start|nuxt\s+start|serve|http-server|react-router-serve|astro\s+preview)\b[^&|;]*?\s(?:-p|--port|-l|--listen)[ =](\d{2,5})\b"
)


def in_config_files(ctx: Context) -> Iterator[FixedPort]:
    """Fixed ports in the server's own configuration, outside dev-only files."""
    for f in ctx.files:
        if f.role is not None:
            continue
        name = f.name.lower()
        if _SPRING_CONFIG.search(f.path):
            pattern = _PROPERTIES_PORT if name.endswith(".properties") else _YAML_SERVER_PORT
            yield from _matches(f, pattern, "server.port", "SERVER_PORT (QUARKUS_HTTP_PORT, MICRONAUT_SERVER_PORT)")
        elif name == "gunicorn.conf.py" or name == "gunicorn_config.py":
            yield from _matches(f, _GUNICORN_BIND, "bind", "GUNICORN_CMD_ARGS")
        elif "uwsgi" in name and f.ext in (".ini", ".cfg"):
            yield from _matches(f, _UWSGI_HTTP, "http-socket", "UWSGI_HTTP_SOCKET")
        elif name == "application.conf" and "ktor" in f.text and not _KTOR_ENV.search(f.text):
            yield from _matches(f, _KTOR_PORT, "ktor.deployment.port")
        elif name in (".rr.yaml", ".rr.yml", "rr.yaml"):
            yield from _matches(f, _ROADRUNNER, "http.address")
        elif name in ("appsettings.json", "appsettings.production.json"):
            yield from _kestrel(f)
        elif name == "package.json":
            yield from _npm_start(f)


def _matches(f: File, pattern: re.Pattern, via: str, override: str | None = None) -> Iterator[FixedPort]:
    for m in pattern.finditer(f.text[:200_000]):
        line = f.line_of(m.start(1))
        yield FixedPort(f, line, f.line_text(line), m.group(1), via, override)


_KESTREL_URL = re.compile(r"\"Url\"\s*:\s*\"[^\"\n]*:(\d{2,5})")


def _kestrel(f: File) -> Iterator[FixedPort]:
    """Kestrel endpoints fixed in appsettings.json override ASPNETCORE_URLS and ASPNETCORE_HTTP_PORTS."""
    if '"Kestrel"' not in f.text:
        return
    yield from _matches(f, _KESTREL_URL, "Kestrel:Endpoints", "Kestrel__Endpoints__<name>__Url")


def _npm_start(f: File) -> Iterator[FixedPort]:
    try:
        scripts = json.loads(f.text).get("scripts") or {}
    except (ValueError, AttributeError):
        return
    for key in ("start", "serve", "prod", "start:prod"):
        command = scripts.get(key) if isinstance(scripts, dict) else None
        m = _NPM_START_PORT.search(command) if isinstance(command, str) else None
        if m:
            line = next((i for i, text in enumerate(f.lines, 1) if f'"{key}"' in text), None) or 1
            yield FixedPort(f, line, f.line_text(line), m.group(1), f"npm {key}")


# Go: the address passed to ListenAndServe is a constant of another package (`constants.DefaultHttpListenAddr`).
_GO_LISTEN_QUALIFIED = re.compile(r"\b(?:ListenAndServe(?:TLS)?|Listen)\(\s*(?:\"tcp\"\s*,\s*)?([a-z]\w*)\.([A-Z]\w*)\s*[,)]")
_GO_CONST_ADDR = r"^[ \t]*(?:const\s+)?{name}\s*(?:string\s*)?=\s*\"[^\"\n]*:(\d{{2,5}})\""


def go_constants(ctx: Context) -> Iterator[FixedPort]:
    """A listen address that is a constant of another package, fixed with no flag or environment override."""
    sources = [f for f in ctx.source("go") if f.role is None]
    for hit in ctx.grep(_GO_LISTEN_QUALIFIED, sources, where="code", limit=20):
        package, name = hit.match.group(1), hit.match.group(2)
        assign = re.compile(_GO_CONST_ADDR.format(name=re.escape(name)), re.M)
        for f in sources:
            if f.dir.rsplit("/", 1)[-1] != package or name not in f.text:
                continue
            m = assign.search(f.text)
            if m and ctx.mask(f).kind_at(m.start(1)) != "code" and not _overridden(ctx, sources, package, name):
                line = f.line_of(m.start())
                yield FixedPort(f, line, f.line_text(line), m.group(1), f"{package}.{name}")
                break


def _overridden(ctx: Context, sources: list[File], package: str, name: str) -> bool:
    """The constant is only a default: a flag or a configuration field is assigned from it."""
    default_of = re.compile(r"\b(?:String|StringVar|StringVarP|StringP)\([^\n]*\b" + re.escape(f"{package}.{name}") + r"\b")
    return any(default_of.search(f.text) for f in sources if name in f.text)
