"""Classification before scoring: service, library, static site, CLI or monorepo, with reasons; the
process-model factors (VI, VII, VIII, IX, XII) are `na` for libraries, static sites and CLIs; a
monorepo is scored per deployable and takes the worst result per factor."""

from __future__ import annotations

import os

import pytest

from scoring import score_path
from scoring.context import Context
from scoring.tree import load_tree
from tests.scoring.conftest import findings, write_tree

PROCESS_MODEL = {"processes", "port-binding", "concurrency", "disposability", "admin-processes"}
PYPROJECT_LIB = '[project]\nname = "tinylib"\nversion = "1.0"\n[build-system]\nrequires = ["hatchling"]\n'


@pytest.mark.parametrize(
    "files, kind, reason",
    [
        # a Procfile and a web framework: a deployed service
        ({"Procfile": "web: gunicorn app:app\n", "requirements.txt": "flask==3.0.0\ngunicorn==23.0.0\n",
          "app.py": "from flask import Flask\napp = Flask(__name__)\n"}, "service", "deploy files: Procfile"),
        # a Dockerfile alone makes it deployable
        ({"Dockerfile": "FROM golang:1.22\nCMD [\"/app\"]\n", "go.mod": "module x\n\ngo 1.22\n",
          "main.go": "package main\nfunc main() {}\n"}, "service", "deploy files: Dockerfile"),
        # no deploy file, but a declared server framework
        ({"package.json": '{"name": "api", "private": true, "dependencies": {"express": "4.19.2"}}',
          "index.js": "const app = require('express')();\n"}, "service", "server or worker framework declared: express"),
        # no manifest at all, but code that starts a server
        ({"server.go": 'package main\nimport "net/http"\nfunc main() { http.ListenAndServe(":8080", nil) }\n'},
         "service", "starts a server in server.go"),
        # packaging metadata and no server: a library
        ({"pyproject.toml": PYPROJECT_LIB, "src/tinylib/__init__.py": "def add(a, b):\n    return a + b\n"},
         "library", "packaging metadata for publishing (python)"),
        # a Rust crate with a [lib] section
        ({"Cargo.toml": '[package]\nname = "x"\nversion = "0.1.0"\n[lib]\npath = "src/lib.rs"\n', "src/lib.rs": "pub fn f() {}\n"},
         "library", "packaging metadata for publishing (rust)"),
        # console scripts and no backing service client: a CLI
        ({"pyproject.toml": PYPROJECT_LIB + '[project.scripts]\ntiny = "tinylib.cli:main"\n',
          "src/tinylib/cli.py": "def main():\n    print('hi')\n"}, "cli", "command-line entry points (tiny)"),
        # a node package with a bin
        ({"package.json": '{"name": "tool", "bin": {"tool": "cli.js"}, "dependencies": {"commander": "12.0.0"}}',
          "cli.js": "#!/usr/bin/env node\nconsole.log('x')\n"}, "cli", "command-line entry points (tool)"),
        # a Jekyll/MkDocs site: static
        ({"mkdocs.yml": "site_name: Docs\n", "docs/index.md": "# Hello\n"}, "static-site", "static site files (mkdocs.yml)"),
        ({"index.html": "<html><body>hi</body></html>\n", "style.css": "body {}\n"}, "static-site", "static site files (index.html)"),
    ],
)
def test_it_classifies_the_repository_with_reasons(score_tree, files, kind, reason):
    report = score_tree(files)
    assert report.kind.value == kind
    assert any(r.startswith(reason) for r in report.kind_reasons), report.kind_reasons
    assert report.to_dict()["kind"] == {"value": kind, "reasons": list(report.kind_reasons)}


@pytest.mark.parametrize(
    "files",
    [
        # library
        {"pyproject.toml": PYPROJECT_LIB, "src/tinylib/__init__.py": "def add(a, b):\n    return a + b\n"},
        # CLI
        {"pyproject.toml": PYPROJECT_LIB + '[project.scripts]\ntiny = "tinylib.cli:main"\n',
         "src/tinylib/cli.py": "def main():\n    print('hi')\n"},
        # static site
        {"mkdocs.yml": "site_name: Docs\n", "docs/index.md": "# Hello\n"},
    ],
)
def test_it_marks_process_model_factors_not_applicable_outside_services(score_tree, files):
    report = score_tree(files)
    na = {f.id for f in report.factors if f.status.value == "na"}
    assert na == PROCESS_MODEL
    assert all(f.score is None and f.summary.startswith("Not applicable") for f in report.factors if f.id in na)
    # still scored on dependencies and config (secrets)
    assert report.factor("dependencies").score is not None and report.factor("config").score is not None
    applicable = [f.score for f in report.factors if f.score is not None]
    assert report.score == round(sum(applicable) / len(applicable) * 10, 1)


def test_it_scores_every_factor_of_a_service(score_tree):
    report = score_tree({"Procfile": "web: gunicorn app:app\n", "requirements.txt": "gunicorn==23.0.0\n"})
    assert report.kind.value == "service"
    assert not [f for f in report.factors if f.status.value == "na"]


MONOREPO = {
    # a healthy API service
    "services/api/Dockerfile": "FROM python:3.12\nENV PYTHONUNBUFFERED=1\nCMD [\"gunicorn\", \"app:app\"]\n",
    "services/api/requirements.txt": "gunicorn==23.0.0\nflask==3.0.0\n",
    "services/api/app.py": "import logging, sys\nlogging.basicConfig(stream=sys.stdout)\n",
    # a worker that writes a log file (logs: fail)
    "services/worker/Dockerfile": "FROM python:3.12\nCMD [\"python\", \"worker.py\"]\n",
    "services/worker/requirements.txt": "celery==5.4.0\n",
    "services/worker/worker.py": "import logging\nh = logging.FileHandler('/tmp/worker.log')\n",
}


def test_it_scores_a_monorepo_per_deployable_with_the_worst_per_factor(score_tree):
    report = score_tree(MONOREPO)
    assert report.kind.value == "monorepo"
    assert report.kind_reasons[0].startswith("2 deployables")
    assert [(d.path, d.kind.value) for d in report.deployables] == [("services/api", "service"), ("services/worker", "service")]
    logs = report.factor("logs")
    assert logs.status.value == "fail"
    assert [f.path for f in findings(report, "logs.file-handler", violations_only=True)] == ["services/worker/worker.py"]
    assert "in services/worker" in logs.summary

    # The worker alone scores the same on logs: the healthy API does not lift the repository's score.
    worker = score_tree({k: v for k, v in MONOREPO.items() if k.startswith("services/worker/")})
    assert logs.score == worker.factor("logs").score
    api = score_tree({k: v for k, v in MONOREPO.items() if k.startswith("services/api/")})
    assert api.factor("logs").status.value == "pass"


def test_it_keeps_a_deployable_in_tests_or_examples_out_of_the_monorepo(score_tree):
    report = score_tree({
        "Dockerfile": "FROM python:3.12\nCMD [\"gunicorn\", \"app:app\"]\n",
        "requirements.txt": "gunicorn==23.0.0\n",
        "examples/demo/Dockerfile": "FROM node:20\n",
        "examples/demo/package.json": '{"name": "demo", "private": true}',
    })
    assert report.kind.value == "service"


def test_a_deployable_owns_its_manifests_in_a_root_deploy_folder(tmp_path):
    """Kubernetes manifests kept for every service in one root folder (kubernetes-manifests/api.yaml,
    deploy/worker/deployment.yaml) belong to the service they are named after, and only to it."""
    probe = ("apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
             "        - name: c\n          image: x:1\n          readinessProbe:\n            httpGet: {path: /ready, port: 8000}\n")
    files = {
        **MONOREPO,
        "services/cart/src/Dockerfile": "FROM node:20\nCMD [\"node\", \"server.js\"]\n",
        "services/cart/src/package.json": '{"name": "cart", "private": true, "dependencies": {"express": "4.19.2"}}',
        "kubernetes-manifests/api.yaml": probe,
        "kubernetes-manifests/cart.yaml": probe,
        "deploy/worker/deployment.yaml": probe.replace("readinessProbe", "resources"),
        "docs/api.md": "# the API\n",  # not a deploy folder: shared with nobody
    }
    write_tree(tmp_path, files)
    tree = load_tree(os.fspath(tmp_path))
    folders = ["services/api", "services/worker", "services/cart/src"]

    def own(scope):
        ctx = Context(tree, scope, exclude=folders)
        return sorted(f.path for f in ctx.files if not f.path.startswith(scope + "/") and "/" in f.path)

    assert own("services/api") == ["kubernetes-manifests/api.yaml"]
    assert own("services/worker") == ["deploy/worker/deployment.yaml"]
    assert own("services/cart/src") == ["kubernetes-manifests/cart.yaml"]  # named past the generic src/

    report = score_path(os.fspath(tmp_path))
    probes = {f.path for f in findings(report, "disposability.health-checks")}
    assert {"kubernetes-manifests/api.yaml", "kubernetes-manifests/cart.yaml"} <= probes
