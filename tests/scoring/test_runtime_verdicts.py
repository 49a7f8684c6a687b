"""Verdicts of factors VII (port binding), VIII (concurrency) and XI (logs): which framework defaults
and deployment conventions are evidence, so that "could not tell" is rare on real services
(docs/verdicts/eng-runtime.md). Each row says which reviewed repository taught it."""

from __future__ import annotations

import pytest

from tests.scoring.conftest import findings

SPRING = {
    "pom.xml": "<project><dependencies><dependency><artifactId>spring-boot-starter-webmvc</artifactId></dependency>"
    "</dependencies></project>\n",
    "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n",
}


def test_a_spring_boot_app_under_a_samples_package_logs_to_the_console(score_tree):
    # spring-petclinic: org/springframework/samples/petclinic is a package, not an examples folder
    app = "src/main/java/org/springframework/samples/petclinic/PetClinicApplication.java"
    report = score_tree({**SPRING, app: "@SpringBootApplication\npublic class PetClinicApplication {}\n"})
    assert [f.path for f in findings(report, "logs.stdout-evidence")] == [app]
    assert report.factor("logs").status.value == "pass"
    # the look-alike: an examples folder above the source root is still demoted
    demo = "examples/demo/src/main/java/com/x/App.java"
    report = score_tree({**SPRING, demo: "@SpringBootApplication\npublic class App {}\n"})
    assert not findings(report, "logs.stdout-evidence")


@pytest.mark.parametrize(
    "compose, evidence",
    [
        # eShopOnWeb: two apps, each built from its own Dockerfile, are two declared process types
        (
            "services:\n  web:\n    build:\n      context: .\n      dockerfile: src/Web/Dockerfile\n"
            "  api:\n    build:\n      context: .\n      dockerfile: src/Api/Dockerfile\n  db:\n    image: postgres:16\n",
            True,
        ),
        # one service built from the repository: the app runs as a declared, foreground process type
        ("services:\n  app:\n    build: .\n  db:\n    image: postgres:16\n", True),
        # the look-alike: a compose file of backing services only says nothing about the app
        ("services:\n  db:\n    image: postgres:16\n  cache:\n    image: redis:7\n", False),
    ],
)
def test_app_services_in_compose_are_process_type_evidence(score_tree, compose, evidence):
    report = score_tree({"requirements.txt": "flask==3.0.0\n", "app.py": "x = 1\n", "docker-compose.yml": compose})
    assert bool(findings(report, "concurrency.process-types")) is evidence
    assert report.factor("concurrency").status.value == ("pass" if evidence else "warn")


def _deployment(name: str, image: str) -> str:
    return (
        f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  template:\n    spec:\n"
        f"      containers:\n        - name: {name}\n          image: {image}\n"
    )


def test_a_kubernetes_deployment_of_the_app_is_process_type_evidence(score_tree):
    # spring-petclinic: k8s/petclinic.yml deploys the app image; k8s/db.yml deploys postgres
    report = score_tree(
        {
            **SPRING,
            "k8s/db.yml": _deployment("db", "postgres:18"),
            "k8s/petclinic.yml": _deployment("petclinic", "acme/petclinic:1.2"),
        }
    )
    assert [f.path for f in findings(report, "concurrency.process-types")] == ["k8s/petclinic.yml"]
    # the look-alike: only a database Deployment
    report = score_tree({**SPRING, "k8s/db.yml": _deployment("db", "postgres:18")})
    assert not findings(report, "concurrency.process-types")


def test_a_bundled_server_command_is_port_binding_evidence(score_tree):
    # full-stack-fastapi-template: CMD ["fastapi", "run"] starts uvicorn from fastapi[standard]
    files = {
        "pyproject.toml": '[project]\nname = "app"\ndependencies = ["fastapi[standard]>=0.114"]\n',
        "Dockerfile": 'FROM python:3.12\nCMD ["fastapi", "run", "--workers", "4"]\n',
        "app/main.py": "app = FastAPI()\n",
    }
    report = score_tree(files)
    assert findings(report, "port-binding.server-dependency")
    assert report.factor("port-binding").status.value == "pass"
    # the look-alike: `python serve.py` says nothing about who binds the port
    report = score_tree({**files, "Dockerfile": 'FROM python:3.12\nCMD ["python", "serve.py"]\n'})
    assert report.factor("port-binding").status.value == "warn"


def test_python_app_servers_log_to_stderr_by_default(score_tree):
    files = {
        "requirements.txt": "django==5.0\ngunicorn==23.0.0\n",
        "Procfile": "web: gunicorn site.wsgi\n",
        "site/settings.py": "DEBUG = False\n",
    }
    report = score_tree(files)
    assert findings(report, "logs.stdout-evidence")
    assert report.factor("logs").status.value == "pass"
    # the look-alike: the app adds a file handler; the default is no longer what runs
    report = score_tree(
        {**files, "site/settings.py": "LOGGING = {'handlers': {'f': {'class': 'logging.FileHandler'}}}\n"}
    )
    assert not findings(report, "logs.stdout-evidence")
    assert report.factor("logs").status.value == "fail"


def test_the_deployment_choosing_the_stream_is_log_evidence(score_tree):
    # Laravel: the skeleton defaults to a file; a deployment that sets LOG_CHANNEL=stderr logs to the stream
    logging = (
        "<?php\nreturn [\n  'default' => env('LOG_CHANNEL', 'stack'),\n  'channels' => [\n"
        "    'stack' => ['driver' => 'stack', 'channels' => explode(',', env('LOG_STACK', 'single'))],\n"
        "    'single' => ['driver' => 'single', 'path' => storage_path('logs/laravel.log')],\n  ],\n];\n"
    )
    base = {"composer.json": '{"require": {"laravel/framework": "^11.0"}}\n', "config/logging.php": logging}
    report = score_tree(
        {**base, "docker-compose.yml": "services:\n  app:\n    build: .\n    environment:\n      LOG_CHANNEL: stderr\n"}
    )
    assert findings(report, "logs.stdout-evidence")
    assert not findings(report, "logs.file-handler", violations_only=True)
    # the look-alike: .env.example keeps the file channel and nothing overrides it
    report = score_tree({**base, ".env.example": "LOG_CHANNEL=stack\nLOG_STACK=single\n"})
    assert report.factor("logs").status.value == "fail"
