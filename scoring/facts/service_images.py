"""Backing-service images and versions wherever they are named: compose, CI services, Kubernetes,
Helm values and Terraform, so dev/prod parity can compare them.

Only well-known backing services count (PostgreSQL, MySQL, Redis, RabbitMQ …); the app's own
image and tool images are not services.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..context import Context
from ..tree import File
from .ci import ci_files
from .compose import services
from .k8s import helm_charts, manifests
from .yamlfiles import line_of, load_all, walk

# Image base name (after the last '/') → the service it runs.
SERVICE_IMAGES = {
    "postgres": "PostgreSQL", "postgresql": "PostgreSQL", "postgis": "PostgreSQL", "timescaledb": "PostgreSQL",
    "mysql": "MySQL", "mysql-server": "MySQL", "percona-server": "MySQL", "mariadb": "MariaDB",
    "redis": "Redis", "redis-stack-server": "Redis", "valkey": "Valkey", "keydb": "KeyDB",
    "mongo": "MongoDB", "mongodb": "MongoDB", "mongodb-community-server": "MongoDB",
    "rabbitmq": "RabbitMQ", "memcached": "Memcached", "elasticsearch": "Elasticsearch",
    "opensearch": "OpenSearch", "kafka": "Kafka", "cp-kafka": "Kafka", "cassandra": "Cassandra",
    "clickhouse-server": "ClickHouse", "nats": "NATS", "neo4j": "Neo4j", "couchdb": "CouchDB",
    "influxdb": "InfluxDB", "mssql-server": "SQL Server", "oracle-xe": "Oracle",
}
_TF_ENGINE = re.compile(r"\bengine\s*=\s*\"(?P<engine>aurora-postgresql|aurora-mysql|postgres|mysql|mariadb|redis|valkey|memcached)\"")
_TF_VERSION = re.compile(r"\bengine_version\s*=\s*\"(?P<version>[\d.]+)")
_TF_CLOUDSQL = re.compile(r"\bdatabase_version\s*=\s*\"(?P<engine>POSTGRES|MYSQL)_(?P<version>\d+(?:_\d+)?)\"")
_TF_NAMES = {"aurora-postgresql": "PostgreSQL", "postgres": "PostgreSQL", "aurora-mysql": "MySQL", "mysql": "MySQL",
             "mariadb": "MariaDB", "redis": "Redis", "valkey": "Valkey", "memcached": "Memcached",
             "POSTGRES": "PostgreSQL", "MYSQL": "MySQL"}
_VERSION = re.compile(r"v?(\d+)(?:\.(\d+))?")
PRODUCTION_SOURCES = ("terraform", "helm", "k8s")


@dataclass(frozen=True)
class ServiceImage:
    service: str  # "PostgreSQL", "Redis" …
    image: str  # the reference as written ("postgres:16-alpine"), or "engine_version 15.4" for Terraform
    tag: str | None  # None when the image names no tag (and no digest): it floats like :latest
    source: str  # compose, ci, k8s, helm, terraform
    file: File
    line: int | None

    @property
    def floating(self) -> bool:
        """No tag, `latest`, or a tag that names only a variant (`alpine`, `bookworm`): no version."""
        return self.tag is None or not any(c.isdigit() for c in self.tag)

    @property
    def major(self) -> str | None:
        """The major version a tag pins ("16" for 16.2-alpine; "9.6" for PostgreSQL 9.6), or None."""
        m = _VERSION.match(self.tag or "")
        if not m:
            return None
        if self.service == "PostgreSQL" and int(m.group(1)) < 10 and m.group(2):
            return f"{m.group(1)}.{m.group(2)}"
        return m.group(1)


def parse_image(ref: str) -> tuple[str | None, str | None]:
    """(service, tag) of a backing-service image; tag "digest" when pinned by digest, None when absent.

    (None, None) for anything that is not a known backing service.
    """
    ref = ref.strip().strip("'\"")
    if not ref or "$" in ref or "{{" in ref or len(ref) > 300:
        return None, None
    ref, _, digest = ref.partition("@")
    last = ref.rsplit("/", 1)[-1]
    name, _, tag = last.partition(":")
    service = SERVICE_IMAGES.get(name.lower())
    if service is None:
        return None, None
    return service, (tag or ("digest" if digest else None))


def service_images(ctx: Context) -> list[ServiceImage]:
    skip = ("vendor", "doc", "example")
    out = [img for s in ctx.fact(services) if s.image and s.file.role not in skip for img in _image(s.image, "compose", s.file)]
    out += _ci(ctx)
    for m in ctx.fact(manifests):
        for c in m.containers():
            if isinstance(c.get("image"), str):
                out += _image(c["image"], "k8s", m.file)
    out += _helm_values(ctx)
    for f in ctx.files:
        if f.ext == ".tf" and f.role not in skip:
            out += _terraform(f)
    return out


def _image(ref: str, source: str, f: File) -> list[ServiceImage]:
    service, tag = parse_image(ref)
    if service is None:
        return []
    return [ServiceImage(service, ref.strip(), tag, source, f, line_of(f, ref.strip()))]


def _ci(ctx: Context) -> list[ServiceImage]:
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
                    out += _image(value, "ci", f)
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
    charts = {f.dir for f in ctx.fact(helm_charts)}
    out = []
    for f in ctx.files:
        if f.role in ("vendor", "doc") or not (f.name.startswith("values") and f.ext in (".yaml", ".yml")):
            continue
        if f.dir not in charts:
            continue
        for doc in load_all(f):
            for _path, node in walk(doc):
                out += _helm_image(node, f)
    return out


def _helm_image(node: Any, f: File) -> list[ServiceImage]:
    if not isinstance(node, dict) or not isinstance(node.get("repository"), str):
        return []
    service, _ = parse_image(node["repository"])
    if service is None:
        return []
    tag = node.get("tag")
    tag = str(tag) if tag not in (None, "") else None
    line = line_of(f, node["repository"])
    return [ServiceImage(service, f"{node['repository']}:{tag or ''}".rstrip(":"), tag, "helm", f, line)]


def _terraform(f: File) -> list[ServiceImage]:
    out = []
    for m in _TF_ENGINE.finditer(f.text):
        window = f.text[max(0, m.start() - 800) : m.end() + 800]
        v = _TF_VERSION.search(window)
        if v:
            out.append(ServiceImage(_TF_NAMES[m.group("engine")], f"engine_version {v.group('version')}",
                                    v.group("version"), "terraform", f, f.line_of(m.start())))
    for m in _TF_CLOUDSQL.finditer(f.text):
        version = m.group("version").replace("_", ".")
        out.append(ServiceImage(_TF_NAMES[m.group("engine")], m.group(0), version, "terraform", f, f.line_of(m.start())))
    return out
