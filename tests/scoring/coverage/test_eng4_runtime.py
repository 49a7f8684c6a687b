"""Coverage cells of round 4 (helper eng4-runtime): background work inside the web process, supervisors
in one container, file logging chosen by a library constant or by configuration code no longer loads,
development-only images, jobs queued in memory, and a Cargo workspace's client binaries.

docs/coverage/eng4-runtime.md lists the cells (ids `class14r-<row>-<ecosystem>-…`). A trigger must report
the check at the given path and severity; a look-alike must report no counted violation of that
check (above info, outside tests and docs). The trees are a few lines written here, shaped after
the reviewer-labelled misses of the fresh2 set (croner in a module the server requires, a goroutine
a handler does not wait for, `foreman start` in a nested s6 service, a leftover Serilog section …).
"""

from __future__ import annotations

import pytest

from tests.scoring.conftest import findings
from tests.scoring.coverage.cells import assert_cell, assert_paired

THREADS = "concurrency.background-threads"
SUPERVISOR = "concurrency.in-container-supervisor"
DAEMON = "concurrency.self-daemonizing"
FILE_LOGS = "logs.file-handler"
INSTALL = "build-release-run.install-at-startup"
EARLY_ACK = "disposability.early-ack"

PY = {"requirements.txt": "flask==3.0.0\ngunicorn==23.0.0\n"}
NODE = {"package.json": '{"name": "api", "dependencies": {"express": "4.19.0", "croner": "8.0.0"}}\n'}
GO = {
    "go.mod": "module example.com/api\n\ngo 1.22\n",
    "main.go": 'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.ListenAndServe(":8080", nil)\n}\n',
}
RUBY = {"Gemfile": "source 'https://rubygems.org'\ngem 'rails', '7.1.0'\ngem 'puma'\n"}
SPRING = {
    "build.gradle.kts": 'dependencies {\n  implementation("org.springframework.boot:spring-boot-starter-web")\n}\n',
}
SPRING_BATCH = {"build.gradle.kts": 'dependencies {\n  implementation("org.springframework.boot:spring-boot-starter")\n}\n'}
PHP = {"composer.json": '{"require": {"monolog/monolog": "^3.0", "shlinkio/shlink-common": "^7.0"}}\n'}
DOTNET = {"Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n'}


def cell(id, base, files, check, path=None, severity=None):
    """A trigger when `path` is given (the check reports there at `severity`), else a look-alike."""
    return pytest.param({**base, **files}, check, path, severity, id=id)


# Row a: a scheduler library's job built in the web process (croner; Spring's @EnableScheduling switch).
NODE_SERVER = 'const express = require("express");\nconst { startJobs } = require("./jobs");\nconst app = express();\n' \
              'app.listen(3000, () => startJobs());\n'
CRONER = 'const Cron = require("croner");\n\nfunction startJobs() {\n  new Cron("*/5 * * * *", () => vacuum());\n}\n' \
         'module.exports = { startJobs };\n'
SPRING_APP = "package app\n\n@SpringBootApplication\n@EnableScheduling\nclass Application\n\nfun main(args: Array<String>) {\n" \
             "  runApplication<Application>(*args)\n}\n"
CLEANUP = "package app\n\n@Component\nclass Cleanup {\n  @Scheduled(fixedDelay = 60000)\n  fun purge() {}\n}\n"
CLASS14R_A = [
    cell("class14r-a-node-croner-trigger", NODE, {"server.js": NODE_SERVER, "jobs.js": CRONER}, THREADS, "jobs.js", "medium"),
    # the same croner job in a script of its own (a clock process the server never requires)
    cell("class14r-a-node-croner-lookalike", NODE,
         {"server.js": NODE_SERVER.replace('const { startJobs } = require("./jobs");\n', "").replace("startJobs()", "0"),
          "clock.js": CRONER + "startJobs();\n"},
         THREADS),
    cell("class14r-a-java-enable-scheduling-trigger", SPRING,
         {"src/main/kotlin/app/Application.kt": SPRING_APP, "src/main/kotlin/app/Cleanup.kt": CLEANUP},
         THREADS, "src/main/kotlin/app/Application.kt", "medium"),
    # a batch app (no web starter): scheduling runs in the only process there is
    cell("class14r-a-java-enable-scheduling-lookalike", SPRING_BATCH,
         {"src/main/kotlin/app/Application.kt": SPRING_APP.replace("@SpringBootApplication", "@Configuration"),
          "src/main/kotlin/app/Cleanup.kt": CLEANUP},
         THREADS),
]

# Row b: work a request handler starts and does not wait for.
GO_HANDLER = 'package web\n\nimport "net/http"\n\nfunc (h *Handler) Insert(w http.ResponseWriter, r *http.Request) {\n' \
             "\tbook := h.save(r)\n\tgo func() {\n\t\th.archive(book)\n\t}()\n\tw.WriteHeader(201)\n}\n"
GO_WAITED = 'package web\n\nimport (\n\t"net/http"\n\t"sync"\n)\n\nfunc (h *Handler) Refresh(w http.ResponseWriter, r *http.Request) {\n' \
            "\tvar wg sync.WaitGroup\n\tfor _, b := range h.books() {\n\t\twg.Add(1)\n\t\tgo func(b Book) {\n\t\t\tdefer wg.Done()\n" \
            "\t\t\th.archive(b)\n\t\t}(b)\n\t}\n\twg.Wait()\n\tw.WriteHeader(200)\n}\n"
CS_CONTROLLER = "[ApiController]\npublic class ImportController : ControllerBase\n{\n    [HttpPost]\n" \
                "    public IActionResult Start()\n    {\n        {call}\n        return Accepted();\n    }\n}\n"
RB_CONTROLLER = "class ImportsController < ApplicationController\n  def create\n    Thread.new { Importer.run(params[:url]) }\n" \
                "    head :accepted\n  end\nend\n"
CLASS14R_B = [
    cell("class14r-b-go-handler-goroutine-trigger", GO, {"internal/web/handler.go": GO_HANDLER},
         THREADS, "internal/web/handler.go", "medium"),
    cell("class14r-b-go-handler-goroutine-lookalike", GO, {"internal/web/handler.go": GO_WAITED}, THREADS),
    cell("class14r-b-dotnet-task-run-trigger", DOTNET,
         {"Controllers/ImportController.cs": CS_CONTROLLER.replace("{call}", "_ = Task.Run(() => importer.Run());")},
         THREADS, "Controllers/ImportController.cs", "medium"),
    cell("class14r-b-dotnet-task-run-lookalike", DOTNET,
         {"Controllers/ImportController.cs": CS_CONTROLLER.replace("{call}", "await Task.Run(() => importer.Run());")},
         THREADS),
    cell("class14r-b-ruby-controller-thread-trigger", RUBY, {"app/controllers/imports_controller.rb": RB_CONTROLLER},
         THREADS, "app/controllers/imports_controller.rb", "medium"),
    # a thread in a rake task runs in the one-off process the task is
    cell("class14r-b-ruby-controller-thread-lookalike", RUBY, {"lib/tasks/import.rake": RB_CONTROLLER}, THREADS),
]

# Row c (every ecosystem): s6-overlay services grouped one folder deeper, one of them running foreman.
S6_IMAGE = 'FROM ruby:3.3\nCOPY docker/s6-rc.d/app/app /etc/s6-overlay/s6-rc.d/app\nENTRYPOINT ["/init"]\n'
CLASS14R_C = [
    cell("class14r-c-any-s6-foreman-trigger", RUBY,
         {"docker/app.dockerfile": S6_IMAGE, "docker/s6-rc.d/app/app/type": "longrun\n",
          "docker/s6-rc.d/app/app/run": "#!/command/with-contenv sh\ncd /app\nbin/entrypoint.sh foreman start\n"},
         SUPERVISOR, "docker/s6-rc.d/app/app/run", "medium"),
    # s6-overlay as the image's init with no service folders: one process under a tiny init
    cell("class14r-c-any-s6-foreman-lookalike", RUBY,
         {"docker/app.dockerfile": 'FROM ruby:3.3\nENTRYPOINT ["/init"]\nCMD ["bundle", "exec", "puma"]\n'},
         SUPERVISOR),
]

# Row d (every ecosystem): a data store registered with the container's supervisor beside the app.
CLASS14R_D = [
    cell("class14r-d-any-supervised-redis-trigger", RUBY,
         {"Dockerfile": 'FROM ruby:3.3\nRUN apk add --no-cache redis\nCOPY ./docker/s6/redis /etc/s6-overlay/s6-rc.d/redis\n'
                        'ENTRYPOINT ["/init"]\n'},
         SUPERVISOR, "Dockerfile", "medium"),
    cell("class14r-d-any-supervised-redis-lookalike", RUBY,
         {"Dockerfile": 'FROM ruby:3.3\nRUN apk add --no-cache redis\nCMD ["bundle", "exec", "puma"]\n'},
         SUPERVISOR),
]

# Row e: a file logger chosen by a library constant or enum.
CLASS14R_E = [
    cell("class14r-e-php-logger-type-trigger", PHP,
         {"config/autoload/logger.global.php": "<?php\nreturn ['logger' => ['App' => ['type' => LoggerType::FILE->value]]];\n"},
         FILE_LOGS, "config/autoload/logger.global.php", "high"),
    cell("class14r-e-php-logger-type-lookalike", PHP,
         {"config/autoload/logger.global.php": "<?php\nreturn ['logger' => ['App' => ['type' => LoggerType::STREAM->value, "
                                               "'destination' => 'php://stderr']]];\n"},
         FILE_LOGS),
    cell("class14r-e-python-logger-type-trigger", PY,
         {"app/logs.py": "from vendor_logging import LoggerType, build\n\nlogger = build(LoggerType.FILE)\n"},
         FILE_LOGS, "app/logs.py", "high"),
    cell("class14r-e-python-logger-type-lookalike", PY,
         {"app/logs.py": "from vendor_logging import LoggerType, build\n\nlogger = build(LoggerType.STREAM)\n"},
         FILE_LOGS),
    cell("class14r-e-node-logger-type-trigger", NODE,
         {"src/log.ts": 'import { createLogger, LoggerType } from "vendor-log";\nexport const log = createLogger(LoggerType.FILE);\n'},
         FILE_LOGS, "src/log.ts", "high"),
    cell("class14r-e-node-logger-type-lookalike", NODE,
         {"src/log.ts": 'import { createLogger, LoggerType } from "vendor-log";\nexport const log = createLogger(LoggerType.CONSOLE);\n'},
         FILE_LOGS),
    cell("class14r-e-java-logger-type-trigger", SPRING,
         {"src/main/java/app/Logs.java": "class Logs {\n  Logger log = Factory.create(LoggerType.FILE);\n}\n"},
         FILE_LOGS, "src/main/java/app/Logs.java", "high"),
    cell("class14r-e-java-logger-type-lookalike", SPRING,
         {"src/main/java/app/Logs.java": "class Logs {\n  Logger log = Factory.create(LoggerType.CONSOLE);\n}\n"},
         FILE_LOGS),
]

# Row f: .NET logging configuration counts only when code loads it.
SERILOG_SETTINGS = '{\n  "Serilog": {\n    "WriteTo": [\n      { "Name": "RollingFile", "Args": { "pathFormat": "logs/log-{Date}.txt" } }\n' \
                   "    ]\n  }\n}\n"
PROGRAM = "var builder = WebApplication.CreateBuilder(args);\n{setup}var app = builder.Build();\napp.Run();\n"
NLOG = '<nlog>\n  <targets>\n    <target xsi:type="File" name="file" fileName="logs/app.log" />\n  </targets>\n</nlog>\n'
CLASS14R_F = [
    cell("class14r-f-dotnet-serilog-read-trigger", DOTNET,
         {"appsettings.json": SERILOG_SETTINGS,
          "Program.cs": PROGRAM.replace("{setup}", "builder.Host.UseSerilog((ctx, cfg) => cfg.ReadFrom.Configuration(ctx.Configuration));\n")},
         FILE_LOGS, "appsettings.json", "high"),
    # the Serilog bootstrap was removed: the section is left behind and nothing reads it
    cell("class14r-f-dotnet-serilog-read-lookalike", DOTNET,
         {"appsettings.json": SERILOG_SETTINGS, "Program.cs": PROGRAM.replace("{setup}", "")},
         FILE_LOGS),
    cell("class14r-f-dotnet-nlog-loaded-trigger", DOTNET,
         {"nlog.config": NLOG, "Program.cs": PROGRAM.replace("{setup}", "builder.Host.UseNLog();\n")},
         FILE_LOGS, "nlog.config", "high"),
    cell("class14r-f-dotnet-nlog-loaded-lookalike", DOTNET,
         {"nlog.config": NLOG, "Program.cs": PROGRAM.replace("{setup}", "")},
         FILE_LOGS),
]

# Row g: a development-only image (by name, or built only by compose services that bind-mount the checkout).
DEV_COMPOSE = "services:\n  app:\n    build:\n      context: .\n      dockerfile: {df}\n    volumes:\n      - \".:/src/app\"\n"
CLASS14R_G = [
    cell("class14r-g-go-dev-image-trigger", GO,
         {"Dockerfile": 'FROM golang:1.22-alpine\nWORKDIR /src/app\nCOPY . .\nENTRYPOINT ["go", "run", "main.go"]\n'},
         INSTALL, "Dockerfile", "high"),
    cell("class14r-g-go-dev-image-lookalike", GO,
         {"Dockerfile.compose": 'FROM golang:1.22-alpine\nWORKDIR /src/app\nENTRYPOINT ["go", "run", "main.go"]\n',
          "docker-compose.yaml": DEV_COMPOSE.format(df="Dockerfile.compose")},
         INSTALL),
    cell("class14r-g-php-dev-image-trigger", PHP,
         {"data/infra/app.Dockerfile": 'FROM php:8.3-cli\nWORKDIR /app\nCMD composer install && php -S 0.0.0.0:8080 -t public\n',
          "docker-compose.yml": DEV_COMPOSE.format(df="./data/infra/app.Dockerfile").replace('".:/src/app"', '"./data:/app/data"')},
         INSTALL, "data/infra/app.Dockerfile", "high"),
    cell("class14r-g-php-dev-image-lookalike", PHP,
         {"data/infra/app.Dockerfile": 'FROM php:8.3-cli\nWORKDIR /app\nCMD composer install && php -S 0.0.0.0:8080 -t public\n',
          "docker-compose.yml": DEV_COMPOSE.format(df="./data/infra/app.Dockerfile").replace(".:/src/app", "./:/app")},
         INSTALL),
    cell("class14r-g-node-dev-image-trigger", NODE,
         {"Dockerfile": 'FROM node:22\nWORKDIR /app\nCOPY . .\nCMD ["sh", "-c", "npm install && npm start"]\n'},
         INSTALL, "Dockerfile", "high"),
    cell("class14r-g-node-dev-image-lookalike", NODE,
         {"Dockerfile.dev": 'FROM node:22\nWORKDIR /app\nCOPY . .\nCMD ["sh", "-c", "npm install && npm start"]\n'},
         INSTALL),
]

# Row h: jobs queued in the server process's memory (RoadRunner's memory driver).
RR = "version: '3'\nserver:\n  command: php worker.php\njobs:\n  consume: ['app']\n  pipelines:\n    app:\n      driver: {driver}\n"
RR_IMAGE = 'FROM php:8.3-cli\nCOPY . /app\nCMD ["rr", "serve", "-c", ".rr.yml"]\n'
CLASS14R_H = [
    cell("class14r-h-php-memory-pipeline-trigger", PHP, {".rr.yml": RR.format(driver="memory"), "Dockerfile": RR_IMAGE}, EARLY_ACK, ".rr.yml", "medium"),
    cell("class14r-h-php-memory-pipeline-lookalike", PHP, {".rr.yml": RR.format(driver="amqp"), "Dockerfile": RR_IMAGE}, EARLY_ACK),
]

# Row i: a Cargo workspace whose image builds one binary: the other binary crates are clients (CLI), so
# a client's self-daemonizing is not the service's.
RUST_WS = {
    "Cargo.toml": '[workspace]\nmembers = ["crates/*"]\n',
    "Dockerfile": "FROM rust:1.80 AS build\nCOPY . .\nRUN cargo build --release --bin app-server\n\nFROM debian:12-slim\n"
                  'COPY --from=build /target/release/app-server /usr/local/bin\nENTRYPOINT ["/usr/local/bin/app-server"]\n',
    "crates/app-server/Cargo.toml": '[package]\nname = "app-server"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.7"\n',
    "crates/app/Cargo.toml": '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\ndaemonize = "0.5"\n',
    "crates/app/src/main.rs": "fn main() {\n    println!(\"client\");\n}\n",
}
DAEMONIZE = "use daemonize::Daemonize;\n\npub fn detach() {\n    Daemonize::new().start().unwrap();\n}\n"
AXUM_MAIN = "#[tokio::main]\nasync fn main() {\n    axum::serve(listener, app).await.unwrap();\n}\n"
CLASS14R_I = [
    cell("class14r-i-rust-workspace-client-trigger", RUST_WS,
         {"crates/app-server/src/main.rs": AXUM_MAIN, "crates/app-server/src/daemon.rs": DAEMONIZE},
         DAEMON, "crates/app-server/src/daemon.rs", "high"),
    cell("class14r-i-rust-workspace-client-lookalike", RUST_WS,
         {"crates/app-server/src/main.rs": AXUM_MAIN, "crates/app/src/daemon.rs": DAEMONIZE},
         DAEMON),
]

CELLS = CLASS14R_A + CLASS14R_B + CLASS14R_C + CLASS14R_D + CLASS14R_E + CLASS14R_F + CLASS14R_G + CLASS14R_H + CLASS14R_I


@pytest.mark.parametrize("files, check, path, severity", CELLS)
def test_it_covers_the_cell(score_tree, files, check, path, severity):
    assert_cell(score_tree(files), check, path, severity)


def test_every_cell_has_a_trigger_and_a_look_alike():
    assert_paired(CELLS)


def test_a_goroutine_is_reported_at_its_go_statement(score_tree):
    report = score_tree({**GO, "internal/web/handler.go": GO_HANDLER})
    assert [f.line for f in findings(report, THREADS, violations_only=True)] == [7]


def test_a_cargo_workspace_with_a_built_server_and_a_client_is_a_monorepo(score_tree):
    report = score_tree({**RUST_WS, "crates/app-server/src/main.rs": AXUM_MAIN})
    kinds = {d.path: d.kind.value for d in report.deployables}
    assert report.kind.value == "monorepo" and kinds == {"crates/app-server": "service", "crates/app": "cli"}, kinds


def test_the_production_dockerfile_beside_a_dev_one_is_still_checked(score_tree):
    report = score_tree({
        **GO,
        "Dockerfile": 'FROM golang:1.22-alpine\nCOPY . .\nENTRYPOINT ["go", "run", "main.go"]\n',
        "Dockerfile.compose": 'FROM golang:1.22-alpine\nENTRYPOINT ["go", "run", "main.go"]\n',
        "docker-compose.yaml": DEV_COMPOSE.format(df="Dockerfile.compose"),
    })
    assert {f.path for f in findings(report, INSTALL, violations_only=True)} == {"Dockerfile"}
