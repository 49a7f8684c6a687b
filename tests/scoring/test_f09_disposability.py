import pytest

from tests.scoring.conftest import assert_fires, findings

SERVICE = {
    "Procfile": "web: gunicorn app:app --bind 0.0.0.0:$PORT\n",
    "requirements.txt": "gunicorn==23.0.0\n",
}
CHECKS = ("disposability.signal-forwarding", "disposability.early-ack", "disposability.slow-startup")


@pytest.mark.parametrize(
    "files, check, severity",
    [
        # shell-form CMD: /bin/sh is PID 1
        ({"Dockerfile": "FROM python:3.12\nCMD gunicorn app:app --bind 0.0.0.0:$PORT\n"}, "disposability.signal-forwarding", "medium"),
        # shell-form ENTRYPOINT
        ({"Dockerfile": "FROM node:22\nENTRYPOINT node server.js\n"}, "disposability.signal-forwarding", "medium"),
        # exec-form `sh -c` running two commands without exec
        ({"Dockerfile": 'FROM python:3.12\nCMD ["sh", "-c", "python manage.py collectstatic && gunicorn app"]\n'},
         "disposability.signal-forwarding", "medium"),
        # an entrypoint script that runs the server without exec
        ({"Dockerfile": 'FROM python:3.12\nENTRYPOINT ["/docker-entrypoint.sh"]\n',
          "docker-entrypoint.sh": "#!/bin/sh\nset -e\ngunicorn app:app --bind 0.0.0.0:$PORT\n"},
         "disposability.signal-forwarding", "medium"),
        # Celery told to ack early
        ({"app/celery.py": "app = Celery('app')\napp.conf.task_acks_late = False\n"}, "disposability.early-ack", "medium"),
        # pika consumer with auto_ack
        ({"worker.py": "channel.basic_consume(queue='jobs', on_message_callback=cb, auto_ack=True)\n"},
         "disposability.early-ack", "medium"),
        # amqplib consumer with noAck: true
        ({"worker.js": "channel.consume('jobs', handle, { noAck: true });\n"}, "disposability.early-ack", "medium"),
        # Celery with its default early ack (idempotency unknown): low
        ({"requirements.txt": "gunicorn==23.0.0\ncelery==5.4.0\n", "app/celery.py": "app = Celery('app')\n"},
         "disposability.early-ack", "low"),
        # a sleep loop waiting for the database in the entrypoint
        ({"Dockerfile": 'FROM python:3.12\nENTRYPOINT ["/entrypoint.sh"]\n',
          "entrypoint.sh": "#!/bin/sh\nuntil pg_isready; do sleep 2; done\nexec \"$@\"\n"}, "disposability.slow-startup", "medium"),
        # migrations before the web server in the Procfile
        ({"Procfile": "web: python manage.py migrate && gunicorn app:app\n"}, "disposability.slow-startup", "medium"),
        # cache warm-up at start
        ({"Dockerfile": 'FROM python:3.12\nCMD ["sh", "-c", "python manage.py warm_cache && exec gunicorn app"]\n'},
         "disposability.slow-startup", "medium"),
    ],
)
def test_it_flags_disposability_violations(score_tree, files, check, severity):
    report = score_tree({**SERVICE, **files})
    assert_fires(report, check, severity)


@pytest.mark.parametrize(
    "files",
    [
        # exec-form CMD
        {"Dockerfile": 'FROM python:3.12\nCMD ["gunicorn", "app:app"]\n'},
        # `sh -c "exec …"` hands the process over (our own Dockerfile)
        {"Dockerfile": 'FROM python:3.12\nCMD ["sh", "-c", "exec gunicorn app.wsgi --bind 0.0.0.0:$PORT"]\n'},
        # shell form that starts with exec
        {"Dockerfile": "FROM python:3.12\nCMD exec gunicorn app:app\n"},
        # shell-form CMD under a tini ENTRYPOINT
        {"Dockerfile": 'FROM python:3.12\nENTRYPOINT ["tini", "--"]\nCMD gunicorn app:app\n'},
        # shell-form CMD in a build stage is not what the image runs
        {"Dockerfile": "FROM node:22 AS build\nCMD npm run build\nFROM node:22-slim\nCMD [\"node\", \"server.js\"]\n"},
        # an entrypoint script that ends with exec "$@"
        {"Dockerfile": 'FROM python:3.12\nENTRYPOINT ["/docker-entrypoint.sh"]\nCMD ["gunicorn", "app"]\n',
         "docker-entrypoint.sh": "#!/bin/sh\nset -e\n# prepare\nexec \"$@\"\n"},
        # Celery with acks_late configured through a namespaced setting
        {"requirements.txt": "gunicorn==23.0.0\ncelery==5.4.0\n",
         "app/celery.py": "app = Celery('app')\n", "app/settings.py": "CELERY_TASK_ACKS_LATE = True\n"},
        # an early-ack setting inside a test fixture string is not configuration
        {"tests/test_worker.py": "SRC = \"app.conf.task_acks_late = False\\n\"\n"},
        # migrations in the release phase, not at start
        {"Procfile": "web: gunicorn app:app\nrelease: python manage.py migrate --noinput\n"},
        # a one-off compose service that migrates
        {"docker-compose.yml": "services:\n  migrate:\n    build: .\n    command: python manage.py migrate\n"},
        # a uWSGI hook that only prints is not start-up work
        {"uwsgi.ini": "[uwsgi]\nhook-pre-app = exec:echo starting\n"},
        # `sleep` in a dev script that is not an entrypoint
        {"bin/dev": "#!/bin/bash\nsleep 1\n./manage.py runserver\n"},
    ],
)
def test_it_does_not_flag_look_alikes(score_tree, files):
    report = score_tree({**SERVICE, **files})
    for check in CHECKS:
        assert not [f for f in findings(report, check) if f.severity.value in ("critical", "high", "medium")], check


def test_it_does_not_take_a_word_in_a_tuple_for_a_health_route(score_tree):
    # "healthcheck" as a field name is not an endpoint; "health/" as a URL path is
    report = score_tree({**SERVICE, "app/serializers.py": "exclude = ('healthcheck',)\n"})
    assert not [f for f in findings(report, "disposability.health-checks") if f.path == "app/serializers.py"]
    report = score_tree({**SERVICE, "app/urls.py": "urlpatterns = [path('health/', views.health)]\n"})
    assert findings(report, "disposability.health-checks")


def test_it_passes_our_own_setup(score_tree):
    report = score_tree({
        "Procfile": "web: gunicorn app.wsgi --config gunicorn.conf.py\nworker: celery -A app worker\n"
                    "beat: celery -A app beat -S django_celery_beat.schedulers:DatabaseScheduler --pidfile=\n"
                    "release: python manage.py migrate --noinput\n",
        "requirements.txt": "gunicorn==23.0.0\ncelery==5.4.0\n",
        "Dockerfile": 'FROM python:3.12\nHEALTHCHECK CMD ["python", "-c", "1"]\nCMD ["sh", "-c", "exec gunicorn app.wsgi"]\n',
        "app/settings.py": "CELERY_TASK_ACKS_LATE = True\nCELERY_TASK_REJECT_ON_WORKER_LOST = True\n",
        "app/celery.py": "app = Celery('app')\n",
        "app/urls.py": "urlpatterns = [path('healthz', views.healthz)]\n",
    })
    assert report.factor("disposability").status.value == "pass"
    assert report.factor("disposability").score == 10.0
    checks = {f.check for f in report.factor("disposability").findings}
    assert {"disposability.graceful-shutdown", "disposability.health-checks", "disposability.late-ack"} <= checks
    assert "requeued" in findings(report, "disposability.late-ack")[0].message


@pytest.mark.parametrize(
    "files, check",
    [
        # a SIGTERM handler in Node
        ({"server.js": "process.on('SIGTERM', () => server.close());\n"}, "disposability.graceful-shutdown"),
        # Go signal.Notify with SIGTERM
        ({"main.go": "signal.Notify(stop, os.Interrupt, syscall.SIGTERM)\n"}, "disposability.graceful-shutdown"),
        # actix-web's server drains on SIGTERM by itself
        ({"Cargo.toml": '[package]\nname = "api"\n', "src/main.rs": "HttpServer::new(|| App::new()).bind(addr)?.run().await\n"},
         "disposability.graceful-shutdown"),
        # so does the .NET Generic Host behind ASP.NET Core
        ({"Api/Program.cs": "var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\napp.Run();\n"},
         "disposability.graceful-shutdown"),
        # Spring graceful shutdown
        ({"src/main/resources/application.properties": "server.shutdown=graceful\n"}, "disposability.graceful-shutdown"),
        # Kubernetes probes
        ({"k8s/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n"
                             "      containers:\n        - name: web\n          image: app:1\n          readinessProbe:\n"
                             "            httpGet: {path: /ready, port: 8000}\n"}, "disposability.health-checks"),
        # an Express health route
        ({"server.js": "app.get('/healthz', (req, res) => res.send('ok'));\n"}, "disposability.health-checks"),
        # Sidekiq Pro reliable fetch
        ({"config/initializers/sidekiq.rb": "Sidekiq.configure_server { |c| c.super_fetch! }\n"}, "disposability.late-ack"),
    ],
)
def test_it_reports_disposability_evidence(score_tree, files, check):
    report = score_tree({**SERVICE, **files})
    evidence = findings(report, check)
    assert evidence and evidence[0].severity.value == "info"
    assert any(e.path in files for e in evidence)  # found in the fixture, not in the base service


def test_it_counts_a_declared_draining_server_as_graceful_shutdown(score_tree):
    report = score_tree({"Gemfile": "source 'https://rubygems.org'\ngem 'rails'\ngem 'puma'\n"})
    got = [f.message for f in findings(report, "disposability.graceful-shutdown")]
    assert got == ["The app's declared server, puma, finishes in-flight requests on SIGTERM before exiting."]
