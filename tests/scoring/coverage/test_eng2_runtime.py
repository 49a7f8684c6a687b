"""Coverage cells of round 2 (helper eng2-runtime): several process types in one container or under the
app (class 81), background work in the web process (82), SIGTERM that never reaches the server (83),
log files (84) and fixed listen ports (85); one trigger and one look-alike per ecosystem cell.

docs/coverage/eng2-runtime.md lists the cells. A trigger must report the check at the given path and
severity (counted: not demoted); a look-alike must report no counted violation of that check above
`low` (an opt-in file log reported as low is the look-alike's point). The trees are written here.
"""

from __future__ import annotations

import pytest

from tests.scoring.coverage.cells import assert_cell, assert_paired

PORT = "port-binding.hard-coded-port"
INJECTED = "port-binding.injected-server"
LOGFILE = "logs.file-handler"
THREADS = "concurrency.background-threads"
DAEMON = "concurrency.self-daemonizing"
SUPERVISOR = "concurrency.in-container-supervisor"
SIGNALS = "disposability.signal-forwarding"

PY = {"requirements.txt": "django==5.0\ngunicorn==23.0.0\n"}
NODE = {"package.json": '{"name": "api", "private": true, "dependencies": {"express": "4.19.2"}}\n'}
GO = {"go.mod": "module example.com/api\n\ngo 1.22\n\nrequire github.com/robfig/cron/v3 v3.0.1\n"}
RUBY = {"Gemfile": "source 'https://rubygems.org'\ngem 'rails', '7.1.0'\ngem 'puma'\n"}
JAVA = {
    "pom.xml": "<project><dependencies><dependency><artifactId>spring-boot-starter-web</artifactId></dependency>"
    "</dependencies></project>\n"
}
PHP = {"composer.json": '{"require": {"laravel/framework": "^11.0"}}\n'}
RUST = {"Cargo.toml": '[package]\nname = "api"\nversion = "0.1.0"\n\n[dependencies]\nrocket = "0.5"\n'}
DOTNET = {"Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n'}

TWO_PROGRAMS = (
    "[supervisord]\nnodaemon=true\n\n[program:web]\ncommand=/app/web\n\n[program:worker]\ncommand=/app/worker\n"
)
ONE_PROGRAM = "[supervisord]\nnodaemon=true\n\n[program:web]\ncommand=/app/web\n"


def cell(id, base, files, check, path=None, severity=None):
    """A trigger when `path` is given (the check reports there at `severity`), else a look-alike."""
    return pytest.param({**base, **files}, check, path, severity, id=id)


def image(cmd: str) -> dict[str, str]:
    return {"Dockerfile": f"FROM debian:12\nCOPY . /app\n{cmd}\n"}


CLASS81_ONE_CONTAINER = [
    # Python: a launcher script (the image's CMD) starting two long-running children / one child
    cell(
        "class81-python-launcher-trigger",
        PY,
        {
            **image('CMD ["python", "run.py"]'),
            "run.py": "import subprocess\n\nweb = subprocess.Popen(['gunicorn', 'app.wsgi'])\n"
            "worker = subprocess.Popen(['celery', '-A', 'app', 'worker'])\nweb.wait()\n",
        },
        SUPERVISOR,
        "run.py",
        "medium",
    ),
    cell(
        "class81-python-launcher-lookalike",
        PY,
        {
            **image('CMD ["python", "run.py"]'),
            "run.py": "import os, subprocess\n\nsubprocess.Popen(['python', 'warm_cache.py']).wait()\n"
            "os.execvp('gunicorn', ['gunicorn', 'app.wsgi'])\n",
        },
        SUPERVISOR,
    ),
    # Node: hoppscotch's aio_run.mjs, a helper wrapping spawn called for each server / a single child
    cell(
        "class81-node-launcher-trigger",
        NODE,
        {
            **image('CMD ["node", "aio_run.mjs"]'),
            "aio_run.mjs": "import { spawn } from 'child_process'\n\nfunction run(cmd, args) {\n"
            "  const child = spawn(cmd, args)\n  child.on('exit', (code) => process.exit(code))\n  return child\n}\n\n"
            "const caddy = run('caddy', ['run'])\nconst backend = run('node', ['dist/main.js'])\n",
        },
        SUPERVISOR,
        "aio_run.mjs",
        "medium",
    ),
    cell(
        "class81-node-launcher-lookalike",
        NODE,
        {
            **image('CMD ["node", "aio_run.mjs"]'),
            "aio_run.mjs": "import { spawn } from 'child_process'\n\nconst backend = spawn('node', ['dist/main.js'], "
            "{ stdio: 'inherit' })\nbackend.on('exit', (code) => process.exit(code))\n",
        },
        SUPERVISOR,
    ),
    # Node: the server itself runs tools per request (ffmpeg, git): not a launcher
    cell(
        "class81-node-server-trigger",
        NODE,
        {
            **image('CMD ["node", "run.js"]'),
            "run.js": "const { spawn } = require('child_process')\nspawn('node', ['api.js'])\nspawn('node', ['jobs.js'])\n",
        },
        SUPERVISOR,
        "run.js",
        "medium",
    ),
    cell(
        "class81-node-server-lookalike",
        NODE,
        {
            **image('CMD ["node", "server.js"]'),
            "server.js": "const { spawn } = require('child_process')\nconst app = express()\n"
            "app.post('/thumb', (req, res) => spawn('ffmpeg', ['-i', req.body.file]))\n"
            "app.post('/clone', (req, res) => spawn('git', ['clone', req.body.url]))\napp.listen(process.env.PORT)\n",
        },
        SUPERVISOR,
    ),
    # Go: the cron daemon started before the server in the CMD / cron alone in the foreground (a clock image)
    cell(
        "class81-go-cron-trigger",
        GO,
        image('CMD cron && exec /app/server'),
        SUPERVISOR,
        "Dockerfile",
        "medium",
    ),
    cell("class81-go-cron-lookalike", GO, image('CMD ["cron", "-f"]'), SUPERVISOR),
    # Ruby: Puma's on_booted hook spawns the job runner (huginn's Heroku config) / a hook that only logs
    cell(
        "class81-ruby-puma-hook-trigger",
        RUBY,
        {
            "config/puma.rb": "on_booted do\n  Thread.new do\n    loop do\n"
            "      pid = spawn('bundle exec rails runner bin/threaded.rb')\n      Process.wait(pid)\n    end\n  end\nend\n"
        },
        SUPERVISOR,
        "config/puma.rb",
        "medium",
    ),
    cell(
        "class81-ruby-puma-hook-lookalike",
        RUBY,
        {"config/puma.rb": "on_booted do\n  puts 'Puma booted'\nend\n"},
        SUPERVISOR,
    ),
    # Java: a start script runs supervisord, whose config does not say nodaemon, then the JVM / nodaemon=true
    cell(
        "class81-java-daemonized-trigger",
        JAVA,
        {
            **image('CMD ["/app/start.sh"]'),
            "start.sh": "#!/bin/sh\nsupervisord -c /app/tasks.conf\nexec java -jar /app/app.jar\n",
            "tasks.conf": "[supervisord]\nuser=root\n\n[program:jobs]\ncommand=java -cp /app/app.jar Jobs\n",
        },
        DAEMON,
        "start.sh",
        "high",
    ),
    cell(
        "class81-java-daemonized-lookalike",
        JAVA,
        {
            **image('CMD ["/app/start.sh"]'),
            "start.sh": "#!/bin/sh\nexec supervisord -c /app/tasks.conf\n",
            "tasks.conf": "[supervisord]\nnodaemon=true\n\n[program:web]\ncommand=java -jar /app/app.jar\n",
        },
        DAEMON,
    ),
    # PHP: FreshRSS's CMD starts cron, then Apache / cron in a service of its own, Apache alone in the image
    cell(
        "class81-php-cron-trigger",
        PHP,
        image('CMD ([ -z "$CRON_MIN" ] || cron) && exec apache2 -D FOREGROUND'),
        SUPERVISOR,
        "Dockerfile",
        "medium",
    ),
    cell(
        "class81-php-cron-lookalike",
        PHP,
        {
            **image('CMD ["apache2", "-D", "FOREGROUND"]'),
            "docker-compose.yml": "services:\n  web:\n    build: .\n  cron:\n    build: .\n    command: crond -f\n",
        },
        SUPERVISOR,
    ),
    # Rust: the entrypoint execs supervisord running N workers (redash's shape) / a config with one program
    cell(
        "class81-rust-supervisord-trigger",
        RUST,
        {
            **image('ENTRYPOINT ["/app/docker-entrypoint"]'),
            "docker-entrypoint": "#!/bin/bash\nset -e\nexport WORKERS_COUNT=${WORKERS_COUNT:-2}\n"
            "exec supervisord -c worker.conf\n",
            "worker.conf": "[supervisord]\nnodaemon=true\n\n[program:worker]\ncommand=/app/worker\n"
            "numprocs=%(ENV_WORKERS_COUNT)s\n",
        },
        SUPERVISOR,
        "docker-entrypoint",
        "medium",
    ),
    cell(
        "class81-rust-supervisord-lookalike",
        RUST,
        {
            **image('ENTRYPOINT ["/app/docker-entrypoint"]'),
            "docker-entrypoint": "#!/bin/bash\nset -e\nexec supervisord -c web.conf\n",
            "web.conf": ONE_PROGRAM,
        },
        SUPERVISOR,
    ),
    # .NET: a supervisord.conf copied into the image whose programs come from [include] files / no include
    cell(
        "class81-dotnet-include-trigger",
        DOTNET,
        {
            **image('COPY supervisord.conf /etc/supervisor/\nCMD ["/usr/bin/supervisord", "-n"]'),
            "supervisord.conf": "[supervisord]\nnodaemon = true\n\n[include]\nfiles = /etc/supervisor/conf.d/*.conf\n",
        },
        SUPERVISOR,
        "supervisord.conf",
        "medium",
    ),
    cell(
        "class81-dotnet-include-lookalike",
        DOTNET,
        {
            **image('COPY supervisord.conf /etc/supervisor/\nENTRYPOINT ["dotnet", "Api.dll"]'),
            "supervisord.conf": "[supervisord]\nnodaemon = true\n\n[program:api]\ncommand=dotnet Api.dll\n",
        },
        SUPERVISOR,
    ),
]

CLASS82_BACKGROUND = [
    # Python: CTFd's view starts `manage.py import_ctf` as a child it never waits for / a management command
    cell(
        "class82-python-popen-trigger",
        PY,
        {
            "app/views.py": "import subprocess, sys\n\n\ndef import_backup(request):\n"
            "    subprocess.Popen([sys.executable, 'manage.py', 'import_ctf', '/tmp/backup.zip'])\n"
            "    return HttpResponse('started')\n"
        },
        THREADS,
        "app/views.py",
        "medium",
    ),
    cell(
        "class82-python-popen-lookalike",
        PY,
        {
            "app/views.py": "import subprocess, sys\n\n\ndef version(request):\n"
            "    out = subprocess.Popen([sys.executable, 'manage.py', 'showmigrations'], stdout=subprocess.PIPE).communicate()\n"
            "    return HttpResponse(out[0])\n"
        },
        THREADS,
    ),
    # Node: a Temporal worker built in the script that calls listen (dittofeed lite) / in a worker script
    cell(
        "class82-node-worker-trigger",
        NODE,
        {
            "src/start.ts": "import { buildWorker } from './temporal';\nconst app = fastify();\n\nasync function start() {\n"
            "  let worker = null;\n  worker = await buildWorker();\n"
            "  await Promise.all([app.listen({ port: Number(process.env.PORT) }), worker.run()]);\n}\nstart();\n"
        },
        THREADS,
        "src/start.ts",
        "medium",
    ),
    cell(
        "class82-node-worker-lookalike",
        NODE,
        {
            "src/worker.ts": "import { buildWorker } from './temporal';\n\nasync function start() {\n"
            "  const worker = await buildWorker();\n  await worker.run();\n}\nstart();\n",
            "src/server.ts": "const app = express();\napp.listen(process.env.PORT);\n",
        },
        THREADS,
    ),
    # Go: listmonk's cron.New in an init file of the server's command, one import hop away / a worker binary
    cell(
        "class82-go-cron-trigger",
        GO,
        {
            "cmd/server/main.go": 'package main\n\nimport (\n\t"net/http"\n\n\t"example.com/api/internal/jobs"\n)\n\n'
            'func main() {\n\tjobs.Start()\n\thttp.ListenAndServe(":"+port(), nil)\n}\n',
            "internal/jobs/jobs.go": 'package jobs\n\nimport "github.com/robfig/cron/v3"\n\n'
            'func Start() {\n\tc := cron.New()\n\tc.AddFunc("@hourly", vacuum)\n\tc.Start()\n}\n',
        },
        THREADS,
        "internal/jobs/jobs.go",
        "medium",
    ),
    cell(
        "class82-go-cron-lookalike",
        GO,
        {
            "cmd/server/main.go": 'package main\n\nimport "net/http"\n\n'
            'func main() {\n\thttp.ListenAndServe(":"+port(), nil)\n}\n',
            "cmd/clock/main.go": 'package main\n\nimport "example.com/api/internal/jobs"\n\nfunc main() {\n\tjobs.Start()\n}\n',
            "internal/jobs/jobs.go": 'package jobs\n\nimport "github.com/robfig/cron/v3"\n\n'
            'func Start() {\n\tc := cron.New()\n\tc.Run()\n}\n',
        },
        THREADS,
    ),
    # Go, two hops: main → internal/app → internal/jobs builds the scheduler / jobs only a clock binary reaches
    cell(
        "class82-go-twohops-trigger",
        GO,
        {
            "cmd/server/main.go": 'package main\n\nimport (\n\t"net/http"\n\n\t"example.com/api/internal/app"\n)\n\n'
            'func main() {\n\tapp.Init()\n\thttp.ListenAndServe(":"+port(), nil)\n}\n',
            "internal/app/app.go": 'package app\n\nimport "example.com/api/internal/jobs"\n\nfunc Init() {\n\tjobs.Start()\n}\n',
            "internal/jobs/jobs.go": 'package jobs\n\nimport "github.com/robfig/cron/v3"\n\n'
            'func Start() {\n\tc := cron.New()\n\tc.Start()\n}\n',
        },
        THREADS,
        "internal/jobs/jobs.go",
        "medium",
    ),
    cell(
        "class82-go-twohops-lookalike",
        GO,
        {
            "cmd/server/main.go": 'package main\n\nimport (\n\t"net/http"\n\n\t"example.com/api/internal/app"\n)\n\n'
            'func main() {\n\tapp.Init()\n\thttp.ListenAndServe(":"+port(), nil)\n}\n',
            "internal/app/app.go": 'package app\n\nfunc Init() {}\n',
            "cmd/clock/main.go": 'package main\n\nimport "example.com/api/internal/jobs"\n\nfunc main() {\n\tjobs.Start()\n}\n',
            "internal/jobs/jobs.go": 'package jobs\n\nimport "github.com/robfig/cron/v3"\n\n'
            'func Start() {\n\tc := cron.New()\n\tc.Run()\n}\n',
        },
        THREADS,
    ),
    # Ruby: an initializer starts a looping thread (every Puma worker runs it) / a one-shot thread
    cell(
        "class82-ruby-initializer-trigger",
        RUBY,
        {"config/initializers/refresh.rb": "Thread.new do\n  loop do\n    Feed.refresh_all\n    sleep 300\n  end\nend\n"},
        THREADS,
        "config/initializers/refresh.rb",
        "medium",
    ),
    cell(
        "class82-ruby-initializer-lookalike",
        RUBY,
        {"config/initializers/warm.rb": "Thread.new do\n  Rails.cache.fetch('settings') { Setting.all.to_a }\nend\n"},
        THREADS,
    ),
    # PHP: LinkAce's /cron/{token} controller runs the scheduler / the scheduler in the console kernel
    cell(
        "class82-php-artisan-trigger",
        PHP,
        {
            "app/Http/Controllers/CronController.php": "<?php\nclass CronController extends Controller\n{\n"
            "    public function __invoke(Request $request)\n    {\n        Artisan::call('schedule:run');\n"
            "        return response('ok');\n    }\n}\n"
        },
        THREADS,
        "app/Http/Controllers/CronController.php",
        "medium",
    ),
    cell(
        "class82-php-artisan-lookalike",
        PHP,
        {
            "app/Http/Controllers/CacheController.php": "<?php\nclass CacheController extends Controller\n{\n"
            "    public function __invoke()\n    {\n        Artisan::call('cache:clear');\n        return response('ok');\n"
            "    }\n}\n",
            "app/Console/Kernel.php": "<?php\n// Artisan::call('schedule:run') is run by cron: * * * * * php artisan schedule:run\n",
        },
        THREADS,
    ),
    # Rust: vaultwarden's job-scheduler thread started in main next to Rocket / a scheduler in its own binary
    cell(
        "class82-rust-scheduler-trigger",
        RUST,
        {
            "src/main.rs": "#[rocket::main]\nasync fn main() {\n    schedule_jobs();\n    rocket::build().launch().await;\n}\n\n"
            "fn schedule_jobs() {\n    thread::Builder::new()\n        .name(\"job-scheduler\".to_owned())\n"
            "        .spawn(move || {\n            let mut sched = JobScheduler::new();\n            loop { sched.tick(); }\n"
            "        });\n}\n"
        },
        THREADS,
        "src/main.rs",
        "medium",
    ),
    cell(
        "class82-rust-scheduler-lookalike",
        RUST,
        {
            "src/main.rs": "#[rocket::main]\nasync fn main() {\n    rocket::build().launch().await;\n}\n",
            "src/bin/clock.rs": "fn main() {\n    let mut sched = JobScheduler::new();\n    loop { sched.tick(); }\n}\n",
        },
        THREADS,
    ),
]

CLASS83_SIGNALS = [
    # Python: the entrypoint execs in one branch and runs gosu "$@" as a child in the other / both exec
    cell(
        "class83-python-gosu-trigger",
        PY,
        {
            **image('ENTRYPOINT ["/app/docker-entrypoint.sh"]\nCMD ["gunicorn", "app.wsgi"]'),
            "docker-entrypoint.sh": '#!/bin/sh\nset -e\nif [ "$(id -u)" = "0" ]; then\n  gosu app "$@"\nelse\n'
            '  exec "$@"\nfi\n',
        },
        SIGNALS,
        "docker-entrypoint.sh",
        "medium",
    ),
    cell(
        "class83-python-gosu-lookalike",
        PY,
        {
            **image('ENTRYPOINT ["/app/docker-entrypoint.sh"]\nCMD ["gunicorn", "app.wsgi"]'),
            "docker-entrypoint.sh": '#!/bin/sh\nset -e\nif [ "$(id -u)" = "0" ]; then\n  exec gosu app "$@"\nelse\n'
            '  exec "$@"\nfi\n',
        },
        SIGNALS,
    ),
    # Node: a launcher forwarding only SIGINT to its children (hoppscotch) / one that handles SIGTERM too
    cell(
        "class83-node-sigint-trigger",
        NODE,
        {
            **image('CMD ["node", "run.mjs"]'),
            "run.mjs": "import { spawn } from 'child_process'\nconst backend = spawn('node', ['main.js'])\n"
            "process.on('SIGINT', () => {\n  backend.kill('SIGINT')\n  process.exit(0)\n})\n",
        },
        SIGNALS,
        "run.mjs",
        "medium",
    ),
    cell(
        "class83-node-sigint-lookalike",
        NODE,
        {
            **image('CMD ["node", "run.mjs"]'),
            "run.mjs": "import { spawn } from 'child_process'\nconst backend = spawn('node', ['main.js'])\n"
            "for (const signal of ['SIGINT', 'SIGTERM']) {\n  process.on(signal, () => backend.kill(signal))\n}\n",
        },
        SIGNALS,
    ),
    # Go: a compose build target's `sh -c` backgrounds one server and runs another / exec the last one
    cell(
        "class83-go-target-trigger",
        GO,
        {
            "Dockerfile": 'FROM golang:1.22 AS build\nRUN go build ./...\n\nFROM debian:12 AS app\n'
            'CMD ["/bin/sh", "-c", "/app/prepare && (/app/webapp & /app/proxy)"]\n\nFROM debian:12 AS other\n'
            'CMD ["/app/other"]\n',
            "docker-compose.yml": "services:\n  app:\n    build:\n      context: .\n      target: app\n",
        },
        SIGNALS,
        "Dockerfile",
        "medium",
    ),
    cell(
        "class83-go-target-lookalike",
        GO,
        {
            "Dockerfile": 'FROM golang:1.22 AS build\nRUN go build ./...\n\nFROM debian:12 AS app\n'
            'CMD ["/bin/sh", "-c", "/app/prepare && exec /app/webapp"]\n\nFROM debian:12 AS other\n'
            'CMD ["/app/other"]\n',
            "docker-compose.yml": "services:\n  app:\n    build:\n      context: .\n      target: app\n",
        },
        SIGNALS,
    ),
    # Ruby: su-exec runs the server as a child in the root branch (listmonk's shape) / exec su-exec
    cell(
        "class83-ruby-suexec-trigger",
        RUBY,
        {
            **image('ENTRYPOINT ["/app/entrypoint.sh"]\nCMD ["bundle", "exec", "puma"]'),
            "entrypoint.sh": '#!/bin/sh\nif [ "$(id -u)" = "0" ]; then\n  su-exec ${PUID}:${PGID} "$@"\nelse\n'
            '  exec "$@"\nfi\n',
        },
        SIGNALS,
        "entrypoint.sh",
        "medium",
    ),
    cell(
        "class83-ruby-suexec-lookalike",
        RUBY,
        {
            **image('ENTRYPOINT ["/app/entrypoint.sh"]\nCMD ["bundle", "exec", "puma"]'),
            "entrypoint.sh": '#!/bin/sh\nif [ "$(id -u)" = "0" ]; then\n  exec su-exec ${PUID}:${PGID} "$@"\nelse\n'
            '  exec "$@"\nfi\n',
        },
        SIGNALS,
    ),
    # Java: xxl-job's ENTRYPOINT ["sh","-c","java … -jar …"] / the same with exec
    cell(
        "class83-java-shc-trigger",
        JAVA,
        image('ENTRYPOINT ["sh", "-c", "java $JAVA_OPTS -jar /app.jar $PARAMS"]'),
        SIGNALS,
        "Dockerfile",
        "medium",
    ),
    cell(
        "class83-java-shc-lookalike",
        JAVA,
        image('ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app.jar $PARAMS"]'),
        SIGNALS,
    ),
    # PHP: `sh -c` backgrounds the queue worker beside php-fpm / exec php-fpm after a one-off step
    cell(
        "class83-php-shc-trigger",
        PHP,
        image('CMD ["sh", "-c", "php artisan config:cache && (php artisan queue:work & php-fpm)"]'),
        SIGNALS,
        "Dockerfile",
        "medium",
    ),
    cell(
        "class83-php-shc-lookalike",
        PHP,
        image('CMD ["sh", "-c", "php artisan config:cache && exec php-fpm"]'),
        SIGNALS,
    ),
    # .NET: `sh -c "dotnet Api.dll"` / exec
    cell(
        "class83-dotnet-shc-trigger",
        DOTNET,
        image('ENTRYPOINT ["sh", "-c", "dotnet Api.dll --urls $URLS"]'),
        SIGNALS,
        "Dockerfile",
        "medium",
    ),
    cell(
        "class83-dotnet-shc-lookalike",
        DOTNET,
        image('ENTRYPOINT ["sh", "-c", "exec dotnet Api.dll --urls $URLS"]'),
        SIGNALS,
    ),
]

CLASS84_LOG_FILES = [
    # Python: a hand-rolled logger appending to app.log / appending rows to a CSV export
    cell(
        "class84-python-append-trigger",
        PY,
        {"app/audit.py": "def log(line):\n    with open('/data/app.log', 'a') as f:\n        f.write(line)\n"},
        LOGFILE,
        "app/audit.py",
        "high",
    ),
    cell(
        "class84-python-append-lookalike",
        PY,
        {"app/export.py": "def export(row):\n    with open('/data/export.csv', 'a') as f:\n        f.write(row)\n"},
        LOGFILE,
    ),
    # Node: fs.appendFileSync(logFile, …) / appending to a data file
    cell(
        "class84-node-append-trigger",
        NODE,
        {"src/logger.js": "const fs = require('fs');\nconst logFile = 'logs/app.log';\n"
         "exports.info = (msg) => fs.appendFileSync(logFile, msg + '\\n');\n"},
        LOGFILE,
        "src/logger.js",
        "high",
    ),
    cell(
        "class84-node-append-lookalike",
        NODE,
        {"src/export.js": "const fs = require('fs');\nexports.add = (row) => fs.appendFileSync('export.csv', row);\n"},
        LOGFILE,
    ),
    # Go image: a supervisord program's output to a file (linkding) / to the container's stdout
    cell(
        "class84-go-supervisord-trigger",
        GO,
        {
            **image('CMD ["supervisord", "-c", "/app/supervisord.conf"]'),
            "supervisord.conf": "[supervisord]\nnodaemon=true\n\n[program:jobs]\ncommand=/app/jobs\n"
            "stdout_logfile=background_tasks.log\nstdout_logfile_maxbytes=10MB\n",
        },
        LOGFILE,
        "supervisord.conf",
        "high",
    ),
    cell(
        "class84-go-supervisord-lookalike",
        GO,
        {
            **image('CMD ["supervisord", "-c", "/app/supervisord.conf"]'),
            "supervisord.conf": "[supervisord]\nnodaemon=true\nlogfile=/dev/null\n\n[program:jobs]\ncommand=/app/jobs\n"
            "stdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=0\n",
        },
        LOGFILE,
    ),
    # Ruby: Puma's stdout_redirect unless an env switch says stdout (huginn) / only when a switch asks for files
    cell(
        "class84-ruby-puma-trigger",
        RUBY,
        {"config/puma.rb": "if ENV['RAILS_LOG_TO_STDOUT'].blank?\n"
         "  stdout_redirect 'log/stdout.log', 'log/stderr.log', true\nend\n"},
        LOGFILE,
        "config/puma.rb",
        "high",
    ),
    cell(
        "class84-ruby-puma-lookalike",
        RUBY,
        {"config/puma.rb": "if ENV['PUMA_LOG_TO_FILES']\n  stdout_redirect 'log/stdout.log', 'log/stderr.log', true\nend\n"},
        LOGFILE,
    ),
    # Java: a logback file appender attached to the root logger / declared but its appender-ref commented out
    cell(
        "class84-java-logback-trigger",
        JAVA,
        {"src/main/resources/logback.xml": '<configuration>\n  <appender name="file" '
         'class="ch.qos.logback.core.rolling.RollingFileAppender">\n    <file>app.log</file>\n  </appender>\n'
         '  <root level="INFO">\n    <appender-ref ref="file"/>\n  </root>\n</configuration>\n'},
        LOGFILE,
        "src/main/resources/logback.xml",
        "high",
    ),
    cell(
        "class84-java-logback-lookalike",
        JAVA,
        {"src/main/resources/logback.xml": '<configuration>\n  <appender name="console" '
         'class="ch.qos.logback.core.ConsoleAppender"/>\n  <appender name="file" '
         'class="ch.qos.logback.core.rolling.RollingFileAppender">\n    <file>app.log</file>\n  </appender>\n'
         '  <root level="INFO">\n    <appender-ref ref="console"/>\n    <!--<appender-ref ref="file"/>-->\n  </root>\n'
         '</configuration>\n'},
        LOGFILE,
    ),
    # PHP: FreshRSS's Minz_Log appends each line to a file / file_put_contents of a cache file (no append)
    cell(
        "class84-php-append-trigger",
        PHP,
        {"lib/Log.php": "<?php\nclass Log {\n  public static function record($information, $file_name) {\n"
         "    $log = '[' . date('r') . '] ' . $information . \"\\n\";\n"
         "    file_put_contents($file_name, $log, FILE_APPEND | LOCK_EX);\n  }\n}\n"},
        LOGFILE,
        "lib/Log.php",
        "high",
    ),
    cell(
        "class84-php-append-lookalike",
        PHP,
        {"lib/Cache.php": "<?php\nclass Cache {\n  public static function put($file_name, $data) {\n"
         "    file_put_contents($file_name, serialize($data), LOCK_EX);\n  }\n}\n"},
        LOGFILE,
    ),
    # PHP (Laravel): a named `single` channel the app logs to, whatever LOG_CHANNEL says / a stderr channel
    cell(
        "class84-php-channel-trigger",
        PHP,
        {
            "config/logging.php": "<?php\nreturn [\n  'default' => env('LOG_CHANNEL', 'stderr'),\n  'channels' => [\n"
            "    'stderr' => ['driver' => 'monolog'],\n    'import' => [\n      'driver' => 'single',\n"
            "      'path' => storage_path('logs/import.log'),\n    ],\n  ],\n];\n",
            "app/Actions/Import.php": "<?php\n$logger = Log::channel('import');\n",
        },
        LOGFILE,
        "config/logging.php",
        "medium",
    ),
    cell(
        "class84-php-channel-lookalike",
        PHP,
        {
            "config/logging.php": "<?php\nreturn [\n  'default' => env('LOG_CHANNEL', 'stderr'),\n  'channels' => [\n"
            "    'stderr' => ['driver' => 'monolog'],\n    'import' => [\n      'driver' => 'monolog',\n"
            "      'with' => ['stream' => 'php://stderr'],\n    ],\n  ],\n];\n",
            "app/Actions/Import.php": "<?php\n$logger = Log::channel('import');\n",
        },
        LOGFILE,
    ),
    # Rust: a log file always opened / only when the LOG_FILE setting names one (vaultwarden: low)
    cell(
        "class84-rust-fern-trigger",
        RUST,
        {"src/main.rs": "fn init_logging() {\n    let logger = fern::Dispatch::new()\n"
         "        .chain(fern::log_file(\"vault.log\").unwrap());\n}\n"},
        LOGFILE,
        "src/main.rs",
        "high",
    ),
    cell(
        "class84-rust-fern-lookalike",
        RUST,
        {"src/main.rs": "fn init_logging() {\n    let mut logger = fern::Dispatch::new().chain(std::io::stdout());\n"
         "    if let Some(log_file) = CONFIG.log_file() {\n        logger = logger.chain(fern::log_file(log_file).unwrap());\n"
         "    }\n}\n"},
        LOGFILE,
    ),
]

CLASS85_PORTS = [
    # Python: CTFd's entrypoint binds gunicorn to a literal while its other settings come from env / ${PORT}
    cell(
        "class85-python-bind-trigger",
        PY,
        {
            **image('ENTRYPOINT ["/app/docker-entrypoint.sh"]'),
            "docker-entrypoint.sh": "#!/bin/sh\nWORKERS=${WORKERS:-1}\nexec gunicorn 'app:create_app()' "
            "--bind '0.0.0.0:8000' --workers $WORKERS\n",
        },
        PORT,
        "docker-entrypoint.sh",
        "medium",
    ),
    cell(
        "class85-python-bind-lookalike",
        PY,
        {
            **image('ENTRYPOINT ["/app/docker-entrypoint.sh"]'),
            "docker-entrypoint.sh": "#!/bin/sh\nWORKERS=${WORKERS:-1}\nexec gunicorn 'app:create_app()' "
            "--bind \"0.0.0.0:${PORT:-8000}\" --workers $WORKERS\n",
        },
        PORT,
    ),
    # Python: the same, next to a start script whose command has no variable at all (the image's fixed
    # layout, mapped by the platform: the round-1 decision for deploy files, cookiecutter-django's start)
    cell(
        "class85-python-layout-trigger",
        PY,
        {
            **image('CMD ["/app/start"]'),
            "start": "#!/bin/bash\nexec gunicorn config.wsgi --bind 0.0.0.0:5000 --workers \"${WORKERS:-2}\"\n",
        },
        PORT,
        "start",
        "medium",
    ),
    cell(
        "class85-python-layout-lookalike",
        PY,
        {**image('CMD ["/app/start"]'), "start": "#!/bin/bash\nexec gunicorn config.wsgi --bind 0.0.0.0:5000 --chdir=/app\n"},
        PORT,
    ),
    # Node: the start script passes a fixed --port to the server / $PORT
    cell(
        "class85-node-start-trigger",
        NODE,
        {**image('CMD ["/app/start.sh"]'), "start.sh": "#!/bin/sh\nexec node server.js --port 3000 --workers \"$WEB_CONCURRENCY\"\n"},
        PORT,
        "start.sh",
        "medium",
    ),
    cell(
        "class85-node-start-lookalike",
        NODE,
        {**image('CMD ["/app/start.sh"]'), "start.sh": "#!/bin/sh\nexec node server.js --port \"$PORT\" --workers \"$WEB_CONCURRENCY\"\n"},
        PORT,
    ),
    # Go: Reloader's listen address is a constant of another package / the constant is only a flag's default
    cell(
        "class85-go-constant-trigger",
        GO,
        {
            "internal/constants/constants.go": 'package constants\n\nconst (\n\tDefaultHttpListenAddr = ":9090"\n)\n',
            "cmd/main.go": 'package main\n\nimport (\n\t"net/http"\n\n\t"example.com/api/internal/constants"\n)\n\n'
            "func main() {\n\thttp.ListenAndServe(constants.DefaultHttpListenAddr, nil)\n}\n",
        },
        PORT,
        "internal/constants/constants.go",
        "medium",
    ),
    cell(
        "class85-go-constant-lookalike",
        GO,
        {
            "internal/constants/constants.go": 'package constants\n\nconst (\n\tDefaultHttpListenAddr = ":9090"\n)\n',
            "cmd/main.go": 'package main\n\nimport (\n\t"flag"\n\t"net/http"\n\n\t"example.com/api/internal/constants"\n)\n\n'
            'func main() {\n\taddr := flag.String("listen", constants.DefaultHttpListenAddr, "listen address")\n'
            "\tflag.Parse()\n\thttp.ListenAndServe(*addr, nil)\n}\n",
        },
        PORT,
    ),
    # Ruby: the start script runs Puma on a fixed -p / on $PORT
    cell(
        "class85-ruby-start-trigger",
        RUBY,
        {**image('CMD ["/app/start.sh"]'), "start.sh": "#!/bin/sh\nexec bundle exec puma -p 3000 -t \"$MAX_THREADS\"\n"},
        PORT,
        "start.sh",
        "medium",
    ),
    cell(
        "class85-ruby-start-lookalike",
        RUBY,
        {**image('CMD ["/app/start.sh"]'), "start.sh": "#!/bin/sh\nexec bundle exec puma -p ${PORT:-3000}\n"},
        PORT,
    ),
    # Java: --server.port=8080 in the start script / --server.port=${PORT}
    cell(
        "class85-java-start-trigger",
        JAVA,
        {**image('CMD ["/app/start.sh"]'), "start.sh": "#!/bin/sh\nexec java $JAVA_OPTS -jar /app.jar --server.port=8080\n"},
        PORT,
        "start.sh",
        "medium",
    ),
    cell(
        "class85-java-start-lookalike",
        JAVA,
        {**image('CMD ["/app/start.sh"]'), "start.sh": "#!/bin/sh\nexec java -jar /app.jar --server.port=${PORT}\n"},
        PORT,
    ),
    # PHP: an image that installs Apache's PHP module (FreshRSS) / PHP served by FrankenPHP, which binds itself
    cell(
        "class85-php-modphp-trigger",
        PHP,
        {"Dockerfile": "FROM debian:12\nRUN apt-get install -y apache2 libapache2-mod-php\n"
         'CMD ["apache2ctl", "-D", "FOREGROUND"]\n'},
        INJECTED,
        "Dockerfile",
        "medium",
    ),
    cell(
        "class85-php-modphp-lookalike",
        PHP,
        {"Dockerfile": 'FROM dunglas/frankenphp:1\nRUN apt-get install -y php-cli\nCMD ["frankenphp", "run"]\n'},
        INJECTED,
    ),
    # .NET: --urls with a fixed port in the start script / the port from the environment
    cell(
        "class85-dotnet-start-trigger",
        DOTNET,
        {**image('CMD ["/app/start.sh"]'), "start.sh": "#!/bin/sh\nexec dotnet Api.dll --urls http://0.0.0.0:5000 --environment \"$ENV\"\n"},
        PORT,
        "start.sh",
        "medium",
    ),
    cell(
        "class85-dotnet-start-lookalike",
        DOTNET,
        {**image('CMD ["/app/start.sh"]'), "start.sh": "#!/bin/sh\nexec dotnet Api.dll --urls http://0.0.0.0:$PORT\n"},
        PORT,
    ),
]

CELLS = CLASS81_ONE_CONTAINER + CLASS82_BACKGROUND + CLASS83_SIGNALS + CLASS84_LOG_FILES + CLASS85_PORTS


@pytest.mark.parametrize("files, check, path, severity", CELLS)
def test_cell(score_tree, files, check, path, severity):
    assert_cell(score_tree(files), check, path, severity, ceiling="low")


def test_every_cell_has_a_trigger_and_a_look_alike():
    assert_paired(CELLS)
