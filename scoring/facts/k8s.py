"""Kubernetes manifests (YAML documents with apiVersion and kind) and Helm charts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..context import Context
from ..tree import File
from .yamlfiles import load_all


@dataclass(frozen=True)
class Manifest:
    file: File
    kind: str
    name: str
    doc: dict[str, Any]

    def containers(self) -> list[dict[str, Any]]:
        spec = self.doc.get("spec") or {}
        if self.kind == "CronJob":
            spec = ((spec.get("jobTemplate") or {}).get("spec")) or {}
        pod = ((spec.get("template") or {}).get("spec")) if "template" in spec else spec
        if not isinstance(pod, dict):
            return []
        out = []
        for key in ("containers", "initContainers"):
            items = pod.get(key)
            if isinstance(items, list):
                out.extend(c for c in items if isinstance(c, dict))
        return out


def manifests(ctx: Context) -> list[Manifest]:
    out = []
    for f in ctx.files:
        if f.ext not in (".yaml", ".yml") or f.role in ("vendor", "test"):
            continue
        if "apiVersion" not in f.text or "kind" not in f.text:
            continue
        for doc in load_all(f):
            if isinstance(doc, dict) and "apiVersion" in doc and isinstance(doc.get("kind"), str):
                meta = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
                out.append(Manifest(f, doc["kind"], str(meta.get("name", "")), doc))
    return out


def helm_charts(ctx: Context) -> list[File]:
    return [f for f in ctx.named("Chart.yaml") if f.role not in ("vendor", "test")]


def helm_templates(ctx: Context) -> list[File]:
    charts = {f.dir for f in ctx.fact(helm_charts)}
    return [f for f in ctx.files if f.ext in (".yaml", ".yml", ".tpl") and any(
        f.path.startswith((c + "/templates/") if c else "templates/") for c in charts)]
