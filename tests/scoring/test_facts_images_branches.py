"""Facts of classes 8 and 10: which images a tree pulls and whose they are; the text a branch governs."""

from __future__ import annotations

import os
import re

import pytest

from scoring.context import Context
from scoring.facts.branches import branch_text
from scoring.facts.images import container_images
from scoring.facts.service_images import split_image, value_line
from scoring.tree import load_tree
from tests.scoring.conftest import write_tree


def _context(tmp_path, files: dict[str, str]) -> Context:
    write_tree(tmp_path, files)
    return Context(load_tree(os.fspath(tmp_path)))


def _kinds(ctx: Context) -> dict[str, str]:
    return {img.image: img.kind for img in ctx.fact(container_images)}


def test_it_tells_services_tools_and_the_apps_own_image_apart(tmp_path):
    compose = (
        "services:\n  web:\n    image: ghcr.io/acme/shop:latest\n  worker:\n    image: ghcr.io/acme/shop:latest\n"
        "    command: bin/worker\n  db:\n    image: postgres:16\n  mail:\n    image: axllent/mailpit\n"
        "  other:\n    image: someorg/thing:2\n  built:\n    build: .\n    image: shop-dev\n"
    )
    ctx = _context(tmp_path, {"docker-compose.yml": compose})
    assert _kinds(ctx) == {
        # shared by two process types: the app's own
        "ghcr.io/acme/shop:latest": "own",
        "postgres:16": "service",
        "axllent/mailpit": "third-party",
        # unknown and named like nothing of the app's: a third-party image
        "someorg/thing:2": "third-party",
        # `built` is left out: its image is the local tag of that build
    }


def test_it_knows_the_app_by_its_package_name_and_its_kubernetes_workload(tmp_path):
    deployment = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: billing\nspec:\n  template:\n    spec:\n"
        "      containers:\n        - name: app\n          image: acme/billing\n"
        "        - name: proxy\n          image: envoyproxy/envoy:v1.30\n"
    )
    ctx = _context(
        tmp_path,
        {
            "package.json": '{"name": "@acme/storefront"}\n',
            "docker-compose.prod.yml": "services:\n  web:\n    image: registry.acme.io/storefront\n",
            "k8s/billing.yaml": deployment,
        },
    )
    kinds = _kinds(ctx)
    assert kinds["registry.acme.io/storefront"] == "own"  # the package's name
    assert kinds["acme/billing"] == "own"  # the workload's name
    assert kinds["envoyproxy/envoy:v1.30"] == "third-party"
    deploy = {img.image: img.deploy for img in ctx.fact(container_images)}
    assert deploy["registry.acme.io/storefront"] and deploy["acme/billing"]


@pytest.mark.parametrize(
    "ref, expected",
    [
        ("postgres", ("postgres", None)),
        ("registry.example.com:5000/cimg/postgres:15.1", ("registry.example.com:5000/cimg/postgres", "15.1")),
        ("redis@sha256:" + "a" * 64, ("redis", "digest")),
        ("${REGISTRY}/app:${TAG}", None),
        ("{{ .Values.image }}", None),
    ],
)
def test_it_splits_image_references(ref, expected):
    assert split_image(ref) == expected


def test_it_points_at_the_image_line_not_the_first_mention(tmp_path):
    ctx = _context(tmp_path, {"ci.yml": "env:\n  DB: postgres\nservices:\n  db:\n    image: postgres\n"})
    assert value_line(ctx.files[0], "postgres") == 5


def _branch(tmp_path, name: str, text: str, pattern: str) -> str:
    ctx = _context(tmp_path, {name: text})
    hit = ctx.first(re.compile(pattern), ctx.files)
    assert hit is not None
    return branch_text(ctx, hit)


@pytest.mark.parametrize(
    "name, text, inside, outside",
    [
        # braces of a C# if/else, with a brace inside a string that must not end the block
        (
            "Program.cs",
            'if (env.IsDevelopment()) {\n  Log("}");\n} else {\n  UseSqlServer(cs);\n}\nAfter();\n',
            "UseSqlServer",
            "After",
        ),
        # Go's if with an init statement: the `;` before the brace does not end it
        (
            "main.go",
            'if env := os.Getenv("APP_ENV"); env == "production" {\n\tpg()\n} else if x {\n\tlite()\n}\nafter()\n',
            "lite()",
            "after()",
        ),
        # a single-statement JS if ends at its `;`
        ("app.js", "if (process.env.NODE_ENV === 'production') useRedis();\nuseMemory();\n", "useRedis", "useMemory"),
        # a Ruby if/elsif/else/end read by indentation
        (
            "config.rb",
            "if Rails.env.production?\n  :amazon\nelsif x\n  :gcs\nelse\n  :local\nend\nafter\n",
            ":local",
            "after",
        ),
    ],
)
def test_it_reads_the_whole_branch_and_its_else(tmp_path, name, text, inside, outside):
    got = _branch(tmp_path, name, text, r"\bif\b")
    assert inside in got and outside not in got


def test_it_reads_kustomize_image_tags_and_stack_files(tmp_path):
    ctx = _context(
        tmp_path,
        {
            "deploy/kustomization.yaml": "resources: [app.yaml]\nimages:\n  - name: acme/shop\n    newTag: latest\n"
            "  - name: redis\n    newTag: '7.2'\n",
            "docker-stack.yml": "services:\n  cache:\n    image: memcached\n",
        },
    )
    got = {img.image: (img.kind, img.floating) for img in ctx.fact(container_images)}
    assert got == {"acme/shop:latest": ("own", True), "redis:7.2": ("service", False), "memcached": ("service", True)}


def test_a_ci_docker_in_docker_service_is_machinery_not_a_service(tmp_path):
    ctx = _context(
        tmp_path,
        {
            ".gitlab-ci.yml": "build:\n  image: docker:27\n  services:\n    - docker:dind\n"
            "    - name: axllent/mailpit\n  script: [make]\n"
        },
    )
    assert [img.image for img in ctx.fact(container_images)] == ["axllent/mailpit"]
