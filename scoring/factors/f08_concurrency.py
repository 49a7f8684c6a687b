"""VIII. Concurrency — scale out via the process model: declared process types, never self-daemonizing."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from ..context import Context, Raw, found
from ..facts.browser import is_browser_script
from ..facts.configfiles import config_files
from ..facts.dockerfile import dockerfiles
from ..facts.launch import RUN, is_system_daemon_unit, launches
from ..facts.procfile import process_types
from ..facts.shell import start_scripts
from ..model import Severity
from ..registry import check

FACTOR = 8

# `--pidfile=` (empty) and `--pidfile /dev/null` disable the pid file: celery beat's documented container form.
_DAEMON_FLAGS = re.compile(
    r"--daemon(?:ize)?\b(?!\s*(?:=\s*)?(?:false|no|off|0)\b)|--detach\b|"
    r"--pid(?:file)?(?:=|\s+)(?!\s|$|/dev/null\b|['\"]{2})|"
    r"\bnohup\s|\bstart-stop-daemon\b[^\n]{0,300}--background|\bcelery\s+multi\s+start\b|\b(?:pm2|forever)\s+start\b|"
    r"\b(?:gunicorn|unicorn|unicorn_rails|sidekiq|rails\s+s(?:erver)?|thin\s+start)\b[^\n]{0,300}\s(?:-D|-d)\b|"
    r"\bdaemonize\s+(?:yes|true)\b"
)
_DAEMON_CONFIG = {
    "python": re.compile(r"^daemon\s*=\s*True\b|^pidfile\s*=\s*['\"]", re.M),  # gunicorn.conf.py
    "ruby": re.compile(r"^[ \t]*daemonize(?:\s+true)?\s*$", re.M),  # puma config
}
_UWSGI_DAEMON = re.compile(r"^[ \t]*(?:daemonize|pidfile)\s*=", re.M)
_SYSTEMD_FORKING = re.compile(r"^\s*Type\s*=\s*forking\b", re.M)

_SUPERVISOR_PROGRAM = re.compile(r"^\[program:([^\]\n]+)\]", re.M)
_MULTI_RUNNER = re.compile(r"\b(?:supervisord|honcho\s+start|foreman\s+start|overmind\s+start|runsvdir|s6-svscan|concurrently|npm-run-all)\b")

_THREADS = {
    "python": re.compile(
        r"\b(?:threading\.)?Thread\(\s*target\s*=|\b(?:Background|AsyncIO|Gevent|Tornado|Twisted|Qt)Scheduler\s*\(|"
        r"\bAPScheduler\s*\(|\bmultiprocessing\.Process\(\s*target\s*="
    ),
    "javascript": re.compile(r"\bsetInterval\s*\(|\bcron\.schedule\s*\(|\bnew\s+CronJob\s*\(|\bschedule\.scheduleJob\s*\(|"
                             r"@(?:Cron|Interval)\s*\("),
    "go": re.compile(r"\bcron\.New\s*\(|\bgocron\.NewScheduler\s*\("),
    "ruby": re.compile(r"\bRufus::Scheduler\.(?:new|singleton)\b|\bThread\.new\b"),
    "java": re.compile(r"@Scheduled\s*\(|\bnew\s+Thread\s*\("),
    "rust": re.compile(r"\bJobScheduler::new\s*\("),
    "dotnet": re.compile(r"\bAddHangfireServer\s*\(|\bAddQuartzHostedService\s*\("),
}
# Files that run inside the web process: request handlers or the server's start-up.
_WEB_FILE = {
    "python": re.compile(r"^[ \t]*@\w+(?:\.\w+)*\.(?:route|get|post|put|patch|delete|on_event)\(|^def\s+\w+\(\s*request\b|"
                         r"\bFlask\(__name__|\bFastAPI\(|\bcreate_app\(|\bget_wsgi_application\(", re.M),
    "javascript": re.compile(r"\.listen\(|\bcreateServer\(|\b(?:app|router)\.(?:get|post|put|delete|use)\s*\("),
    "go": re.compile(r"ListenAndServe|\.Run\(|\.Start\(\s*\""),
    "ruby": re.compile(r"ApplicationController|ActionController|Sinatra::Base|Rails\.application\.configure|Rails\.application\.config"),
    "java": re.compile(r"@(?:Rest)?Controller\b|@SpringBootApplication|@EnableScheduling"),
    "rust": re.compile(r"HttpServer::new|axum::serve|Router::new|rocket::build"),
    "dotnet": re.compile(r"WebApplication\.CreateBuilder|\bMapControllers\(|\bUseRouting\("),
}
_SCHEDULER_LOCK = re.compile(r"@SchedulerLock\b|\bShedLock\b")
# NestJS: an @Cron/@Interval provider runs in whatever process builds its module; the web process when
# the app is started with NestFactory.create and no standalone context (a scheduler process) exists.
_NEST_DECORATOR = re.compile(r"@(?:Cron|Interval)\s*\(")
_NEST_WEB = re.compile(r"\bNestFactory\.create\s*[(<]")
_NEST_STANDALONE = re.compile(r"\bNestFactory\.createApplicationContext\s*\(")
_CLOCK_TYPES = re.compile(r"^(?:clock|beat|scheduler|cron|worker|jobs?|sidekiq|queue)\b", re.I)


@check(
    "concurrency.process-types",
    factor=FACTOR,
    title="Process types are declared",
    remediation="Declare each process type (web, worker, clock) in a Procfile, compose services or separate Deployments of one image.",
)
def process_type_evidence(ctx: Context) -> Iterator[Raw]:
    """Positive evidence: process types declared (Procfile web/worker/clock, compose services or Kubernetes workloads running one image with different commands)."""
    types = ctx.fact(process_types)
    if types:
        names = ", ".join(dict.fromkeys(p.name for p in types))
        yield found(Severity.INFO, f"Process types are declared in the Procfile: {names}.", types[0].file.path, types[0].line,
                    f"{types[0].name}: {types[0].command}")
        return
    by_file: dict[str, list] = defaultdict(list)
    for launch in ctx.fact(launches):
        if launch.stage == RUN and launch.source in ("compose", "k8s", "fly.toml", "heroku.yml", "render.yaml", "systemd"):
            # Kubernetes workloads of one app are often one file each: group them by source.
            by_file[launch.file.path if launch.source == "compose" else launch.source].append(launch)
    for items in by_file.values():
        commands = {launch.command for launch in items}
        if len(commands) >= 2 or items[0].source in ("fly.toml", "heroku.yml"):
            names = ", ".join(dict.fromkeys(launch.name for launch in items))
            yield found(Severity.INFO, f"Several process types run the app with different commands: {names}.",
                        items[0].file.path, items[0].line, items[0].snippet)
            return


@check(
    "concurrency.self-daemonizing",
    factor=FACTOR,
    title="A process daemonizes itself or writes a PID file",
    remediation="Run every process in the foreground and let the process manager (the platform, systemd, Kubernetes) supervise it; drop --daemon, --detach, nohup and pid files.",
)
def self_daemonizing(ctx: Context) -> Iterator[Raw]:
    """Self-daemonizing processes or PID files: `daemon = True`, `--daemon`, `--detach`, `--pidfile`, `nohup … &`.

    Twelve-factor processes never daemonize or write PID files: the platform's process manager
    starts, watches, restarts and stops them. A daemonized server escapes it (a container exits at
    once, a crash goes unnoticed). `--pidfile=` with an empty value disables the pid file
    (celery beat's container idiom) and is fine.
    """
    message = "The process daemonizes itself or writes a PID file instead of running in the foreground."
    for launch in ctx.fact(launches):
        m = _DAEMON_FLAGS.search(launch.command)
        if m:
            yield found(Severity.HIGH, message, launch.file.path, launch.line, launch.snippet)
    for script in ctx.fact(start_scripts):
        for command in script.commands:
            if _DAEMON_FLAGS.search(command.text):
                yield found(Severity.HIGH, message, script.file.path, command.line, command.text)
    for language, pattern in _DAEMON_CONFIG.items():
        configs = [f for f in ctx.source(language) if "gunicorn" in f.name or "puma" in f.name or f.name.endswith(".conf.py")]
        for hit in ctx.grep(pattern, configs, where="code"):
            yield hit.found(Severity.HIGH, message)
    uwsgi = [f for f in ctx.fact(config_files) if "uwsgi" in f.name.lower() and f.ext in (".ini", ".cfg", ".conf")]
    for hit in ctx.grep(_UWSGI_DAEMON, uwsgi, where="any"):
        yield hit.found(Severity.HIGH, message)
    units = [f for f in ctx.files if f.ext == ".service" and not is_system_daemon_unit(f)]
    for hit in ctx.grep(_SYSTEMD_FORKING, units, where="any"):
        yield hit.found(Severity.HIGH, "The systemd unit expects the process to fork into the background (Type=forking).")


@check(
    "concurrency.in-container-supervisor",
    factor=FACTOR,
    title="Several process types run under a supervisor in one container",
    remediation="Run one process type per container (web, worker, clock as separate services or Deployments) and scale each on its own.",
)
def in_container_supervisor(ctx: Context) -> Iterator[Raw]:
    """A process supervisor (supervisord, honcho, runit, s6, uWSGI attach-daemon) running several process types in one container.

    Process types are the unit of scaling: bundling web and worker under supervisord in one image
    means they can only be scaled together, and the platform sees one process where there are many.
    """
    for launch in ctx.fact(launches):
        if launch.source == "uwsgi" and launch.name == "attach-daemon":  # inside the web process, container or not
            yield found(Severity.MEDIUM, "uWSGI runs another process type beside the web server (attach-daemon).",
                        launch.file.path, launch.line, launch.snippet)
    if not ctx.fact(dockerfiles):
        return  # supervisord or honcho on a VM is the machine's process manager
    for launch in ctx.fact(launches):
        if launch.source in ("dockerfile", "compose", "k8s") and _MULTI_RUNNER.search(launch.command):
            yield found(Severity.MEDIUM, "The container starts a supervisor that runs several processes.",
                        launch.file.path, launch.line, launch.snippet)
    for f in ctx.fact(config_files):
        programs = _SUPERVISOR_PROGRAM.findall(f.text[:200_000])
        if len(programs) >= 2:
            first = _SUPERVISOR_PROGRAM.search(f.text)
            yield found(Severity.MEDIUM, f"supervisord runs {len(programs)} programs in one container: {', '.join(programs[:4])}.",
                        f.path, f.line_of(first.start()), first.group(0))


@check(
    "concurrency.background-threads",
    factor=FACTOR,
    title="Background jobs or schedulers run inside the web process",
    remediation="Move background jobs to a worker process type (a queue consumer) and schedules to one clock process (celery beat, a cron Job).",
)
def background_threads(ctx: Context) -> Iterator[Raw]:
    """Background jobs or schedulers run as threads inside the web process.

    A thread started per request, an in-process scheduler (APScheduler BackgroundScheduler,
    setInterval/node-cron in the server, Spring @Scheduled, Hangfire server) runs in every web
    process: jobs run N times when the web scales to N, and die with a request-serving process.
    Only files that also define handlers or start the server are considered.
    """
    clock_declared = any(_CLOCK_TYPES.match(p.name) for p in ctx.fact(process_types))
    for language, pattern in _THREADS.items():
        for f in ctx.source(language):
            hits = list(ctx.grep(pattern, [f], where="code", limit=3))  # rare: look for it first
            if not hits:
                continue
            if is_browser_script(ctx, f):  # an editor's autosave timer runs in the page
                continue
            in_web = language == "ruby" and "config/initializers/" in f.path or (
                language == "javascript" and all(_NEST_DECORATOR.search(h.text) for h in hits) and ctx.fact(_nest_web))
            if not (in_web or ctx.first(_WEB_FILE[language], [f], where="code")):
                continue
            if language == "java" and _SCHEDULER_LOCK.search(f.text):
                continue
            for hit in hits:
                note = " (a clock/worker process type exists: move this job there)" if clock_declared else ""
                yield hit.found(Severity.MEDIUM, f"A background job or scheduler runs inside the web process{note}.")


def _nest_web(ctx: Context) -> bool:
    """NestJS schedules run in the web process: it is started with NestFactory.create, and no
    standalone application context (a process of its own for the schedules) exists."""
    sources = ctx.source("javascript")
    return ctx.first(_NEST_WEB, sources, where="code") is not None and ctx.first(
        _NEST_STANDALONE, sources, where="code") is None
