"""Logging configuration files that send logs to a file, in every stack's format, and the framework
defaults that write a file unless the deployment says otherwise.

XML (logback, log4j2, NLog, log4net), properties (Spring, log4j, java.util.logging), YAML (log4rs,
Python dictConfig, Symfony's monolog.yaml per environment), INI (Python fileConfig, alembic.ini,
php.ini), JSON (Serilog in appsettings.json, log4js, zap). Files for development or tests only
(appsettings.Development.json, application-dev.yml, logback-test.xml, monolog under when@dev) are
not production's configuration and are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..context import Context
from ..tree import File
from .yamlfiles import load_all

_CONFIG_NAMES = re.compile(
    r"(?:^|/)(?:logback[\w\-]*\.xml|log4j2?[\w\-]*\.(?:xml|properties|ya?ml|json)|application[\w\-]*\.(?:properties|ya?ml)|"
    r"nlog\.config|nlog\.xml|log4net\.config|web\.config|app\.config|appsettings(?:\.\w+)?\.json|"
    r"logging[\w\-]*\.(?:ini|conf|cfg|ya?ml|json|properties)|log_?conf(?:ig)?[\w\-.]*\.(?:ini|ya?ml|json)|alembic\.ini|"
    r"log4rs[\w\-]*\.ya?ml|log4js[\w\-]*\.json|php[\w\-]*\.ini|zap[\w\-]*\.(?:json|ya?ml))$",
    re.I,
)
_DEV_ONLY = re.compile(r"(?i)(?:[.\-_](?:dev|development|local|test|testing)(?:[.\-_]|$))")
# One pattern for every format: each alternative needs its own distinctive literal.
FILE_SINK = re.compile(
    r"<appender[^>]+class=\"[^\"]*(?:File|Rolling)[^\"]*Appender\"|<RollingFile\b|<RollingRandomAccessFile\b|<File\s+name=|"
    r"<target\s[^>]*xsi:type=\"File\"|<appender[^>]+type=\"log4net\.Appender\.\w*FileAppender|"
    r"^[ \t]*logging\.file\.(?:name|path)[ \t]*[=:]|^[ \t]*appender\.\w+\.type[ \t]*=[ \t]*(?:Rolling)?File\b|"
    r"^[ \t]*log4j\.appender\.\w+[ \t]*=[ \t]*org\.apache\.log4j\.\w*FileAppender|"
    r"^[ \t]*handlers[ \t]*=[^\n]*java\.util\.logging\.FileHandler|"
    r"^[ \t]*['\"]?class['\"]?[ \t]*[=:][ \t]*['\"]?(?:logging\.)?(?:handlers\.)?\w*FileHandler\b|"
    r"^[ \t]*kind:[ \t]*['\"]?(?:rolling_)?file['\"]?[ \t]*$|"
    r"\"Name\"\s*:\s*\"(?:File|RollingFile)\"|\"type\"\s*:\s*\"(?:file|dateFile|fileSync|multiFile)\"|"
    r"\"outputPaths\"\s*:\s*\[[^\]\n]*\.log\"|^[ \t]*error_log[ \t]*=[ \t]*['\"]?/|"
    r"^[ \t]*(?:file|path|name|fileName|filename)[ \t]*:[ \t]*['\"]?\S+\.log\b",
    re.M,
)
_XML_APPENDER_NAME = re.compile(r"<(?:appender|RollingFile|RollingRandomAccessFile|File)\b[^>]*\bname=\"([^\"]+)\"")
_XML_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _attached(f: File, declaration: str) -> bool:
    """An XML appender (logback, log4j, log4net) is used when an appender-ref (outside comments) names it."""
    m = _XML_APPENDER_NAME.search(declaration)
    if not m or not f.name.lower().endswith((".xml", ".config")):
        return True
    text = _XML_COMMENT.sub("", f.text[:300_000])
    ref = re.compile(r"<(?:appender-ref|AppenderRef)\b[^>]*\bref=\"" + re.escape(m.group(1)) + "\"", re.I)
    return bool(ref.search(text)) or "<appender-ref" not in text.lower() and "<appenderref" not in text.lower()


_JSON_KEY = re.compile(r"\"([\w.\-]+)\"\s*:\s*\{[^{}]*$")


def _dict_handler_used(f: File, offset: int) -> bool:
    """A handler of a JSON logging dictConfig (`"file": {"class": "…FileHandler"}`) is used when its name
    appears again (in a logger's or the root's handlers)."""
    if f.ext != ".json" or "\"handlers\"" not in f.text:
        return True
    m = _JSON_KEY.search(f.text[max(0, offset - 400) : offset])
    return m is None or f.text.count(f'"{m.group(1)}"') > 1


# .NET logging configuration is applied only by code: Serilog's appsettings section by
# `ReadFrom.Configuration(…)`, an NLog file by NLog's set-up (`UseNLog`, `LogManager…`), a log4net
# file by its configurator. A section left behind after the bootstrap code was removed writes nothing.
_SERILOG_SECTION_SINK = re.compile(r"\"Name\"\s*:\s*\"(?:File|RollingFile)\"")
_DOTNET_LOADERS = {
    "serilog": re.compile(r"\bReadFrom\s*\.\s*Configuration\s*\("),
    "nlog": re.compile(r"\bUseNLog\s*\(|\bAddNLog\w*\s*\(|\bNLog\.|\bLogManager\s*\.\s*(?:Setup|LoadConfiguration|Configuration|GetCurrentClassLogger|GetLogger)\b"),
    "log4net": re.compile(r"\bXmlConfigurator\b|\blog4net\.Config\b|\bAddLog4Net\s*\("),
}


def _dotnet_config_loaded(ctx: Context, hit) -> bool:
    name = hit.file.name.lower()
    if name.startswith("appsettings") and _SERILOG_SECTION_SINK.search(hit.text):
        library = "serilog"
    elif name.startswith("nlog"):
        library = "nlog"
    elif name.startswith("log4net") or "log4net.Appender" in hit.text:
        library = "log4net"
    else:
        return True
    sources = [f for f in ctx.source("dotnet") if f.role is None and f.ext in (".cs", ".fs", ".vb")]
    if not sources:
        return True  # no code to tell: the configuration is taken as used
    return ctx.first(_DOTNET_LOADERS[library], sources, where="code") is not None


_PHP_INI_ERROR_LOG = re.compile(r"^[ \t]*error_log[ \t]*=[ \t]*['\"]?/", re.M)


@dataclass(frozen=True)
class FileSink:
    file: File
    line: int
    snippet: str


def config_sinks(ctx: Context) -> Iterator[FileSink]:
    """File appenders, handlers, targets and sinks declared in logging configuration files."""
    configs = [f for f in ctx.files if _CONFIG_NAMES.search(f.path) and not _DEV_ONLY.search(f.name)]
    for hit in ctx.grep(FILE_SINK, configs, where="any"):
        if hit.file.name.lower().startswith("php") and not _PHP_INI_ERROR_LOG.match(hit.text):
            continue  # in php.ini only error_log names a file
        if not _attached(hit.file, hit.text) or not _dict_handler_used(hit.file, hit.match.start()):
            continue  # a logback/log4j appender (a dictConfig handler) that no logger refers to writes nothing
        if not _dotnet_config_loaded(ctx, hit):
            continue  # a Serilog section (an NLog/log4net file) that no code of the app loads writes nothing
        yield FileSink(hit.file, hit.line, hit.text)
    yield from _symfony_monolog(ctx)


_MONOLOG_FILE_TYPES = {"stream", "rotating_file"}
_STREAMS = ("php://stderr", "php://stdout", "php://output")


def _symfony_monolog(ctx: Context) -> Iterator[FileSink]:
    """Symfony's monolog.yaml: handlers of every environment and of `when@prod`, not `when@dev`/`when@test`
    (nor config/packages/dev/…); a stream or rotating_file handler whose path is not php://stderr."""
    for f in ctx.files:
        if f.name not in ("monolog.yaml", "monolog.yml") or f.role is not None:
            continue
        if re.search(r"/packages/(?:dev|test)/", f.path):
            continue
        for doc in load_all(f):
            if not isinstance(doc, dict):
                continue
            sections = [doc.get("monolog")] + [
                (v or {}).get("monolog") for k, v in doc.items() if k == "when@prod" and isinstance(v, dict)
            ]
            for monolog in sections:
                handlers = (monolog or {}).get("handlers") if isinstance(monolog, dict) else None
                for name, spec in (handlers or {}).items() if isinstance(handlers, dict) else ():
                    if isinstance(spec, dict) and spec.get("type") in _MONOLOG_FILE_TYPES:
                        path = str(spec.get("path", "%kernel.logs_dir%/%kernel.environment%.log"))
                        if not path.startswith(_STREAMS):
                            line = next((i for i, t in enumerate(f.lines, 1) if f"{name}:" in t), 1)
                            yield FileSink(f, line, f.line_text(line))


# Rails 5-7.0's production.rb logs to STDOUT only when RAILS_LOG_TO_STDOUT is set; otherwise the
# framework writes log/production.log.
_RAILS_STDOUT_GATE = re.compile(r"if\s+ENV\[\s*['\"]RAILS_LOG_TO_STDOUT['\"]\s*\]\.present\?")
_RAILS_STDOUT_SET = re.compile(r"\bRAILS_LOG_TO_STDOUT\b")
_DEPLOY_NAMES = re.compile(
    r"(?i)^(?:dockerfile[\w.\-]*|[\w.\-]*\.dockerfile|(?:docker-)?compose[\w.\-]*\.ya?ml|app\.json|"
    r"procfile|fly\.toml|render\.ya?ml|deploy\.ya?ml|heroku\.yml|[\w.\-]*\.env)$"
)


def rails_default_file(ctx: Context) -> FileSink | None:
    """production.rb that logs to a file unless RAILS_LOG_TO_STDOUT is set, which no deploy file sets."""
    for f in ctx.files:
        if f.path.endswith("config/environments/production.rb") and f.role is None:
            m = _RAILS_STDOUT_GATE.search(f.text)
            if not m:
                return None
            deploy = [
                d for d in ctx.files if _DEPLOY_NAMES.match(d.name) and d.role is None or d.path.startswith("k8s/")
            ]
            if any(_RAILS_STDOUT_SET.search(d.text) for d in deploy):
                return None
            if any(d.name.lower() in ("procfile", "app.json", "heroku.yml") for d in deploy):
                return None  # Heroku's Ruby buildpack sets RAILS_LOG_TO_STDOUT itself
            line = f.line_of(m.start())
            return FileSink(f, line, f.line_text(line))
    return None
