"""The start path followed past the launch command: npm scripts, supervisor programs, container init
steps, documented deploy commands, the files a start command runs, and one call across files."""

import os
import time

import pytest

from scoring.context import Context
from scoring.facts.bootpath import boot_schema_changes
from scoring.facts.buildcontext import source_mounts
from scoring.facts.callgraph import enclosing
from scoring.facts.launch import INIT, RUN, is_development, launches
from scoring.facts.migrations import schema_settings
from scoring.facts.shell import start_scripts
from scoring.facts.startpath import documented_launches, start_commands, started_files
from scoring.tree import File, load_tree
from tests.scoring.conftest import write_tree


def _ctx(tmp_path, files):
    write_tree(tmp_path, files)
    return Context(load_tree(os.fspath(tmp_path)))


def test_it_points_compose_findings_at_the_command_line(tmp_path):
    ctx = _ctx(
        tmp_path,
        {
            "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n    command: postgres\n"
            "  web:\n    build: .\n    depends_on:\n      - db\n    command: uwsgi app.ini\n"
        },
    )
    assert {(launch.name, launch.line) for launch in ctx.fact(launches)} == {("db", 4), ("web", 9)}


def test_it_follows_npm_scripts_with_their_pre_scripts(tmp_path):
    ctx = _ctx(
        tmp_path,
        {
            "package.json": '{"scripts": {"prestart:prod": "node check.js", "start:prod": "npm-run-all migrate serve",\n'
            '"migrate": "prisma migrate deploy", "serve": "node dist/main.js", "dev": "nodemon"}}\n',
            "Dockerfile": 'FROM node:20\nCMD ["npm", "run", "start:prod"]\n',
        },
    )
    hops = {
        (launch.name, launch.command, launch.origin.source)
        for launch in ctx.fact(start_commands)
        if launch.source == "package.json"
    }
    assert hops == {
        ("prestart:prod", "node check.js", "dockerfile"),
        ("start:prod", "npm-run-all migrate serve", "dockerfile"),
        ("migrate", "prisma migrate deploy", "dockerfile"),
        ("serve", "node dist/main.js", "dockerfile"),
    }


@pytest.mark.parametrize(
    "files, started",
    [
        # no deploy file: a platform runs `npm start` for a web app
        ({"package.json": '{"dependencies": {"express": "4"}, "scripts": {"start": "node server.js"}}'}, True),
        # a Procfile names the command: `start` is not the launch
        (
            {
                "package.json": '{"dependencies": {"express": "4"}, "scripts": {"start": "node server.js"}}',
                "Procfile": "web: node app.js\n",
            },
            False,
        ),
        # a front-end package with no server framework
        ({"package.json": '{"dependencies": {"react": "18"}, "scripts": {"start": "react-scripts start"}}'}, False),
    ],
)
def test_it_takes_npm_start_as_the_platform_default_only_for_a_server_with_no_launch(tmp_path, files, started):
    names = {launch.name for launch in _ctx(tmp_path, files).fact(start_commands) if launch.source == "package.json"}
    assert ("start" in names) is started


def test_it_reads_supervisor_programs_and_container_init_steps(tmp_path):
    ctx = _ctx(
        tmp_path,
        {
            "docker/supervisord.conf": "[supervisord]\nnodaemon=true\n[program:web]\ncommand=gunicorn app:app\n[program:worker]\n"
            "command=celery -A app worker\n",
            "root/etc/cont-init.d/10-migrate": "#!/usr/bin/with-contenv bash\npython manage.py migrate\n",
            "root/etc/s6-overlay/s6-rc.d/svc-web/run": "#!/command/with-contenv sh\nexec gunicorn app:app\n",
            "db/docker-entrypoint-initdb.d/init.sh": "psql -c 'create database app'\n",  # a database image's first init
        },
    )
    got = {(launch.source, launch.name, launch.stage) for launch in ctx.fact(start_commands)}
    assert got == {
        ("supervisor", "web", RUN),
        ("supervisor", "worker", RUN),
        ("container-init", "root/etc/cont-init.d/10-migrate", INIT),
        ("container-init", "root/etc/s6-overlay/s6-rc.d/svc-web/run", RUN),
    }
    scripts = {s.file.path: s.referenced_by.stage for s in ctx.fact(start_scripts) if s.referenced_by}
    assert scripts == {"root/etc/cont-init.d/10-migrate": INIT, "root/etc/s6-overlay/s6-rc.d/svc-web/run": RUN}


def test_it_follows_a_start_script_into_the_scripts_it_runs(tmp_path):
    ctx = _ctx(
        tmp_path,
        {
            "Dockerfile": 'FROM python:3.12\nENTRYPOINT ["/app/docker/entrypoint.sh"]\n',
            "docker/entrypoint.sh": "#!/bin/sh\n. /app/docker/env.sh\nbash docker/prestart.sh\nexec gunicorn app:app\n",
            "docker/prestart.sh": "#!/bin/sh\nalembic upgrade head\n",
            "docker/env.sh": "#!/bin/sh\nexport A=1\n",
            "docker/unused.sh": "#!/bin/sh\necho never run\n",
        },
    )
    by_path = {s.file.path: s for s in ctx.fact(start_scripts)}
    assert set(by_path) == {"docker/entrypoint.sh", "docker/prestart.sh", "docker/env.sh"}
    assert by_path["docker/prestart.sh"].called_from.text == "bash docker/prestart.sh"
    assert by_path["docker/prestart.sh"].referenced_by.source == "dockerfile"


@pytest.mark.parametrize(
    "readme, expected",
    [
        (
            "## Deploy on a remote server\n\n```shell\nnpm ci && npx prisma migrate deploy && node dist/main.js\n```\n",
            [("Deploy on a remote server", "npm ci && npx prisma migrate deploy && node dist/main.js")],
        ),
        # a `#` comment inside a fenced block is not a heading
        ("## Running locally\n\n```sh\n# deploy the schema first\nnpm ci && node dist/main.js\n```\n", []),
        # a chain that ends with a development server
        ("## Production\n\n`pip install -r requirements.txt && python manage.py runserver`\n", []),
        (
            "## Production\n\n`pip install -r requirements.txt && gunicorn app:app`\n",
            [("Production", "pip install -r requirements.txt && gunicorn app:app")],
        ),
    ],
)
def test_it_reads_deploy_commands_under_deploy_headings(tmp_path, readme, expected):
    got = [(launch.name, launch.command) for launch in _ctx(tmp_path, {"README.md": readme}).fact(documented_launches)]
    assert got == expected


def test_it_maps_start_commands_to_the_files_they_run(tmp_path):
    ctx = _ctx(
        tmp_path,
        {
            "Procfile": "web: gunicorn hc.wsgi:application\nworker: python -m hc.worker\napi: node dist/api/main.js\n",
            "hc/wsgi.py": "",
            "hc/worker.py": "",
            "hc/other.py": "",
            "src/api/main.ts": "",
            "src/api/other.ts": "",
        },
    )
    assert sorted(f.path for f in ctx.fact(started_files)) == ["hc/worker.py", "hc/wsgi.py", "src/api/main.ts"]


@pytest.mark.parametrize(
    "name, text, needle, function, owner",
    [
        ("db.py", "@app.cli.command()\ndef init_db():\n    db.create_all()\n", "create_all", "init_db", None),
        (
            "db.ts",
            "export const initDb = async () => {\n  await ds.runMigrations();\n};\n",
            "runMigrations",
            "initDb",
            None,
        ),
        (
            "seed.cs",
            "public class Seed {\n  public static async Task SeedAsync() {\n    db.Database.Migrate();\n  }\n}\n",
            "Migrate",
            "SeedAsync",
            "Seed",
        ),
        (
            "store.go",
            "package store\n\nfunc (s *Store) Migrate() {\n\ts.db.AutoMigrate(&User{})\n}\n",
            "AutoMigrate",
            "Migrate",
            None,
        ),
        ("boot.rb", "class Boot\n  def run\n    Sequel::Migrator.run(db, 'm')\n  end\nend\n", "Sequel", "run", "Boot"),
        (
            "Db.java",
            "class Db {\n  @PostConstruct\n  void init() {\n    flyway.migrate();\n  }\n}\n",
            "flyway",
            "init",
            "Db",
        ),
        (
            "P.php",
            "<?php\nclass P {\n  public function boot() {\n    Artisan::call('migrate');\n  }\n}\n",
            "Artisan",
            "boot",
            "P",
        ),
        ("main.rs", "fn setup() {\n    run_pending_migrations(conn);\n}\n", "run_pending", "setup", None),
        (
            "Db.kt",
            "class Db {\n    fun start() {\n        SchemaUtils.create(Users)\n    }\n}\n",
            "SchemaUtils",
            "start",
            None,
        ),
        ("top.py", "engine = make()\nBase.metadata.create_all(engine)\n", "create_all", None, None),
    ],
)
def test_it_finds_the_function_around_a_line(name, text, needle, function, owner):
    found = enclosing(File(name, len(text), text), text.index(needle))
    assert (found.function, found.owner) == (function, owner)


def test_it_keeps_cli_commands_and_imports_off_the_boot_path(tmp_path):
    ctx = _ctx(
        tmp_path,
        {
            "requirements.txt": "flask\n",
            "app/__init__.py": "from app.db import init_db\n\ndef create_app():\n    return Flask(__name__)\n\n"
            "@app.cli.command()\ndef initdb():\n    init_db()\n",
            "app/db.py": "def init_db():\n    db.create_all()\n",
        },
    )
    assert ctx.fact(boot_schema_changes) == []


def test_it_reads_schema_settings_from_properties_yaml_and_xml(tmp_path):
    ctx = _ctx(
        tmp_path,
        {
            "src/main/resources/application.yml": "spring:\n  jpa:\n    hibernate:\n      ddl-auto: ${DDL:update}\n",
            "src/main/resources/application-prod.properties": "spring.datasource.initialization-mode=always\n",
            "src/main/resources/application-dev.properties": "spring.jpa.hibernate.ddl-auto=create-drop\n",
            "src/main/resources/META-INF/persistence.xml": '<property name="hibernate.hbm2ddl.auto" value="update"/>\n',
        },
    )
    got = {(s.file.name, s.line, s.overridable) for s in ctx.fact(schema_settings)}
    assert got == {
        ("application.yml", 4, True),
        ("application-prod.properties", 1, False),
        ("persistence.xml", 1, False),
    }


def test_it_finds_source_mounts_only_where_production_uses_them(tmp_path):
    ctx = _ctx(
        tmp_path,
        {
            "app/main.py": "",
            "Dockerfile": "FROM python:3.12\n",
            "docker-compose.yml": "services:\n  web:\n    build: .\n    volumes:\n      - type: bind\n        source: ./app\n"
            "        target: /srv/app\n      - ./static:/srv/static\n",
            "docker-compose.production.yml": "services:\n  web:\n    restart: always\n",
            "static/site.css": "",
        },
    )
    assert [(m.mount, m.line, m.why) for m in ctx.fact(source_mounts)] == [
        ("./app:/srv/app", 6, "a compose file that docker-compose.production.yml extends for production")
    ]


@pytest.mark.parametrize(
    "path, dev",
    [
        (".devcontainer/docker-compose.yml", True),
        ("dev/docker/entrypoint.sh", True),
        ("docker-compose.override.yml", True),
        ("compose.test.yaml", True),
        ("docker-compose.yml", False),
        ("docker/compose.prod.yml", False),
        ("devops/compose.yml", False),
    ],
)
def test_it_tells_development_files(path, dev):
    assert is_development(File(path, 0, "")) is dev


def test_it_bounds_the_work_on_a_caller_that_repeats_a_name(tmp_path):
    # hostile input: a start-up file naming the function 50,000 times, all inside a one-off CLI command
    ctx = _ctx(
        tmp_path,
        {
            "requirements.txt": "fastapi\n",
            "app/main.py": "from app import db\napp = FastAPI()\n\n@app.cli.command()\ndef seed():\n"
            + "    db.init_db()\n" * 50_000,
            "app/db.py": "def init_db():\n    Base.metadata.create_all(engine)\n",
        },
    )
    started = time.process_time()
    assert ctx.fact(boot_schema_changes) == []
    assert time.process_time() - started < 5
