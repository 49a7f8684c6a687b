"""V. Build, release, run — strictly separate build and run stages."""

from __future__ import annotations

import json
import os
import re
import shlex
from collections.abc import Iterator

from ..context import Context, Raw, found
from ..facts.buildcontext import copy_sources, env_copied_into_image, source_mounts
from ..facts.ci import ci_files
from ..facts.compose import services
from ..facts.config_bundles import development_section
from ..facts.dockerfile import Dockerfile, dockerfiles
from ..facts.gitrefs import origin_url, repo_name
from ..facts.images import container_images
from ..facts.k8s import helm_templates
from ..facts.launch import JOB, RELEASE, RUN, Launch, launches
from ..facts.migrations import MIGRATE_COMMAND
from ..facts.secret_values import is_placeholder
from ..facts.secrets import committed_secrets, not_deployed, zone
from ..facts.service_images import floats, template_file
from ..facts.shell import commands_of, is_shell_script, start_scripts
from ..facts.startpath import documented_launches, package_scripts, script_line, start_commands
from ..facts.yamlfiles import line_of
from ..model import Severity
from ..registry import check
from ..tree import File

FACTOR = 5

_BUILDPACK_FILES = re.compile(r"^(project\.toml|\.buildpacks|nixpacks\.toml|heroku\.yml|procfile)$", re.I)
_CI_BUILD = re.compile(
    r"\bdocker(?:\s+buildx)?\s+build\b|\bdocker/build-push-action\b|\bbuildah\s+bud\b|\bkaniko\b|\bpack\s+build\b|"
    r"\bjib(?:Build|DockerBuild)?\b|\bko\s+build\b|\bgoreleaser\b|\bmvnw?\s+[^\n]{0,80}?\b(?:package|install|deploy|verify)\b|"
    r"\bgradlew?\s+[^\n]{0,80}?\b(?:build|assemble|bootJar|shadowJar)\b|\b(?:npm|pnpm|yarn)\s+(?:run\s+)?build\b|"
    r"\bpython3?\s+-m\s+build\b|\bcargo\s+build\s+--release\b|\bdotnet\s+publish\b|\bgo\s+build\b"
)
# Build plugins that package the app as an executable jar or an image (`spring-boot:build-image`, Jib).
_JVM_PACKAGER = re.compile(r"\bspring-boot-maven-plugin\b|\bid\s*\(?\s*['\"]org\.springframework\.boot['\"]|\bjib-maven-plugin\b|"
                           r"\bcom\.google\.cloud\.tools\.jib\b")
_CI_VERSION_TAG = re.compile(
    r"(?:-t|--tag)[ \t=]{1,10}[^\s:]{1,200}:[^\s]{0,200}?\$\{?\{?\s*(?:github\.sha|github\.ref_name|GITHUB_SHA|CI_COMMIT_SHA|"
    r"CI_COMMIT_SHORT_SHA|CI_COMMIT_TAG|CIRCLE_SHA1|CIRCLE_TAG|GIT_COMMIT|GIT_SHA|BUILD_NUMBER|BUILD_ID|"
    r"[A-Z_]*(?:TAG|VERSION|SHA)\b|steps\.[\w\-]+\.outputs\.\w+|env\.\w+)|\bdocker/metadata-action\b"
)
_TEMPLATE_VERSION_TAG = re.compile(r"\.Values\.image\.tag\b|\.Chart\.AppVersion\b")
_DEPLOY = re.compile(
    r"\bhelm\s+(?:upgrade|install)\b|\bkubectl\s+(?:apply|set\s+image|rollout)\b|\bfly(?:ctl)?\s+deploy\b|"
    r"\bheroku\s+container:release\b|\bgit\s+push\s+heroku\b|\baws\s+ecs\s+update-service\b|\baws\s+deploy\b|"
    r"\bgcloud\s+(?:run|app)\s+deploy\b|\bkamal\s+deploy\b|\baz\s+webapp\s+deploy\b|\beb\s+deploy\b|"
    r"\b(?:serverless|sls)\s+deploy\b|\bargocd\s+app\s+sync\b|\brailway\s+up\b|\bskaffold\s+run\b"
)

_SECRET_NAME = re.compile(
    r"SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|SIGNING_?KEY|AUTH_?KEY|"
    r"(?:^|_)(?:PWD|PASS)(?:_|$)", re.I
)
# the first account's credential, used once to create it: KELLNR_SETUP__ADMIN_PWD, INITIAL_ADMIN_PASSWORD
_SEED_NAME = re.compile(r"(?:^|_)(?:SETUP|INITIAL|INIT|BOOTSTRAP|FIRST_?RUN|DEFAULT)_|(?:^|_)ADMIN_?(?:PWD|PASS)", re.I)
# a config file a COPY may put into the image, checked for the secrets committed in it
_CONFIG_FILE = re.compile(r"(?i)\.(?:ya?ml|json|properties|toml|ini|conf|cfg|xml|php|exs|rb|py|js)$")
_CONNECTION_NAME = re.compile(r"^(?:DATABASE|DB|REDIS|MONGO(?:DB)?|AMQP|BROKER|RABBITMQ|CACHE|CELERY_BROKER)_(?:URL|URI|DSN)$", re.I)
_PLACEHOLDER = re.compile(
    r"^(?:changeme|change-me|change_me|dummy\S*|placeholder|notsecret|not-a-secret|x+|secret|password|test|build\S*|"
    r"none|null|unused|fake\S*|example|collectstatic\S*|insecure\S*)$",
    re.I,
)
_URL_CREDENTIALS = re.compile(r"^[a-z][\w+.\-]*://[^/\s:@]*:[^/\s@]+@", re.I)
_LOCAL_HOST = re.compile(r"://(?:[^/@\s]*@)?(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|db|postgres|redis|mysql)(?::|/|$)|^(?:jdbc:)?sqlite\d?:|^(?:jdbc:h2:)?file:", re.I)
_SECRET_FILE = re.compile(
    r"^\.env(?:\.(?!example|sample|template|dist|defaults?)[\w.\-]+)?$|^id_(?:rsa|dsa|ecdsa|ed25519)$|\.pem$|\.key$|\.p12$|\.pfx$|"
    r"^credentials\.json$|^service[-_]?account[\w.\-]*\.json$|^\.npmrc$|^\.pypirc$|^secrets?\.(?:ya?ml|json|env|toml)$",
    re.I,
)

_INSTALL = re.compile(
    r"\b(?:npm\s+(?:install|i|ci)\b|(?:npm|pnpm)\s+run\s+build\b|yarn\s+(?:install|build)\b|yarn(?=\s*(?:&&|;))|"
    r"pnpm\s+(?:install|i)\b|pip3?\s+install\b|pipenv\s+install\b|poetry\s+install\b|uv\s+sync\b|bundle\s+install\b|"
    r"composer\s+install\b|go\s+(?:build|get|run|install)\b|cargo\s+(?:build|run|install)\b|"
    r"mvnw?\s+(?:[\w:.\-]+\s+){0,5}?(?:package|install|compile|spring-boot:run)\b|"
    r"gradlew?\s+(?:[\w:.\-]+\s+){0,5}?(?:build|assemble|bootRun|run)\b|dotnet\s+(?:restore|build|publish|run)\b|"
    r"apt-get\s+install\b|apk\s+add\b|(?:next|vite|ng)\s+build\b|webpack\b)"
)
# Build steps that only read the code: collected static files, compiled assets and messages.
_ASSET_BUILD = re.compile(
    r"\bmanage\.py\s+(?:collectstatic|compilemessages|compress)\b|\b(?:rails|rake)\s+(?:assets:precompile|webpacker:compile)\b|"
    r"\bbin/console\s+(?:assets:install|asset-map:compile)\b|\bartisan\s+(?:filament:assets|vendor:publish\s+--tag=\S*assets)\b"
)
_NPM_SCRIPT = re.compile(r"\b(?:npm|pnpm|yarn)\s+(?:run(?:-script)?\s+)?([\w:\-]+)")

_SSH_MUTATE = re.compile(
    r"\bssh\b[^\n]{0,300}?(?:\bgit\s+(?:pull|fetch|checkout|reset|clone)\b|\bsed\s+-i\b|\b(?:npm|yarn|pip3?|bundle|composer)\s+install\b)"
)
_COPY_TO_SERVER = re.compile(r"\b(?:rsync|scp)\b[^\n;&|]{0,300}?\s(?:[\w.\-]+@)?[\w.\-]+:[^\s;&|'\"]*\s*(?:$|[;&|'\"])", re.M)
_FABRIC = re.compile(r"\b(?:run|sudo)\s*\(\s*[rf]?['\"][^'\"\n]{0,200}?\bgit\s+(?:pull|fetch|checkout|reset)\b")
_SSH_ACTION = re.compile(r"\bssh-action\b")
_GIT_PULL_LINE = re.compile(r"\bgit\s+pull\b")
_DEPLOY_SCRIPT_NAMES = re.compile(r"^(makefile|justfile|package\.json|fabfile\.py|capfile)$", re.I)

_SSH_WORD = re.compile(r"\bssh\b")  # remote commands: reported by _SSH_MUTATE
_UPGRADE_SCRIPT_NAME = re.compile(r"^(?:deploy|redeploy|update|upgrade|self-?update)(?:[-_.:][\w.\-:]*)?$", re.I)
_GIT_UPDATE = re.compile(r"\bgit\s+(?:pull|reset\s+--hard\s+origin|checkout\s+(?:-f\s+)?(?:origin/|v?\$|tags/))")
_RESTART = re.compile(
    r"\b(?:systemctl|service)\s+(?:\S+\s+)?(?:restart|reload)\b|\bpm2\s+(?:restart|reload)\b|\bsupervisorctl\s+restart\b|"
    r"\bpassenger-config\s+restart-app\b|\bphp\s+artisan\s+(?:optimize|config:cache)\b|\btouch\s+\S*(?:restart\.txt|wsgi\.py)\b"
)
_GIT_CLONE = re.compile(r"\bgit\s+clone\b(?:\s+-{1,2}[\w\-]+(?:[= ]\d+)?)*\s+['\"]?(?P<url>[^\s'\"]+)")
_GIT_PULL = re.compile(r"\bgit\s+pull\b")
_ARG_REF = re.compile(r"\$\{?(\w+)\}?")
# The app runs git on its own checkout: exec('git reset --hard …'), subprocess.run(["git", "pull"]) …
_SELF_UPDATE = re.compile(
    r"\b(?:exec|shell_exec|system|passthru|popen|proc_open|execSync|spawnSync|spawn|check_call|check_output|run|call|"
    r"Popen|Command|getRuntime\(\)\.exec|ProcessBuilder|Start|capture2e?|`)\s*\(?\s*\[?\s*['\"]git"
    r"(?:['\"]\s*,\s*['\"]|\s+)(?:pull|reset\s+--hard|(?:fetch|reset)['\"]?\s*,\s*['\"]--hard)"
)
_REMOTE_COPY = re.compile(r"^\s*(?:rsync|scp)\b")
_REMOTE_TARGET = re.compile(r"\s['\"]?(?:[\w.\-]+@)?(?:[\w.\-]+|\$\{?\w+\}?)['\"]?:[^\s;&|]*\s*$")


@check(
    "build-release-run.build-definition",
    factor=FACTOR,
    title="A build definition produces the artifact",
    remediation="Define the build in the repository: a Dockerfile, buildpack configuration or a CI job that builds an artifact.",
)
def build_definition(ctx: Context) -> Iterator[Raw]:
    """Positive evidence: a Dockerfile/Containerfile, buildpack files, a CI job that builds an artifact, or a JVM build plugin that packages the app (Spring Boot's, Jib)."""
    own = [df for df in ctx.fact(dockerfiles) if df.file.role is None and "/.devcontainer/" not in "/" + df.file.path]
    if own:
        yield found(Severity.INFO, f"The image is built from {ctx.rel(own[0].file.path)}.", own[0].file.path)
    else:
        packs = [f for f in ctx.files if f.role is None and _BUILDPACK_FILES.match(f.name)]
        if packs:
            yield found(Severity.INFO, f"A buildpack platform builds the app ({ctx.rel(packs[0].path)}).", packs[0].path)
    hit = ctx.first(_CI_BUILD, ctx.fact(ci_files), where="any")
    if hit:
        yield hit.found(Severity.INFO, "CI builds an artifact from each commit.")
    builds = [f for f in ctx.named("pom.xml", "build.gradle", "build.gradle.kts") if f.role is None]
    hit = ctx.first(_JVM_PACKAGER, builds, where="any")
    if hit:
        yield hit.found(Severity.INFO, "The build packages a runnable artifact or image (Spring Boot or Jib build plugin).")


@check(
    "build-release-run.versioned-images",
    factor=FACTOR,
    title="Images are tagged by version or commit",
    remediation="Tag every built image with the commit SHA or release version, not only `latest`.",
)
def versioned_images(ctx: Context) -> Iterator[Raw]:
    """Positive evidence: images tagged with a commit SHA or version (CI tags, compose or Helm image tags)."""
    hit = ctx.first(_CI_VERSION_TAG, ctx.fact(ci_files), where="any")
    if hit:
        yield hit.found(Severity.INFO, "CI tags images with a version or commit.")
        return
    for s in ctx.fact(services):
        if s.build and s.image and ":${" in s.image and s.file.role is None:
            yield found(Severity.INFO, "The built image is tagged with a version variable.", s.file.path,
                        line_of(s.file, s.image), s.image)
            return
    hit = ctx.first(_TEMPLATE_VERSION_TAG, ctx.fact(helm_templates), where="any")
    if hit:
        yield hit.found(Severity.INFO, "The Helm chart deploys an image tag chosen per release.")


@check(
    "build-release-run.release-step",
    factor=FACTOR,
    title="A release step combines a build with config",
    remediation="Add a release step: a Procfile `release:` process, a Helm hook or Job, or a deploy workflow.",
)
def release_step(ctx: Context) -> Iterator[Raw]:
    """Positive evidence: a release phase (Procfile `release:`, Helm hook, Kubernetes Job, deploy workflow)."""
    for launch in ctx.fact(launches):
        if launch.stage == RELEASE or (launch.stage == JOB and launch.source in ("k8s", "compose")):
            yield found(Severity.INFO, f"A release step runs once per deploy ({launch.source} {launch.name}).",
                        launch.file.path, launch.line, launch.snippet)
            return
    for f in ctx.fact(helm_templates):
        if "helm.sh/hook" in f.text:
            yield found(Severity.INFO, "A Helm hook runs a release step.", f.path)
            return
    hit = ctx.first(_DEPLOY, ctx.fact(ci_files), where="any")
    if hit:
        yield hit.found(Severity.INFO, "A deploy workflow releases each build.")


@check(
    "build-release-run.secrets-in-build",
    factor=FACTOR,
    title="Secrets or per-deploy config are baked into the build",
    remediation="Pass secrets and per-deploy settings at run time (environment, secret store); use BuildKit secrets (`RUN --mount=type=secret`) for build-time credentials.",
)
def secrets_in_build(ctx: Context) -> Iterator[Raw]:
    """Secrets or per-deploy config in the image: `ENV AWS_SECRET_ACCESS_KEY=…`, `ARG TOKEN=…`, `COPY .env`.

    A build must be the same artifact for every deploy; config is joined with it at release.
    An image with credentials baked in leaks them to everyone who can pull it (and its layers keep
    them even if a later step deletes the file), and cannot be promoted from staging to production.
    `COPY . .` with no .dockerignore entry for .env is high when a .env is committed, and medium when
    the app expects one in that folder (a `.env.example`, a dotenv library): every local build bakes it in.
    A COPY of a committed config file that holds a literal secret (`COPY application.yml` with a
    datasource password) is high; an `ENV` seeding the first account's password with a default
    (`SETUP__ADMIN_PWD=admin`) is medium.
    """
    for df in ctx.fact(dockerfiles):
        for ins in df.all("ENV", "ARG"):
            for name, value in _assignments(ins.value):
                raw = _baked(ins.instruction, name, value)
                if raw:
                    severity, message = raw
                    yield found(severity, message, df.file.path, ins.line, f"{ins.instruction} {ins.value}",
                                secrets=(value,) if value else ())
        for ins in df.all("COPY", "ADD"):
            for source in copy_sources(ins.value):
                if _SECRET_FILE.search(source.rstrip("/").rsplit("/", 1)[-1]) and not _settings_only(ctx, df, source):
                    yield found(Severity.HIGH, f"{ins.instruction} puts {source} into the image.", df.file.path,
                                ins.line, f"{ins.instruction} {ins.value}")
        yield from _config_with_secrets_copied(ctx, df)
        copied = env_copied_into_image(ctx, df)
        if copied and copied.committed:
            yield found(Severity.HIGH, f"{copied.instruction} copies the whole folder, including the committed .env, into the image.",
                        df.file.path, copied.line, f"{copied.instruction} {_instruction(df, copied.line)}")
        elif copied:
            yield found(Severity.MEDIUM, f"{copied.instruction} copies the whole build context into the image and no .dockerignore "
                        f"excludes .env ({copied.why}): a local .env with its secrets is baked in.",
                        df.file.path, copied.line, f"{copied.instruction} {_instruction(df, copied.line)}")


def _config_with_secrets_copied(ctx: Context, df: Dockerfile) -> Iterator[Raw]:
    """`COPY application.yml …`: a committed config file that holds literal secrets (a database password,
    an API secret) put into the image, so every image carries one deploy's credentials."""
    holding = None
    for ins in df.all("COPY", "ADD"):
        for source in copy_sources(ins.value):
            name = source.rstrip("/").rsplit("/", 1)[-1]
            if "*" in name or not _CONFIG_FILE.search(name) or _SECRET_FILE.search(name):
                continue
            if holding is None:
                holding = _files_with_secrets(ctx)
            rel = source.removeprefix("./").lstrip("/")
            folders = [df.file.dir, ""] if df.file.dir else [""]
            for path in dict.fromkeys(f"{d}/{rel}" if d else rel for d in folders):
                if path in holding:
                    yield found(Severity.HIGH, f"{ins.instruction} puts {source}, which holds a committed secret (line "
                                f"{holding[path]}), into the image.", df.file.path, ins.line, f"{ins.instruction} {ins.value}")
                    break
    for ins in df.all("RUN"):
        if "cp " not in ins.value and "mv " not in ins.value:
            continue
        for m in _RUN_COPY.finditer(ins.value):
            source = m.group("src").strip("'\"")
            if not _CONFIG_FILE.search(source) or "*" in source or "$" in source:
                continue
            if holding is None:
                holding = _files_with_secrets(ctx)
            rel = source.removeprefix("./")
            for path in dict.fromkeys(p for p in (rel.lstrip("/"), f"{df.file.dir}/{rel}" if df.file.dir else rel) if p):
                if path in holding:
                    yield found(Severity.HIGH, f"RUN {m.group('verb')} installs {source}, which holds a committed secret "
                                f"(line {holding[path]}), as the image's configuration.", df.file.path, ins.line,
                                f"RUN {ins.value}"[:200])
                    break


# `cp -f src/Web/appsettings.docker.json src/Web/appsettings.json` in a RUN: one environment's settings made the image's
_RUN_COPY = re.compile(r"(?:^|[;&|(]\s*)(?P<verb>cp|mv|install)\s+(?:-[\w\-]+\s+)*(?P<src>[^\s;&|]+)\s+(?P<dst>[^\s;&|-][^\s;&|]*)")


def _files_with_secrets(ctx: Context) -> dict[str, int]:
    """Deployable files holding a hard-coded credential, with the first such line (not test stacks,
    samples, development sections or placeholders)."""
    out: dict[str, int] = {}
    for secret in ctx.fact(committed_secrets):
        f = secret.file
        if not secret.line or f.role is not None or not_deployed(f) or development_section(f, secret.line):
            continue
        out.setdefault(f.path, secret.line)
    return out


_REGISTRY_CREDENTIAL = re.compile(r"(?i)_auth(?:token)?\b|_password\b|^\s*password\s*[:=]|^\s*username\s*[:=]|token\s*[:=]", re.M)


def _settings_only(ctx: Context, df: Dockerfile, source: str) -> bool:
    """A committed .npmrc/.pypirc holding only settings (engine-strict, shamefully-hoist), no registry credential."""
    name = source.rstrip("/").rsplit("/", 1)[-1]
    if name.lower() not in (".npmrc", ".pypirc", ".yarnrc", ".yarnrc.yml"):
        return False
    rel = source.removeprefix("./").lstrip("/")
    candidates = [ctx.tree.get(f"{df.file.dir}/{rel}" if df.file.dir else rel), ctx.tree.get(rel)]
    committed = [f for f in candidates if f is not None]
    return bool(committed) and not any(_REGISTRY_CREDENTIAL.search(f.text) for f in committed)


def _instruction(df: Dockerfile, line: int) -> str:
    return next((i.value for i in df.instructions if i.line == line), "")


def _assignments(value: str) -> list[tuple[str, str]]:
    try:
        tokens = shlex.split(value, posix=True)
    except ValueError:
        tokens = value.split()
    if not tokens:
        return []
    if "=" not in tokens[0]:  # legacy `ENV NAME value` or `ARG NAME`
        return [(tokens[0], " ".join(tokens[1:]))]
    return [tuple(t.split("=", 1)) for t in tokens if "=" in t]  # type: ignore[misc]


def _placeholder_url(value: str) -> bool:
    user, _, password = _URL_CREDENTIALS.match(value).group(0).split("://", 1)[1].rstrip("@").partition(":")
    return is_placeholder(password) and (is_placeholder(user) or bool(_LOCAL_HOST.search(value)))


def _baked(instruction: str, name: str, value: str) -> tuple[Severity, str] | None:
    if not value or "$" in value:
        return None  # no default, or a reference to a build argument
    if _CONNECTION_NAME.search(name):
        if _URL_CREDENTIALS.match(value) and _placeholder_url(value):
            return None  # postgresql://placeholder:placeholder@localhost/…: only so a build tool (prisma generate) runs
        if _URL_CREDENTIALS.match(value):
            return Severity.CRITICAL, f"{instruction} {name} bakes a connection string with credentials into the image."
        if instruction == "ENV" and not _LOCAL_HOST.search(value):
            return Severity.HIGH, f"ENV {name} bakes per-deploy config into the image."
        return None
    if not _SECRET_NAME.search(name):
        return None
    if instruction == "ARG":
        if _PLACEHOLDER.match(value):
            return None
        return Severity.HIGH, f"ARG {name} has a secret default, kept in the image's build history."
    if _SEED_NAME.search(name) and (_PLACEHOLDER.match(value) or is_placeholder(value)):
        return Severity.MEDIUM, (f"ENV {name} bakes a default credential ({value!r}) for the first account into the image; "
                                 "every deploy that does not override it starts with it.")
    if _PLACEHOLDER.match(value):
        return Severity.HIGH, f"ENV {name} bakes a placeholder secret into the image; it is used whenever a deploy forgets to set it."
    return Severity.CRITICAL, f"ENV {name} bakes a secret into the image."


@check(
    "build-release-run.install-at-startup",
    factor=FACTOR,
    title="Dependencies are installed or code compiled at start-up",
    remediation="Install dependencies and compile in the build (Dockerfile RUN, buildpack); start the built artifact only.",
)
def install_at_startup(ctx: Context) -> Iterator[Raw]:
    """Dependency installs or compilation in the command that starts the app.

    `web: npm install && node server.js` or `CMD pip install -r requirements.txt && …` makes
    every start slow and fragile (the registry may be down), and each instance may run different
    versions: what runs is no longer the build that was tested. Start commands are followed into
    the npm scripts and start scripts they run. A deploy command a README gives under a deploy
    heading (`npm ci && … && node dist/main.js`) is low, and counted although it is in a document.
    """
    packages = _package_scripts(ctx)
    reported: set[int] = set()
    for launch in ctx.fact(start_commands):
        origin = launch.origin
        if launch.stage != RUN or _development_compose(origin) or id(origin) in reported:
            continue
        m = _INSTALL.search(launch.command) or (launch.via is None and _via_npm_script(launch.command, packages))
        if m:
            reported.add(id(launch))
            yield found(Severity.HIGH, f"The {launch.source} command '{launch.name}' installs or compiles at start-up "
                        f"({m.group(0).strip()}).", launch.file.path, launch.line, launch.snippet)
    for script in ctx.fact(start_scripts):
        launch = script.referenced_by
        if (launch is not None and _development_compose(launch.origin)) or script.development:
            continue  # a script only a development compose file starts, as for its inline commands above
        for command in script.commands:
            m = _INSTALL.search(command.text)
            if m:
                yield found(Severity.HIGH, f"The start script installs or compiles at start-up ({m.group(0).strip()}).",
                            script.file.path, command.line, command.text)
                break
        for command in script.commands:
            m = _ASSET_BUILD.search(command.text)
            if m:
                yield found(Severity.MEDIUM, f"The start script builds static assets at every start ({m.group(0).strip()}); "
                            "build them into the image or the slug.", script.file.path, command.line, command.text)
                break
    for launch in ctx.fact(start_commands):
        m = _ASSET_BUILD.search(launch.command) if launch.stage == RUN and not _development_compose(launch.origin) else None
        if m:
            yield found(Severity.MEDIUM, f"The {launch.source} command '{launch.name}' builds static assets at every start "
                        f"({m.group(0).strip()}); build them into the image or the slug.", launch.file.path, launch.line,
                        launch.snippet)
    for launch in ctx.fact(documented_launches):
        m = _INSTALL.search(launch.command)
        if m:
            # low but counted in a document: the procedure operators follow, maybe not the only deploy
            yield found(Severity.LOW, f"The documented deploy command installs or compiles on the server before starting it "
                        f"({m.group(0).strip()}).", launch.file.path, launch.line, launch.command, anywhere=True)


def _development_compose(launch: Launch) -> bool:
    """Compose files without "prod" in their name describe development, as do development-only files."""
    return (launch.source == "compose" and "prod" not in launch.file.name.lower()) or launch.development


def _package_scripts(ctx: Context) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in ctx.named("package.json"):
        if f.role is not None or f.path.count("/") > ctx.scope.count("/") + 1:
            continue
        try:
            scripts = json.loads(f.text).get("scripts") or {}
        except (ValueError, AttributeError):
            continue
        if isinstance(scripts, dict):
            out.update({k: v for k, v in scripts.items() if isinstance(v, str) and k not in out})
    return out


def _via_npm_script(command: str, scripts: dict[str, str]) -> re.Match | None:
    m = _NPM_SCRIPT.search(command)
    if not m or not scripts:
        return None
    name = m.group(1)
    if name in ("install", "i", "ci", "exec", "dlx"):
        return None
    for key in (f"pre{name}", name):
        inner = _INSTALL.search(scripts.get(key, ""))
        if inner:
            return inner
    return None


@check(
    "build-release-run.mutating-deploy",
    factor=FACTOR,
    title="Deploys change code on a running server",
    remediation="Deploy a new build (image, slug, package) and restart processes from it instead of pulling or copying code onto servers.",
)
def mutating_deploy(ctx: Context) -> Iterator[Raw]:
    """Deploy scripts that change a running box: `ssh … git pull`, rsync/scp of source to servers, `sed -i` over ssh,
    ssh here-documents or quoted commands that run a deploy/reset script, a restart or an install there,
    and deploy/update/upgrade scripts (shell or npm) that `git pull` on the server and then install, build or restart.

    Changing code in place on a server skips the build and release stages: there is no immutable
    release to roll back to, and servers drift apart.
    """
    message = "A deploy script changes code on a running server instead of releasing a new build."
    cis = ctx.fact(ci_files)
    files = [f for f in ctx.files if f.role is None and (f in cis or is_shell_script(f) or _DEPLOY_SCRIPT_NAMES.match(f.name))]
    for pattern in (_SSH_MUTATE, _COPY_TO_SERVER):
        for hit in ctx.grep(pattern, files, where="code"):
            if not hit.text.lstrip().startswith("#"):
                yield hit.found(Severity.MEDIUM, message)
    for f in files:  # rsync -a … \ (continued) … . "$host":app: the target is on the last line
        if "rsync" in f.text or "scp" in f.text:
            for c in commands_of(f.text):
                if c.text.count(" ") > 2 and _REMOTE_COPY.match(c.text) and _REMOTE_TARGET.search(c.text):
                    if not _COPY_TO_SERVER.search(f.line_text(c.line)):  # already reported on its line
                        yield found(Severity.MEDIUM, message, f.path, c.line, f.line_text(c.line))
    yield from _remote_commands(files, message)
    yield from _self_update(ctx)
    fabfiles = [f for f in ctx.source("python") if f.role is None and f.name.startswith("fabfile")]
    for hit in ctx.grep(_FABRIC, fabfiles, where=("code", "string")):
        yield hit.found(Severity.MEDIUM, message)
    for f in cis:
        if _SSH_ACTION.search(f.text):
            hit = ctx.first(_GIT_PULL_LINE, [f], where="any")
            if hit:
                yield hit.found(Severity.MEDIUM, message)
    yield from _upgrade_in_place(ctx)


# ssh that runs commands on the server: a here-document (`ssh $HOST << EOF` … `EOF`) or a quoted command
_SSH_REMOTE = re.compile(r"^[ \t]*(?:sudo\s+)?ssh\b[^\n#]*?(?:<<-?[ \t]*['\"]?(?P<tag>\w+)['\"]?|\s(?P<q>['\"])(?P<cmd>[^'\"\n]{3,400})(?P=q))", re.M)
# what changes the box: a deploy/reset/restart script, a restart, an install, unpacking or starting a new build
_REMOTE_CHANGE = re.compile(
    r"(?:^|[\s;&|])(?:sudo\s+)?(?:\.{1,2}/|/[\w.\-/]+/)?[\w.\-]*(?:deploy|reset|restart|release|install|upgrade|update|start)"
    r"[\w.\-]*\.sh\b|\b(?:systemctl|service)\s+(?:\S+\s+)?(?:restart|reload|start)\b|\bpm2\s+(?:restart|reload|start)\b|"
    r"\bsupervisorctl\s+restart\b|\bdocker(?:-compose|\s+compose)\s+(?:up|pull|build)\b|\bnohup\s+java\b|\bjava\s+-jar\b|"
    r"\btar\s+-?[a-z]*x|\bunzip\b|\b(?:npm|yarn|pip3?|bundle|composer)\s+install\b|\bgit\s+(?:pull|checkout|reset)\b",
    re.I,
)


def _remote_commands(files: list[File], message: str) -> Iterator[Raw]:
    """`ssh $REMOTE << EOF … sudo ./reset.sh … EOF`, `ssh host "cd app && ./deploy.sh"`: a deploy script that
    logs into the server and changes what runs there (a reset or deploy script, a restart, unpacking a build)."""
    for f in files:
        if "ssh" not in f.text or not is_shell_script(f):
            continue
        for m in _SSH_REMOTE.finditer(f.text):
            if _SSH_MUTATE.search(m.group(0)):
                continue  # reported on its line already
            if m.group("tag"):
                end = re.compile(rf"^[ \t]*{re.escape(m.group('tag'))}[ \t]*$", re.M).search(f.text, m.end())
                remote = f.text[m.end() : end.start() if end else m.end() + 4000]
            else:
                remote = m.group("cmd")
            if _REMOTE_CHANGE.search(remote):
                line = f.line_of(m.start() + len(m.group(0)) - len(m.group(0).lstrip()))
                yield found(Severity.MEDIUM, message, f.path, line, f.line_text(line))


def _self_update(ctx: Context) -> Iterator[Raw]:
    """The running app replaces its own code: an updater that runs `git pull` or `git reset --hard` on its
    checkout (FreshRSS-style in-app updates), so what runs is no longer the release that was deployed."""
    message = "The running app updates its own code with git instead of being redeployed from a new build."
    sources = [f for f in ctx.files if f.language not in (None, "shell") and f.role is None and zone(f) == "app"]
    sources = [f for f in sources if "git" in f.text]
    for hit in ctx.grep(_SELF_UPDATE, sources, where=("code", "string")):
        yield hit.found(Severity.MEDIUM, message)


def _upgrade_in_place(ctx: Context) -> Iterator[Raw]:
    """A deploy/upgrade script run on the server itself: `git pull` then an install, a build or a restart."""
    message = "An upgrade script pulls the code on the server and installs or restarts there instead of releasing a new build."
    for f in ctx.files:
        if f.role is None and _UPGRADE_SCRIPT_NAME.match(f.name) and is_shell_script(f):
            commands = commands_of(f.text)
            pull = next((c for c in commands if _GIT_UPDATE.search(c.text) and not _SSH_WORD.search(c.text)), None)
            if pull and any(_INSTALL.search(c.text) or _RESTART.search(c.text) for c in commands if c.line >= pull.line):
                yield found(Severity.MEDIUM, message, f.path, pull.line, pull.text)
    for name, (pkg, body) in ctx.fact(package_scripts).items():
        m = _GIT_UPDATE.search(body)
        if _UPGRADE_SCRIPT_NAME.match(name) and m and (_INSTALL.search(body, m.end()) or _RESTART.search(body, m.end())):
            yield found(Severity.MEDIUM, message, pkg.path, script_line(pkg, name), f'"{name}": "{body}"')


@check(
    "build-release-run.source-mounted",
    factor=FACTOR,
    title="Production compose mounts the source over the image",
    remediation="Run the built image as it is in production: keep source bind mounts (`.:/app`) in a development override file only.",
)
def source_mounted(ctx: Context) -> Iterator[Raw]:
    """A compose file used in production bind-mounts the source folder over the app's image.

    The container then runs whatever is checked out on the host, not the build that was tested
    and released: the image is no longer the release, and a `git pull` on the host changes
    production. Reported for prod-named compose files and for a base file that a prod overlay
    (`docker-compose.prod.yml` that only adds options) extends; a plain `docker-compose.yml`
    with a source mount is the usual development setup and is not reported.
    """
    for mount in ctx.fact(source_mounts):
        yield found(Severity.MEDIUM, f"The service {mount.service} bind-mounts the source ({mount.mount}) over its image in "
                    f"{mount.why}.", mount.file.path, mount.line, mount.mount)


@check(
    "build-release-run.floating-base-image",
    factor=FACTOR,
    title="A base image has no version tag",
    remediation="Pin base images to a version tag (python:3.12-slim) or a digest, never `latest` or no tag.",
)
def floating_base_image(ctx: Context) -> Iterator[Raw]:
    """`FROM image` with no tag, or `:latest`: two builds of one commit may use different bases.

    Stage names (`FROM builder`), `scratch` and images chosen through a build argument are not
    reported.
    """
    for df in ctx.fact(dockerfiles):
        stages: set[str] = set()
        defaults = {}  # ARG NAME=default: the base a plain `docker build` uses for FROM ${NAME}
        for ins in df.instructions:
            if ins.instruction == "ARG":
                for name, value in _assignments(ins.value):
                    defaults[name] = (value, ins.line, f"ARG {ins.value}")
            if ins.instruction != "FROM":
                continue
            parts = [p for p in ins.value.split() if not p.startswith("--")]
            if not parts:
                continue
            image, line, snippet = parts[0], ins.line, f"FROM {ins.value}"
            if len(parts) >= 3 and parts[1].lower() == "as":
                stages.add(parts[2].lower())
            arg = _ARG_REF.fullmatch(image)
            if arg and arg.group(1) in defaults and defaults[arg.group(1)][0]:
                image, line, snippet = defaults[arg.group(1)]
            if image.lower() in stages or image.lower() == "scratch" or "$" in image or "@" in image:
                continue
            tag = image.rsplit("/", 1)[-1].partition(":")[2]
            if floats(tag or None):  # no tag, latest, or a channel (lts, stable, alpine) rather than a version
                yield found(Severity.LOW, f"The base image {image} has no version tag.", df.file.path, line, snippet)


@check(
    "build-release-run.floating-app-image",
    factor=FACTOR,
    title="The app's image is deployed with no version tag",
    remediation="Deploy the app's image by the version or commit tag the build pushed (app:1.4.2, app:sha-3f2c1ab), never `latest`.",
)
def floating_app_image(ctx: Context) -> Iterator[Raw]:
    """The app's own image pulled as `:latest` or with no tag by a compose file, a Kubernetes manifest or Helm values.

    A release is a build plus config, identified by a version: with `latest` a restart or a new
    node may pull a different build than the one released, and a rollback has nothing to go back
    to. The app's image is the one several process types share, or the one named like the app.
    """
    for img in ctx.fact(container_images):
        if img.kind == "own" and img.floating:
            how = "is deployed" if img.deploy else "is pulled"
            yield found(Severity.LOW, f"The app's image {img.image} {how} with no version tag.", img.file.path,
                        img.line, img.image, anywhere=template_file(img.file))


@check(
    "build-release-run.git-in-image-build",
    factor=FACTOR,
    title="The image build fetches the app's code with git",
    remediation="COPY the build context into the image instead of cloning or pulling the repository inside the build.",
)
def git_in_image_build(ctx: Context) -> Iterator[Raw]:
    """`git clone` of the app's own repository, or `git pull`, inside the image build.

    The image then contains whatever the branch held at build time, not the commit being built,
    so the build is not reproducible from a commit.
    """
    own = repo_name(origin_url(ctx.tree.root) or os.path.basename(ctx.tree.root))
    for df in ctx.fact(dockerfiles):
        for ins in df.all("RUN"):
            clone = _GIT_CLONE.search(ins.value)
            if _GIT_PULL.search(ins.value) or (clone and repo_name(clone.group("url")) == own):
                yield found(Severity.LOW, "The image build fetches the app's code with git instead of copying the commit being built.",
                            df.file.path, ins.line, f"RUN {ins.value}")


# npm scripts and hooks that a platform runs while it builds (before the release has its config).
_BUILD_HOOKS = {"heroku-postbuild", "heroku-prebuild", "vercel-build", "now-build", "netlify-build", "build", "prebuild",
                "postbuild", "postinstall", "preinstall", "prepare", "render-build", "railway-build"}
_BUILD_SCRIPT_FILE = re.compile(r"(^|/)bin/(?:post_compile|pre_compile|compile)$|(^|/)[\w\-]*build\.sh$")


@check(
    "build-release-run.migrate-in-build",
    factor=FACTOR,
    title="The build migrates the database",
    remediation="Migrate in the release step (Procfile `release:`, a pre-deploy command, a Job): the build only turns code into an artifact.",
)
def migrate_in_build(ctx: Context) -> Iterator[Raw]:
    """Schema migrations run by the build: a platform build hook (`heroku-postbuild`, `vercel-build`,
    `postinstall`, Heroku's bin/post_compile, a build.sh), render.yaml's buildCommand, a Dockerfile
    RUN, composer's post-install and post-update hooks (including the app's own command named for
    upgrading the database, `artisan app:upgrade-database`).

    A build has no business with the deploy's database: it may not reach it, a build that is never
    released has already changed the schema, and a rollback to an older build cannot undo it. The
    release stage, with the config of one environment, migrates.
    """
    for name, (pkg, body) in ctx.fact(package_scripts).items():
        if pkg.role is None and name in _BUILD_HOOKS and (_migrates(body) or _runs_migrate_script(body, ctx)):
            yield found(Severity.MEDIUM, f"The npm build hook '{name}' migrates the database.", pkg.path,
                        script_line(pkg, name), f"{name}: {body}")
    for f in ctx.files:
        if f.role is None and is_shell_script(f) and _BUILD_SCRIPT_FILE.search(ctx.rel(f.path)):
            for command in commands_of(f.text):
                if MIGRATE_COMMAND.search(command.text):
                    yield found(Severity.MEDIUM, "The build script migrates the database.", f.path, command.line, command.text)
                    break
    for df in ctx.fact(dockerfiles):
        if df.file.role is not None:
            continue
        for ins in df.all("RUN"):
            if MIGRATE_COMMAND.search(ins.value):
                yield found(Severity.MEDIUM, "The image build migrates a database (RUN).", df.file.path, ins.line,
                            f"RUN {ins.value}"[:200])
    for f in ctx.files:
        if f.role is None and f.name in ("render.yaml", "render.yml"):
            for m in _RENDER_BUILD.finditer(f.text):
                if MIGRATE_COMMAND.search(m.group(1)):
                    yield found(Severity.MEDIUM, "render.yaml's buildCommand migrates the database.", f.path,
                                f.line_of(m.start()), m.group(0).strip())
    for f in ctx.named("composer.json"):
        if f.role is None and _COMPOSER_HOOKS.search(f.text):
            yield from _composer_hooks(f, "composer's {hook} hook migrates the database.")


# an app's own console command named for changing the schema: `artisan firefly-iii:upgrade-database`,
# `manage.py upgrade_db`, `bin/console app:migrate-db`, `node scripts/upgrade-database.js`
_DB_UPGRADE_COMMAND = re.compile(
    r"(?i)\b[\w:\-]*(?:upgrade|migrate)[-_:]?(?:database|db|schema)\b|\b(?:database|db|schema)[-_:](?:upgrade|migrate)\b"
)


def _migrates(command: str) -> bool:
    return bool(MIGRATE_COMMAND.search(command) or _DB_UPGRADE_COMMAND.search(command))


_RENDER_BUILD = re.compile(r"^[ \t]*buildCommand[ \t]*:[ \t]*([^\n]{1,2000})", re.M)


def _runs_migrate_script(body: str, ctx: Context) -> bool:
    """`yarn db:migrate`: the npm script it runs migrates."""
    scripts = ctx.fact(package_scripts)
    for m in _NPM_SCRIPT.finditer(body):
        name = m.group(1)
        if name in scripts and name not in _BUILD_HOOKS and _migrates(scripts[name][1]):
            return True
    return False


_COMPOSER_HOOKS = re.compile(r'"(post-install-cmd|post-update-cmd|post-autoload-dump)"\s*:')


def _composer_hooks(f: File, message: str) -> Iterator[Raw]:
    try:
        scripts = json.loads(f.text).get("scripts") or {}
    except (ValueError, AttributeError):
        return
    for hook in ("post-install-cmd", "post-update-cmd", "post-autoload-dump"):
        body = scripts.get(hook) if isinstance(scripts, dict) else None
        for command in body if isinstance(body, list) else [body] if isinstance(body, str) else []:
            if isinstance(command, str) and _migrates(command):
                yield found(Severity.MEDIUM, message.format(hook=hook), f.path, line_of(f, command), command)
