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
    "codebase.revision-control",
    "codebase.environment-branches",
    "codebase.copied-app-per-environment",
    "codebase.shared-code-by-path",
    "codebase.copied-shared-folder",
    "codebase.link-outside-tree",  # scoring/factors/tree_hygiene.py
)
GIT_ENV = {
    "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.test", "GIT_COMMITTER_NAME": "T",
    "GIT_COMMITTER_EMAIL": "t@example.test", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
}
APP = "".join(f"def handler_{i}(request):\n    return render(request, 'page_{i}.html')\n\n" for i in range(8))


def git(root, *args):
    subprocess.run(["git", *args], cwd=root, env={**os.environ, **GIT_ENV}, check=True, capture_output=True)


def repo(tmp_path, files, branches=(), diverge=()):
    """A real git repository on `main` with one commit, extra branches, and a commit on each of `diverge`."""
    root = write_tree(tmp_path / "repo", files)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    for name in branches:
        git(root, "branch", name)
    for name in diverge:
        git(root, "checkout", "-q", name)
        (root / f"{name.replace('/', '_')}.txt").write_text("hotfix\n")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"change on {name}")
        git(root, "checkout", "-q", "main")
    return score_path(os.fspath(root))


def test_it_lists_its_checks():
    assert {c.spec.id for c in registered() if c.spec.factor == 1} == set(CHECKS)


def test_it_reports_a_git_repository_as_evidence(tmp_path):
    report = repo(tmp_path, SERVICE)
    evidence = findings(report, "codebase.revision-control")
    assert evidence and evidence[0].severity.value == "info"
    assert report.factor("codebase").status.value == "pass"


def test_it_has_no_evidence_without_git(score_tree):
    report = score_tree(SERVICE)
    assert not findings(report, "codebase.revision-control")


@pytest.mark.parametrize(
    "branches, diverge, flagged",
    [
        # a production branch with its own commits beside main
        (("production",), ("production",), ["production"]),
        # staging and prod both diverge
        (("staging", "prod"), ("staging", "prod"), ["prod", "staging"]),
        # a namespaced environment branch (env/prod) still names an environment
        (("env/prod",), ("env/prod",), ["env/prod"]),
    ],
)
def test_it_flags_diverging_environment_branches(tmp_path, branches, diverge, flagged):
    report = repo(tmp_path, SERVICE, branches, diverge)
    got = findings(report, "codebase.environment-branches")
    assert sorted(f.snippet for f in got) == flagged
    assert {f.severity.value for f in got} == {"medium"}


@pytest.mark.parametrize(
    "branches, diverge",
    [
        # a prod branch that points at main's commit is a deploy marker, not diverged code
        (("prod",), ()),
        # names that merely contain an environment word
        (("feature/product-page", "fix-staging-typo"), ("feature/product-page",)),
        # git-flow's develop branch is a mainline, not an environment
        (("develop",), ("develop",)),
    ],
)
def test_it_does_not_flag_look_alike_branches(tmp_path, branches, diverge):
    report = repo(tmp_path, SERVICE, branches, diverge)
    assert not findings(report, "codebase.environment-branches")


@pytest.mark.parametrize(
    "files, check, severity",
    [
        # the same app copied under deploy/prod and deploy/staging with one line changed
        ({"deploy/prod/app.py": APP + "HOST = 'prod'\n", "deploy/staging/app.py": APP + "HOST = 'staging'\n"},
         "codebase.copied-app-per-environment", "high"),
        # identical Node servers per environment folder at the root
        ({"production/server.js": "const x = 1;\n" * 12, "staging/server.js": "const x = 1;\n" * 12},
         "codebase.copied-app-per-environment", "high"),
        # a monorepo service requiring code from a sibling folder by relative path
        ({"services/api/Dockerfile": "FROM node:20\n", "services/api/package.json": '{"private": true}',
          "services/api/index.js": "const db = require('../../shared/db');\n",
          "services/web/Dockerfile": "FROM node:20\n", "services/web/package.json": '{"private": true}',
          "shared/db.js": "module.exports = {};\n"},
         "codebase.shared-code-by-path", "medium"),
        # a Python service putting a sibling's shared folder on sys.path
        ({"svc/a/Dockerfile": "FROM python:3.12\n", "svc/a/requirements.txt": "flask==3.0.0\n",
          "svc/a/main.py": "import sys\nsys.path.append(os.path.join(HERE, '..', 'common'))\n",
          "svc/b/Dockerfile": "FROM python:3.12\n", "svc/b/requirements.txt": "flask==3.0.0\n",
          "svc/common/util.py": "X = 1\n"},
         "codebase.shared-code-by-path", "medium"),
        # an import reaching outside the repository altogether
        ({"src/app.ts": "import { a } from '../../../outside/lib';\n"}, "codebase.shared-code-by-path", "medium"),
        # the same shared/ files copied into two deployables
        ({"api/Dockerfile": "FROM python:3.12\n", "api/requirements.txt": "flask==3.0.0\n",
          "api/shared/auth.py": "def check(token):\n    a = 1\n    b = 2\n    c = 3\n    return token\n",
          "worker/Dockerfile": "FROM python:3.12\n", "worker/requirements.txt": "celery==5.4.0\n",
          "worker/shared/auth.py": "def check(token):\n    a = 1\n    b = 2\n    c = 3\n    return token\n"},
         "codebase.copied-shared-folder", "medium"),
    ],
)
def test_it_flags_codebase_violations(score_tree, files, check, severity):
    report = score_tree({**SERVICE, **files})
    assert_fires(report, check, severity)


@pytest.mark.parametrize(
    "files",
    [
        # per-environment settings modules are factor III's concern, not copies of the app
        {"config/prod/settings.py": APP, "config/staging/settings.py": APP},
        # different code under environment folders is not a copy
        {"deploy/prod/app.py": APP, "deploy/staging/app.py": "".join(f"X{i} = {i}\n" for i in range(20))},
        # tiny identical files (an __init__ or a one-liner) are not an app
        {"deploy/prod/run.py": "main()\n", "deploy/staging/run.py": "main()\n"},
        # kustomize overlays are YAML, not code
        {"k8s/overlays/prod/kustomization.yaml": "resources: [../../base]\n" * 12,
         "k8s/overlays/staging/kustomization.yaml": "resources: [../../base]\n" * 12},
        # relative imports inside one app
        {"src/index.js": "const db = require('./lib/db');\nimport x from '../src/x';\n", "src/lib/db.js": ""},
        # a monorepo service importing its own folder's code with ../
        {"services/api/Dockerfile": "FROM node:20\n", "services/api/package.json": '{"private": true}',
         "services/api/src/routes/a.js": "const db = require('../../lib/db');\n",
         "services/web/Dockerfile": "FROM node:20\n", "services/web/package.json": '{"private": true}'},
        # sys.path pointing at the service's own parent folder is not another app
        {"svc/a/Dockerfile": "FROM python:3.12\n", "svc/a/requirements.txt": "flask==3.0.0\n",
         "svc/a/tools/run.py": "import sys\nsys.path.insert(0, os.path.join(HERE, '..'))\n",
         "svc/b/Dockerfile": "FROM python:3.12\n", "svc/b/requirements.txt": "flask==3.0.0\n"},
        # shared folders with different contents are not copies
        {"api/Dockerfile": "FROM python:3.12\n", "api/requirements.txt": "flask==3.0.0\n",
         "api/shared/auth.py": "def check(token):\n    a = 1\n    b = 2\n    c = 3\n    return token\n",
         "worker/Dockerfile": "FROM python:3.12\n", "worker/requirements.txt": "celery==5.4.0\n",
         "worker/shared/auth.py": "def check(token):\n    a = 9\n    b = 8\n    c = 7\n    return None\n"},
        # copies under tests/ are fixtures, not deploys
        {"tests/fixtures/prod/app.py": APP, "tests/fixtures/staging/app.py": APP},
    ],
)
def test_it_does_not_flag_look_alikes(score_tree, files):
    report = score_tree({**SERVICE, **files})
    assert not [f for c in CHECKS for f in findings(report, c, violations_only=True)]
