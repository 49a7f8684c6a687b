"""Container images wherever a deployment or a test environment names them: compose, CI services,
Kubernetes, Helm values, Terraform and Testcontainers, so dev/prod parity can compare backing-service
versions and both parity and build/release/run can see images that float.

Every image is one of three kinds:

* a well-known **backing service** (PostgreSQL, Redis, RabbitMQ …), compared across environments;
* the **app's own** image: a compose image shared by several process types, or named like the app
  (its compose services that build, its package or module names, the Kubernetes workload that
  runs it);
* a **third-party** image: tools (adminer, mailpit, nginx …) and anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..context import Context
from ..tree import File, path_role
from .ci import ci_files
from .compose import services
from .k8s import helm_charts, manifests
from .yamlfiles import line_of, load_all, walk

# Image base name (after the last '/') → the service it runs.
SERVICE_IMAGES = {
    "postgres": "PostgreSQL",
    "postgresql": "PostgreSQL",
    "postgis": "PostgreSQL",
    "timescaledb": "PostgreSQL",
    "mysql": "MySQL",
    "mysql-server": "MySQL",
    "percona-server": "MySQL",
    "mariadb": "MariaDB",
    "redis": "Redis",
    "redis-stack-server": "Redis",
    "valkey": "Valkey",
    "keydb": "KeyDB",
    "mongo": "MongoDB",
    "mongodb": "MongoDB",
    "mongodb-community-server": "MongoDB",
    "rabbitmq": "RabbitMQ",
    "memcached": "Memcached",
    "elasticsearch": "Elasticsearch",
    "opensearch": "OpenSearch",
    "kafka": "Kafka",
    "cp-kafka": "Kafka",
    "cassandra": "Cassandra",
    "clickhouse-server": "ClickHouse",
    "nats": "NATS",
    "neo4j": "Neo4j",
    "couchdb": "CouchDB",
    "influxdb": "InfluxDB",
    "mssql-server": "SQL Server",
    "mssql-server-linux": "SQL Server",
    "azure-sql-edge": "SQL Server",
    "oracle-xe": "Oracle",
    "mssql/server": "SQL Server",
    "temporalio/auto-setup": "Temporal",
    "temporalio/server": "Temporal",
}
# Services whose 1.x releases differ by minor version (Temporal 1.18 vs 1.22): compared on major.minor.
_MINOR_VERSIONED = {"Temporal"}
_TF_ENGINE = re.compile(
    r"\bengine\s*=\s*\"(?P<engine>aurora-postgresql|aurora-mysql|postgres|mysql|mariadb|redis|valkey|memcached)\""
)
_TF_VERSION = re.compile(r"\bengine_version\s*=\s*\"(?P<version>[\d.]+)")
_TF_CLOUDSQL = re.compile(r"\bdatabase_version\s*=\s*\"(?P<engine>POSTGRES|MYSQL)_(?P<version>\d+(?:_\d+)?)\"")
_TF_NAMES = {
    "aurora-postgresql": "PostgreSQL",
    "postgres": "PostgreSQL",
    "aurora-mysql": "MySQL",
    "mysql": "MySQL",
    "mariadb": "MariaDB",
    "redis": "Redis",
    "valkey": "Valkey",
    "memcached": "Memcached",
    "POSTGRES": "PostgreSQL",
    "MYSQL": "MySQL",
}
_VERSION = re.compile(r"v?(\d+)(?:\.(\d+))?")
PRODUCTION_SOURCES = ("terraform", "helm", "k8s")
_DEPLOY_COMPOSE = re.compile(r"prod|deploy|release|stack|swarm|live", re.I)

# Testcontainers: an image passed to a container class or builder in test code, in every language
# (`new PostgreSQLContainer<>("postgres:16")`, `PostgresContainer("postgres:16")`,
# `new PostgreSqlBuilder().WithImage("postgres:16")`, `postgres.Run(ctx, "postgres:16")`,
# `GenericImage::new("postgres", "16")`).
_TESTCONTAINERS = re.compile(
    r"(?:\b\w*Container(?:<[^>()]{0,40}>)?(?:\.new)?|\bDockerImageName\.parse|\.WithImage|\bwithImage|"
    r"\b(?:postgres|mysql|mariadb|redis|mongodb|rabbitmq|kafka|elasticsearch)\.Run(?:Container)?)\s*\(\s*"
    r"(?:ctx\s*,\s*|context\.Background\(\)\s*,\s*|testcontainers\.WithImage\(\s*)?"
    r"['\"](?P<ref>[\w./:@\-]{2,120})['\"]|"
    r"\bGenericImage::new\(\s*\"(?P<name>[\w./\-]{2,80})\"\s*,\s*\"(?P<tag>[\w.\-]{1,40})\""
)


@dataclass(frozen=True)
class ServiceImage:
    service: str  # "PostgreSQL", "Redis" …
    image: str  # the reference as written ("postgres:16-alpine"), or "engine_version 15.4" for Terraform
    tag: str | None  # None when the image names no tag (and no digest): it floats like :latest
    source: str  # compose, ci, k8s, helm, terraform, tests
    file: File
    line: int | None

    @property
    def floating(self) -> bool:
        """No tag, `latest`, or a tag that names only a variant (`alpine`, `bookworm`): no version."""
        return floats(self.tag)

    @property
    def major(self) -> str | None:
        """The major version a tag pins ("16" for 16.2-alpine; "9.6" for PostgreSQL 9.6), or None."""
        m = _VERSION.match(self.tag or "")
        if not m:
            return None
        if (self.service == "PostgreSQL" and int(m.group(1)) < 10 or self.service in _MINOR_VERSIONED) and m.group(2):
            return f"{m.group(1)}.{m.group(2)}"
        return m.group(1)


def floats(tag: str | None) -> bool:
    """No tag, `latest`, or a tag naming only a variant (`alpine`, `stable`): no version; a digest pins."""
    return tag is None or (tag != "digest" and not any(c.isdigit() for c in tag))


def split_image(ref: str) -> tuple[str, str | None] | None:
    """(repository path, tag) of an image reference; tag "digest" for a digest, None when absent.

    None for references chosen by a variable or a template, or that are no image at all.
    """
    ref = ref.strip().strip("'\"")
    if not ref or "$" in ref or "{{" in ref or len(ref) > 300 or " " in ref:
        return None
    ref, _, digest = ref.partition("@")
    head, _, last = ref.rpartition("/")
    name, _, tag = last.partition(":")
    if not name:
        return None
    return (f"{head}/{name}" if head else name), (tag or ("digest" if digest else None))


def service_of(path: str) -> str | None:
    parts = path.lower().split("/")
    return SERVICE_IMAGES.get("/".join(parts[-2:])) or SERVICE_IMAGES.get(parts[-1])


def parse_image(ref: str) -> tuple[str | None, str | None]:
    """(service, tag) of a backing-service image; tag "digest" when pinned by digest, None when absent.

    (None, None) for anything that is not a known backing service.
    """
    split = split_image(ref)
    service = service_of(split[0]) if split else None
    if split is None or service is None:
        return None, None
    return service, split[1]


def service_images(ctx: Context) -> list[ServiceImage]:
    skip = ("vendor", "doc", "example")
    examples = ctx.fact(deployment_examples)
    out = [
        img
        for s in ctx.fact(services)
        if s.image and (s.file.role not in skip or template_file(s.file) or s.file.path in examples)
        for img in _image(s.image, "compose", s.file)
    ]
    out += _ci(ctx)
    for m in ctx.fact(manifests):
        for c in m.containers():
            if isinstance(c.get("image"), str):
                out += _image(c["image"], "k8s", m.file)
    out += _helm_values(ctx)
    for f in ctx.files:
        if f.ext == ".tf" and f.role not in skip:
            out += _terraform(f)
    out += _testcontainers(ctx)
    return out


def deployment_examples(ctx: Context) -> set[str]:
    """Compose files in an examples folder that pull the app's own published image (dev/examples/
    docker-compose.yml running requarks/wiki:2 beside postgres:15): the deployment self-hosters copy,
    whose backing-service versions are compared with the other environments'."""
    from .images import own_names  # images builds on this module

    own = ctx.fact(own_names)
    out = set()
    for s in ctx.fact(services):
        if s.file.role != "example" or not s.image or s.build:
            continue
        split = split_image(s.image)
        base = split[0].lower().rsplit("/", 1)[-1] if split else ""
        if base and service_of(split[0]) is None and set(re.split(r"[^a-z0-9]+", base)) & own:
            out.add(s.file.path)
    return out


def template_file(f: File) -> bool:
    """A compose file that is an example only by its name (compose.example.yml at the root): the
    template self-hosters copy and run, not an example in an examples/ folder."""
    return f.role == "example" and path_role(f"{f.dir}/x.yml" if f.dir else "x.yml") is None


def deploy_compose(f: File) -> bool:
    """A compose file for deploying (compose.prod.yml, docker-compose.deploy.yml, a self-host template)."""
    return bool(_DEPLOY_COMPOSE.search(f.name)) or template_file(f)


def value_line(f: File, ref: str) -> int | None:
    """The line where `ref` is the value of an `image:`/`name:` key or a list item, else its first mention."""
    quoted = r"['\"]?" + re.escape(ref) + r"['\"]?[ \t]*(?:#.*)?$"
    keyed = re.compile(r"^[ \t]*(?:-[ \t]*)?(?:image|name)[ \t]*:[ \t]*" + quoted, re.M)
    pattern = re.compile(r"^[ \t]*(?:-[ \t]*)?(?:(?:image|name)[ \t]*:[ \t]*)?" + quoted, re.M)
    m = keyed.search(f.text) or pattern.search(f.text)  # `image: mariadb` before a `- mariadb` in depends_on
    return f.line_of(m.start()) if m else line_of(f, ref)


def _image(ref: str, source: str, f: File) -> list[ServiceImage]:
    service, tag = parse_image(ref)
    if service is None:
        return []
    return [ServiceImage(service, ref.strip(), tag, source, f, value_line(f, ref.strip()))]


def _ci(ctx: Context) -> list[ServiceImage]:
    out = []
    for f, _path, value in ctx.fact(ci_images):
        out += _image(value, "ci", f)
    return out


def ci_images(ctx: Context) -> list[tuple[File, tuple, str]]:
    """(file, key path, value) of every image a CI file names."""
    out = []
    for f in ctx.fact(ci_files):
        if f.ext not in (".yml", ".yaml"):
            continue
        travis = f.name.lower() == ".travis.yml"  # its `services:` are Travis service names, not images
        for doc in load_all(f):
            for path, value in walk(doc):
                if travis and path and path[0] == "services":
                    continue
                if isinstance(value, str) and _service_slot(path):
                    out.append((f, path, value))
    return out


def _service_slot(path: tuple) -> bool:
    """`…image: x`, GitLab's `services: [x]` / `services: [{name: x}]`; never env values under services."""
    if not path:
        return False
    if path[-1] == "image":
        return True
    if len(path) >= 2 and path[-2] == "services" and isinstance(path[-1], int):
        return True
    return len(path) >= 3 and path[-1] == "name" and path[-3] == "services" and isinstance(path[-2], int)


def _helm_values(ctx: Context) -> list[ServiceImage]:
    out = []
    for f, node in ctx.fact(helm_image_nodes):
        service, _ = parse_image(node["repository"])
        tag = node.get("tag")
        if service is None or tag in (None, ""):
            continue  # no tag in values: the chart's own default (usually its appVersion) applies
        tag = str(tag)
        out.append(ServiceImage(service, f"{node['repository']}:{tag}", tag, "helm", f, line_of(f, node["repository"])))
    return out


def helm_image_nodes(ctx: Context) -> list[tuple[File, dict[str, Any]]]:
    charts = {f.dir for f in ctx.fact(helm_charts)}
    out = []
    for f in ctx.files:
        if f.role in ("vendor", "doc") or not (f.name.startswith("values") and f.ext in (".yaml", ".yml")):
            continue
        if f.dir not in charts:
            continue
        for doc in load_all(f):
            for _path, node in walk(doc):
                if isinstance(node, dict) and isinstance(node.get("repository"), str):
                    out.append((f, node))
    return out


def _terraform(f: File) -> list[ServiceImage]:
    out = []
    for m in _TF_ENGINE.finditer(f.text):
        window = f.text[max(0, m.start() - 800) : m.end() + 800]
        v = _TF_VERSION.search(window)
        if v:
            out.append(
                ServiceImage(
                    _TF_NAMES[m.group("engine")],
                    f"engine_version {v.group('version')}",
                    v.group("version"),
                    "terraform",
                    f,
                    f.line_of(m.start()),
                )
            )
    for m in _TF_CLOUDSQL.finditer(f.text):
        version = m.group("version").replace("_", ".")
        out.append(
            ServiceImage(_TF_NAMES[m.group("engine")], m.group(0), version, "terraform", f, f.line_of(m.start()))
        )
    return out


def _testcontainers(ctx: Context) -> list[ServiceImage]:
    """Backing-service images the test suite starts with Testcontainers (call in code, not in a string)."""
    files = [f for f in ctx.source() if f.role in (None, "test") and "ontainer" in f.text]
    out = []
    for hit in ctx.grep(_TESTCONTAINERS, files, where="code"):
        ref = hit.match.group("ref") or f"{hit.match.group('name')}:{hit.match.group('tag')}"
        service, tag = parse_image(ref)
        if service is not None:
            out.append(ServiceImage(service, ref, tag, "tests", hit.file, hit.line))
    return out
