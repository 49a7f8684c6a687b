"""XI. Logs — treat logs as event streams: write to stdout, let the environment route them."""

from __future__ import annotations

import itertools
import re

from ..context import Context, found
from ..facts import logconfig
from ..facts.browser import is_browser_script
from ..facts.configfiles import config_files
from ..facts.dockerfile import dockerfiles
from ..facts.manifests import all_dependencies
from ..model import Severity
from ..registry import check
from ..tree import File

FACTOR = 11

_FILE_LOGGING = {
    "python": re.compile(
        r"\b(?:logging\.(?:handlers\.)?)?(?:Rotating|TimedRotating|Watched)?FileHandler\s*\(|"
        r"basicConfig\s*\([^)]*\bfilename\s*=|['\"]class['\"]\s*:\s*['\"]logging\.(?:handlers\.)?\w*FileHandler['\"]|"
        r"\blogger\.add\(\s*f?['\"][^'\"\n]*\.log['\"]|\blogger\.add\([^)\n]*\brotation\s*=|"  # loguru
        r"\b(?:Logger|Log|Handler)Type\.(?:FILE|ROTATING_FILE)\b"
    ),
    "javascript": re.compile(
        r"transports\.(?:File|DailyRotateFile)\s*\(|new\s+DailyRotateFile\s*\(|pino\.destination\s*\(\s*['\"`][^'\"`]+\.log|"
        r"bunyan[\s\S]{0,200}?path\s*:\s*['\"`][^'\"`]+\.log|createWriteStream\s*\([^;\n]{0,200}?\.log['\"`]|"
        r"target\s*:\s*['\"]pino/file['\"][^}\n]{0,200}?destination\s*:\s*['\"`]|\brfs\.createStream\s*\(|"
        r"\btype\s*:\s*['\"](?:file|dateFile|fileSync)['\"][^}\n]{0,100}?\bfilename\s*:|"  # log4js appenders
        r"\b(?:Logger|Log|Handler)Type\.(?:FILE|ROTATING_FILE)\b"
    ),
    # the file name may be built: os.OpenFile(dir+name+".log", …)
    "go": re.compile(
        r"os\.(?:OpenFile|Create)\s*\([^,)\n]{0,160}?\.log[\"`]|lumberjack\.Logger\s*\{|"
        r"\bOutputPaths\s*:\s*\[\]string\{[^}\n]*\.log\""
    ),
    "ruby": re.compile(
        r"Logger\.new\s*\(?\s*['\"][^'\"]*\.log['\"]|Logger\.new\s*\(?\s*Rails\.root\.join\(\s*['\"]log|"
        r"Logger\.new\s*\(?\s*File\.(?:open|new)\("
    ),
    "java": re.compile(r"new\s+FileHandler\s*\(|FileAppender|RollingFileAppender|\b(?:Logger|Log|Handler)Type\.(?:FILE|ROTATING_FILE)\b"),
    "php": re.compile(
        r"new\s+StreamHandler\s*\(\s*(?:['\"][^'\"]+\.log|storage_path\(|__DIR__|\$this->getLogDir\()|"
        r"new\s+(?:\\?Monolog\\Handler\\)?RotatingFileHandler\s*\(|error_log\s*\([^)]*,\s*3\s*,|"
        # a logger factory's file type chosen by a library constant or enum (shlink-common's LoggerType::FILE)
        r"\b(?:Logger|Log|Handler)Type::(?:FILE|ROTATING_FILE)\b"
    ),
    "rust": re.compile(
        r"tracing_appender::rolling|log4rs::append::(?:file|rolling_file)|FileAppender::builder|\bfern::log_file\s*\(|"
        r"\.log_to_file\s*\(|WriteLogger::new\([^;]{0,200}?File::create"
    ),
    "dotnet": re.compile(
        r"\.WriteTo\.File\s*\(|<target\s[^>]*xsi:type=\"File\"|\.AddFile\s*\(|\bRollingFileAppender\b|"
        r"\b(?:Logger|Log|Handler)Type\.(?:File|RollingFile)\b"
    ),
}
# Laravel's config/logging.php: the channel is read from the environment with a default; a file
# channel (single, daily, or a stack of them, as the skeleton ships) logs to storage/logs by default.
# also through a helper that supplies the default: env_default_when_empty(env('LOG_CHANNEL'), 'stack')
_LARAVEL_DEFAULT = re.compile(
    r"['\"]default['\"]\s*=>\s*(?:env\(\s*['\"]LOG_CHANNEL['\"]\s*,|\w+\(\s*env\(\s*['\"]LOG_CHANNEL['\"]\s*\)\s*,)"
    r"\s*['\"](\w+)['\"]\s*\)?"
)
# the stack's channels: a list, or explode(',', env('LOG_STACK', 'single')) as in Laravel 11
_LARAVEL_STACK = re.compile(r"['\"]stack['\"]\s*=>\s*\[[^\]]*?['\"]channels['\"]\s*=>\s*([^\n]*)")
_LARAVEL_FILE_CHANNELS = {"single", "daily"}
_LOG_ENV = re.compile(r"\b(LOG_CHANNEL|LOG_STACK)['\"]?\s*[=:]\s*['\"]?([\w,]+)")
_VAR_LOG = re.compile(r"['\"`](/var/log/[^'\"`\s]+)['\"`]")
_STDOUT = {
    "python": re.compile(
        r"StreamHandler\s*\(|sys\.stdout|structlog|python-json-logger|JsonFormatter|logging\.basicConfig\((?![^)]*filename)"
    ),
    # fastify({ logger: true }) logs JSON lines to stdout with pino
    "javascript": re.compile(r"transports\.Console|pino\(|console\.(?:log|info)\(|\blogger: true\b"),
    # the standard library's log and slog write to stderr unless given another writer
    "go": re.compile(
        r"os\.Stdout|os\.Stderr|slog\.New|zap\.NewProduction|zerolog\.New|"
        r"\blog\.(?:Print|Printf|Println|Fatal|Fatalf)\(|\bslog\.(?:Info|Warn|Error)\(|"
        r"\b(?:logrus|klog)\.(?:Info|Warn|Error|Debug)f?\("  # logrus and klog write to stderr by default
    ),
    "ruby": re.compile(r"Logger\.new\(\s*(?:\$stdout|STDOUT)|RAILS_LOG_TO_STDOUT|\.logger\(\s*(?:\$stdout|STDOUT)\s*\)"),
    # Spring Boot, Quarkus, Micronaut and the .NET hosts log to the console unless told otherwise (a file setting is a violation)
    "java": re.compile(
        r"ConsoleAppender|LogstashEncoder|JsonLayout|@SpringBootApplication\b|@QuarkusMain\b|\bQuarkus\.run\(|\bMicronaut\.run\("
    ),
    "php": re.compile(r"php://stdout|php://stderr|LOG_CHANNEL=stderr"),
    "rust": re.compile(r"tracing_subscriber::fmt|env_logger::|std::io::stdout|\bfmt::layer\(\)"),
    "dotnet": re.compile(
        r"AddConsole\(|WriteTo\.Console\(|AddJsonConsole\(|\bWebApplication\.CreateBuilder\(|"
        r"\.CreateDefaultBuilder\s*\("
    ),
}
# Python's logging (its last-resort handler) and the Python app servers write to stderr unless configured.
_PY_STDERR_SERVERS = {"gunicorn", "uvicorn", "hypercorn", "daphne", "granian", "waitress"}
# A deployment that selects the stream: Laravel's LOG_CHANNEL=stderr, Rails' RAILS_LOG_TO_STDOUT.
_DEPLOY_STREAM_ENV = re.compile(r"\bLOG_CHANNEL['\"]?\s*[=:]\s*['\"]?(?:stderr|errorlog)\b|\bRAILS_LOG_TO_STDOUT['\"]?\s*[=:]")
# Evidence written as configuration inside strings: a dictConfig handler class, Laravel's default channel
_STDOUT_IN_STRINGS = {
    "python": re.compile(r"['\"]logging\.StreamHandler['\"]"),
    "php": re.compile(r"\benv\(\s*['\"]LOG_CHANNEL['\"]\s*,\s*['\"](?:stderr|errorlog|syslog)['\"]"),
}
_DEPLOY_FILE = re.compile(r"(?i)^(?:(?:docker-)?compose[\w.\-]*\.ya?ml|app\.json|fly\.toml|render\.ya?ml|[\w.\-]*\.ya?ml)$")
_UNBUFFERED = re.compile(r"PYTHONUNBUFFERED\s*[=\s]\s*['\"]?1|python3?\s+-u\b")


@check(
    "logs.file-handler",
    factor=FACTOR,
    title="The app writes its logs to files",
    remediation="Log to stdout/stderr (a StreamHandler, a console transport) and let the platform route and keep logs.",
)
def file_handler(ctx: Context):
    """The app opens, routes or rotates log files.

    A twelve-factor app never concerns itself with routing or storing its output stream: a log file
    lives on one machine's disk, is lost with the container, and fills the disk. Look for file
    handlers and appenders in code (logging.FileHandler, winston transports.File, log4j/logback file
    appenders, Logger.new('log/…'), os.OpenFile("…log")) and in logging configuration files; hand-rolled
    loggers that append lines to a log file (PHP file_put_contents … FILE_APPEND, fs.appendFile,
    open(…, "a")); Puma's stdout_redirect unless only an environment switch turns it on (low); a
    supervisord program whose output goes to a file in an image; a named Laravel file channel the
    app logs to (medium). An XML appender no appender-ref uses writes nothing and is skipped; a Rust
    file sink opened only when a setting names the file is low; a desktop app's (Tauri) files are
    not the server's. A logger factory's file type chosen by a constant or enum (`LoggerType::FILE`)
    counts; .NET logging configuration (a Serilog appsettings section, nlog.config, log4net.config)
    counts only when the app's code loads it (`ReadFrom.Configuration`, `UseNLog`, `XmlConfigurator`).
    """
    for language, pattern in _FILE_LOGGING.items():
        for hit in ctx.grep(pattern, [f for f in ctx.source(language) if not _desktop_app(ctx, f)], where=("code", "string")):
            if _opt_in(hit):
                yield hit.found(Severity.LOW, "Logs can be written to a file, but only when a setting asks for one; "
                                "by default they go to the output stream.")
            else:
                yield hit.found(Severity.HIGH, "Logs are written to a file instead of the output stream.")
    for language, pattern in _HAND_ROLLED.items():
        for hit in ctx.grep(pattern, [f for f in ctx.source(language) if f.role is None], where="code"):
            window = hit.file.text[hit.match.start() : hit.match.end() + 300].split(";", 1)[0]
            if language != "php":  # the call's own line: a logger on the next line says nothing of this file
                window = window.split("\n", 1)[0]
            if _LOGGISH.search(window) or _LOGGISH.search(hit.file.name):
                yield hit.found(Severity.HIGH, "The app appends its log lines to a file it manages itself.")
    yield from _puma_redirect(ctx)
    yield from _supervisor_logfiles(ctx)
    for sink in logconfig.config_sinks(ctx):
        yield found(Severity.HIGH, "Logging configuration sends logs to a file.", sink.file.path, sink.line, sink.snippet)
    rails = logconfig.rails_default_file(ctx)
    if rails:
        yield found(Severity.HIGH, "Rails writes log/production.log unless RAILS_LOG_TO_STDOUT is set, and no deploy file "
                    "sets it.", rails.file.path, rails.line, rails.snippet)
    for f in ctx.files:
        if f.role is None and f.path.endswith("config/logging.php"):
            yield from _laravel_default_channel(ctx, f)
            yield from _laravel_named_channels(ctx, f)


# Hand-rolled loggers: a log line appended to a file (PHP file_put_contents … FILE_APPEND, fs.appendFile,
# open(…, "a")) where the file or the text is a log.
_HAND_ROLLED = {
    "php": re.compile(r"\bfile_put_contents\s*\([^;]{0,300}?\bFILE_APPEND\b|\berror_log\s*\([^;]{0,200},\s*3\s*,"),
    "javascript": re.compile(r"\bfs(?:\.promises)?\.appendFile(?:Sync)?\s*\(|(?<![\w.])appendFileSync\s*\("),
    "python": re.compile(r"\bopen\s*\([^()\n]{0,200}?,\s*['\"]a\+?['\"]"),
    "ruby": re.compile(r"\bFile\.(?:open|write)\s*\(?[^\n]{0,200}?,\s*['\"]a\+?['\"]|\bFile\.write\([^\n]{0,200}mode:\s*['\"]a"),
}
_LOGGISH = re.compile(r"(?i)\.log\b|\blog(?:_?file|_?path|_?name)?\b|\$log\b|\blogs?/|\w*logger\w*")


def _opt_in(hit) -> bool:
    """A Rust file sink opened only when a setting names the file (`if let Some(log_file) = CONFIG.log_file()`)."""
    if hit.file.language != "rust":
        return False
    above = "\n".join(hit.file.line_text(n) for n in range(max(1, hit.line - 8), hit.line + 1))
    return bool(re.search(r"\bif\s+let\s+Some\s*\(\s*\w*log\w*\s*\)\s*=", above))


def _desktop_app(ctx: Context, f: File) -> bool:
    """A desktop app's own files (a Tauri or Electron shell) log to the user's disk, not a server's stream."""
    return "src-tauri/" in f.path or "/electron/" in f.path


_PUMA_REDIRECT = re.compile(r"^[ \t]*stdout_redirect\b", re.M)
_OPT_IN_GUARD = re.compile(r"\bif\s+ENV(?:\[|\.fetch)[^\n]*?(?<!blank\?)$|\bunless\s+ENV[^\n]*\.(?:blank|nil|empty)\?")


def _puma_redirect(ctx: Context):
    """Puma's stdout_redirect sends the server's (and the app's) output to files; by default unless an
    environment switch turns it on."""
    for f in ctx.source("ruby"):
        if f.role is None and (f.name == "puma.rb" or "/puma/" in f.path):
            for hit in ctx.grep(_PUMA_REDIRECT, [f], where="code"):
                guard = next((f.line_text(n) for n in range(hit.line - 1, max(0, hit.line - 4), -1)
                              if re.match(r"\s*(?:if|unless)\b", f.line_text(n))), "")
                guard = guard or (hit.text if re.search(r"\b(?:if|unless)\b", hit.text) else "")
                if guard and _OPT_IN_GUARD.search(guard.rstrip()):
                    yield hit.found(Severity.LOW, "Puma redirects its output to log files when an environment switch asks for it.")
                else:
                    yield hit.found(Severity.HIGH, "Puma redirects the server's output to log files (stdout_redirect) by default.")


_SUPERVISOR_LOGFILE = re.compile(r"^[ \t]*(?:stdout|stderr)_logfile[ \t]*=[ \t]*(\S+)", re.M)
_STREAM_PATHS = re.compile(r"^(?:/dev/(?:stdout|stderr|fd/[12])|/proc/(?:self|1)/fd/[12]|NONE)$", re.I)


def _supervisor_logfiles(ctx: Context):
    """supervisord programs whose output goes to a file (`stdout_logfile=app.log`, or AUTO, the default)
    instead of the container's stream. Only programs in a supervisord configuration an image runs."""
    if not ctx.fact(dockerfiles):
        return
    for f in ctx.fact(config_files):
        if f.role is not None or "[program:" not in f.text:
            continue
        for m in _SUPERVISOR_LOGFILE.finditer(f.text[:200_000]):
            if not _STREAM_PATHS.match(m.group(1).strip("'\"")):
                line = f.line_of(m.start())
                yield found(Severity.HIGH, "supervisord writes a program's output to a log file in the container instead of "
                            "the output stream.", f.path, line, f.line_text(line))


_LARAVEL_LOG_CHANNEL_USE = re.compile(r"\bLog::channel\(\s*['\"](\w+)['\"]\s*\)|\blogger\(\)->channel\(\s*['\"](\w+)['\"]")


def _laravel_named_channels(ctx: Context, f: File):
    """A named file channel (`'import' => ['driver' => 'single', …]`) that the app logs to with
    Log::channel('import'): that output goes to a file whatever LOG_CHANNEL says."""
    used = {}
    for hit in ctx.grep(_LARAVEL_LOG_CHANNEL_USE, [p for p in ctx.source("php") if p.role is None], where="code"):
        used.setdefault(hit.match.group(1) or hit.match.group(2), hit)
    for name in sorted(used):
        driver, line = _laravel_channel(f, name)
        if driver == "stack":  # Log::channel('audit') where 'audit' stacks audit_daily and audit_stdout
            members = _stack_channels(f, name)
            member = next((c for c in members if _laravel_channel(f, c)[0] in _LARAVEL_FILE_CHANNELS), None)
            if member and re.search(r"['\"]" + re.escape(member) + r"['\"]\s*=>\s*\[", f.text):
                driver, line = _laravel_channel(f, member)
                name = f"{name} -> {member}"
        if driver in _LARAVEL_FILE_CHANNELS and re.search(r"['\"]" + re.escape(name.split(" ")[-1]) + r"['\"]\s*=>\s*\[", f.text):
            yield found(Severity.MEDIUM, f"The app logs to the '{name}' channel, a {driver} file under storage/logs, "
                        "whatever LOG_CHANNEL says.", f.path, line, f.line_text(line))


def _stack_channels(f: File, name: str) -> list[str]:
    """The channels a stack channel lists: a literal list, or a variable set earlier in the file."""
    m = re.search(r"['\"]" + re.escape(name) + r"['\"]\s*=>\s*\[[^\]]*?['\"]channels['\"]\s*=>\s*([^\n]*)", f.text)
    return _listed_channels(f, m.group(1)) if m else []


def _listed_channels(f: File, listed: str) -> list[str]:
    """Channel names of a stack's `'channels' =>` value; `$defaultChannels` resolves to its first assignment."""
    var = re.match(r"\s*(\$\w+)", listed)
    if var:
        m = re.search(re.escape(var.group(1)) + r"\s*=\s*\[([^\]]*)\]", f.text)
        listed = m.group(1) if m else ""
    return re.findall(r"['\"](\w+)['\"]", listed)


def _laravel_default_channel(ctx: Context, f: File):
    """Laravel's default channel, resolved as the app runs it: LOG_CHANNEL (the deploy files' value, else
    .env.example's, else the default in config/logging.php), through a stack's LOG_STACK, to each
    channel's driver. A `single` or `daily` driver writes storage/logs/laravel.log: the framework
    default writes a file unless the deployment says otherwise."""
    m = _LARAVEL_DEFAULT.search(f.text)
    if not m:
        return
    env = _laravel_env(ctx)
    channel = env.get("LOG_CHANNEL", m.group(1))
    names = {channel}
    if channel == "stack":
        stack = _LARAVEL_STACK.search(f.text)
        listed = stack.group(1) if stack else ""
        default_stack = re.search(r"env\(\s*['\"]LOG_STACK['\"]\s*,\s*['\"]([\w,]+)['\"]", listed)
        if default_stack:
            names = set(env.get("LOG_STACK", default_stack.group(1)).split(","))
        else:
            names = set(_listed_channels(f, listed))
    for name in sorted(names):
        driver, line = _laravel_channel(f, name.strip())
        if driver in _LARAVEL_FILE_CHANNELS:
            yield found(
                Severity.HIGH,
                f"Laravel's default log channel ({channel}"
                f"{' -> ' + name if name != channel else ''}) writes a file under storage/logs; set "
                "LOG_CHANNEL=stderr in the deployment.",
                f.path,
                line,
                f.line_text(line),
            )
            return


def _laravel_channel(f: File, name: str) -> tuple[str | None, int]:
    """The driver of a channel defined in config/logging.php, and the line of its path (or name)."""
    m = re.search(r"['\"]" + re.escape(name) + r"['\"]\s*=>\s*\[", f.text)
    if not m:
        return (name if name in _LARAVEL_FILE_CHANNELS else None), f.line_of(0)
    block = f.text[m.end() : m.end() + 800].split("]", 1)[0]
    driver = re.search(r"['\"]driver['\"]\s*=>\s*['\"](\w+)['\"]", block)
    path = re.search(r"['\"]path['\"]\s*=>", block)
    if re.search(r"['\"]path['\"]\s*=>\s*['\"]php://(?:stdout|stderr)", block):
        return "stream", f.line_of(m.start())  # a `single` channel whose path is the output stream
    line = f.line_of(m.end() + path.start()) if path else f.line_of(m.start())
    return (driver.group(1) if driver else None), line


def _laravel_env(ctx: Context) -> dict[str, str]:
    """LOG_CHANNEL and LOG_STACK as the deployment sets them (Dockerfile ENV, compose, app.json), else as
    the committed .env.example documents them."""
    out: dict[str, str] = {}
    for f in ctx.files:
        if f.name in (".env.example", ".env.dist", ".env.sample"):
            out.update(dict(_LOG_ENV.findall(f.text)))
    for f in ctx.files:
        if f.role is None and (
            f.name.lower().startswith(("dockerfile", "docker-compose", "compose")) or f.name == "app.json"
        ):
            out.update(dict(_LOG_ENV.findall(f.text)))
    return out


@check(
    "logs.var-log-path",
    factor=FACTOR,
    title="The app writes under /var/log",
    remediation="Write events to stdout; do not create files under /var/log from the app.",
)
def var_log_path(ctx: Context):
    """Paths under /var/log written by the app.

    An app that names /var/log files in its code manages its own log storage; the platform should.
    """
    for hit in ctx.grep(_VAR_LOG, ctx.source(), where="string"):
        if hit.file.language == "shell":
            continue
        yield hit.found(Severity.MEDIUM, f"The app refers to a log path {hit.match.group(1)}.")


@check(
    "logs.logrotate-config",
    factor=FACTOR,
    title="A logrotate configuration ships in the repository",
    remediation="Remove logrotate configuration; with logs on stdout there is nothing to rotate.",
)
def logrotate_config(ctx: Context):
    """A logrotate configuration shipped in the repository means the app keeps log files."""
    for f in ctx.files:
        if "logrotate" in f.path.lower() and f.role is None:
            yield found(Severity.MEDIUM, "A logrotate configuration is shipped with the app.", f.path)


@check(
    "logs.stdout-evidence",
    factor=FACTOR,
    title="Logs go to stdout, structured, unbuffered",
    remediation="Log to stdout; prefer structured (JSON) lines; set PYTHONUNBUFFERED=1 for Python in containers.",
)
def stdout_evidence(ctx: Context):
    """Positive evidence: logging to stdout/stderr, structured logging, unbuffered Python output."""
    for language, pattern in _STDOUT.items():
        sources = [f for f in ctx.source(language) if f.role is None]
        hits = ctx.grep(pattern, sources, where="code")
        if language in _STDOUT_IN_STRINGS:
            hits = itertools.chain(hits, ctx.grep(_STDOUT_IN_STRINGS[language], sources, where=("code", "string")))
        # console.log in a page's script is the browser's console, not the server's
        hit = next((h for h in hits if not is_browser_script(ctx, h.file)), None)
        if hit:
            yield hit.found(Severity.INFO, "Logs are written to the output stream.")
            break
    else:
        servers = sorted(all_dependencies(ctx) & _PY_STDERR_SERVERS)
        python = [f for f in ctx.source("python") if f.role is None]
        if servers and not ctx.first(_FILE_LOGGING["python"], python, where=("code", "string")):
            yield found(Severity.INFO, f"Python's logging and the app server ({servers[0]}) write to stderr unless configured "
                        "otherwise, and nothing sends them to a file.")
    deploy = [f for f in ctx.fact(config_files) if f.role is None and _DEPLOY_FILE.match(f.name)]
    deploy += [df.file for df in ctx.fact(dockerfiles)]
    hit = ctx.first(_DEPLOY_STREAM_ENV, deploy, where="any")
    if hit:
        yield hit.found(Severity.INFO, "The deployment sends the framework's logs to the output stream.")
    for df in ctx.fact(dockerfiles):
        for ins in df.all("ENV", "CMD", "ENTRYPOINT"):
            if _UNBUFFERED.search(ins.value):
                yield found(
                    Severity.INFO,
                    "Python output is unbuffered in the container, so log lines are not held back.",
                    df.file.path,
                    ins.line,
                    f"{ins.instruction} {ins.value}",
                )
