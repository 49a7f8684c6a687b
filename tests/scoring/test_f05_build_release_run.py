import os
import subprocess

import pytest

from scoring import score_path
from scoring.registry import registered
from tests.scoring.conftest import assert_fires, findings, write_tree

SERVICE = {
    "Procfile": "web: gunicorn app:app --bind 0.0.0.0:$PORT\n",
    "requirements.txt": "gunicorn==23.0.0\n",
}
CHECKS = (
    "build-release-run.build-definition",
    "build-release-run.versioned-images",
    "build-release-run.release-step",
    "build-release-run.secrets-in-build",
    "build-release-run.install-at-startup",
    "build-release-run.mutating-deploy",
    "build-release-run.source-mounted",
    "build-release-run.floating-base-image",
    "build-release-run.floating-app-image",
    "build-release-run.git-in-image-build",
    "build-release-run.migrate-in-build",
)
BASE = "FROM python:3.12-slim\n"


def test_it_lists_its_checks():
    assert {c.spec.id for c in registered() if c.spec.factor == 5} == set(CHECKS)


@pytest.mark.parametrize(
    "files, check, severity",
    [
        # a cloud secret baked into the image
        ({"Dockerfile": BASE + "ENV AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY1\n"},
         "build-release-run.secrets-in-build", "critical"),
        # legacy `ENV NAME value` form
        ({"Dockerfile": BASE + "ENV STRIPE_API_KEY sk_test_abcdefghijklmnop\n"}, "build-release-run.secrets-in-build", "critical"),
        # a placeholder secret still ends up as the default in production
        ({"Dockerfile": BASE + "ENV SECRET_KEY=changeme\n"}, "build-release-run.secrets-in-build", "high"),
        # a build argument with a secret default
        ({"Dockerfile": BASE + "ARG NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123456789\n"},
         "build-release-run.secrets-in-build", "high"),
        # a production connection string with credentials
        ({"Dockerfile": BASE + "ENV DATABASE_URL=postgres://app:s3cret@db.prod.internal/app\n"},
         "build-release-run.secrets-in-build", "critical"),
        # per-deploy config (a production host) baked in
        ({"Dockerfile": BASE + "ENV REDIS_URL=redis://cache.prod.internal:6379/0\n"}, "build-release-run.secrets-in-build", "high"),
        # COPY of a .env file
        ({"Dockerfile": BASE + "COPY .env /app/.env\n"}, "build-release-run.secrets-in-build", "high"),
        # COPY . . with a committed .env and no .dockerignore
        ({"Dockerfile": BASE + "COPY . .\n", ".env": "DEBUG=1\n"}, "build-release-run.secrets-in-build", "high"),
        # npm install in the Procfile's web process
        ({"Procfile": "web: npm install && node server.js\n"}, "build-release-run.install-at-startup", "high"),
        # pip install in the image's CMD
        ({"Dockerfile": BASE + 'CMD pip install -r requirements.txt && python app.py\n'}, "build-release-run.install-at-startup", "high"),
        # npm start whose script builds first
        ({"Procfile": "web: npm start\n", "package.json": '{"scripts": {"start": "npm run build && node dist/server.js"}}'},
         "build-release-run.install-at-startup", "high"),
        # go run compiles at every start
        ({"Procfile": "web: go run ./cmd/server\n"}, "build-release-run.install-at-startup", "high"),
        # an entrypoint script that installs gems
        ({"Dockerfile": BASE + 'ENTRYPOINT ["./docker-entrypoint.sh"]\n',
          "docker-entrypoint.sh": "#!/bin/sh\nbundle install\nexec bundle exec puma\n"}, "build-release-run.install-at-startup", "high"),
        # deploy by ssh + git pull
        ({"bin/deploy.sh": '#!/bin/sh\nssh deploy@web1 "cd /srv/app && git pull && touch tmp/restart.txt"\n'},
         "build-release-run.mutating-deploy", "medium"),
        # rsync of the source tree to a server from a Makefile
        ({"Makefile": "deploy:\n\trsync -avz --delete ./ deploy@web1.example.com:/srv/app\n"}, "build-release-run.mutating-deploy", "medium"),
        # GitHub Actions ssh-action running git pull
        ({".github/workflows/deploy.yml": "jobs:\n  d:\n    steps:\n      - uses: appleboy/ssh-action@v1\n"
          "        with:\n          script: |\n            cd /srv/app\n            git pull\n"}, "build-release-run.mutating-deploy", "medium"),
        # fabric task pulling on the host
        ({"fabfile.py": "from fabric import task\n@task\ndef deploy(c):\n    c.run('cd /srv/app && git pull')\n"},
         "build-release-run.mutating-deploy", "medium"),
        # a base image with no tag
        ({"Dockerfile": "FROM python\nCMD [\"python\"]\n"}, "build-release-run.floating-base-image", "low"),
        # :latest on a registry image with a port
        ({"Dockerfile": "FROM registry.example.com:5000/base/node:latest\n"}, "build-release-run.floating-base-image", "low"),
        # git pull in the image build
        ({"Dockerfile": BASE + "RUN cd /app && git pull origin main\n"}, "build-release-run.git-in-image-build", "low"),
    ],
)
def test_it_flags_build_release_run_violations(score_tree, files, check, severity):
    report = score_tree({**SERVICE, **files})
    assert_fires(report, check, severity)


def test_it_redacts_baked_secrets(score_tree):
    report = score_tree({**SERVICE, "Dockerfile": BASE + "ENV AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY1\n"})
    got = findings(report, "build-release-run.secrets-in-build")
    assert got and "wJalrXUtnFEMIK7MDENG" not in got[0].snippet


def test_it_flags_cloning_the_apps_own_repository(tmp_path):
    root = write_tree(tmp_path / "shop", {**SERVICE, "Dockerfile": BASE + "RUN git clone --depth 1 https://github.com/acme/shop.git /app\n"})
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null"}
    subprocess.run(["git", "init", "-q"], cwd=root, env=env, check=True)
    subprocess.run(["git", "remote", "add", "origin", "git@github.com:acme/shop.git"], cwd=root, env=env, check=True)
    got = findings(score_path(os.fspath(root)), "build-release-run.git-in-image-build")
    assert [f.severity.value for f in got] == ["low"]


@pytest.mark.parametrize(
    "files",
    [
        # secrets passed in from the environment or build arguments without defaults
        {"Dockerfile": BASE + "ARG NPM_TOKEN\nENV SECRET_KEY=${SECRET_KEY}\nENV API_TOKEN=$API_TOKEN\n"},
        # a throwaway value for one build command is not baked into the image
        {"Dockerfile": BASE + "RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput\n"},
        # the example env file documents variables
        {"Dockerfile": BASE + "COPY .env.example /app/.env.example\n"},
        # ordinary non-secret ENV, and a local database URL for asset builds
        {"Dockerfile": BASE + "ENV PYTHONUNBUFFERED=1 PORT=8000 TOKEN_TTL_SECONDS=\nENV DATABASE_URL=sqlite:////tmp/build.db\n"},
        # COPY . . with a committed .env that .dockerignore excludes
        {"Dockerfile": BASE + "COPY . .\n", ".env": "DEBUG=1\n", ".dockerignore": ".env\n.git\n"},
        # copying a build stage's output by name
        {"Dockerfile": "FROM node:20 AS build\nRUN npm ci && npm run build\nFROM nginx:1.27\nCOPY --from=build /app/.env /x\n"},
        # installs in the build stage and a built artifact at start-up
        {"Dockerfile": BASE + "RUN pip install -r requirements.txt\nCMD [\"gunicorn\", \"app:app\"]\n"},
        # a release-phase command is not start-up
        {"Procfile": "web: node server.js\nrelease: npm run build\n"},
        # a development compose file that installs at start is dev tooling
        {"docker-compose.yml": "services:\n  web:\n    image: node:20\n    command: sh -c 'npm install && npm run dev'\n"},
        # npm start whose script only starts the server
        {"Procfile": "web: npm start\n", "package.json": '{"scripts": {"start": "node server.js", "build": "tsc"}}'},
        # a local rsync (backup to another folder) and ssh without code changes
        {"bin/backup.sh": "#!/bin/sh\nrsync -a data/ backup/\nssh db1 uptime\n"},
        # deploy instructions in docs
        {"docs/deploy.md": "ssh web1 'cd /srv/app && git pull'\n"},
        # stage aliases, scratch, pinned digests and images chosen through ARG
        {"Dockerfile": "ARG BASE=python:3.12\nFROM ${BASE} AS builder\nFROM builder\nFROM scratch\n"
                       "FROM alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"},
        # cloning a third-party tool is not the app's own code
        {"Dockerfile": BASE + "RUN git clone https://github.com/tools/wkhtmltox.git /opt/w && make -C /opt/w\n"},
    ],
)
def test_it_does_not_flag_look_alikes(score_tree, files):
    report = score_tree({**SERVICE, **files})
    assert not [f for c in CHECKS for f in findings(report, c, violations_only=True)]


@pytest.mark.parametrize(
    "files, check",
    [
        # a Dockerfile is a build definition
        ({"Dockerfile": BASE}, "build-release-run.build-definition"),
        # a Containerfile in a subfolder too
        ({"docker/Containerfile": BASE}, "build-release-run.build-definition"),
        # a CI workflow building an image tagged with the commit
        ({".github/workflows/ci.yml": "jobs:\n  b:\n    steps:\n      - run: docker build -t app:${{ github.sha }} .\n"},
         "build-release-run.versioned-images"),
        # GitLab tagging with the commit SHA variable
        ({".gitlab-ci.yml": "build:\n  script:\n    - docker build --tag $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA .\n"},
         "build-release-run.versioned-images"),
        # a Procfile release phase
        ({"Procfile": "web: gunicorn app:app\nrelease: python manage.py migrate\n"}, "build-release-run.release-step"),
        # a Helm hook
        ({"chart/Chart.yaml": "name: app\n", "chart/templates/migrate.yaml": 'metadata:\n  annotations:\n    "helm.sh/hook": pre-upgrade\n'},
         "build-release-run.release-step"),
        # a deploy workflow
        ({".github/workflows/deploy.yml": "jobs:\n  d:\n    steps:\n      - run: helm upgrade --install app ./chart\n"},
         "build-release-run.release-step"),
    ],
)
def test_it_reports_evidence(score_tree, files, check):
    report = score_tree({**SERVICE, **files})
    got = findings(report, check)
    assert got and got[0].severity.value == "info"


def test_it_does_not_count_a_devcontainer_as_the_build(score_tree):
    # a development container image is not how the app is built for deploys
    report = score_tree({"requirements.txt": "flask==3.0.0\n", "app.py": "import flask\n", ".devcontainer/Dockerfile": BASE})
    assert not findings(report, "build-release-run.build-definition")


@pytest.mark.parametrize(
    "build, expected",
    [
        ("<project><build><plugins><plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build></project>", True),
        ("<project><build><plugins><plugin><artifactId>maven-surefire-plugin</artifactId></plugin></plugins></build></project>", False),
    ],
)
def test_it_takes_a_jvm_packaging_plugin_for_a_build_definition(score_tree, build, expected):
    report = score_tree({"pom.xml": build})
    got = [f.message for f in findings(report, "build-release-run.build-definition")]
    assert ("The build packages a runnable artifact or image (Spring Boot or Jib build plugin)." in got) is expected

