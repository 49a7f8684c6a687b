import pytest

from scoring.registry import registered
from tests.scoring.conftest import assert_fires, findings

SERVICE = {
    "Procfile": "web: gunicorn app:app --bind 0.0.0.0:$PORT\n",
    "requirements.txt": "gunicorn==23.0.0\n",
}
CHECKS = (
    "dependencies.declared",
    "dependencies.missing-manifest",
    "dependencies.no-lock-file",
    "dependencies.lock-file-ignored",
    "dependencies.undeclared-system-tool",
    "dependencies.curl-pipe-shell",
)
NODE = {"Procfile": "web: node server.js\n", "server.js": "const express = require('express');\n"}


def test_it_lists_its_checks():
    assert {c.spec.id for c in registered() if c.spec.factor == 2} == set(CHECKS)


@pytest.mark.parametrize(
    "files, check, severity",
    [
        # Python code importing a third-party package with no manifest at all
        ({"Procfile": "web: python app.py\n", "requirements.txt": None, "app.py": "import os\nimport requests\n"},
         "dependencies.missing-manifest", "high"),
        # Node code requiring express with no package.json
        ({"Procfile": "web: node server.js\n", "server.js": "const express = require('express');\n"},
         "dependencies.missing-manifest", "high"),
        # a Go service in a subfolder with no go.mod above it (the Python manifest does not cover Go)
        ({"cmd/api/main.go": "package main\nfunc main() {}\n"}, "dependencies.missing-manifest", "high"),
        # Java sources with no pom.xml or build.gradle
        ({"src/main/java/App.java": "class App {}\n"}, "dependencies.missing-manifest", "high"),
        # Ruby requiring a gem with no Gemfile
        ({"Procfile": "web: ruby app.rb\n", "app.rb": "require 'sinatra'\n"}, "dependencies.missing-manifest", "high"),
        # an app with range versions in package.json and no lock file
        ({**NODE, "package.json": '{"dependencies": {"express": "^4.18.0"}}'}, "dependencies.no-lock-file", "medium"),
        # unpinned requirements and no lock
        ({"requirements.txt": "django>=4.2\ngunicorn\n"}, "dependencies.no-lock-file", "medium"),
        # a Gemfile with no versions and no Gemfile.lock
        ({"Procfile": "web: bundle exec puma\n", "Gemfile": "gem 'rails'\ngem 'puma', '~> 6.0'\n", "app.rb": ""},
         "dependencies.no-lock-file", "medium"),
        # a binary crate with caret versions and no Cargo.lock
        ({"Procfile": "web: ./target/release/app\n", "Cargo.toml": '[package]\nname = "app"\n[dependencies]\naxum = "0.7"\n',
          "src/main.rs": "fn main() {}\n"}, "dependencies.no-lock-file", "medium"),
        # the lock file the tool writes is ignored
        ({**NODE, "package.json": '{"dependencies": {"express": "4.18.2"}}', ".gitignore": "node_modules/\npackage-lock.json\n"},
         "dependencies.lock-file-ignored", "high"),
        # a wildcard that ignores every *.lock
        ({"Procfile": "web: bundle exec puma\n", "Gemfile": "gem 'puma', '6.4.0'\n", ".gitignore": "*.lock\n"},
         "dependencies.lock-file-ignored", "high"),
        # Python shelling out to ffmpeg, installed nowhere
        ({"app/media.py": "import subprocess\nsubprocess.run(['ffmpeg', '-i', src, dst], check=True)\n"},
         "dependencies.undeclared-system-tool", "medium"),
        # os.system with ImageMagick's convert
        ({"app/thumbs.py": "import os\nos.system('convert in.png -resize 50% out.png')\n"},
         "dependencies.undeclared-system-tool", "medium"),
        # Node child_process running wkhtmltopdf
        ({"pdf.js": "const { execSync } = require('child_process');\nexecSync(`wkhtmltopdf ${url} out.pdf`);\n"},
         "dependencies.undeclared-system-tool", "medium"),
        # Go exec.Command with pg_dump
        ({"backup.go": 'package main\nfunc f() { exec.Command("pg_dump", "-Fc", db) }\n', "go.mod": "module x\n"},
         "dependencies.undeclared-system-tool", "medium"),
        # zx's $`…` template running ffmpeg
        ({"media.mjs": "import { $ } from 'zx';\nawait $`ffmpeg -i ${src} ${dst}`;\n"},
         "dependencies.undeclared-system-tool", "medium"),
        # Ruby backticks running pdftotext
        ({"lib/extract.rb": "text = `pdftotext #{path} -`\n"}, "dependencies.undeclared-system-tool", "medium"),
        # a Dockerfile piping an install script into sh
        ({"Dockerfile": "FROM python:3.12-slim\nRUN curl -fsSL https://get.example.com/install.sh | sh\n"},
         "dependencies.curl-pipe-shell", "medium"),
        # a CI step using wget | sudo bash
        ({".github/workflows/ci.yml": "jobs:\n  t:\n    steps:\n      - run: wget -qO- https://x.example/i | sudo bash\n"},
         "dependencies.curl-pipe-shell", "medium"),
        # sh -c "$(curl …)" in a setup script
        ({"bin/setup.sh": '#!/bin/sh\nsh -c "$(curl -fsSL https://x.example/install)"\n'}, "dependencies.curl-pipe-shell", "medium"),
    ],
)
def test_it_flags_dependency_violations(score_tree, files, check, severity):
    report = score_tree({k: v for k, v in {**SERVICE, **files}.items() if v is not None})
    assert_fires(report, check, severity)


@pytest.mark.parametrize(
    "files",
    [
        # a script that uses only the standard library and its own package needs no manifest
        {"Procfile": "web: python -m mysite\n", "requirements.txt": None, "mysite/__main__.py": "import json\nfrom mysite import views\n",
         "mysite/views.py": "import os, sys\n"},
        # browser scripts with relative imports and node builtins only
        {"static/app.js": "import { a } from './a.js';\nconst fs = require('node:fs');\nconst p = require('path');\n"},
        # Go sources under a go.mod in a parent folder
        {"go.mod": "module example.com/x\n", "go.sum": "", "cmd/api/main.go": "package main\n"},
        # a Jenkinsfile and Gradle scripts are not Java application sources
        {"Jenkinsfile": "pipeline { agent any }\n", "ci/release.groovy": "println 'x'\n"},
        # fully pinned requirements count as a lock
        {"requirements.txt": "django==5.0.1\ngunicorn==23.0.0\n"},
        # a committed lock file makes ranges in package.json fine
        {**NODE, "package.json": '{"dependencies": {"express": "^4.18.0"}}', "package-lock.json": "{}"},
        # a library declares ranges on purpose and needs no lock
        {"Procfile": None, "requirements.txt": None,
         "pyproject.toml": '[project]\nname = "lib"\nversion = "1"\ndependencies = ["attrs>=23"]\n[build-system]\nrequires = []\n',
         "lib/__init__.py": "import attrs\n"},
        # yarn.lock ignored while package-lock.json is committed
        {**NODE, "package.json": '{"dependencies": {"express": "4.18.2"}}', "package-lock.json": "{}",
         ".gitignore": "yarn.lock\n"},
        # ffmpeg installed in the Dockerfile
        {"Dockerfile": "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y ffmpeg\n",
         "app/media.py": "import subprocess\nsubprocess.run(['ffmpeg', '-i', src, dst])\n"},
        # pg_dump declared through postgresql-client in an Aptfile
        {"Aptfile": "postgresql-client\n", "app/backup.py": "import subprocess\nsubprocess.check_call(['pg_dump', url])\n"},
        # the words in a comment or docstring are not a call
        {"app/notes.py": '"""We used to subprocess.run(["ffmpeg"]) here."""\n# os.system("convert x")\n'},
        # a tool run from the test suite is not a runtime dependency
        {"tests/test_media.py": "import subprocess\nsubprocess.run(['ffmpeg', '-version'])\n"},
        # a program that is not a system tool (the app's own script)
        {"app/jobs.py": "import subprocess\nsubprocess.run(['./bin/worker', '--once'])\n"},
        # a tagged template named like zx's, but an identifier ending in $ (jQuery-style), not zx
        {"web/ui.js": "const html = el$`ffmpeg-card ${x}`;\nconst y = $$`ffmpeg`;\n"},
        # curl | sh quoted in the README is documentation
        {"README.md": "Install: `curl -fsSL https://x.example/install | sh`\n"},
        # curl piped into jq, not a shell
        {"bin/check.sh": "#!/bin/sh\ncurl -s https://api.example.com/status | jq .\n"},
        # a commented-out line in CI
        {".github/workflows/ci.yml": "jobs:\n  t:\n    steps:\n      # - run: curl https://x | sh\n      - run: make\n"},
    ],
)
def test_it_does_not_flag_look_alikes(score_tree, files):
    tree = {k: v for k, v in {**SERVICE, **files}.items() if v is not None}
    report = score_tree(tree)
    assert not [f for c in CHECKS for f in findings(report, c, violations_only=True)]


def test_it_reports_manifest_and_lock_as_evidence(score_tree):
    report = score_tree({**NODE, "package.json": '{"dependencies": {"express": "^4.18.0"}}', "package-lock.json": "{}"})
    evidence = findings(report, "dependencies.declared")
    assert [f.message for f in evidence] == ["Node dependencies are declared in package.json, locked in package-lock.json."]
    assert report.factor("dependencies").status.value == "pass"


def test_it_keeps_a_fake_tool_call_in_a_vendored_path_out(score_tree):
    report = score_tree({**SERVICE, "vendor/lib/run.py": "import subprocess\nsubprocess.run(['ffmpeg'])\n"})
    assert not findings(report, "dependencies.undeclared-system-tool")


def test_it_reports_fully_pinned_requirements_as_locked(score_tree):
    report = score_tree(SERVICE)
    assert [f.message for f in findings(report, "dependencies.declared")] == [
        "Python dependencies are declared in requirements.txt with exact versions."]
