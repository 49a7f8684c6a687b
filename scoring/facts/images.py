"""Every image a deployment or environment pulls (compose, CI service containers, Kubernetes, Helm
values), and whether it is a backing service, the app's own image or a third-party one.

The app's image is a compose image shared by several process types, or one named like the app: its
built compose services and their images, its package, module and project names, its deployable
folder, or the Kubernetes workload that runs it. Tools and sidecars (adminer, mailpit, nginx …)
are never the app's.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass

from ..context import Context
from ..tree import File
from .compose import compose_files, services
from .k8s import Manifest, manifests
from .service_images import (
    ci_images,
    deploy_compose,
    floats,
    helm_image_nodes,
    service_of,
    split_image,
    value_line,
)
from .yamlfiles import line_of, load_all

# Third-party tools and sidecars run beside the app: never the app's own image.
TOOL_IMAGES = frozenset(
    "adminer mailpit mailhog maildev smtp4dev pgadmin4 phpmyadmin redis-commander mongo-express "
    "redisinsight traefik nginx caddy haproxy httpd envoy busybox alpine ubuntu debian curl minio mc "
    "localstack azurite kibana grafana prometheus alertmanager node-exporter jaeger all-in-one "
    "opentelemetry-collector opentelemetry-collector-contrib otel-collector zookeeper cp-zookeeper "
    "kafka-ui wiremock selenium standalone-chrome standalone-firefox ngrok cloudflared watchtower certbot "
    "loki promtail tempo vector fluentd fluent-bit logstash sentry keycloak vault consul etcd memgraph "
    "pgbouncer rabbitmq-management stripe-cli meilisearch typesense".split()
)


@dataclass(frozen=True)
class Image:
    """An image a deployment or environment runs: `kind` is service, own or third-party."""

    image: str  # as written
    tag: str | None  # None when absent; "digest" when pinned by digest
    kind: str
    source: str  # compose, ci, k8s, helm
    file: File
    line: int | None
    deploy: bool  # a production manifest or a deploy compose file (compose.prod.yml, a self-host template)

    @property
    def floating(self) -> bool:
        return floats(self.tag)


def container_images(ctx: Context) -> list[Image]:
    """Images that compose, CI service containers, Kubernetes and Helm values pull (not Dockerfile bases)."""
    own = ctx.fact(own_names)
    out: list[Image] = []
    svcs = [s for s in ctx.fact(services) if s.image and s.file.role not in ("vendor", "doc", "test")]
    shared = Counter((s.file.path, s.image) for s in svcs if not s.build)
    for s in svcs:
        split = split_image(s.image)
        if split is None:
            continue
        if s.build:
            # a built service's image is the local tag of that build, unless it names a published image
            # (freshrss/freshrss:latest beside an optional build:): `compose up` pulls that one
            if "/" in split[0] and floats(split[1]) and s.file.role is None:
                out.append(Image(s.image, split[1], "own", "compose", s.file, value_line(s.file, s.image), deploy_compose(s.file)))
            continue
        kind = _kind(split[0], own, shared[(s.file.path, s.image)] > 1)
        deploy = deploy_compose(s.file)
        out.append(Image(s.image, split[1], kind, "compose", s.file, value_line(s.file, s.image), deploy))
    out.extend(_template_compose_images(ctx, own))
    for f, path, value in ctx.fact(ci_images):
        split = split_image(value)
        # backing services anywhere; a service container only when it is a known tool (not docker:dind,
        # the CI's own machinery)
        tool = split and split[0].rsplit("/", 1)[-1].lower() in TOOL_IMAGES and _under_services(path)
        if split and (service_of(split[0]) or tool):
            out.append(Image(value, split[1], _kind(split[0], set(), False), "ci", f, value_line(f, value), False))
    for m in ctx.fact(manifests):
        workload = _tokens(m.name) | _tokens(_app_label(m))
        for c in m.containers():
            split = split_image(c["image"]) if isinstance(c.get("image"), str) else None
            if split:
                kind = _kind(split[0], own | workload, False)
                out.append(Image(c["image"], split[1], kind, "k8s", m.file, value_line(m.file, c["image"]), True))
    for f in ctx.named("kustomization.yaml", "kustomization.yml"):
        out += _kustomize_images(f, own)
    out += _infrastructure_images(ctx, own)
    for f, node in ctx.fact(helm_image_nodes):
        split = split_image(node["repository"])
        tag = node.get("tag")
        if split and tag not in (None, ""):
            ref = f"{node['repository']}:{tag}"
            out.append(
                Image(ref, str(tag), _kind(split[0], own, False), "helm", f, line_of(f, node["repository"]), True)
            )
    return out


# `image = "…"` of a container a Terraform/OpenTofu resource runs (google_cloud_run_v2_service, aws_ecs_task_definition's
# jsonencode'd container_definitions, kubernetes_deployment, azurerm_container_app), and `"image": "…"` of an ECS
# task definition or a Cloud Run / App Runner service file kept as JSON
_IAC_IMAGE = re.compile(r"^[ \t]*\"?image\"?[ \t]*[=:][ \t]*\"(?P<ref>[^\"\s$]+)\"", re.M)
_IAC_JSON = ("containerDefinitions", "\"containers\"")


def _infrastructure_images(ctx: Context, own: set[str]) -> list[Image]:
    """Images deployed by infrastructure code: the service it runs is the app's unless it is a backing
    service or a known tool (a Cloud Run service of linuxserver/babybuddy:latest deploys the app)."""
    out = []
    for f in ctx.files:
        if f.role in ("vendor", "doc", "test", "example"):
            continue
        if f.ext in (".tf", ".hcl") or f.name.endswith(".tf.json"):
            source = "terraform"
        elif f.ext == ".json" and any(k in f.text for k in _IAC_JSON):
            source = "ecs"
        else:
            continue
        for m in _IAC_IMAGE.finditer(f.text):
            split = split_image(m.group("ref"))
            before = f.text[max(0, m.start() - 600) : m.start()]
            if not split or "container" not in before.lower() or "initialize_params" in before[-200:]:
                continue  # a VM's boot image (`image = "debian-cloud/debian-12"`), not a container's
            kind = _kind(split[0], own, False)
            kind = "own" if kind == "third-party" and split[0].rsplit("/", 1)[-1] not in TOOL_IMAGES else kind
            out.append(Image(m.group("ref"), split[1], kind, source, f, f.line_of(m.start("ref")), True))
    return out


def _kustomize_images(f: File, own: set[str]) -> list[Image]:
    """Kustomize's `images: [{name: acme/shop, newTag: latest}]`: the tag every manifest is rewritten to."""
    if f.role in ("vendor", "doc", "test"):
        return []
    out = []
    for doc in load_all(f):
        images = doc.get("images") if isinstance(doc, dict) else None
        for entry in images if isinstance(images, list) else []:
            if not isinstance(entry, dict) or "newTag" not in entry or "digest" in entry:
                continue
            name = str(entry.get("newName") or entry.get("name") or "")
            split = split_image(name)
            if split:
                kind = _kind(split[0], own, False)
                kind = "own" if kind == "third-party" and split[0].rsplit("/", 1)[-1] not in TOOL_IMAGES else kind
                ref = f"{name}:{entry['newTag']}"
                out.append(Image(ref, str(entry["newTag"]), kind, "k8s", f, line_of(f, name), True))
    return out


def _kind(path: str, own: set[str], shared: bool) -> str:
    base = path.lower().rsplit("/", 1)[-1]
    if service_of(path):
        return "service"
    if base in TOOL_IMAGES:
        return "third-party"
    if shared or _tokens(base) & own:
        return "own"
    return "third-party"


def _tokens(name: str) -> set[str]:
    return {t for t in re.split(r"[^a-z0-9]+", name.lower()) if len(t) > 1}


def _app_label(m: Manifest) -> str:
    labels = (m.doc.get("metadata") or {}).get("labels") if isinstance(m.doc.get("metadata"), dict) else None
    if isinstance(labels, dict):
        return str(labels.get("app") or labels.get("app.kubernetes.io/name") or "")
    return ""


_GENERIC = {
    "app",
    "src",
    "web",
    "api",
    "server",
    "service",
    "main",
    "worker",
    "backend",
    "frontend",
    "client",
    "core",
    "docker",
    "prod",
    "dev",
    "the",
    "my",
    "lib",
    "io",
    "com",
    "org",
    "github",
}
_MODULE_RB = re.compile(r"^module[ \t]+(\w+)", re.M)
_GO_MODULE = re.compile(r"^module[ \t]+(\S+)", re.M)
_TOML_NAME = re.compile(r"^name[ \t]*=[ \t]*\"([\w.\-]+)\"", re.M)


def own_names(ctx: Context) -> set[str]:
    """Name tokens of the app: its built compose services and their images, its package, module and
    project names, its deployable folder."""
    names: set[str] = set()
    for s in ctx.fact(services):
        if s.build:
            names |= _tokens(s.name)
            split = split_image(s.image) if s.image else None
            if split:
                names |= _tokens(split[0].rsplit("/", 1)[-1])
    for f in ctx.files:
        if f.role is not None or f.path.count("/") > 2:
            continue
        name = f.name.lower()
        if name in ("package.json", "composer.json"):
            names |= _tokens(_json_name(f).rsplit("/", 1)[-1])
        elif name == "go.mod":
            m = _GO_MODULE.search(f.text)
            names |= _tokens(m.group(1).rsplit("/", 1)[-1]) if m else set()
        elif name in ("cargo.toml", "pyproject.toml"):
            m = _TOML_NAME.search(f.text)
            names |= _tokens(m.group(1)) if m else set()
        elif f.path.endswith("config/application.rb"):
            m = _MODULE_RB.search(f.text)
            names |= _tokens(m.group(1)) if m else set()
        elif f.ext == ".csproj":
            names |= _tokens(f.name[: -len(f.ext)])
    if ctx.scope not in ("", "."):
        names |= _tokens(ctx.scope.rstrip("/").rsplit("/", 1)[-1])
    return names - _GENERIC


def _json_name(f: File) -> str:
    try:
        data = json.loads(f.text)
    except ValueError:
        return ""
    return str(data.get("name") or "") if isinstance(data, dict) else ""


def _under_services(path: tuple) -> bool:
    """A CI service container (GitHub's `services.<name>.image`, GitLab's `services` list), not a job image."""
    return "services" in path[:-1]


_IMAGE_LINE = re.compile(r"^[ \t]*image:[ \t]*['\"]?(?P<ref>[^\s'\"#{}]+)['\"]?[ \t]*(?:#.*)?$", re.M)


def _template_compose_images(ctx: Context, own: set[str]) -> list[Image]:
    """`image:` lines of a compose file in a project template (cookiecutter, Jinja): not YAML until
    rendered, so its services are not parsed, but a literal image line is what it will pull."""
    out = []
    for f in ctx.fact(compose_files):
        # a project template (cookiecutter's {{cookiecutter.slug}}/ folder, Jinja `{% if %}` tags); a Helm
        # chart's `{{ .Values.image }}` stays unread
        if f.role in ("vendor", "doc", "test") or not ("{{" in f.path or "{%" in f.text) or load_all(f):
            continue
        for m in _IMAGE_LINE.finditer(f.text):
            split = split_image(m.group("ref"))
            if split:
                out.append(Image(m.group("ref"), split[1], _kind(split[0], own, False), "compose", f,
                                 f.line_of(m.start("ref")), deploy_compose(f)))
    return out

