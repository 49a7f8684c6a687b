import pytest

from tests.scoring.conftest import assert_fires, findings

SERVICE = {
    "Procfile": "web: gunicorn app:app --bind 0.0.0.0:$PORT\n",
    "requirements.txt": "gunicorn==23.0.0\n",
}
CHECKS = ("admin-processes.migrate-on-start", "admin-processes.manual-server-steps")


@pytest.mark.parametrize(
    "files, check, severity",
    [
        # Dockerfile CMD migrating before the server
        ({"Dockerfile": "FROM python:3.12\nCMD python manage.py migrate && gunicorn app.wsgi\n"}, "admin-processes.migrate-on-start", "high"),
        # Procfile web process migrating
        ({"Procfile": "web: python manage.py migrate && gunicorn app.wsgi\n"}, "admin-processes.migrate-on-start", "high"),
        # Rails entrypoint script preparing the database
        ({"Dockerfile": 'FROM ruby:3.3\nENTRYPOINT ["/rails/bin/docker-entrypoint"]\n',
          "bin/docker-entrypoint": "#!/bin/bash -e\n./bin/rails db:prepare\nexec \"${@}\"\n"}, "admin-processes.migrate-on-start", "high"),
        # Kubernetes Deployment whose container migrates then serves
        ({"k8s/web.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n"
                          "      containers:\n        - name: web\n          image: app:1\n"
                          "          command: [\"sh\", \"-c\", \"npx prisma migrate deploy && node server.js\"]\n"},
         "admin-processes.migrate-on-start", "high"),
        # a development compose command: medium
        ({"docker-compose.yml": "services:\n  web:\n    build: .\n    command: sh -c \"python manage.py migrate && python manage.py runserver\"\n"},
         "admin-processes.migrate-on-start", "medium"),
        # Flask-SQLAlchemy create_all in the app factory
        ({"app/__init__.py": "def create_app():\n    app = Flask(__name__)\n    with app.app_context():\n        db.create_all()\n    return app\n"},
         "admin-processes.migrate-on-start", "high"),
        # sequelize.sync() in the server
        ({"server.js": "sequelize.sync().then(() => app.listen(process.env.PORT));\n"}, "admin-processes.migrate-on-start", "high"),
        # GORM AutoMigrate in main
        ({"main.go": "func main() {\n\tdb.AutoMigrate(&User{})\n}\n"}, "admin-processes.migrate-on-start", "high"),
        # Flyway.migrate() in the boot path
        ({"src/main/java/App.java": "Flyway flyway = Flyway.configure().dataSource(ds).load();\nflyway.migrate();\n"},
         "admin-processes.migrate-on-start", "high"),
        # EF Core Database.Migrate() in Program.cs
        ({"Program.cs": "db.Database.Migrate();\napp.Run();\n"}, "admin-processes.migrate-on-start", "high"),
        # Hibernate ddl-auto=update
        ({"src/main/resources/application.properties": "spring.jpa.hibernate.ddl-auto=update\n"},
         "admin-processes.migrate-on-start", "high"),
        # a uWSGI exec hook migrating before the app loads
        ({"Dockerfile": 'FROM python:3.12\nCMD ["uwsgi", "uwsgi.ini"]\n', "uwsgi.ini": "[uwsgi]\nhook-pre-app = exec:./manage.py migrate\n"},
         "admin-processes.migrate-on-start", "high"),
        # a Kubernetes initContainer migrating on every pod start: medium
        ({"k8s/web.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n"
                          "      initContainers:\n        - name: migrate\n          image: app:1\n"
                          "          command: [\"python\", \"manage.py\", \"migrate\"]\n"},
         "admin-processes.migrate-on-start", "medium"),
        # a README telling operators to ssh in and run SQL by hand
        ({"README.md": "To fix counts: `ssh prod 'psql -f fix_counts.sql'`\n"}, "admin-processes.manual-server-steps", "medium"),
    ],
)
def test_it_flags_admin_process_violations(score_tree, files, check, severity):
    report = score_tree({**SERVICE, **files})
    assert_fires(report, check, severity)


@pytest.mark.parametrize(
    "files",
    [
        # migrations in the release phase (our own Procfile)
        {"Procfile": "web: gunicorn app.wsgi\nrelease: python manage.py migrate --noinput\n"},
        # a one-off compose service named for the migration
        {"docker-compose.yml": "services:\n  release:\n    build: .\n    command: [\"python\", \"manage.py\", \"migrate\", \"--noinput\"]\n"},
        # a Kubernetes Job running migrations
        {"k8s/migrate.yaml": "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\nspec:\n  template:\n    spec:\n"
                             "      containers:\n        - name: m\n          image: app:1\n          command: [\"python\", \"manage.py\", \"migrate\"]\n"},
        # create_all in a one-off script
        {"scripts/init_db.py": "from app import db\ndb.create_all()\n"},
        # AutoMigrate in a dedicated migrate command
        {"cmd/migrate/main.go": "func main() {\n\tdb.AutoMigrate(&User{})\n}\n"},
        # create_all mentioned in a docstring
        {"app.py": '"""Never call db.create_all() here."""\napp = Flask(__name__)\n'},
        # the manual step names a script that is in the repository
        {"README.md": "Run `ssh prod 'psql -f scripts/fix_counts.sql'` once.\n", "scripts/fix_counts.sql": "update t set n = 0;\n"},
        # ssh used for git, not for an admin command
        {"README.md": "Clone with `git clone ssh://git@example.com/app.git`.\n"},
        # a dev bootstrap script that migrates is not the server's start
        {"bin/dev": "#!/bin/bash\n./manage.py migrate\nexec honcho start\n"},
        # ddl-auto=validate changes nothing
        {"src/main/resources/application.properties": "spring.jpa.hibernate.ddl-auto=validate\n"},
    ],
)
def test_it_does_not_flag_look_alikes(score_tree, files):
    report = score_tree({**SERVICE, **files})
    for check in CHECKS:
        assert not [f for f in findings(report, check) if f.severity.value in ("critical", "high", "medium")], check


@pytest.mark.parametrize(
    "files, check",
    [
        # Django migrations
        ({"app/web/migrations/0001_initial.py": "from django.db import migrations\n"}, "admin-processes.migrations-tool"),
        # Alembic
        ({"alembic.ini": "[alembic]\nscript_location = alembic\n"}, "admin-processes.migrations-tool"),
        # Prisma dependency
        ({"package.json": '{"private": true, "dependencies": {"prisma": "5.0.0"}}'}, "admin-processes.migrations-tool"),
        # manage.py commands
        ({"app/web/management/commands/rescore.py": "class Command: pass\n"}, "admin-processes.admin-tasks"),
        # rake tasks
        ({"lib/tasks/cleanup.rake": "task :cleanup do\nend\n"}, "admin-processes.admin-tasks"),
        # npm admin scripts
        ({"package.json": '{"private": true, "scripts": {"start": "node s.js", "db:seed": "node seed.js"}}'}, "admin-processes.admin-tasks"),
        # Procfile release phase
        ({"Procfile": "web: gunicorn app\nrelease: python manage.py migrate --noinput\n"}, "admin-processes.release-phase"),
        # Helm pre-upgrade hook
        ({"chart/Chart.yaml": "name: app\n", "chart/templates/migrate.yaml":
          "metadata:\n  annotations:\n    \"helm.sh/hook\": pre-install,pre-upgrade\nspec:\n  containers:\n"
          "    - command: [\"python\", \"manage.py\", \"migrate\"]\n      image: {{ .Values.image }}\n"}, "admin-processes.release-phase"),
    ],
)
def test_it_reports_admin_process_evidence(score_tree, files, check):
    report = score_tree({**SERVICE, **files})
    evidence = findings(report, check)
    assert evidence and evidence[0].severity.value == "info"
    base = {e.message for e in findings(score_tree(SERVICE), evidence[0].check)}
    assert any(e.message not in base for e in evidence)  # the fixture's evidence, not the base service's


def test_it_passes_our_own_setup(score_tree):
    report = score_tree({
        "Procfile": "web: gunicorn app.wsgi --bind 0.0.0.0:$PORT\nrelease: python manage.py migrate --noinput\n",
        "requirements.txt": "gunicorn==23.0.0\n",
        "app/web/migrations/0001_initial.py": "from django.db import migrations\n",
        "app/web/management/commands/score.py": "class Command: pass\n",
    })
    assert report.factor("admin-processes").status.value == "pass"
    assert report.factor("admin-processes").score == 10.0


def test_it_does_not_take_a_published_cli_for_an_admin_task(score_tree):
    # the package's own `npx create-…` generator, declared in package.json "bin": not an admin task of the service
    base = {"package.json": '{"name": "create-app", "bin": {"create-app": "./bin/createApp.js"}, '
                            '"dependencies": {"express": "4"}}\n', "bin/createApp.js": "console.log('scaffold')\n"}
    assert findings(score_tree(base), "admin-processes.admin-tasks") == []
    report = score_tree({**base, "bin/reindex.js": "await reindex()\n"})  # a script that is not published
    got = [(f.path, f.message) for f in findings(report, "admin-processes.admin-tasks")]
    assert got == [("bin/reindex.js", "Admin tasks ship with the code as scripts (1).")]


@pytest.mark.parametrize("runner", ["manage.py", "artisan", "bin/rails", "bin/console", "Rakefile"])
def test_it_takes_the_frameworks_command_runner_for_admin_tasks(score_tree, runner):
    report = score_tree({**SERVICE, runner: "#!/usr/bin/env python\n"})
    assert [f.path for f in findings(report, "admin-processes.admin-tasks")] == [runner]


def test_it_does_not_take_a_nested_runner_for_the_apps(score_tree):
    assert findings(score_tree({**SERVICE, "vendor/pkg/manage.py": "", "docs/artisan": ""}), "admin-processes.admin-tasks") == []
