"""Coverage cells of round 3 (helper eng3-runtime): recurring work hand-rolled or embedded in the web
process (class 13r-a), an app daemonized by its deploy script (13r-b), log files named by a
configuration the engine did not resolve (13r-c), a port the image fixes and a WAR module (13r-d),
and dependencies fetched or run implicitly (13r-e).

docs/coverage/eng3-runtime.md lists the cells. A trigger must report the check at the given path and
severity (counted: not demoted); a look-alike must report no counted violation of that check. The
trees are a few lines written here, shaped after the reviewer-labelled misses of bench/fresh.
"""

from __future__ import annotations

import pytest

from tests.scoring.conftest import findings
from tests.scoring.coverage.cells import assert_cell, assert_paired

THREADS = "concurrency.background-threads"
DAEMON = "concurrency.self-daemonizing"
LOGFILE = "logs.file-handler"
PORT = "port-binding.hard-coded-port"
INJECTED = "port-binding.injected-server"
TOOL = "dependencies.undeclared-system-tool"
PIPE = "dependencies.curl-pipe-shell"
MANIFEST = "dependencies.missing-manifest"

PY = {"requirements.txt": "fastapi==0.115.0\nuvicorn==0.30.0\n"}
NODE = {"package.json": '{"name": "api", "private": true, "dependencies": {"express": "4.19.2"}}\n'}
GO = {"go.mod": "module example.com/api\n\ngo 1.22\n"}
GO_SERVER = {**GO, "main.go": 'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.ListenAndServe(":8080", nil)\n}\n'}
RUBY = {"Gemfile": "source 'https://rubygems.org'\ngem 'rails', '7.1.0'\ngem 'puma'\n"}
JAVA = {
    "pom.xml": "<project><dependencies><dependency><artifactId>spring-boot-starter-web</artifactId></dependency>"
    "</dependencies></project>\n"
}
PHP = {"composer.json": '{"require": {"laravel/framework": "^11.0"}}\n'}
RUST = {"Cargo.toml": '[package]\nname = "api"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.7"\n'}
DOTNET = {"Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n'}


def cell(id, base, files, check, path=None, severity=None):
    """A trigger when `path` is given (the check reports there at `severity`), else a look-alike."""
    return pytest.param({**base, **files}, check, path, severity, id=id)


# Row a: recurring work hand-rolled or embedded in the web process.
FASTAPI_APP = (
    "from fastapi import FastAPI\nfrom app.jobs import Jobs\n\n\n@asynccontextmanager\nasync def lifespan(app):\n"
    "    await Jobs.start_scheduler()\n    yield\n\n\napp = FastAPI(lifespan=lifespan)\n"
)
NODE_JOBS = (
    "class Job {\n  enqueue(data) {\n    this.timer = setTimeout(this.run.bind(this), this.every, data)\n  }\n\n"
    "  async run(data) {\n    await this.work(data)\n    if (this.repeat) {\n      this.enqueue(data)\n    }\n  }\n}\n"
    "module.exports = Job\n"
)
NODE_RETRY = (
    "class Job {\n  enqueue(data) {\n    this.timer = setTimeout(this.run.bind(this), this.delay, data)\n  }\n\n"
    "  async run(data) {\n    await this.work(data)\n  }\n}\nmodule.exports = Job\n"
)
NODE_KERNEL = "const servers = require('./servers')\nconst jobs = require('./jobs')\n\nservers.start()\n"
NODE_SERVERS = "const express = require('express')\nconst app = express()\nexports.start = () => app.listen(process.env.PORT)\n"
GO_MAIN = (
    'package main\n\nimport "net/http"\n\nfunc main() {\n\tgo func() {\n\t\tfor {\n\t\t\tpurge()\n'
    '\t\t\ttime.Sleep(10 * time.Minute)\n\t\t}\n\t}()\n\thttp.ListenAndServe(":"+os.Getenv("PORT"), nil)\n}\n'
)
GO_RETRY = (
    'package main\n\nimport "net/http"\n\nfunc main() {\n\tgo func() {\n\t\tfor i := 0; i < 3; i++ {\n\t\t\tif ping() {\n'
    '\t\t\t\treturn\n\t\t\t}\n\t\t\ttime.Sleep(time.Second)\n\t\t}\n\t}()\n'
    '\thttp.ListenAndServe(":"+os.Getenv("PORT"), nil)\n}\n'
)
RUST_WORKSPACE = {
    "Cargo.toml": '[workspace]\nmembers = ["crates/*"]\n\n[workspace.dependencies]\napi-docs = { path = "./crates/docs" }\n',
    "crates/server/Cargo.toml": '[package]\nname = "server"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.7"\n'
    "api-docs.workspace = true\n",
    "crates/server/src/main.rs": "#[tokio::main]\nasync fn main() {\n    api_docs::queue::start();\n"
    "    axum::serve(listener, app).await.unwrap();\n}\n",
}
RUST_QUEUE = (
    "pub fn start() {\n    tokio::spawn(async move {\n        loop {\n"
    "            tokio::time::sleep(Duration::from_secs(10)).await;\n            build_pending().await;\n        }\n    });\n}\n"
)
DOTNET_HOST = {"Program.cs": "var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\napp.Run();\n"}
DOTNET_TRIGGER = (
    "public sealed class IntervalTrigger\n{\n    public void Start()\n    {\n"
    "        _timer = new Timer(_ => OnTriggered(), null, due, TimeSpan.FromMilliseconds(-1));\n    }\n}\n"
)

CLASS13R_A = [
    # Python: the FastAPI lifespan starts the app's scheduler / a clock module run as its own process starts it
    cell("class13r-a-python-lifespan-start-trigger", PY, {"app/main.py": FASTAPI_APP}, THREADS, "app/main.py", "medium"),
    cell("class13r-a-python-lifespan-start-lookalike", PY,
         {"Procfile": "web: uvicorn app.main:app\nclock: python clock.py\n",
          "clock.py": "from app.jobs import Jobs\n\nJobs.start_scheduler()\n",
          "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n"},
         THREADS),
    # Node/TS: a setTimeout that re-arms itself in a module the server's loader imports / a one-shot delay
    cell("class13r-a-node-rearmed-timeout-trigger", NODE,
         {"server/kernel.js": NODE_KERNEL, "server/servers.js": NODE_SERVERS, "server/jobs.js": NODE_JOBS},
         THREADS, "server/jobs.js", "medium"),
    cell("class13r-a-node-rearmed-timeout-lookalike", NODE,
         {"server/kernel.js": NODE_KERNEL, "server/servers.js": NODE_SERVERS, "server/jobs.js": NODE_RETRY},
         THREADS),
    # Go: a goroutine on an endless loop that sleeps, in the server's package / a bounded retry loop
    cell("class13r-a-go-sleeping-loop-trigger", GO, {"main.go": GO_MAIN}, THREADS, "main.go", "medium"),
    cell("class13r-a-go-sleeping-loop-lookalike", GO, {"main.go": GO_RETRY}, THREADS),
    # Ruby: Puma runs an embedded Sidekiq through its plugin / Puma's own tmp_restart plugin
    cell("class13r-a-ruby-puma-sidekiq-trigger", RUBY,
         {"config/puma.rb": 'port ENV.fetch("PORT", 3000)\nif ENV["EMBED"] != "false"\n  plugin :sidekiq_embed\nend\n'},
         THREADS, "config/puma.rb", "medium"),
    cell("class13r-a-ruby-puma-sidekiq-lookalike", RUBY,
         {"config/puma.rb": 'port ENV.fetch("PORT", 3000)\nplugin :tmp_restart\n'}, THREADS),
    # Rust: a task spawned on a sleeping loop in a workspace crate (crates/docs) the web crate depends on /
    # the same crate used by nothing that serves
    cell("class13r-a-rust-crate-loop-trigger", RUST_WORKSPACE,
         {"crates/docs/Cargo.toml": '[package]\nname = "api-docs"\nversion = "0.1.0"\n', "crates/docs/src/queue.rs": RUST_QUEUE},
         THREADS, "crates/docs/src/queue.rs", "medium"),
    cell("class13r-a-rust-crate-loop-lookalike",
         {**RUST_WORKSPACE, "crates/server/Cargo.toml": '[package]\nname = "server"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.7"\n'},
         {"crates/docs/Cargo.toml": '[package]\nname = "api-docs"\nversion = "0.1.0"\n', "crates/docs/src/queue.rs": RUST_QUEUE},
         THREADS),
    # .NET: a System.Threading.Timer driving a scheduled-task trigger in a web host / a debounce timer elsewhere
    cell("class13r-a-dotnet-trigger-timer-trigger", {**DOTNET, **DOTNET_HOST},
         {"Server/ScheduledTasks/Triggers/IntervalTrigger.cs": DOTNET_TRIGGER},
         THREADS, "Server/ScheduledTasks/Triggers/IntervalTrigger.cs", "medium"),
    cell("class13r-a-dotnet-trigger-timer-lookalike", {**DOTNET, **DOTNET_HOST},
         {"Server/IO/FileRefresher.cs": DOTNET_TRIGGER.replace("IntervalTrigger", "FileRefresher")}, THREADS),
]

# Row b: a deploy or restart script that starts the app in the background with nohup.
SH = "#!/bin/bash\ncd /srv/app || exit 2\n"
CLASS13R_B = [
    cell("class13r-b-python-nohup-trigger", PY,
         {"deploy/restart.sh": SH + "nohup gunicorn app.wsgi -b 0.0.0.0:8000 > app.log 2>&1 &\n"},
         DAEMON, "deploy/restart.sh", "high"),
    cell("class13r-b-python-nohup-lookalike", PY,
         {"dev/restart.sh": SH + "nohup gunicorn app.wsgi -b 0.0.0.0:8000 > app.log 2>&1 &\n"}, DAEMON),
    cell("class13r-b-node-nohup-trigger", NODE, {"bin/deploy.sh": SH + "nohup node server.js >> out.log 2>&1 &\n"},
         DAEMON, "bin/deploy.sh", "high"),
    cell("class13r-b-node-nohup-lookalike", NODE, {"bin/deploy.sh": SH + "nohup tar czf backup.tgz data &\n"}, DAEMON),
    cell("class13r-b-go-nohup-trigger", GO_SERVER, {"scripts/deploy.sh": SH + "nohup ./api --config prod.toml &\n"},
         DAEMON, "scripts/deploy.sh", "high"),
    cell("class13r-b-go-nohup-lookalike", GO_SERVER, {"scripts/deploy.sh": SH + "./api --config prod.toml\n"}, DAEMON),
    cell("class13r-b-ruby-nohup-trigger", RUBY,
         {"deploy/restart.sh": SH + "nohup bundle exec puma -C config/puma.rb > log/puma.log 2>&1 &\n"},
         DAEMON, "deploy/restart.sh", "high"),
    cell("class13r-b-ruby-nohup-lookalike", RUBY,
         {"deploy/restart.sh": SH + "exec bundle exec puma -C config/puma.rb\n"}, DAEMON),
    cell("class13r-b-java-nohup-trigger", JAVA, {"deploy/bin/deploy.sh": SH + "nohup java -jar app.jar > log.log 2>&1 &\n"},
         DAEMON, "deploy/bin/deploy.sh", "high"),
    cell("class13r-b-java-nohup-lookalike", JAVA,
         {"deploy/init.d/app": "#!/bin/sh\nnohup java -jar /srv/app.jar > /dev/null 2>&1 &\n"}, DAEMON),
    cell("class13r-b-php-nohup-trigger", PHP, {"deploy.sh": SH + "nohup php artisan serve --port=8000 &\n"},
         DAEMON, "deploy.sh", "high"),
    cell("class13r-b-php-nohup-lookalike", PHP, {"deploy.sh": SH + "nohup php artisan cache:clear\n"}, DAEMON),
    cell("class13r-b-rust-nohup-trigger", RUST, {"deploy.sh": SH + "nohup ./target/release/api &\n"},
         DAEMON, "deploy.sh", "high"),
    cell("class13r-b-rust-nohup-lookalike", RUST, {"deploy.sh": SH + "cargo build --release\n./target/release/api\n"}, DAEMON),
    cell("class13r-b-dotnet-nohup-trigger", DOTNET, {"publish/restart.sh": SH + "nohup dotnet Api.dll > api.log 2>&1 &\n"},
         DAEMON, "publish/restart.sh", "high"),
    cell("class13r-b-dotnet-nohup-lookalike", DOTNET, {"publish/restart.sh": SH + "exec dotnet Api.dll\n"}, DAEMON),
]

# Row c: log files named by configuration the engine did not resolve before.
LARAVEL_LOGGING = (
    "<?php\n$defaultChannels = ['daily', 'stdout'];\n\nreturn [\n"
    "    'default' => env_default_when_empty(env('LOG_CHANNEL'), 'stack'),\n    'channels' => [\n"
    "        'stack' => [\n            'driver' => 'stack',\n            'channels' => $defaultChannels,\n        ],\n"
    "        'stdout' => [\n            'driver' => 'single',\n            'path' => 'php://stdout',\n        ],\n"
    "        'daily' => [\n            'driver' => 'daily',\n            'path' => storage_path('logs/app.log'),\n        ],\n"
    "    ],\n];\n"
)
DICT_CONFIG = (
    '{\n  "version": 1,\n  "handlers": {\n    "stdout": {\n      "class": "logging.StreamHandler"\n    },\n'
    '    "file": {\n      "class": "logging.handlers.RotatingFileHandler",\n      "filename": "/data/app.log"\n    }\n  },\n'
    '  "root": {\n    "handlers": ["stdout"%s]\n  }\n}\n'
)
CLASS13R_C = [
    # Python: a JSON dictConfig named logconf.prod.json whose root logger uses a file handler / declares it unused
    cell("class13r-c-python-dictconfig-trigger", PY, {"app/logconf.prod.json": DICT_CONFIG % ', "file"'},
         LOGFILE, "app/logconf.prod.json", "high"),
    cell("class13r-c-python-dictconfig-lookalike", PY, {"app/logconf.prod.json": DICT_CONFIG % ""}, LOGFILE),
    # PHP: Laravel's default stack lists its channels through a variable, the default through a helper /
    # the same file whose stack variable holds only stdout
    cell("class13r-c-php-stack-variable-trigger", PHP, {"config/logging.php": LARAVEL_LOGGING},
         LOGFILE, "config/logging.php", "high"),
    cell("class13r-c-php-stack-variable-lookalike", PHP,
         {"config/logging.php": LARAVEL_LOGGING.replace("['daily', 'stdout']", "['stdout']")}, LOGFILE),
]

# Row d: a port fixed by the image's configuration file, and a WAR module of a multi-module build.
def gated(code_path: str, code: str) -> dict[str, str]:
    return {
        "Dockerfile": "FROM debian:12\nCOPY ./deploy/config.yml ./config.yml\nCOPY . /app\n",
        "deploy/config.yml": "port: 3000\nbindIP: 0.0.0.0\n",
        code_path: code,
    }


NODE_GATED = "if (conf.port < 1 || process.env.HEROKU) {\n  conf.port = process.env.PORT || 80\n}\napp.listen(conf.port)\n"
PY_GATED = "if os.environ.get('DYNO'):\n    conf['port'] = int(os.environ['PORT'])\n"
GO_GATED = 'package main\n\nfunc port() string {\n\tif os.Getenv("FLY_APP_NAME") != "" {\n\t\treturn os.Getenv("PORT")\n\t}\n\treturn conf.Port\n}\n'
RUBY_GATED = "if ENV['HEROKU']\n  config.port = ENV['PORT']\nend\n"
WAR_POM = (
    "<project>\n  <artifactId>shop-war</artifactId>\n  <packaging>war</packaging>\n  <dependencies>\n"
    "    <dependency><artifactId>spring-boot-starter-web</artifactId></dependency>\n    <dependency>\n"
    "      <artifactId>spring-boot-starter-tomcat</artifactId>\n      <scope>provided</scope>\n    </dependency>\n"
    "  </dependencies>\n</project>\n"
)
PARENT_POM = (
    "<project>\n  <parent><artifactId>spring-boot-starter-parent</artifactId></parent>\n  <modules>\n"
    "    <module>shop-war</module>\n  </modules>\n%s</project>\n"
)
BOOT_PLUGIN = "  <build><plugins><plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build>\n"
CLASS13R_D = [
    cell("class13r-d-node-gated-env-port-trigger", NODE, gated("server/config.js", NODE_GATED), PORT, "deploy/config.yml", "medium"),
    cell("class13r-d-node-gated-env-port-lookalike", NODE,
         gated("server/config.js", "conf.port = process.env.PORT || conf.port\napp.listen(conf.port)\n"), PORT),
    cell("class13r-d-python-gated-env-port-trigger", PY, gated("app/settings.py", PY_GATED), PORT, "deploy/config.yml", "medium"),
    cell("class13r-d-python-gated-env-port-lookalike", PY,
         {**gated("app/settings.py", PY_GATED), "Dockerfile": "FROM debian:12\nCOPY app /app\n"}, PORT),
    cell("class13r-d-go-gated-env-port-trigger", GO, gated("config.go", GO_GATED), PORT, "deploy/config.yml", "medium"),
    cell("class13r-d-go-gated-env-port-lookalike", GO,
         gated("config.go", 'package main\n\nfunc port() string {\n\treturn os.Getenv("PORT")\n}\n'), PORT),
    cell("class13r-d-ruby-gated-env-port-trigger", RUBY, gated("config/boot_port.rb", RUBY_GATED), PORT, "deploy/config.yml", "medium"),
    cell("class13r-d-ruby-gated-env-port-lookalike", RUBY,
         gated("config/boot_port.rb", "config.port = ENV.fetch('PORT', 3000)\n"), PORT),
    # Java: a WAR module (Tomcat provided) whose own and parent poms have no repackaging plugin / the parent has it
    cell("class13r-d-java-war-module-trigger", {"pom.xml": PARENT_POM % ""}, {"shop-war/pom.xml": WAR_POM},
         INJECTED, "shop-war/pom.xml", "high"),
    cell("class13r-d-java-war-module-lookalike", {"pom.xml": PARENT_POM % BOOT_PLUGIN}, {"shop-war/pom.xml": WAR_POM}, INJECTED),
]

# Row e: dependencies fetched or run implicitly.
CLASS13R_E = [
    # a remote installer piped into an interpreter other than sh / the same text in a script's usage here-document
    cell("class13r-e-any-pipe-interpreter-trigger", PY,
         {"Dockerfile": "FROM python:3.12\nRUN curl -sSL https://install.python-poetry.org | python3 -\n"},
         PIPE, "Dockerfile", "medium"),
    cell("class13r-e-any-pipe-interpreter-lookalike", PY,
         {"scripts/install.sh": "#!/bin/sh\nusage() {\n  cat <<EOF\nExamples:\n  curl -fsSL https://example.com/install.sh | sh\n"
          "EOF\n}\nusage\n"},
         PIPE),
    # the command of an exec built in a variable a few lines above (DbUtil's mysqldump), per ecosystem
    cell("class13r-e-java-exec-variable-trigger", JAVA,
         {"src/main/java/db/DbUtil.java": 'class DbUtil {\n  void backup() throws Exception {\n'
          '    String command = "mysqldump -u" + user + " " + db;\n    Process child = Runtime.getRuntime().exec(command);\n  }\n}\n'},
         TOOL, "src/main/java/db/DbUtil.java", "medium"),
    cell("class13r-e-java-exec-variable-lookalike",
         {**JAVA, "Dockerfile": "FROM eclipse-temurin:21-jre\nRUN apt-get install -y default-mysql-client\n"},
         {"src/main/java/db/DbUtil.java": 'class DbUtil {\n  void backup() throws Exception {\n'
          '    String command = "mysqldump -u" + user + " " + db;\n    Process child = Runtime.getRuntime().exec(command);\n  }\n}\n'},
         TOOL),
    cell("class13r-e-python-exec-variable-trigger", PY,
         {"app/backup.py": "import subprocess\n\ncmd = ['pg_dump', '--no-owner', url]\nsubprocess.run(cmd, check=True)\n"},
         TOOL, "app/backup.py", "medium"),
    cell("class13r-e-python-exec-variable-lookalike", PY,
         {"app/backup.py": "import subprocess\n\ncmd = ['python', 'manage.py', 'dumpdata']\nsubprocess.run(cmd, check=True)\n"},
         TOOL),
    cell("class13r-e-node-exec-variable-trigger", NODE,
         {"src/thumbs.js": "const cmd = `convert ${src} -resize 200x200 ${dst}`\nexecSync(cmd)\n"},
         TOOL, "src/thumbs.js", "medium"),
    cell("class13r-e-node-exec-variable-lookalike", NODE,
         {"src/thumbs.js": "const cmd = `node ${script}`\nexecSync(cmd)\n"}, TOOL),
    cell("class13r-e-go-exec-variable-trigger", GO_SERVER,
         {"backup.go": 'package main\n\nfunc backup() {\n\tbin := "pg_dump"\n\texec.Command(bin, url).Run()\n}\n'},
         TOOL, "backup.go", "medium"),
    cell("class13r-e-go-exec-variable-lookalike",
         {**GO_SERVER, "Dockerfile": "FROM alpine:3.20\nRUN apk add --no-cache postgresql-client\n"},
         {"backup.go": 'package main\n\nfunc backup() {\n\tbin := "pg_dump"\n\texec.Command(bin, url).Run()\n}\n'}, TOOL),
    cell("class13r-e-ruby-exec-variable-trigger", RUBY,
         {"app/services/pdf.rb": "class Pdf\n  def run\n    cmd = \"wkhtmltopdf #{src} #{dst}\"\n    system(cmd)\n  end\nend\n"},
         TOOL, "app/services/pdf.rb", "medium"),
    cell("class13r-e-ruby-exec-variable-lookalike", {**RUBY, "Aptfile": "wkhtmltopdf\n"},
         {"app/services/pdf.rb": "class Pdf\n  def run\n    cmd = \"wkhtmltopdf #{src} #{dst}\"\n    system(cmd)\n  end\nend\n"},
         TOOL),
    cell("class13r-e-php-exec-variable-trigger", PHP,
         {"app/Backup.php": "<?php\n$cmd = 'mysqldump --single-transaction ' . $db;\nexec($cmd, $out);\n"},
         TOOL, "app/Backup.php", "medium"),
    cell("class13r-e-php-exec-variable-lookalike", PHP,
         {"app/Backup.php": "<?php\n$cmd = 'php artisan backup:run';\nexec($cmd, $out);\n"}, TOOL),
    cell("class13r-e-rust-exec-variable-trigger", RUST,
         {"src/media.rs": 'fn probe() {\n    let bin = "ffprobe";\n    Command::new(bin).arg(path).output();\n}\n'},
         TOOL, "src/media.rs", "medium"),
    cell("class13r-e-rust-exec-variable-lookalike", RUST,
         {"src/media.rs": 'fn probe() {\n    let bin = "true";\n    Command::new(bin).arg(path).output();\n}\n'}, TOOL),
    cell("class13r-e-dotnet-exec-variable-trigger", DOTNET,
         {"Media/Probe.cs": 'class Probe {\n  void Run() {\n    var tool = "ffmpeg";\n'
          "    var info = new ProcessStartInfo { FileName = tool, Arguments = args };\n  }\n}\n"},
         TOOL, "Media/Probe.cs", "medium"),
    cell("class13r-e-dotnet-exec-variable-lookalike", {**DOTNET, "Dockerfile": "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n"
                                                      "RUN apt-get install -y ffmpeg\n"},
         {"Media/Probe.cs": 'class Probe {\n  void Run() {\n    var tool = "ffmpeg";\n'
          "    var info = new ProcessStartInfo { FileName = tool, Arguments = args };\n  }\n}\n"},
         TOOL),
    # compiled sources with no manifest: only a development folder's tool (low) / the app's own code (high)
    cell("class13r-e-go-dev-tool-trigger", NODE, {"cmd/main.go": "package main\n\nfunc main() {}\n"},
         MANIFEST, "cmd/main.go", "high"),
    cell("class13r-e-go-dev-tool-lookalike", NODE, {"dev/installer/main.go": "package main\n\nfunc main() {}\n"}, MANIFEST),
]

CELLS = CLASS13R_A + CLASS13R_B + CLASS13R_C + CLASS13R_D + CLASS13R_E


@pytest.mark.parametrize("files, check, path, severity", CELLS)
def test_it_covers_the_cell(score_tree, files, check, path, severity):
    assert_cell(score_tree(files), check, path, severity, ceiling="low")


def test_every_cell_has_a_trigger_and_a_look_alike():
    assert_paired(CELLS)


def test_a_development_tool_without_a_manifest_is_reported_low(score_tree):
    report = score_tree({**NODE, "dev/installer/main.go": "package main\n\nfunc main() {}\n"})
    assert [f.severity.value for f in findings(report, MANIFEST, violations_only=True)] == ["low"]


def test_a_stacked_named_channel_with_a_file_member_is_reported(score_tree):
    logging = LARAVEL_LOGGING.replace(
        "    ],\n];\n",
        "        'audit' => [\n            'driver' => 'stack',\n            'channels' => $auditChannels,\n        ],\n"
        "        'audit_daily' => [\n            'driver' => 'daily',\n            'path' => storage_path('logs/audit.log'),\n"
        "        ],\n    ],\n];\n",
    ).replace("$defaultChannels = ['daily', 'stdout'];", "$defaultChannels = ['stdout'];\n$auditChannels = ['audit_daily'];")
    report = score_tree({**PHP, "config/logging.php": logging,
                         "app/Http/Controllers/Audit.php": "<?php\nLog::channel('audit')->info('seen');\n"})
    assert {f.severity.value for f in findings(report, LOGFILE, violations_only=True)} == {"medium"}


def test_an_installer_fetched_at_a_fixed_commit_is_not_a_floating_dependency(score_tree):
    report = score_tree({**PHP, "Makefile": "bin/composer:\n\twget 'https://raw.githubusercontent.com/composer/getcomposer.org/"
                         + "1a" * 20 + "/web/installer' -O - -q | php -- --quiet\n"})
    assert findings(report, PIPE, violations_only=True) == []
