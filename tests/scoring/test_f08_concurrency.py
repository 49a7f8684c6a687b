import pytest

from tests.scoring.conftest import assert_fires, findings

SERVICE = {
    "Procfile": "web: gunicorn app:app --bind 0.0.0.0:$PORT\n",
    "requirements.txt": "gunicorn==23.0.0\n",
}


def _deployment(name: str, command: str) -> str:
    return (f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  template:\n    spec:\n"
            f"      containers:\n        - name: {name}\n          image: app:1\n          command: [\"sh\", \"-c\", \"exec {command}\"]\n")


CHECKS = ("concurrency.self-daemonizing", "concurrency.in-container-supervisor", "concurrency.background-threads")


@pytest.mark.parametrize(
    "files, check, severity",
    [
        # gunicorn --daemon in the Procfile
        ({"Procfile": "web: gunicorn app:app --daemon --bind 0.0.0.0:$PORT\n"}, "concurrency.self-daemonizing", "high"),
        # a pid file for celery beat
        ({"Procfile": "web: gunicorn app:app\nbeat: celery -A app beat --pidfile=/var/run/beat.pid\n"},
         "concurrency.self-daemonizing", "high"),
        # daemon = True in a gunicorn config file
        ({"gunicorn.conf.py": "bind = '0.0.0.0:8000'\ndaemon = True\n"}, "concurrency.self-daemonizing", "high"),
        # nohup … & in a start script run by the Dockerfile
        ({"Dockerfile": 'FROM python:3.12\nCMD ["./start.sh"]\n',
          "start.sh": "#!/bin/sh\nnohup celery -A app worker &\nexec gunicorn app:app\n"}, "concurrency.self-daemonizing", "high"),
        # celery multi start daemonizes its workers
        ({"Dockerfile": "FROM python:3.12\nCMD celery multi start w1 -A app\n"}, "concurrency.self-daemonizing", "high"),
        # a systemd unit of Type=forking
        ({"deploy/app.service": "[Service]\nType=forking\nExecStart=/srv/app/bin/start\n"}, "concurrency.self-daemonizing", "high"),
        # supervisord with web and worker programs in one image
        ({"Dockerfile": 'FROM python:3.12\nCMD ["supervisord", "-n"]\n',
          "supervisord.conf": "[supervisord]\nnodaemon=true\n[program:web]\ncommand=gunicorn app\n[program:worker]\ncommand=celery worker\n"},
         "concurrency.in-container-supervisor", "medium"),
        # honcho running the whole Procfile inside one container
        ({"Dockerfile": 'FROM python:3.12\nCMD ["honcho", "start"]\n'}, "concurrency.in-container-supervisor", "medium"),
        # uWSGI attach-daemon running the alert sender in the web container
        ({"Dockerfile": 'FROM python:3.12\nCMD ["uwsgi", "uwsgi.ini"]\n',
          "uwsgi.ini": "[uwsgi]\nmodule = app.wsgi\nattach-daemon = ./manage.py sendalerts\n"}, "concurrency.in-container-supervisor", "medium"),
        # a thread started per request in a Flask view
        ({"app.py": "from flask import Flask\napp = Flask(__name__)\n@app.route('/report')\ndef report():\n"
                    "    threading.Thread(target=build_report).start()\n    return 'ok'\n"}, "concurrency.background-threads", "medium"),
        # APScheduler's BackgroundScheduler in the web app
        ({"app/__init__.py": "def create_app():\n    sched = BackgroundScheduler()\n    sched.start()\n"},
         "concurrency.background-threads", "medium"),
        # setInterval cron in the Express server
        ({"server.js": "setInterval(purgeExpired, 60000);\napp.listen(process.env.PORT);\n"}, "concurrency.background-threads", "medium"),
        # Spring @Scheduled in the web app, no lock
        ({"src/main/java/Jobs.java": "@SpringBootApplication\nclass Jobs {\n  @Scheduled(fixedRate = 60000)\n  void purge() {}\n}\n"},
         "concurrency.background-threads", "medium"),
        # rufus-scheduler in a Rails initializer
        ({"config/initializers/scheduler.rb": "s = Rufus::Scheduler.singleton\ns.every '1h' do\nend\n"},
         "concurrency.background-threads", "medium"),
    ],
)
def test_it_flags_concurrency_violations(score_tree, files, check, severity):
    report = score_tree({**SERVICE, **files})
    assert_fires(report, check, severity)


@pytest.mark.parametrize(
    "files",
    [
        # `--pidfile=` with an empty value disables the pid file: celery beat's container idiom (our own Procfile)
        {"Procfile": "web: gunicorn app:app\nbeat: celery -A app beat -S django_celery_beat.schedulers:DatabaseScheduler --pidfile=\n"},
        # the same as an argv list in compose, and --pidfile= followed by more flags
        {"docker-compose.yml": "services:\n  beat:\n    build: .\n    command: [\"celery\", \"-A\", \"app\", \"beat\", \"--pidfile=\", \"-l\", \"INFO\"]\n"},
        # nginx `daemon off;` is the foreground form
        {"Dockerfile": 'FROM nginx:1.27\nCMD ["nginx", "-g", "daemon off;"]\n'},
        # --daemonize no
        {"Procfile": "web: gunicorn app:app\nredis: redis-server --daemonize no\n"},
        # a dev helper script that starts a local redis daemon is not a start script of the app
        {"bin/services": "#!/usr/bin/env bash\nredis-server --daemonize yes --pidfile /tmp/r.pid\n"},
        # supervisord on a VM (no Dockerfile) is the OS's process manager
        {"supervisord.conf": "[program:web]\ncommand=gunicorn app\n[program:worker]\ncommand=celery worker\n"},
        # BlockingScheduler is the clock-process form of APScheduler
        {"clock.py": "sched = BlockingScheduler()\nsched.start()\n"},
        # a thread in a worker module with no request handlers
        {"app/worker.py": "threading.Thread(target=heartbeat).start()\n"},
        # setInterval in front-end code that starts no server
        {"static/js/poll.js": "setInterval(refresh, 5000);\n"},
        # @Scheduled guarded by ShedLock
        {"src/main/java/Jobs.java": "@SpringBootApplication\nclass Jobs {\n  @Scheduled(cron = \"0 * * * * *\")\n  @SchedulerLock(name = \"purge\")\n  void purge() {}\n}\n"},
        # the words in a comment
        {"app.py": "@app.route('/x')\ndef x():\n    # threading.Thread(target=f) would be wrong here\n    return 'ok'\n"},
    ],
)
def test_it_does_not_flag_look_alikes(score_tree, files):
    report = score_tree({**SERVICE, **files})
    for check in CHECKS:
        assert not [f for f in findings(report, check) if f.severity.value in ("critical", "high", "medium")], check


@pytest.mark.parametrize(
    "files, expected",
    [
        # Procfile process types
        ({"Procfile": "web: gunicorn app:app\nworker: celery -A app worker\nclock: celery -A app beat --pidfile=\n"}, "web, worker, clock"),
        # compose services running one image with different commands
        ({"Procfile": "", "docker-compose.yml": "services:\n  web:\n    build: .\n    command: gunicorn app\n"
                                               "  worker:\n    build: .\n    command: celery -A app worker\n"}, "web, worker"),
        # Kubernetes Deployments of one image with different commands, one file each
        ({"Procfile": "", "k8s/web.yaml": _deployment("web", "gunicorn app"), "k8s/worker.yaml": _deployment("worker", "celery worker")},
         "web/web, worker/worker"),
    ],
)
def test_it_reports_process_types_as_evidence(score_tree, files, expected):
    report = score_tree({**SERVICE, **files})
    evidence = findings(report, "concurrency.process-types")
    assert evidence and expected in evidence[0].message


def test_it_warns_without_declared_process_types(score_tree):
    report = score_tree({"requirements.txt": "gunicorn==23.0.0\n", "app.py": "x = 1\n"})
    assert report.factor("concurrency").status.value == "warn"
