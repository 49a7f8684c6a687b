"""VIII. Concurrency — scale out via the process model: declared process types, never self-daemonizing."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from ..context import Context, Raw, found
from ..facts import background, timers
from ..facts.compose import services
from ..facts.configfiles import config_files
from ..facts.container import container_commands
from ..facts.dockerfile import dockerfiles
from ..facts.k8s import manifests
from ..facts.launch import RUN, is_development, is_system_daemon_unit, launches
from ..facts.procfile import process_types
from ..facts.service_images import SERVICE_IMAGES
from ..facts.shell import commands_of, start_scripts
from ..facts.yamlfiles import line_of
from ..model import Severity
from ..registry import check

FACTOR = 8

# `--pidfile=` (empty) and `--pidfile /dev/null` disable the pid file: celery beat's documented container form.
_DAEMON_FLAGS = re.compile(
    r"--daemon(?:ize)?\b(?!\s*(?:=\s*)?(?:false|no|off|0)\b)|--detach\b|"
    r"--pid(?:file)?(?:=|\s+)(?!\s|$|/dev/null\b|['\"]{2})|"
    r"\bnohup\s|\bstart-stop-daemon\b[^\n]{0,300}--background|\bcelery\s+multi\s+start\b|\b(?:pm2|forever)\s+start\b(?![^\n]*--no-daemon)|"
    r"\b(?:gunicorn|unicorn|unicorn_rails|sidekiq|rails\s+s(?:erver)?|thin\s+start)\b[^\n]{0,300}\s(?:-D|-d)\b|"
    r"\bdaemonize\s+(?:yes|true)\b"
)
_DAEMON_CONFIG = {
    "python": re.compile(r"^daemon\s*=\s*True\b|^pidfile\s*=\s*['\"]", re.M),  # gunicorn.conf.py
    "ruby": re.compile(r"^[ \t]*daemonize(?:\s+true)?\s*$", re.M),  # puma config
}
_UWSGI_DAEMON = re.compile(r"^[ \t]*(?:daemonize|pidfile)\s*=", re.M)
# Code that forks itself into the background: python-daemon, Process.daemon, go-daemon, the daemonize crate.
_DAEMON_CODE = {
    "python": re.compile(r"\bDaemonContext\s*\("),
    "ruby": re.compile(r"\bProcess\.daemon\b"),
    "go": re.compile(r"\bdaemon\.Context\s*\{"),
    "rust": re.compile(r"\bDaemonize::new\s*\("),
    "php": re.compile(r"\bposix_setsid\s*\(\s*\)"),
    "javascript": re.compile(r"\brequire\(['\"]daemon['\"]\)\("),
}
# php-fpm forks into the background unless told not to; nginx likewise (the images set both off).
_SERVER_DAEMON_CONFIG = re.compile(r"^[ \t]*daemonize\s*=\s*(?:yes|true|1)\b|^[ \t]*daemon\s+on\s*;", re.M)
_INIT_SYSTEM_SCRIPT = re.compile(r"(?:^|/)(?:init\.d|rc\.d|sysvinit|openrc|runit/sv)/")
_SYSTEMD_FORKING = re.compile(r"^\s*Type\s*=\s*forking\b", re.M)

_SUPERVISOR_PROGRAM = re.compile(r"^\[program:([^\]\n]+)\]", re.M)
_MULTI_RUNNER = re.compile(
    r"\b(?:supervisord|honcho\s+start|foreman\s+start|overmind\s+start|runsvdir|s6-svscan|concurrently|npm-run-all|circusd)\b"
)
# pm2 in cluster mode (or several instances) inside a container: a process manager under the platform's.
_PM2_CLUSTER = re.compile(r"\bpm2(?:-runtime|-docker)?\b[^\n]*\s(?:-i|--instances)[ =]+(?:max|-?\d+|\$)")
_PM2_ECOSYSTEM = re.compile(
    r"\bexec_mode\s*:\s*['\"]cluster(?:_mode)?['\"]|\binstances\s*:\s*(?:['\"]max['\"]|-1\b|[2-9]\b|\d{2,})"
)
# s6-overlay: the image's entrypoint is /init and the repository ships service folders for it.
# The service folders may be grouped one level deeper by image variant (docker/s6-rc.d/<bundle>/<svc>/run).
_S6_SERVICE = re.compile(r"(?:^|/)(?:services\.d|s6-rc\.d)/(?:[^/]+/){1,2}(?:run|type)$")
# A backing service registered with the container's supervisor: an s6/runit service folder or a
# supervisord program named for a data store, copied into the image beside the app.
_BACKING_SUPERVISED = re.compile(
    r"^[ \t]*(?:COPY|ADD)\b[^\n]*\s\S*/(?:s6-rc\.d|services\.d|service|sv)/"
    r"(redis|valkey|keydb|postgres|postgresql|mysql|mariadb|mongo|mongodb|memcached|rabbitmq|elasticsearch|kafka)(?:/\S*)?[ \t]*$|"
    r"^\[program:(redis|valkey|keydb|postgres|postgresql|mysql|mariadb|mongo|mongodb|memcached|rabbitmq|elasticsearch|kafka)"
    r"(?:[-_]server)?\]",
    re.M | re.I,
)
# A start script that sends a long-running program to the background with `&` and starts another.
_BACKGROUNDED = re.compile(
    r"(?:^|[;&|]\s*)(?:gunicorn|uvicorn|celery|rq\s+worker|sidekiq|puma|bundle\s+exec|rails|node|npm|yarn|php-fpm\S*|"
    r"php\s+artisan\s+(?:queue|schedule|horizon)|nginx|java\s|dotnet\s|python\S*\s+\S+\.py|"
    r"\./(?!\S*(?:wait|health|sleep|tail))\S+)[^&|;]*[^&]&\s*$"
)

_PROCFILE_LINE = re.compile(r"^([A-Za-z0-9_\-]+)[ \t]*:[ \t]*\S")
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
        yield found(
            Severity.INFO,
            f"Process types are declared in the Procfile: {names}.",
            types[0].file.path,
            types[0].line,
            f"{types[0].name}: {types[0].command}",
        )
        return
    for f in ctx.files:  # Procfile.dev, Procfile.worker …: the process types, written for another runner (foreman, overmind)
        if f.name.startswith("Procfile.") and f.role is None:
            types = [m for m in (_PROCFILE_LINE.match(line) for line in f.lines[:200]) if m]
            if len({m.group(1) for m in types}) >= 2:
                names = ", ".join(dict.fromkeys(m.group(1) for m in types))
                yield found(Severity.INFO, f"Process types are declared in {f.name}: {names}.", f.path, 1, f.line_text(1))
                return
    by_file: dict[str, list] = defaultdict(list)
    for launch in ctx.fact(launches):
        if launch.stage == RUN and launch.source in (
            "compose",
            "k8s",
            "fly.toml",
            "heroku.yml",
            "render.yaml",
            "systemd",
        ):
            # Kubernetes workloads of one app are often one file each: group them by source.
            by_file[launch.file.path if launch.source == "compose" else launch.source].append(launch)
    for items in by_file.values():
        commands = {launch.command for launch in items}
        if len(commands) >= 2 or items[0].source in ("fly.toml", "heroku.yml"):
            names = ", ".join(dict.fromkeys(launch.name for launch in items))
            yield found(
                Severity.INFO,
                f"Several process types run the app with different commands: {names}.",
                items[0].file.path,
                items[0].line,
                items[0].snippet,
            )
            return
    yield from _app_services(ctx)


def _app_services(ctx: Context) -> Iterator[Raw]:
    """The app's own images run as declared services (compose services that build it, Kubernetes
    workloads of an image that is not a backing service): each is a process type the platform runs
    in the foreground and scales; eShopOnWeb's web and public API are two, one image each."""
    built = [s for s in ctx.fact(services) if s.build and s.file.role is None]
    if built:
        names = ", ".join(dict.fromkeys(s.name for s in built))
        line = line_of(built[0].file, f"{built[0].name}:")
        yield found(
            Severity.INFO,
            f"The app runs as declared compose services: {names}.",
            built[0].file.path,
            line,
            f"{built[0].name}: build",
        )
        return
    for m in ctx.fact(manifests):
        if m.kind in ("Deployment", "StatefulSet") and m.file.role is None:
            images = [str(c.get("image") or "") for c in m.containers()]
            if images and not any(_service_image(i) for i in images):
                yield found(
                    Severity.INFO,
                    f"The app runs as a declared Kubernetes {m.kind}: {m.name}.",
                    m.file.path,
                    line_of(m.file, "kind: " + m.kind),
                    f"image: {images[0]}",
                )
                return


def _service_image(image: str) -> bool:
    base = image.split("@", 1)[0].rsplit("/", 1)[-1].split(":", 1)[0].lower()
    return base in SERVICE_IMAGES


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
    (celery beat's container idiom) and is fine. A container's start script that runs supervisord
    without exec, `-n` or `nodaemon=true` in the configuration it names sends a supervisor to the
    background. SysV/OpenRC init scripts (init.d) are the init system managing the process: skipped.
    """
    message = "The process daemonizes itself or writes a PID file instead of running in the foreground."
    for launch in ctx.fact(launches):
        m = _DAEMON_FLAGS.search(launch.command)
        if m:
            yield found(Severity.HIGH, message, launch.file.path, launch.line, launch.snippet)
    for file, line, command in ctx.fact(container_commands):
        if file.name == "package.json" and _DAEMON_FLAGS.search(command):  # `npm start` → `pm2 start app.js`
            yield found(Severity.HIGH, message, file.path, line, command)
    for script in ctx.fact(start_scripts):
        if _INIT_SYSTEM_SCRIPT.search(script.file.path):
            continue  # a SysV/OpenRC init script is the init system managing the process, not the app
        for command in script.commands:
            if _DAEMON_FLAGS.search(command.text):
                yield found(Severity.HIGH, message, script.file.path, command.line, command.text)
    yield from _nohup_app(ctx, {s.file.path for s in ctx.fact(start_scripts)})
    for script, command in _container_script_commands(ctx):
        if _SUPERVISORD.search(command.text) and not _foreground_supervisord(ctx, command.text):
            yield found(Severity.HIGH, "supervisord forks into the background (no nodaemon=true, not exec'd): the "
                        "processes it runs escape the container's process manager.", script.file.path, command.line,
                        command.text)
    for language, pattern in _DAEMON_CONFIG.items():
        configs = [
            f for f in ctx.source(language) if "gunicorn" in f.name or "puma" in f.name or f.name.endswith(".conf.py")
        ]
        for hit in ctx.grep(pattern, configs, where="code"):
            yield hit.found(Severity.HIGH, message)
    uwsgi = [f for f in ctx.fact(config_files) if "uwsgi" in f.name.lower() and f.ext in (".ini", ".cfg", ".conf")]
    for hit in ctx.grep(_UWSGI_DAEMON, uwsgi, where="any"):
        yield hit.found(Severity.HIGH, message)
    for language, pattern in _DAEMON_CODE.items():
        for hit in ctx.grep(pattern, ctx.source(language), where="code"):
            yield hit.found(Severity.HIGH, "The app forks itself into the background (daemonizes) in code.")
    servers = [f for f in ctx.fact(config_files) if re.search(r"php-fpm|fpm/|www\.conf|nginx", f.path)]
    for hit in ctx.grep(_SERVER_DAEMON_CONFIG, servers, where="any"):
        yield hit.found(Severity.HIGH, "The server is configured to fork into the background (daemonize).")
    units = [f for f in ctx.files if f.ext == ".service" and not is_system_daemon_unit(f)]
    for hit in ctx.grep(_SYSTEMD_FORKING, units, where="any"):
        yield hit.found(
            Severity.HIGH, "The systemd unit expects the process to fork into the background (Type=forking)."
        )


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
    Also: a container's start script that runs supervisord over several programs (or `numprocs`, or
    `[include]` files), a supervisord configuration copied into an image whose programs come from
    `[include]`, the cron daemon started beside the server (`cron && apache2 …`; `crond -f` alone is
    a clock process), a launcher script the image runs that starts two or more children itself (Node
    `spawn`, Python `Popen`, directly or through a helper), and a Puma boot hook that spawns another
    process type. s6-overlay service folders may be grouped one level deeper
    (docker/s6-rc.d/<bundle>/<service>/run); a run script that starts `foreman start` is reported at
    that line; a data store (Redis, PostgreSQL …) copied into the image as an s6/runit service or
    declared as a supervisord program runs beside the app.
    """
    for launch in ctx.fact(launches):
        if launch.source == "uwsgi" and launch.name == "attach-daemon":  # inside the web process, container or not
            yield found(
                Severity.MEDIUM,
                "uWSGI runs another process type beside the web server (attach-daemon).",
                launch.file.path,
                launch.line,
                launch.snippet,
            )
    yield from _puma_boot_hooks(ctx)  # in the web process, container or not
    if not ctx.fact(dockerfiles):
        return  # supervisord or honcho on a VM is the machine's process manager
    for launch in ctx.fact(launches):
        if launch.source in ("dockerfile", "compose", "k8s") and _MULTI_RUNNER.search(launch.command):
            yield found(
                Severity.MEDIUM,
                "The container starts a supervisor that runs several processes.",
                launch.file.path,
                launch.line,
                launch.snippet,
            )
    yield from _pm2_cluster(ctx)
    s6 = [f for f in ctx.files if _S6_SERVICE.search(f.path) and f.role is None]
    if s6 and any(
        launch.source == "dockerfile" and launch.command.strip() in ("/init", "/init ") for launch in ctx.fact(launches)
    ):
        yield found(
            Severity.MEDIUM, f"s6-overlay supervises the services of {len(s6)} folder(s) in one container.", s6[0].path
        )
    if s6:
        yield from _s6_multi_runners(ctx, s6)
    yield from _supervised_backing_services(ctx)
    for script in ctx.fact(start_scripts):
        if script.referenced_by is not None and script.referenced_by.source in ("dockerfile", "compose", "k8s"):
            for command in script.commands:
                if _BACKGROUNDED.search(command.text) and "nohup" not in command.text:
                    yield found(
                        Severity.MEDIUM,
                        "The start script runs a process in the background (&) beside the main one.",
                        script.file.path,
                        command.line,
                        command.text,
                    )
    for script, command in _container_script_commands(ctx):
        if _SUPERVISORD.search(command.text) and _foreground_supervisord(ctx, command.text) and _runs_several(ctx, command.text):
            yield found(Severity.MEDIUM, "The start script runs a supervisor that runs several processes in the container.",
                        script.file.path, command.line, command.text)
        if _CRON_DAEMON.search(command.text) and not _CRON_FOREGROUND.search(command.text):
            yield found(Severity.MEDIUM, "The start script starts the cron daemon beside the server: a clock process inside "
                        "the web container.", script.file.path, command.line, command.text)
    for launch in ctx.fact(launches):
        if launch.stage == RUN and launch.source in ("dockerfile", "compose", "k8s") and not launch.development:
            if _CRON_DAEMON.search(launch.command) and not _CRON_FOREGROUND.search(launch.command):
                yield found(Severity.MEDIUM, "The container starts the cron daemon beside the server: a clock process inside "
                            "the web container.", launch.file.path, launch.line, launch.snippet)
    yield from _launcher_scripts(ctx)
    for f in ctx.fact(config_files):
        if f.role is None and _SUPERVISORD_SECTION.search(f.text) and _SUPERVISOR_INCLUDE.search(f.text):
            if _SUPERVISOR_PROGRAM.search(f.text) is None and _copied_into_image(ctx, f):
                m = _SUPERVISORD_SECTION.search(f.text)
                yield found(Severity.MEDIUM, "supervisord runs the programs its [include] files declare in one container.",
                            f.path, f.line_of(m.start()), m.group(0))
        programs = _SUPERVISOR_PROGRAM.findall(f.text[:200_000])
        if len(programs) >= 2:
            first = _SUPERVISOR_PROGRAM.search(f.text)
            yield found(
                Severity.MEDIUM,
                f"supervisord runs {len(programs)} programs in one container: {', '.join(programs[:4])}.",
                f.path,
                f.line_of(first.start()),
                first.group(0),
            )


@check(
    "concurrency.background-threads",
    factor=FACTOR,
    title="Background jobs or schedulers run inside the web process",
    remediation="Move background jobs to a worker process type (a queue consumer) and schedules to one clock process (celery beat, a cron Job).",
)
def background_threads(ctx: Context) -> Iterator[Raw]:
    """Background jobs or schedulers run as threads inside the web process.

    A thread started per request, an in-process scheduler (APScheduler BackgroundScheduler,
    setInterval/node-cron in the server, Spring @Scheduled, Hangfire server, a hosted service, a
    goroutine on a ticker, Rails' async job adapter) runs in every web process: jobs run N times
    when the web scales to N, and die with a request-serving process. Python threads are followed
    to the Thread subclasses they start; a JavaScript scheduler counts when the server file imports
    its module; a Go ticker when a goroutine of the server's package runs it, a Go cron scheduler in
    the server's package or a package it imports. Also: a child process running the app's own
    command (`Popen([sys.executable, "manage.py", …])`) started from web code and not waited for, a
    queue or workflow worker built in the script that calls `listen`, Laravel's scheduler or queue
    worker run by a controller (`Artisan::call('schedule:run')`), and a Rust scheduler thread started
    in the binary that runs the web server (reported at the thread). JavaScript cron libraries include
    croner (`new Cron(`) and toad-scheduler; Spring's `@EnableScheduling` switch is reported where it
    is set (not with ShedLock). Work a request handler starts and does not wait for: a Go goroutine in
    a net/http/gin/echo/fiber handler with no Wait or channel receive after it, a .NET controller's
    unawaited `Task.Run`, a Rails controller's `Thread.new` (a JavaScript promise left unawaited is not
    told apart from one awaited elsewhere, and is not reported).
    """
    clock_declared = any(_CLOCK_TYPES.match(p.name) for p in ctx.fact(process_types))
    note = " (a clock/worker process type exists: move this job there)" if clock_declared else ""
    works = background.python_work(ctx) + background.go_work(ctx) + background.ruby_work(ctx) + background.php_work(ctx)
    works += background.dotnet_work(ctx)
    works += list(background.framework_work(ctx))
    works += timers.js_rearmed_timers(ctx) + timers.dotnet_timers(ctx) + timers.rust_spawned_loops(ctx)
    works += timers.scheduler_starts(ctx)
    for work in background.iter_lines(works):
        yield found(
            Severity.MEDIUM,
            f"Background work ({work.what}) runs inside the web process{note}.",
            work.file.path,
            work.line,
            work.snippet,
        )


_SUPERVISORD = re.compile(r"(?:^|[;&|(]\s*|\bexec\s+|\bthen\s+)(?:\S*/)?supervisord(?:\s|$)")
_SUPERVISORD_SECTION = re.compile(r"^\[supervisord\]", re.M)
_SUPERVISOR_INCLUDE = re.compile(r"^\[include\]", re.M)
_SUPERVISOR_NODAEMON = re.compile(r"^[ \t]*nodaemon[ \t]*=[ \t]*true\b", re.M | re.I)
_SUPERVISOR_NUMPROCS = re.compile(r"^[ \t]*numprocs[ \t]*=[ \t]*(?!1[ \t]*$)\S", re.M)
_SUPERVISOR_CONFIG_ARG = re.compile(r"(?:-c|--configuration)[ =]['\"]?([\w./\-${}]+)")
# The cron daemon started beside another process: `cron && apache2 …`, `service cron start`, `crond -d 6 &&`.
# `crond -f` (busybox) / `cron -f` in the foreground, as a container's only process, is a clock process type.
_CRON_DAEMON = re.compile(
    r"(?:^|[;&|(]\s*)(?:(?:sudo\s+)?(?:/usr/sbin/|/usr/bin/)?(?:cron|crond)(?=\s*(?:$|[;&|)]|-[a-eg-zA-Z]))|"
    r"service\s+cron\s+start|/etc/init\.d/cron\s+start)"
)
_CRON_FOREGROUND = re.compile(r"\b(?:cron|crond)\s+(?:-\w+\s+)*-f\b(?![^;&|]*[;&|])")


# A deploy or restart script that starts the app itself in the background with nohup (`nohup java -jar
# app.jar > log 2>&1 &`): the server is daemonized by hand, with no process manager watching it.
_NOHUP_APP = re.compile(
    r"(?:^|[;&|]\s*|\bthen\s+|\bdo\s+)(?:sudo\s+(?:-\S+\s+)*)?nohup\s+(?:(?:java|\S*/java)\s[^\n&]*-jar\s|"
    r"(?:node|bun|deno|dotnet|gunicorn|uvicorn|hypercorn|daphne|waitress-serve|puma|unicorn|bundle\s+exec|rails|"
    r"php\s+artisan\s+serve|cargo\s+run|go\s+run|"
    r"python\S*\s+(?:-m\s+)?\S+|\./\S+|\S+/bin/\S+)\s)[^\n]*&\s*$"
)


def _nohup_app(ctx: Context, seen: set[str]) -> Iterator[Raw]:
    scripts = [f for f in ctx.source("shell") if f.role is None and f.path not in seen and "nohup" in f.text]
    for f in scripts:
        if is_development(f) or _INIT_SYSTEM_SCRIPT.search(f.path):
            continue
        for command in commands_of(f.text):
            if _NOHUP_APP.search(command.text):
                yield found(Severity.HIGH, "A script starts the app in the background with nohup instead of leaving it "
                            "to a process manager.", f.path, command.line, command.text)
                break


def _container_script_commands(ctx: Context) -> Iterator[tuple]:
    """Commands of the start scripts a container runs (or an entrypoint script, when the repository builds images)."""
    has_images = bool(ctx.fact(dockerfiles))
    for script in ctx.fact(start_scripts):
        by = script.referenced_by
        if script.development or (by is not None and by.source not in ("dockerfile", "compose", "k8s")):
            continue
        if by is None and not has_images:
            continue
        for command in script.commands:
            yield script, command


def _supervisor_config(ctx: Context, command: str):
    m = _SUPERVISOR_CONFIG_ARG.search(command)
    if not m:
        return None
    name = m.group(1).rsplit("/", 1)[-1]
    return next((f for f in ctx.fact(config_files) if f.name == name and f.role is None), None)


def _foreground_supervisord(ctx: Context, command: str) -> bool:
    """supervisord stays in the foreground: exec'd, `-n`, or nodaemon=true in its configuration (or unknown)."""
    if re.search(r"(?:^|\s)(?:-n|--nodaemon)\b", command) or re.search(r"(?:^|[;&|]\s*)exec\s", command):
        return True
    config = _supervisor_config(ctx, command)
    return config is None or bool(_SUPERVISOR_NODAEMON.search(config.text))


def _runs_several(ctx: Context, command: str) -> bool:
    config = _supervisor_config(ctx, command)
    if config is None:
        return True
    text = config.text[:200_000]
    return (len(_SUPERVISOR_PROGRAM.findall(text)) >= 2 or bool(_SUPERVISOR_NUMPROCS.search(text))
            or bool(_SUPERVISOR_INCLUDE.search(text)) or "[eventlistener:" in text)


def _copied_into_image(ctx: Context, f) -> bool:
    return any(f.name in df.file.text for df in ctx.fact(dockerfiles))


# A launcher script a container runs that starts several long-running children and supervises them
# (exits when one exits): Node child_process.spawn/fork, Python subprocess.Popen.
_SPAWN = {
    "javascript": re.compile(r"(?<![\w.])(?:spawn|fork|execa)\s*\(|\bchild_process\.(?:spawn|fork)\s*\("),
    "python": re.compile(r"\bsubprocess\.Popen\s*\(|(?<![\w.])Popen\s*\("),
}
_SERVES = re.compile(
    r"\.listen\s*\(|\bcreateServer\s*\(|\bNestFactory\.create\b|\bFlask\s*\(|\bFastAPI\s*\(|\bget_wsgi_application\s*\(|"
    r"\buvicorn\.run\s*\(|\bweb\.run_app\s*\(|\bserve_forever\s*\("
)
_FUNC_DEF = {
    "javascript": re.compile(r"^[ \t]*(?:export\s+)?(?:async\s+)?function\s+(\w+)\s*\(|^[ \t]*(?:const|let)\s+(\w+)\s*=\s*(?:async\s*)?\([^)]*\)\s*=>", re.M),
    "python": re.compile(r"^[ \t]*(?:async\s+)?def\s+(\w+)\s*\(", re.M),
}


def _launcher_scripts(ctx: Context) -> Iterator[Raw]:
    commands = [launch.command for launch in ctx.fact(launches)
                if launch.stage == RUN and launch.source in ("dockerfile", "compose", "k8s") and not launch.development]
    if not commands:
        return
    names = {token.rsplit("/", 1)[-1] for c in commands for token in re.split(r"[\s\"',\[\]]+", c) if token}
    for f in ctx.source("javascript", "python"):
        if f.role is not None or f.name not in names or f.language not in _SPAWN or _SERVES.search(f.text):
            continue  # a server that runs tools per request (ffmpeg, git) is not a launcher
        lines = _child_starts(f, _SPAWN[f.language], _FUNC_DEF[f.language])
        if len(lines) >= 2:
            yield found(Severity.MEDIUM, f"The container's launcher script starts {len(lines)} long-running processes and "
                        "supervises them in one container.", f.path, lines[0], f.line_text(lines[0]))


def _child_starts(f, spawn: re.Pattern, func_def: re.Pattern) -> list[int]:
    """Lines that start a child process: direct calls outside a helper, and calls of a helper that spawns."""
    text = f.text[:200_000]
    defs = [(m.start(), m.group(1) or m.group(2)) for m in func_def.finditer(text)]
    helpers, direct = set(), []
    for m in spawn.finditer(text):
        owner = next((name for start, name in reversed(defs) if start < m.start()), None)
        if owner and _inside_function(text, owner, m.start(), f.language):
            helpers.add(owner)
        else:
            direct.append(f.line_of(m.start()))
    for name in helpers:
        call = re.compile(rf"(?<![\w.]){re.escape(name)}\s*\(")
        for m in call.finditer(text):
            line_start = text.rfind("\n", 0, m.start()) + 1
            if not func_def.match(text, line_start):
                direct.append(f.line_of(m.start()))
    return sorted(set(direct))


def _inside_function(text: str, name: str, offset: int, language: str) -> bool:
    """A rough test that `offset` lies in the body of the most recent definition of `name`."""
    start = max(text.rfind(f"function {name}", 0, offset), text.rfind(f"def {name}", 0, offset), text.rfind(f"{name} =", 0, offset))
    if start < 0:
        return False
    if language == "python":
        indent = re.compile(r"^\S", re.M)
        body_start = text.find("\n", start) + 1
        end = indent.search(text, body_start)
        return end is None or end.start() > offset
    depth, i = 0, text.find("{", start)
    while 0 <= i < offset:
        depth += (text[i] == "{") - (text[i] == "}")
        if depth == 0:
            return False
        i += 1
    return depth > 0


# Puma boot hooks that start another process (a job runner) and babysit it from the web server.
_PUMA_HOOK = re.compile(r"^[ \t]*(on_booted|on_worker_boot|before_fork|after_worker_fork|on_worker_fork)\b[^\n]*\bdo\b", re.M)
_RUBY_CHILD = re.compile(r"(?<![\w.])(?:Process\.)?spawn\s*\(|\bfork\s*(?:do|\{)|\bIO\.popen\s*\(")


def _puma_boot_hooks(ctx: Context) -> Iterator[Raw]:
    for f in ctx.source("ruby"):
        if f.name != "puma.rb" and "puma" not in f.path:
            continue
        for hook in _PUMA_HOOK.finditer(f.text[:200_000]):
            body = f.text[hook.end() : hook.end() + 4000]
            end = re.search(r"^end\b", body, re.M)
            body = body[: end.start()] if end else body
            child = _RUBY_CHILD.search(body)
            if child:
                line = f.line_of(hook.end() + child.start())
                yield found(Severity.MEDIUM, f"The web server's {hook.group(1)} hook starts another process type and "
                            "supervises it from the web process.", f.path, line, f.line_text(line))


def _s6_multi_runners(ctx: Context, s6: list) -> Iterator[Raw]:
    """An s6 service whose run script starts a runner of several process types (`foreman start`):
    web and workers under one service of one container."""
    for f in s6:
        if f.name == "run":
            for command in commands_of(f.text[:50_000]):
                if _MULTI_RUNNER.search(command.text):
                    yield found(Severity.MEDIUM, "An s6 service starts a runner of several process types in the "
                                "container.", f.path, command.line, command.text)


def _supervised_backing_services(ctx: Context) -> Iterator[Raw]:
    """A data store (Redis, PostgreSQL …) run by the container's supervisor beside the app, instead of
    attached as a backing service of its own."""
    files = [df.file for df in ctx.fact(dockerfiles) if df.file.role is None]
    files += [f for f in ctx.fact(config_files) if f.role is None and "[program:" in f.text]
    for hit in ctx.grep(_BACKING_SUPERVISED, files, where="any", limit=1):
        name = hit.match.group(1) or hit.match.group(2)
        yield hit.found(Severity.MEDIUM, f"A backing service ({name}) runs under the supervisor inside the app's "
                        "container: it scales, restarts and dies with the app.")


def _pm2_cluster(ctx: Context) -> Iterator[Raw]:
    message = "pm2 runs the app in cluster mode inside the container: scale with more containers instead."
    container = ctx.fact(container_commands)
    for file, line, command in container:
        if _PM2_CLUSTER.search(command):
            yield found(Severity.MEDIUM, message, file.path, line, command)
            return
    scripts = ctx.fact(start_scripts)
    if any("pm2" in command for _, _, command in container) or any("pm2" in s.file.text for s in scripts):
        configs = [
            f
            for f in ctx.files
            if re.match(r"(?:ecosystem|pm2|process)[\w.\-]*\.(?:config\.)?(?:c?js|json|ya?ml)$", f.name)
        ]
        for hit in ctx.grep(_PM2_ECOSYSTEM, configs, where=("code", "string"), limit=1):
            yield hit.found(Severity.MEDIUM, message)
            return
