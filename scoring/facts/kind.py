"""What kind of repository this is (service, library, static site, CLI, monorepo), with reasons.

The kind decides which factors apply (libraries, static sites and config-less CLIs are not scored
on the process-model factors) and whether a monorepo is scored per deployable.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

from ..context import Context
from ..model import Deployable, Kind
from ..tree import File
from .manifests import ECOSYSTEMS, ecosystems
from .workspace import used_folders

WEB_FRAMEWORKS = {
    "django",
    "flask",
    "fastapi",
    "starlette",
    "aiohttp",
    "tornado",
    "sanic",
    "bottle",
    "pyramid",
    "falcon",
    "quart",
    "litestar",
    "gunicorn",
    "uvicorn",
    "hypercorn",
    "waitress",
    "celery",
    "rq",
    "dramatiq",
    "express",
    "koa",
    "fastify",
    "@nestjs/core",
    "@hapi/hapi",
    "hapi",
    "next",
    "nuxt",
    "@remix-run/node",
    "restify",
    "socket.io",
    "bullmq",
    "bull",
    "@sveltejs/kit",
    "github.com/gin-gonic/gin",
    "github.com/labstack/echo/v4",
    "github.com/gofiber/fiber/v2",
    "github.com/go-chi/chi/v5",
    "github.com/gorilla/mux",
    "google.golang.org/grpc",
    "rails",
    "sinatra",
    "puma",
    "unicorn",
    "sidekiq",
    "hanami",
    "roda",
    "spring-boot-starter-web",
    "spring-boot-starter-webflux",
    "spring-boot-starter",
    "quarkus-resteasy",
    "micronaut-http-server-netty",
    "ktor-server-core",
    "javalin",
    "dropwizard-core",
    "vertx-web",
    "laravel/framework",
    "symfony/framework-bundle",
    "slim/slim",
    "laravel/lumen-framework",
    "actix-web",
    "axum",
    "rocket",
    "warp",
    "tide",
    "poem",
    "hyper",
    "microsoft.aspnetcore",
}
BACKING_CLIENTS = {
    "psycopg",
    "psycopg2",
    "psycopg2-binary",
    "sqlalchemy",
    "redis",
    "pymongo",
    "pg",
    "mysql2",
    "mongoose",
    "ioredis",
    "sequelize",
    "typeorm",
    "prisma",
    "@prisma/client",
    "knex",
    "github.com/lib/pq",
    "github.com/jackc/pgx/v5",
    "github.com/redis/go-redis/v9",
    "gorm.io/gorm",
    "activerecord",
    "sqlx",
    "diesel",
}
DEPLOY_FILES = re.compile(
    r"^(procfile|dockerfile(?!\.(?:py|js|ts|go|rb|md|txt|json|sh|ya?ml|toml)$)([.\-_][\w\-]+)?|[\w.\-]+\.dockerfile|containerfile|app\.json|app\.ya?ml|fly\.toml|render\.ya?ml|"
    r"heroku\.yml|serverless\.ya?ml|(docker-)?compose([.\-][\w.\-]+)?\.ya?ml|manifest\.ya?ml|skaffold\.ya?ml|"
    r"vercel\.json|netlify\.toml|railway\.(json|toml)|nixpacks\.toml|project\.toml)$",
    re.I,
)
STATIC_FILES = re.compile(
    r"^(_config\.yml|mkdocs\.ya?ml|hugo\.(toml|ya?ml|json)|config\.toml|docusaurus\.config\.[jt]s|"
    r"gatsby-config\.[jt]s|astro\.config\.m?[jt]s|\.eleventy\.js|eleventy\.config\.[jt]s|conf\.py|index\.html?)$",
    re.I,
)
_SERVER_CODE = re.compile(
    r"ListenAndServe\(|\.listen\(|app\.run\(|HttpServer::new|axum::serve|WebApplication\.|SpringApplication\.run|"
    r"http\.createServer|uvicorn\.run\(|serve_forever\(|web\.run_app\(|Rack::|TcpListener::bind"
)
MANIFEST_NAMES = re.compile("|".join(e.manifests.pattern for e in ECOSYSTEMS), re.I)


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    reasons: tuple[str, ...]
    deployables: tuple[Deployable, ...] = ()


def classify(ctx: Context) -> Verdict:
    deployables = _deployable_folders(ctx)
    if len(deployables) < 2:
        split = _workspace_clients(ctx)
        if split:
            names = ", ".join(d.path for d in split)
            return Verdict(Kind.MONOREPO, (f"a Cargo workspace whose image builds one binary, beside client binaries: {names}",),
                           split)
    if len(deployables) >= 2:
        parts = []
        uses = used_folders(ctx.tree, deployables)
        for folder in deployables:
            sub = Context(ctx.tree, folder, exclude=[d for d in deployables if d != "."])
            kind, reasons = _kind_of(sub)
            if uses[folder]:
                reasons.append("uses the shared code in " + ", ".join(uses[folder][:4]))
            parts.append(Deployable(folder, kind, tuple(reasons), uses[folder]))
        names = ", ".join(d.path for d in parts)
        return Verdict(
            Kind.MONOREPO, (f"{len(parts)} deployables, each with its own manifest and build: {names}",), tuple(parts)
        )
    kind, reasons = _kind_of(ctx)
    return Verdict(kind, tuple(reasons), (Deployable(".", kind, tuple(reasons)),))


# Images of a test or development tool (Dockerfile.playwright, Dockerfile.dev, e2e.Dockerfile): a
# folder whose only Dockerfile is one of these is not a deployable of its own.
_TOOL_IMAGE = re.compile(
    r"^(?:dockerfile[.\-_](?:playwright|cypress|puppeteer|selenium|tests?|e2e|ci|dev|devel|development|local|debug|"
    r"lint|docs?|storybook)|(?:playwright|cypress|tests?|e2e|ci|dev|local|debug|lint|docs?)\.dockerfile)$",
    re.I,
)


# A Cargo workspace whose image builds one binary (`cargo build --release --bin atuin-server`), and
# whose other member crates build binaries no deploy file builds or runs (the `atuin` CLI and its local
# daemon): the crate of the built binary is the service; each other binary crate is a client, scored
# as a CLI, so its local SQLite, daemon and log files are not the server's.
_CARGO_BUILT = re.compile(r"\bcargo\s+(?:build|install|run|chef\s+cook)\b[^\n]*?\s(?:--bin|-p|--package)[ =]+['\"]?([\w\-]+)")


def _workspace_clients(ctx: Context) -> tuple[Deployable, ...]:
    root = next((f for f in ctx.named("Cargo.toml") if f.dir == "" and f.role is None), None)
    if root is None or "[workspace]" not in root.text:
        return ()
    images = [f for f in ctx.files if f.role is None and DEPLOY_FILES.match(f.name) and not _TOOL_IMAGE.match(f.name)
              and "dockerfile" in f.name.lower()]
    built = {m.group(1) for f in images for m in _CARGO_BUILT.finditer(f.text)}
    if not built:
        return ()
    paths = {f.path for f in ctx.files}
    crates: dict[str, set[str]] = {}  # a member crate's folder -> the binaries it builds
    for f in ctx.named("Cargo.toml"):
        if f.role is not None or f.dir == "" or f.dir.count("/") > 2:
            continue
        try:
            data = tomllib.loads(f.text)
        except (tomllib.TOMLDecodeError, ValueError):
            continue
        package = data.get("package") if isinstance(data.get("package"), dict) else {}
        bins = {str(b.get("name")) for b in data.get("bin") or () if isinstance(b, dict) and b.get("name")}
        if package.get("name") and f"{f.dir}/src/main.rs" in paths:
            bins.add(str(package["name"]))
        crates[f.dir] = bins
    servers = [d for d, bins in crates.items() if bins & built]
    clients = sorted(d for d, bins in crates.items() if bins and not bins & built)
    if len(servers) != 1 or not clients:
        return ()
    uses = used_folders(ctx.tree, servers + clients)
    server = Deployable(servers[0], Kind.SERVICE, (f"the image builds its binary ({', '.join(sorted(built))})",),
                        uses[servers[0]])
    return (server, *(Deployable(d, Kind.CLI, (f"a binary of the workspace ({', '.join(sorted(crates[d]))}) that no deploy "
                                               "file builds: a client of the service",), uses[d]) for d in clients))


def _deployable_folders(ctx: Context) -> list[str]:
    """Folders holding both a deploy file (Dockerfile, Procfile …) and a manifest of their own."""
    deploy_dirs = {
        f.dir
        for f in ctx.files
        if DEPLOY_FILES.match(f.name)
        and f.role is None
        and not f.name.lower().startswith(("docker-compose", "compose"))
        and not _TOOL_IMAGE.match(f.name)
    }
    manifest_dirs = {f.dir for f in ctx.files if MANIFEST_NAMES.match(f.name) and f.role is None}
    folders = sorted(d for d in deploy_dirs & manifest_dirs if d.count("/") < 3)
    if len(folders) < 2:
        return []
    return ["." if d == "" else d for d in folders]


def _kind_of(ctx: Context) -> tuple[Kind, list[str]]:
    ecos = ctx.fact(ecosystems)
    deps = {d for e in ecos.values() for d in e.dependencies}
    reasons: list[str] = []
    deploy = sorted({ctx.rel(f.path) for f in ctx.files if DEPLOY_FILES.match(f.name) and f.role is None})
    if deploy:
        reasons.append("deploy files: " + ", ".join(deploy[:4]))
    web = sorted(deps & WEB_FRAMEWORKS)
    if web:
        reasons.append("server or worker framework declared: " + ", ".join(web[:4]))
    asax = [f for f in ctx.files if f.name.lower() == "global.asax" and f.role is None]
    if asax:
        reasons.append(f"classic ASP.NET application ({ctx.rel(asax[0].path)})")
    k8s = [f for f in ctx.files if f.ext in (".yaml", ".yml") and "kind: Deployment" in f.text and f.role is None]
    if k8s:
        reasons.append(f"Kubernetes Deployment in {ctx.rel(k8s[0].path)}")
    if not reasons:
        server = _server_code(ctx)
        if server:
            reasons.append(f"starts a server in {ctx.rel(server.path)}")
    if reasons:
        return Kind.SERVICE, reasons
    entry = [e for eco in ecos.values() for e in eco.entry_points]
    if entry and not deps & BACKING_CLIENTS:
        return Kind.CLI, [f"command-line entry points ({', '.join(entry[:3])}) and no server or backing service"]
    if any(e.library_metadata for e in ecos.values()):
        names = sorted(e.name for e in ecos.values() if e.library_metadata)
        return Kind.LIBRARY, [f"packaging metadata for publishing ({', '.join(names)}) and no server or deploy files"]
    # A root index.html has the "doc" role (HTML is demoted as documentation) but is the site itself.
    static = [
        f for f in ctx.files if STATIC_FILES.match(f.name) and f.role in (None, "doc") and "/" not in ctx.rel(f.path)
    ]
    if static and not any(e.sources for e in ecos.values() if e.name != "node"):
        return Kind.STATIC_SITE, [f"static site files ({ctx.rel(static[0].path)}) and no server code"]
    if ecos and not any(e.sources for e in ecos.values()):
        return Kind.LIBRARY, ["manifests but no application source"]
    if ecos:
        return Kind.LIBRARY, ["source code with no server, deploy files or entry points"]
    return Kind.SERVICE, ["no manifest, framework or deploy file recognised; scored as a service"]


def _server_code(ctx: Context) -> File | None:
    hit = ctx.first(_SERVER_CODE, [f for f in ctx.source() if f.role is None], where="code")
    return hit.file if hit else None


# --- Declared by the repository's own .factorcard.yml (scoring/repoconfig.py): replaces detection. ---


def declared(ctx: Context, kind: Kind, folders: tuple[tuple[str, Kind | None], ...], source: str) -> Verdict:
    """The kind the repository declares, or its deployables (a monorepo); a deployable declared
    without a kind is classified as detection would classify its folder."""
    if not folders:
        reason = f"declared in {source} (detected: {classify(ctx).kind.value})"
        return Verdict(kind, (reason,), (Deployable(".", kind, (reason,)),))
    names = [path for path, _ in folders]
    parts = []
    for path, own in folders:
        detected, reasons = _kind_of(Context(ctx.tree, path, exclude=[p for p in names if p != "."]))
        if own is not None:
            reasons = [f"declared in {source} (detected: {detected.value})"]
        parts.append(Deployable(path, own or detected, tuple(reasons)))
    return Verdict(Kind.MONOREPO, (f"{len(parts)} deployables declared in {source}: {', '.join(names)}",), tuple(parts))
