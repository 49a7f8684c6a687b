"""IX. Disposability — processes start fast, shut down gracefully on SIGTERM and survive sudden death."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..context import Context, Raw, found
from ..facts.bootpath import boot_schema_changes
from ..facts.compose import services
from ..facts.configfiles import config_files
from ..facts.dockerfile import dockerfiles
from ..facts.k8s import helm_templates, manifests
from ..facts.launch import INIT, RUN, Launch, launches
from ..facts.literal import keyed
from ..facts.manifests import all_dependencies
from ..facts.migrations import MIGRATE_COMMAND, START_SCHEMA_COMMAND, schema_settings
from ..facts.shell import Script, sh_c_script, start_scripts
from ..facts.startpath import start_commands
from ..facts.yamlfiles import load_all
from ..model import Severity
from ..registry import check

FACTOR = 9

_SIGTERM = {
    "python": re.compile(r"\bsignal\.signal\(\s*signal\.SIGTERM\b|\badd_signal_handler\(\s*signal\.SIGTERM\b"),
    "javascript": re.compile(r"\bprocess\.(?:on|once|addListener)\(\s*['\"]SIGTERM['\"]"),
    "go": re.compile(r"\bsignal\.Notify(?:Context)?\([^)\n]{0,200}\bSIGTERM\b|\.Shutdown\(\s*ctx\b"),
    "ruby": re.compile(r"\b(?:Signal\.)?trap\(\s*['\"](?:SIG)?TERM['\"]"),
    "java": re.compile(r"\baddShutdownHook\s*\(|@PreDestroy\b"),
    "php": re.compile(r"\bpcntl_signal\(\s*SIGTERM\b"),
    "rust": re.compile(r"\bSignalKind::terminate\(\)|\bwith_graceful_shutdown\s*\("),
    "dotnet": re.compile(r"\bApplicationStopping\b|\bIHostApplicationLifetime\b"),
}
_GRACEFUL_CONFIG = re.compile(r"\bserver\.shutdown\s*[=:]\s*graceful\b|^\s*shutdown\s*:\s*graceful\b", re.M)
_DRAINING_SERVER = re.compile(r"\b(?:gunicorn|uvicorn|hypercorn|granian|puma|sidekiq)\b|\bcelery\b[^\n]{0,200}\bworker\b")
# Frameworks whose server drains in-flight requests on SIGTERM without any code from the app.
_DRAINING_FRAMEWORK = {
    "rust": (re.compile(r"\bHttpServer::new\s*\("), "actix-web's HttpServer"),
    "dotnet": (re.compile(r"\b(?:WebApplication\.Create(?:Slim)?Builder|Host\.Create(?:Default|Application)Builder)\s*\("),
               "The ASP.NET Core / .NET Generic Host"),
}
_DRAINING_SERVER_DEPS = {"gunicorn", "uvicorn", "hypercorn", "granian", "puma"}
_GRACEFUL_DEPS = {"@godaddy/terminus", "http-terminator", "stoppable", "lightship"}

_HEALTH_ROUTE = re.compile(
    r"['\"`](?:/(?:healthz?|readyz?|livez?|ready|live|ping|up|_health|health-?check|actuator/health)|"
    r"(?:healthz|readyz|livez)/?|(?:health|healthcheck|health-check)/)['\"`]"
)
_HEALTH_CODE = re.compile(r"\b(?:AddHealthChecks|MapHealthChecks)\s*\(|rails/health#show|\bhealth\s*:\s*['\"]/up['\"]")
_HEALTH_DEPS = {"spring-boot-starter-actuator", "django-health-check", "@nestjs/terminus", "@godaddy/terminus",
                "express-healthcheck", "microsoft.extensions.diagnostics.healthchecks"}
_PROBE = re.compile(r"^\s*(?:liveness|readiness|startup)Probe\s*:", re.M)

_LATE_ACK = re.compile(
    r"(?i)(?P<key>acks_late)['\"]?\s*[=:]\s*True\b|\bsuper_fetch!|\breliable_fetch!|\bnoAck\s*:\s*false\b|"
    r"\bauto_ack\s*=\s*False\b|\benable[._]auto[._]commit['\"]?\s*[=:]\s*['\"]?false\b"
)
_REJECT_ON_LOST = re.compile(r"(?i)reject_on_worker_lost['\"]?\s*[=:]\s*True\b")
_EARLY_ACK = re.compile(
    r"(?i)(?P<key>acks_late)['\"]?\s*[=:]\s*False\b|\bauto_ack\s*=\s*True\b|\bno_ack\s*=\s*True\b|"
    r"\b(?:noAck|autoAck)\s*:\s*true\b|\benable[._]auto[._]commit['\"]?\s*[=:]\s*['\"]?true\b"
)
_CELERY_APP = re.compile(r"\bCelery\(\s*['\"]|\bshared_task\b")

_INIT = re.compile(r"\b(?:tini|dumb-init|catatonit|s6-overlay|/init)\b")
_COMPOUND = re.compile(r"&&|\|\||;|\||&")
_STARTUP_WORK = (
    (MIGRATE_COMMAND, "migrations run"),
    (START_SCHEMA_COMMAND, "the database schema is set up"),
    (re.compile(r"\bsleep\s+\d"), "it sleeps"),
    (re.compile(r"\bwait-for(?:-it)?(?:\.sh)?\b|\bdockerize\b[^\n]{0,200}-wait\b"), "it waits for other services"),
    (re.compile(r"\bcollectstatic\b|\bassets:precompile\b"), "build steps run"),
    (re.compile(r"(?i)\bwarm[_\-:]?(?:up|cache)\b|\bcache[_:\-]warm"), "a cache is warmed up"),
)


@check(
    "disposability.graceful-shutdown",
    factor=FACTOR,
    title="SIGTERM is handled gracefully",
    remediation="Handle SIGTERM: stop accepting work, finish or hand back in-flight requests and jobs, then exit.",
)
def graceful_shutdown(ctx: Context) -> Iterator[Raw]:
    """Positive evidence: SIGTERM handled (signal handlers, shutdown hooks, `server.shutdown=graceful`) or a server known to drain on SIGTERM (gunicorn, uvicorn, puma, a Celery worker, actix-web, the .NET Generic Host), started by a launch command or declared as the app's server dependency."""
    for launch in ctx.fact(launches):
        m = _DRAINING_SERVER.search(launch.command) if launch.stage == RUN else None
        if m:
            server = m.group(0).split()[0]
            yield found(Severity.INFO, f"{server} finishes in-flight work on SIGTERM before exiting.",
                        launch.file.path, launch.line, launch.snippet)
            break
    for language, pattern in _SIGTERM.items():
        hit = ctx.first(pattern, [f for f in ctx.source(language) if f.role is None], where="code")
        if hit:
            yield hit.found(Severity.INFO, "The app handles SIGTERM.")
            return
    for language, (pattern, server) in _DRAINING_FRAMEWORK.items():
        hit = ctx.first(pattern, [f for f in ctx.source(language) if f.role is None], where="code")
        if hit:
            yield hit.found(Severity.INFO, f"{server} finishes in-flight requests on SIGTERM before exiting.")
            return
    hit = ctx.first(_GRACEFUL_CONFIG, [f for f in ctx.fact(config_files) if f.role is None], where="any")
    if hit:
        yield hit.found(Severity.INFO, "Graceful shutdown is enabled in the server configuration.")
    deps = sorted(all_dependencies(ctx) & _GRACEFUL_DEPS)
    if deps:
        yield found(Severity.INFO, f"A graceful-shutdown library is a dependency: {deps[0]}.")
    servers = sorted(all_dependencies(ctx) & _DRAINING_SERVER_DEPS)
    if servers:  # the framework's own start command (`rails server` runs Puma) drains on SIGTERM
        yield found(Severity.INFO, f"The app's declared server, {servers[0]}, finishes in-flight requests on SIGTERM before exiting.")


@check(
    "disposability.health-checks",
    factor=FACTOR,
    title="Health endpoints or probes exist",
    remediation="Expose a liveness endpoint (/healthz) and a readiness endpoint, and wire them to Docker HEALTHCHECK or Kubernetes probes.",
)
def health_checks(ctx: Context) -> Iterator[Raw]:
    """Positive evidence: health endpoints or probes (/healthz, /ready, Dockerfile HEALTHCHECK, Kubernetes probes)."""
    for df in ctx.fact(dockerfiles):
        for ins in df.final("HEALTHCHECK"):
            if not ins.value.strip().upper().startswith("NONE") and df.file.role is None:
                yield found(Severity.INFO, "The image declares a HEALTHCHECK.", df.file.path, ins.line, f"HEALTHCHECK {ins.value}")
                break
    probes = [m.file for m in ctx.fact(manifests)] + ctx.fact(helm_templates)
    hit = ctx.first(_PROBE, [f for f in probes if f.role is None], where="any")
    if hit:
        yield hit.found(Severity.INFO, "Kubernetes probes check the app's health.")
    for svc in ctx.fact(services):
        # the app's own service: built here, or an image whose health check calls an HTTP endpoint on itself
        own = svc.build or _HTTP_SELF_CHECK.search(str(svc.raw.get("healthcheck", "")))
        if own and "healthcheck" in svc.raw and svc.file.role is None:
            yield found(Severity.INFO, f"The compose service {svc.name} has a healthcheck.", svc.file.path)
            break
    app_code = [f for f in ctx.source() if f.role is None and f.language != "shell"]
    hit = ctx.first(_HEALTH_ROUTE, app_code, where="string") or ctx.first(_HEALTH_CODE, app_code, where=("code", "string"))
    if hit:
        yield hit.found(Severity.INFO, "The app serves a health endpoint.")
    deps = sorted(all_dependencies(ctx) & _HEALTH_DEPS)
    if deps:
        yield found(Severity.INFO, f"A health-check library is a dependency: {deps[0]}.")


_HTTP_SELF_CHECK = re.compile(r"\b(?:curl|wget)\b[^'\"\]]*https?://(?:localhost|127\.0\.0\.1)[:/]")


@check(
    "disposability.late-ack",
    factor=FACTOR,
    title="Queue jobs are acknowledged late and requeued on worker loss",
    remediation="Acknowledge jobs after they finish and requeue them when a worker dies (Celery task_acks_late + task_reject_on_worker_lost); make jobs idempotent.",
)
def late_ack(ctx: Context) -> Iterator[Raw]:
    """Positive evidence: queue jobs acknowledged after they finish (Celery acks_late + reject_on_worker_lost, Sidekiq reliable fetch, manual acks)."""
    for hit in ctx.grep(_LATE_ACK, [f for f in ctx.source() if f.role is None], where=("code", "string")):
        if keyed(ctx, hit, suffix=True):
            lost = any(_REJECT_ON_LOST.search(f.text) for f in ctx.source("python"))
            tail = " and requeued when a worker is lost" if lost else ""
            yield hit.found(Severity.INFO, f"Jobs are acknowledged after they finish{tail}.")
            return


@check(
    "disposability.early-ack",
    factor=FACTOR,
    title="Workers acknowledge jobs before finishing them",
    remediation="Acknowledge after the job completes (Celery task_acks_late = True with task_reject_on_worker_lost, manual acks) and make jobs idempotent.",
)
def early_ack(ctx: Context) -> Iterator[Raw]:
    """Workers acknowledge a job before it is done, so a worker that dies mid-job loses it.

    Explicit auto-ack settings (Celery acks_late=False, pika auto_ack=True, amqplib noAck: true,
    Kafka auto-commit) are medium, as are RoadRunner jobs pipelines on the `memory` driver (queued jobs
    live in the server process). Celery's default (acknowledge on receipt) with no acks_late
    anywhere is low: whether the tasks are idempotent cannot be told from the code.
    """
    app_code = [f for f in ctx.source() if f.role is None]
    for hit in ctx.grep(_EARLY_ACK, app_code, where=("code", "string")):
        if keyed(ctx, hit, suffix=True):
            yield hit.found(Severity.MEDIUM, "Jobs are acknowledged when received, so a worker that dies mid-job loses them.")
    yield from _memory_pipelines(ctx)
    python = [f for f in app_code if f.language == "python"]
    uses_celery = "celery" in all_dependencies(ctx) and ctx.first(_CELERY_APP, python, where="code")
    if uses_celery and not any("acks_late" in f.text.lower() for f in python):
        hit = ctx.first(_CELERY_APP, python, where="code")
        yield hit.found(Severity.LOW, "Celery acknowledges tasks when they start (the default): a worker killed mid-task loses it.")


_RR_CONFIG = re.compile(r"^\.rr(?:[.\-_][\w\-]+)?\.ya?ml$")
_RR_DEV = re.compile(r"(?i)[.\-_](?:dev|development|local|test|testing|ci)\.")
_MEMORY_DRIVER = re.compile(r"^[ \t]*driver:[ \t]*['\"]?memory['\"]?[ \t]*$", re.M)


def _memory_pipelines(ctx: Context) -> Iterator[Raw]:
    """RoadRunner jobs pipelines on the `memory` driver: queued jobs live in the server process and are
    lost when it stops or crashes (a broker-backed driver — AMQP, Redis, SQS — keeps them)."""
    for f in ctx.files:
        if f.role is not None or not _RR_CONFIG.match(f.name) or _RR_DEV.search(f.name):
            continue
        for doc in load_all(f):
            jobs = doc.get("jobs") if isinstance(doc, dict) else None
            pipelines = jobs.get("pipelines") if isinstance(jobs, dict) else None
            if isinstance(pipelines, dict) and any(isinstance(p, dict) and p.get("driver") == "memory" for p in pipelines.values()):
                m = _MEMORY_DRIVER.search(f.text)
                line = f.line_of(m.start()) if m else 1
                yield found(Severity.MEDIUM, "Jobs are queued in the server process's memory (RoadRunner memory driver): "
                            "a stopped or crashed process loses them.", f.path, line, f.line_text(line))
                return


@check(
    "disposability.signal-forwarding",
    factor=FACTOR,
    title="SIGTERM does not reach the server",
    remediation="Use exec-form CMD/ENTRYPOINT (`CMD [\"gunicorn\", …]`) and end entrypoint scripts with `exec \"$@\"` or `exec <server>`.",
)
def signal_forwarding(ctx: Context) -> Iterator[Raw]:
    """A shell-form CMD/ENTRYPOINT or an entrypoint script that does not `exec` the server.

    The shell becomes PID 1 and the server its child; the shell does not pass SIGTERM on, so the
    server is killed after the grace period instead of shutting down cleanly (dropped requests,
    half-done jobs). Also: an exec-form `sh -c "java … -jar …"` whose script does not exec the
    server (whether the shell replaces itself depends on the shell), an entrypoint that execs in one
    branch but runs `"$@"` (through su-exec, gosu …) as a child in another, a Node launcher that
    spawns children and forwards SIGINT but never handles SIGTERM, and the commands of the Dockerfile
    stages compose builds with `target:`.
    """
    message = "The server runs as a child of a shell that does not pass SIGTERM on; use exec."
    for launch in ctx.fact(launches):
        if launch.stage != RUN or launch.source not in ("dockerfile", "compose", "k8s") or launch.development:
            continue
        if not launch.exec_form:
            if not launch.command.lstrip().startswith("exec ") and not _has_init(ctx, launch):
                yield found(Severity.MEDIUM, f"Shell-form {launch.name}: {message}", launch.file.path, launch.line, launch.snippet)
            continue
        script = sh_c_script(launch.command)
        if script and "exec " not in script and _COMPOUND.search(script):
            yield found(Severity.MEDIUM, f"`sh -c` runs several commands: {message}", launch.file.path, launch.line, launch.snippet)
        elif script and launch.source == "dockerfile" and _SH_C_SERVER.match(script) and "exec " not in script:
            yield found(Severity.MEDIUM, f"`sh -c` runs the server without exec: {message}", launch.file.path, launch.line,
                        launch.snippet)
    for script in ctx.fact(start_scripts):
        if not (_runs_as_main(script) and script.commands and not script.development):
            continue
        if not script.execs:
            last = script.commands[-1]
            yield found(Severity.MEDIUM, f"The entrypoint script does not exec the server: {message}", script.file.path, last.line, last.text)
            continue
        for command in script.commands:  # one branch execs, another runs the command as a child
            if _RUNS_ARGS.search(command.text) and not _EXEC_PREFIX.match(command.text):
                yield found(Severity.MEDIUM, f"The entrypoint script runs the command without exec in one branch: {message}",
                            script.file.path, command.line, command.text)
    yield from _interrupt_only_supervisors(ctx)


# `sh -c "java … -jar …"` in an image: whether the shell replaces itself with its last command depends on
# the shell (dash and busybox often do not), so the JVM or the server may never see SIGTERM.
_SH_C_SERVER = re.compile(r"^\s*(?:java|node|python\d*|ruby|php|dotnet|gunicorn|uvicorn|bundle|npm|yarn)\s")
# The container's command run through a privilege-dropping wrapper or bare, as a child of the script.
_RUNS_ARGS = re.compile(r"^(?:(?:su-exec|gosu|setpriv|s6-setuidgid|chpst|runuser|sudo)\b[^\n]*?\s)?\"\$(?:@|\{@\})\"\s*$")
_EXEC_PREFIX = re.compile(r"^(?:[A-Za-z_]\w*=\S*\s+)*exec\s")
# A Node launcher that forwards SIGINT to its children but not SIGTERM (what `docker stop` and Kubernetes send).
_JS_SIGINT = re.compile(r"\bprocess\.(?:on|once|addListener)\(\s*['\"]SIGINT['\"]")
_JS_SIGTERM = re.compile(r"['\"]SIGTERM['\"]")
_JS_SERVES = re.compile(r"\.listen\s*\(|\bcreateServer\s*\(|\bNestFactory\.create\b")
_JS_CHILDREN = re.compile(r"(?<![\w.])(?:spawn|fork|execa)\s*\(")


def _interrupt_only_supervisors(ctx: Context) -> Iterator[Raw]:
    commands = " ".join(launch.command for launch in ctx.fact(launches)
                        if launch.stage == RUN and launch.source in ("dockerfile", "compose", "k8s"))
    for f in ctx.source("javascript"):
        if f.role is not None or f.name not in commands or not _JS_CHILDREN.search(f.text) or _JS_SERVES.search(f.text):
            continue  # a launcher: it starts the servers, it does not serve
        sigint = ctx.first(_JS_SIGINT, [f], where="code")
        if sigint and not _JS_SIGTERM.search(f.text):
            yield sigint.found(Severity.MEDIUM, "The launcher forwards SIGINT to its child processes but not SIGTERM, which "
                               "is what the platform sends: the children are killed without a graceful shutdown.")


def _has_init(ctx: Context, launch: Launch) -> bool:
    """A CMD under an init (tini, dumb-init) ENTRYPOINT of the same Dockerfile."""
    return launch.name == "CMD" and any(
        other.file is launch.file and other.name == "ENTRYPOINT" and _INIT.search(other.command) for other in ctx.fact(launches)
    )


def _runs_as_main(script: Script) -> bool:
    by = script.referenced_by
    if script.called_from is not None:  # run by another start script: the main process only through `exec`
        return by is not None and by.stage == RUN and script.called_from.text.startswith("exec ")
    if by is None:
        return "entrypoint" in script.file.name.lower()
    return by.stage == RUN and by.source in ("dockerfile", "compose", "k8s")


@check(
    "disposability.slow-startup",
    factor=FACTOR,
    title="Long blocking work at start-up",
    remediation="Start serving within seconds: run migrations in a release phase or Job, build assets at build time, let the platform retry instead of sleeping.",
)
def slow_startup(ctx: Context) -> Iterator[Raw]:
    """Long blocking work at start-up: migrations, asset builds, cache warm-up, `sleep` loops.

    Processes must start in seconds so the platform can scale them up and move them freely; work
    done on every start delays each instance and, with several instances, runs concurrently. Start
    commands are followed into the npm scripts and start scripts they run; schema changes in the
    server's boot code and schema set-up by framework settings count as migrations at start-up.
    """
    for launch in ctx.fact(start_commands):
        if _delays_start(launch) and launch.source != "container-init":  # those are start scripts, read below
            yield from _startup_work(launch.file.path, launch.line, launch.command, launch.snippet)
    for script in ctx.fact(start_scripts):
        if (script.referenced_by is None or _delays_start(script.referenced_by)) and not script.development:
            for command in script.commands:
                yield from _startup_work(script.file.path, command.line, command.text, command.text)
    for change in ctx.fact(boot_schema_changes):
        yield found(Severity.MEDIUM, "Every start of the process is delayed: the server changes the database schema before it serves.",
                    change.file.path, change.line, change.snippet)
    for setting in ctx.fact(schema_settings):
        yield found(Severity.MEDIUM, f"Every start of the process is delayed: {setting.what}.", setting.file.path, setting.line,
                    setting.snippet)


def _delays_start(launch: Launch) -> bool:
    """A process's own start (an initContainer runs before the pod serves, but outside its process);
    a development-only file does not start the deployed app."""
    if launch.development:
        return False
    return launch.stage == RUN or (launch.stage == INIT and launch.origin.source != "k8s")


def _startup_work(path: str, line: int | None, command: str, snippet: str) -> Iterator[Raw]:
    for pattern, what in _STARTUP_WORK:
        if pattern.search(command):
            yield found(Severity.MEDIUM, f"Every start of the process is delayed: {what} before it serves.", path, line, snippet)
            return
