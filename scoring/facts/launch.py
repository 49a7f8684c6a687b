"""How the app's processes are started: one list of launch commands read from every deploy file.

Procfile process types, the final Dockerfile stage's CMD and ENTRYPOINT, compose service commands,
Kubernetes container commands, Nomad task commands, systemd ExecStart lines, uWSGI exec hooks and
attached daemons, and the release commands of app.json, heroku.yml, fly.toml and render.yaml. The process-model checks (VII port binding, VIII concurrency,
IX disposability, XII admin processes) read commands here instead of each parsing the files.
"""

from __future__ import annotations

import json
import posixpath
import re
import tomllib
from dataclasses import dataclass
from typing import Any

from ..context import Context
from ..tree import File
from .compose import compose_files
from .dockerfile import dockerfiles, is_exec_form
from .k8s import manifests
from .procfile import process_types, variant_process_types
from .yamlfiles import line_of, load_all

# A stage says when the command runs: "run" (a long-running process), "release" (once per deploy,
# before the new release serves), "init" (before the main process of each instance: initContainers,
# ExecStartPre) or "job" (a one-off: a Kubernetes Job, a compose service that runs to completion).
RUN, RELEASE, INIT, JOB = "run", "release", "init", "job"
SCHEDULE = "schedule"  # on a timetable (a Kubernetes CronJob): neither a release step nor a process
_ONE_OFF_SERVICE = re.compile(r"migrat|release|seed|setup|init|upgrade|createsuperuser|collectstatic|bootstrap", re.I)
_SYSTEMD_EXEC = re.compile(r"^[ \t]*(ExecStart|ExecStartPre)[ \t]*=[ \t]*[-@+!:]*([^\n]{1,4000})", re.M)
_UWSGI_LINE = re.compile(
    r"^[ \t]*((?:hook|exec)-(?:pre-app|post-app|asap|as-root|as-user|pre-jail|post-jail|in-jail|as-vassal)|"
    r"(?:smart-|legion-)?attach-(?:control-)?daemon2?)[ \t]*=[ \t]*(?:exec:)?([^\n]{1,4000})",
    re.M,
)
_WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod", "DeploymentConfig"}


@dataclass(frozen=True)
class Launch:
    source: str  # procfile, dockerfile, compose, k8s, systemd, uwsgi, app.json, heroku.yml, fly.toml, render.yaml
    name: str  # process type, service or container name, CMD / ENTRYPOINT, unit directive
    command: str
    file: File
    line: int | None
    stage: str = RUN
    exec_form: bool = True  # False only for a Dockerfile CMD/ENTRYPOINT in shell form
    via: Launch | None = None  # the launch that runs this one (an npm script run by a CMD)
    dev_image: bool = False  # a Dockerfile only a development compose service builds (bind-mounted source)

    @property
    def snippet(self) -> str:
        return f"{self.name}: {self.command}" if self.name else self.command

    @property
    def origin(self) -> Launch:
        """The launch a deploy file names, at the start of the chain that runs this one."""
        return self if self.via is None else self.via.origin

    @property
    def development(self) -> bool:
        """Named by a development-only file (a devcontainer, docker-compose.dev.yml)."""
        return self.origin.dev_image or is_development(self.origin.file)


_DEV_FOLDERS = {".devcontainer", "dev", "development", "devtools", ".dev", "local"}
_DEV_NAME = re.compile(r"(?i)(?:^|[.\-_])(?:dev|development|local|test|tests|ci|debug|override)(?:[.\-_]|$)")


# A Dockerfile named for development or tests: Dockerfile.dev, dev.Dockerfile, Dockerfile.e2e, Dockerfile-local.
_DEV_DOCKERFILE = re.compile(r"(?i)(?:^|[.\-_])(?:dev|development|local|test|tests|e2e|debug|devcontainer)(?:[.\-_]|$)")


def is_development(f: File) -> bool:
    """A file that only sets up a developer's machine or CI: under .devcontainer/, dev/ or local/ (compose/local/django/start
    beside compose/production/), a compose file named for development or tests (docker-compose.dev.yml,
    compose.override.yml), or a Dockerfile so named (Dockerfile.dev, Dockerfile.e2e)."""
    *folders, name = f.path.lower().split("/")
    if any(p in _DEV_FOLDERS for p in folders):
        return True
    if name.startswith("dockerfile") or name.endswith(".dockerfile"):
        return _DEV_DOCKERFILE.search(name.replace("dockerfile", "")) is not None
    return ("compose" in name and _DEV_NAME.search(name.replace("docker-compose", "").replace("compose", "")) is not None)


def as_command(value: Any) -> str:
    """A command given as a string or an argv list, as one line of text."""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return "" if value is None else str(value)


def launches(ctx: Context) -> list[Launch]:
    """Every launch command of this context's deploy files (files in test/doc/vendor paths excluded)."""
    out = [Launch("procfile", p.name, p.command, p.file, p.line, RELEASE if p.name == "release" else RUN)
           for p in ctx.fact(process_types) + ctx.fact(variant_process_types)]
    out += _dockerfile(ctx)
    out += _compose(ctx)
    out += _kubernetes(ctx)
    for f in ctx.files:
        if f.role is not None:
            continue
        if f.ext == ".service":
            out += _systemd(f)
        elif f.name == "app.json":
            out += _app_json(f)
        elif f.name == "heroku.yml":
            out += _heroku_yml(f)
        elif f.name == "fly.toml":
            out += _fly_toml(f)
        elif f.name in ("render.yaml", "render.yml"):
            out += _render_yaml(f)
        elif f.ext == ".ini" and "[uwsgi]" in f.text:
            out += _uwsgi_ini(f)
        elif f.name.endswith((".nomad", ".nomad.hcl")):
            out += _nomad(f)
    return out


_NOMAD_TASK = re.compile(r'\btask\s+"([^"\n]{1,100})"\s*\{')
_NOMAD_COMMAND = re.compile(r'^\s*command\s*=\s*"((?:[^"\\\n]|\\.){1,4000})"\s*$', re.M)
_NOMAD_ARGS = re.compile(r"^\s*args\s*=\s*\[([^\]]{0,4000})\]", re.M)
_HCL_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def _nomad(f: File) -> list[Launch]:
    """Nomad job files: each task's `config { command = "…" args = […] }` (exec, raw_exec, docker)."""
    out = []
    tasks = list(_NOMAD_TASK.finditer(f.text[:500_000]))
    for i, task in enumerate(tasks[:200]):
        body = f.text[task.end() : tasks[i + 1].start() if i + 1 < len(tasks) else len(f.text)]
        command = _NOMAD_COMMAND.search(body)
        if not command:
            continue
        args = _NOMAD_ARGS.search(body)
        words = [command.group(1)] + ([a.replace('\\"', '"') for a in _HCL_STRING.findall(args.group(1))] if args else [])
        out.append(Launch("nomad", task.group(1), " ".join(words), f, f.line_of(task.end() + command.start()), RUN))
    return out


_FROM_ALIAS = re.compile(r"^(?:--\S+\s+)*(\S+)(?:\s+as\s+(\S+))?", re.I)
_COMPOSE_TARGET = re.compile(r"^[ \t]+target:[ \t]*['\"]?([\w.\-]+)", re.M)


def _stage_commands(df, stage: int) -> list:
    """The ENTRYPOINT and CMD a stage runs: its own, else those it inherits from the stage it is built FROM."""
    froms = df.all("FROM")
    aliases = {}
    for i, ins in enumerate(froms):
        m = _FROM_ALIAS.match(ins.value.strip())
        if m and m.group(2):
            aliases[m.group(2).lower()] = i
    out, seen = {}, set()
    while stage not in seen and 0 <= stage < len(froms):
        seen.add(stage)
        for name in ("ENTRYPOINT", "CMD"):
            own = [i for i in df.instructions if i.instruction == name and i.stage == stage]
            if own and name not in out:
                out[name] = own[-1]
        m = _FROM_ALIAS.match(froms[stage].value.strip())
        stage = aliases.get(m.group(1).lower(), -1) if m else -1
    return [out[n] for n in ("ENTRYPOINT", "CMD") if n in out]


def _target_stages(ctx: Context, df) -> set[int]:
    """The final stage, and the stages compose files build with `target:`."""
    targets = {m.group(1).lower() for f in ctx.fact(compose_files) if f.role is None for m in _COMPOSE_TARGET.finditer(f.text)}
    stages = {df.final_stage}
    for i, ins in enumerate(df.all("FROM")):
        m = _FROM_ALIAS.match(ins.value.strip())
        if m and m.group(2) and m.group(2).lower() in targets:
            stages.add(i)
    return stages


def development_images(ctx: Context) -> set[str]:
    """Dockerfiles (paths) built only by compose services that bind-mount the source checkout (`.:/app`,
    `./:/home/app`): a developer's container that runs the code from the working tree. A Dockerfile that
    a CI workflow, a Kubernetes manifest or a deploy script names, or that a service without the mount
    builds, is not."""
    built: dict[str, bool] = {}  # path -> every service that builds it mounts the source
    for f in ctx.fact(compose_files):
        if f.role is not None:
            continue
        for doc in load_all(f):
            services = doc.get("services") if isinstance(doc, dict) else None
            for spec in services.values() if isinstance(services, dict) else ():
                build = spec.get("build") if isinstance(spec, dict) else None
                if not build:
                    continue
                context = build if isinstance(build, str) else str(build.get("context") or ".") if isinstance(build, dict) else "."
                name = str(build.get("dockerfile") or "Dockerfile") if isinstance(build, dict) else "Dockerfile"
                path = posixpath.normpath(posixpath.join(f.dir, context, name))
                mounted = any(_SOURCE_MOUNT.match(str(v)) for v in spec.get("volumes") or () if isinstance(v, str))
                built[path] = built.get(path, True) and mounted
    candidates = {p for p, mounted in built.items() if mounted}
    if not candidates:
        return set()
    others = [f for f in ctx.files if f.ext in (".yml", ".yaml", ".sh", ".json", ".toml") or f.name == "Makefile"]
    named = set()
    for path in candidates:
        base = posixpath.basename(path)
        if base.lower() == "dockerfile":
            continue  # the default name is too common to tell another use by
        if any(base in o.text for o in others if o.path not in (path,) and o not in ctx.fact(compose_files)):
            named.add(path)
    return {p for p in candidates - named if not p.startswith("..")}


# A bind mount of the checkout (or its root) into the container: `.:/app`, `./:/home/shlink`, `..:/src`.
_SOURCE_MOUNT = re.compile(r"^\s*\.{1,2}/?:/")


def _dockerfile(ctx: Context) -> list[Launch]:
    out = []
    dev_images = ctx.fact(development_images)
    for df in ctx.fact(dockerfiles):
        if df.file.role is not None:
            continue
        instructions = {ins for stage in _target_stages(ctx, df) for ins in _stage_commands(df, stage)}
        for ins in sorted(instructions, key=lambda i: (i.line, i.instruction)):
            exec_form = is_exec_form(ins.value)
            command = ins.value
            if exec_form:
                try:
                    command = as_command(json.loads(ins.value))
                except ValueError:
                    exec_form = False  # not valid JSON: Docker runs it through a shell
            out.append(Launch("dockerfile", ins.instruction, command, df.file, ins.line, RUN, exec_form,
                              dev_image=df.file.path in dev_images))
    return out


def _compose(ctx: Context) -> list[Launch]:
    out = []
    for f in ctx.fact(compose_files):
        if f.role is not None:
            continue
        for doc in load_all(f):
            services = doc.get("services") if isinstance(doc, dict) else None
            if not isinstance(services, dict):
                continue
            for name, spec in services.items():
                if not isinstance(spec, dict):
                    continue
                command = " ".join(c for c in (as_command(spec.get("entrypoint")), as_command(spec.get("command"))) if c)
                if command:
                    stage = JOB if _ONE_OFF_SERVICE.search(str(name)) else RUN
                    out.append(Launch("compose", str(name), command, f, _compose_command_line(f, str(name), spec), stage))
    return out


def builds_service(f: File, name: str) -> bool:
    """The compose service builds the app from the checkout (`build:`), or is not found; False when it
    runs a published image only (`image: vendor/app:1.2`): a compose file for deploying the app."""
    for doc in load_all(f):
        services = doc.get("services") if isinstance(doc, dict) else None
        spec = services.get(name) if isinstance(services, dict) else None
        if isinstance(spec, dict):
            return "build" in spec or "image" not in spec
    return True


def _compose_command_line(f: File, name: str, spec: dict) -> int | None:
    """The line of the service's `command:` (or `entrypoint:`) key, else of the service itself."""
    service = re.compile(rf"^([ \t]*)['\"]?{re.escape(name)}['\"]?[ \t]*:", re.M).search(f.text)
    if service is None:
        return line_of(f, command_head(spec))
    key = "command" if spec.get("command") is not None else "entrypoint"
    indent = len(service.group(1))
    for m in re.finditer(rf"^([ \t]*)(?:{key}[ \t]*:|\S)", f.text[service.end():], re.M):
        if len(m.group(1)) <= indent:
            break  # the next service: the key is not written in this block (an anchor, an extension)
        if m.group(0).rstrip().endswith(":") and key in m.group(0):
            return f.line_of(service.end() + m.start() + len(m.group(1)))
    return f.line_of(service.start())


def command_head(spec: dict) -> str:
    return as_command(spec.get("command") or spec.get("entrypoint"))[:30]


def _kubernetes(ctx: Context) -> list[Launch]:
    out = []
    for m in ctx.fact(manifests):
        if m.file.role is not None:
            continue
        if m.kind in ("Job", "CronJob"):
            pod = _pod_spec(m.doc, m.kind)
            stage = JOB if m.kind == "Job" else SCHEDULE
            groups = [("containers", stage), ("initContainers", stage)]
        elif m.kind in _WORKLOADS:
            pod = _pod_spec(m.doc, m.kind)
            groups = [("containers", RUN), ("initContainers", INIT)]
        else:
            continue
        for key, stage in groups:
            for c in pod.get(key) or []:
                if not isinstance(c, dict):
                    continue
                command = " ".join(x for x in (as_command(c.get("command")), as_command(c.get("args"))) if x)
                if command:
                    name = f"{m.name}/{c.get('name', '')}"
                    out.append(Launch("k8s", name, command, m.file, line_of(m.file, command.split()[0]), stage))
    return out


def _pod_spec(doc: dict, kind: str) -> dict:
    spec = doc.get("spec") if isinstance(doc.get("spec"), dict) else {}
    if kind == "CronJob":
        spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    if kind != "Pod":
        spec = (spec.get("template") or {}).get("spec") or {}
    return spec if isinstance(spec, dict) else {}


_SYSTEM_BINARY = re.compile(r"^[ \t]*ExecStart[ \t]*=[ \t]*[-@+!:]*/(?:usr/)?sbin/", re.M)


def is_system_daemon_unit(f: File) -> bool:
    """A unit that starts a system daemon installed from packages (/usr/sbin/opendkim), not the app."""
    return bool(_SYSTEM_BINARY.search(f.text))


def _systemd(f: File) -> list[Launch]:
    if is_system_daemon_unit(f):
        return []
    return [Launch("systemd", m.group(1), m.group(2).strip(), f, f.line_of(m.start()), RUN if m.group(1) == "ExecStart" else INIT)
            for m in _SYSTEMD_EXEC.finditer(f.text)]


def _uwsgi_ini(f: File) -> list[Launch]:
    """uWSGI runs `exec:` hooks before the app and keeps `attach-daemon` processes beside it."""
    return [Launch("uwsgi", "attach-daemon" if "daemon" in m.group(1) else m.group(1), m.group(2).strip(), f, f.line_of(m.start()),
                   RUN if "daemon" in m.group(1) else INIT)
            for m in _UWSGI_LINE.finditer(f.text)]


def _app_json(f: File) -> list[Launch]:
    try:
        data = json.loads(f.text)
    except ValueError:
        return []
    scripts = data.get("scripts") if isinstance(data, dict) else None
    if not isinstance(scripts, dict):
        return []
    return [Launch("app.json", str(k), str(v), f, line_of(f, f'"{k}"'), RELEASE)
            for k, v in scripts.items() if isinstance(v, str)]


def _heroku_yml(f: File) -> list[Launch]:
    out = []
    for doc in load_all(f):
        if not isinstance(doc, dict):
            continue
        release = doc.get("release")
        if isinstance(release, dict):
            command = as_command(release.get("command"))
            out.append(Launch("heroku.yml", "release", command, f, line_of(f, "release:"), RELEASE))
        run = doc.get("run")
        if isinstance(run, dict):
            for name, value in run.items():
                command = as_command(value.get("command") if isinstance(value, dict) else value)
                out.append(Launch("heroku.yml", str(name), command, f, line_of(f, f"{name}:"), RUN))
    return out


def _fly_toml(f: File) -> list[Launch]:
    try:
        data = tomllib.loads(f.text)
    except (tomllib.TOMLDecodeError, ValueError):
        return []
    out = []
    release = (data.get("deploy") or {}).get("release_command")
    if isinstance(release, str):
        out.append(Launch("fly.toml", "release_command", release, f, line_of(f, "release_command"), RELEASE))
    processes = data.get("processes")
    if isinstance(processes, dict):
        out += [Launch("fly.toml", str(k), str(v), f, line_of(f, str(v)[:30]), RUN) for k, v in processes.items()]
    return out


def _render_yaml(f: File) -> list[Launch]:
    out = []
    for doc in load_all(f):
        services = doc.get("services") if isinstance(doc, dict) else None
        for svc in services if isinstance(services, list) else []:
            if not isinstance(svc, dict):
                continue
            name = str(svc.get("name", ""))
            for key, stage in (("preDeployCommand", RELEASE), ("startCommand", RUN)):
                if isinstance(svc.get(key), str):
                    out.append(Launch("render.yaml", name, svc[key], f, line_of(f, svc[key][:30]), stage))
    return out
