"""The shared facts of the process-model checks: launch commands, start scripts, string-literal keys."""

import os

import pytest

from scoring.context import Context
from scoring.facts.launch import INIT, JOB, RELEASE, RUN, launches
from scoring.facts.shell import commands_of, sh_c_script, start_scripts
from scoring.tree import load_tree
from tests.scoring.conftest import write_tree


def _ctx(tmp_path, files):
    write_tree(tmp_path, files)
    return Context(load_tree(os.fspath(tmp_path)))


@pytest.mark.parametrize(
    "files, expected",
    [
        # Procfile: release is its own stage
        ({"Procfile": "web: gunicorn app\nrelease: python manage.py migrate\n"},
         [("procfile", "web", "gunicorn app", RUN), ("procfile", "release", "python manage.py migrate", RELEASE)]),
        # Dockerfile: the final stage's exec-form CMD, joined; the build stage's CMD is ignored
        ({"Dockerfile": 'FROM node AS b\nCMD npm run build\nFROM node\nCMD ["node", "server.js"]\n'},
         [("dockerfile", "CMD", "node server.js", RUN)]),
        # compose: a service named for migrations is a one-off job
        ({"docker-compose.yml": "services:\n  migrate:\n    build: .\n    command: [\"python\", \"manage.py\", \"migrate\"]\n"},
         [("compose", "migrate", "python manage.py migrate", JOB)]),
        # Kubernetes: initContainers are their own stage
        ({"k8s/d.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n"
                        "      initContainers:\n        - name: wait\n          command: [\"sh\", \"-c\", \"sleep 1\"]\n"
                        "      containers:\n        - name: web\n          args: [\"gunicorn\", \"app\"]\n"},
         [("k8s", "web/web", "gunicorn app", RUN), ("k8s", "web/wait", "sh -c sleep 1", INIT)]),
        # systemd and uWSGI
        ({"app.service": "[Service]\nExecStartPre=-/srv/bin/prep\nExecStart=/srv/bin/web\n",
          "uwsgi.ini": "[uwsgi]\nhook-pre-app = exec:./manage.py check\nattach-daemon = ./manage.py worker\n"},
         [("systemd", "ExecStartPre", "/srv/bin/prep", INIT), ("systemd", "ExecStart", "/srv/bin/web", RUN),
          ("uwsgi", "hook-pre-app", "./manage.py check", INIT), ("uwsgi", "attach-daemon", "./manage.py worker", RUN)]),
        # a Procfile in a docs folder is not a deploy file
        ({"docs/example/Procfile": "web: node x.js\n"}, []),
    ],
)
def test_it_reads_launch_commands(tmp_path, files, expected):
    got = [(launch.source, launch.name, launch.command, launch.stage) for launch in _ctx(tmp_path, files).fact(launches)]
    assert sorted(got) == sorted(expected)


def test_it_marks_shell_form_dockerfile_commands(tmp_path):
    (launch,) = _ctx(tmp_path, {"Dockerfile": "FROM python\nCMD gunicorn app\n"}).fact(launches)
    assert launch.exec_form is False


def test_it_finds_scripts_run_by_launch_commands_and_entrypoints_by_name(tmp_path):
    ctx = _ctx(tmp_path, {
        "Dockerfile": 'FROM python\nCMD ["/app/bin/boot-web"]\n',
        "bin/boot-web": "#!/bin/sh\nexec gunicorn app\n",  # named by the CMD, found by its shebang
        "docker/entrypoint.sh": "#!/bin/sh\nexec \"$@\"\n",  # found by its name
        "bin/dev": "#!/bin/sh\n./manage.py runserver\n",  # neither
    })
    scripts = {s.file.path: s for s in ctx.fact(start_scripts)}
    assert set(scripts) == {"bin/boot-web", "docker/entrypoint.sh"}
    assert scripts["bin/boot-web"].referenced_by.source == "dockerfile"
    assert all(s.execs for s in scripts.values())


@pytest.mark.parametrize(
    "text, expected",
    [
        # continuation lines join; comments and blanks drop
        ("# c\n\ngunicorn app \\\n  --bind :$PORT\n", [(3, "gunicorn app  --bind :$PORT")]),
        # an unterminated continuation at the end still counts
        ("a \\\n", [(1, "a")]),
    ],
)
def test_it_splits_shell_into_commands(text, expected):
    assert [(c.line, c.text) for c in commands_of(text)] == expected


def test_it_cuts_endless_continuations():
    commands = commands_of("x \\\n" * 10_000)
    assert len(commands) > 1 and all(len(c.text) <= 9000 for c in commands)


@pytest.mark.parametrize(
    "command, script",
    [
        ("sh -c exec gunicorn app", "exec gunicorn app"),  # argv joined from exec form
        ("/bin/bash -c 'migrate && serve'", "migrate && serve"),  # quoted
        ("gunicorn app", None),  # not a shell
    ],
)
def test_it_extracts_sh_c_scripts(command, script):
    assert sh_c_script(command) == script
