"""Regressions from the accuracy review of real repositories (docs/accuracy.md).

Each fixture is a few lines written for this file that reproduce a pattern seen in a real
repository (never its code): false alarms the engine raised, and violations it missed. A test marked
xfail(strict=True) is a known gap with its proposed fix in the reason; when the fix lands the test
passes, strict xfail turns that into a failure, and the mark must be removed.
"""

from __future__ import annotations

import base64
import json

import pytest

from .conftest import findings

DJANGO_SERVICE = {
    "requirements.txt": "Django==5.0.6\ngunicorn==22.0.0\npsycopg==3.1.19\n",
    "Procfile": "web: gunicorn app.wsgi\n",
}
GO_SERVICE = {
    "go.mod": "module example.com/svc\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.10.0\n",
    "go.sum": "github.com/gin-gonic/gin v1.10.0 h1:abc=\n",
}
RAILS_SERVICE = {
    "Gemfile": "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\ngem 'puma'\n",
    "Gemfile.lock": "GEM\n  specs:\n    rails (7.1.3)\n",
    "Procfile": "web: bundle exec puma -C config/puma.rb\n",
}
LARAVEL_SERVICE = {
    "composer.json": '{"require": {"php": "^8.2", "laravel/framework": "^11.0"}}\n',
    "composer.lock": '{"packages": []}\n',
}
DOTNET_SERVICE = {
    "src/Web/Web.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"><ItemGroup>'
                          '<PackageReference Include="Microsoft.AspNetCore.Identity.UI" Version="8.0.0" />'
                          "</ItemGroup></Project>\n",
    "src/Web/packages.lock.json": "{}\n",
    "src/Web/Program.cs": "var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\napp.Run();\n",
}


def _violations(report, check):
    return findings(report, check, violations_only=True)


def _counted(report, check):
    """Violations that count: findings demoted from tests, docs or examples are listed, not scored."""
    return [f for f in _violations(report, check) if f.demoted_from is None]


def _jwt(payload: dict) -> str:
    def part(obj) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(payload)}.c2lnbmF0dXJlLW9mLXRoZS1leGFtcGxlLXRva2VuLXh5eg"


# ---------------------------------------------------------------------------------------------
# False alarms


def test_status_flag_whose_key_mentions_password_is_not_a_secret(score_tree):
    # healthchecks: ctx["email_password_status"] = "success" reported as a critical committed password.
    report = score_tree({
        **DJANGO_SERVICE,
        "accounts/views.py": 'def profile(request, ctx):\n    ctx["email_password_status"] = "success"\n'
                             '    ctx["password_reset_state"] = "pending"\n',
    })
    assert _violations(report, "config.committed-secret") == []


def test_laravel_hashed_cast_is_not_a_password(score_tree):
    # laravel/laravel: the model's casts() array `'password' => 'hashed'` reported as a critical secret.
    report = score_tree({
        **LARAVEL_SERVICE,
        "app/Models/User.php": "<?php\nclass User {\n    protected function casts(): array\n    {\n"
                               "        return ['email_verified_at' => 'datetime', 'password' => 'hashed'];\n    }\n}\n",
    })
    assert _violations(report, "config.committed-secret") == []


def test_csharp_constant_named_after_itself_is_not_a_password(score_tree):
    # eShopOnWeb: page-name constants `public static string ChangePassword => "ChangePassword";`.
    report = score_tree({
        **DOTNET_SERVICE,
        "src/Web/Views/Manage/NavPages.cs": 'public static class NavPages\n{\n'
                                            '    public static string ChangePassword => "ChangePassword";\n'
                                            '    public const string ResetPassword = "ResetPassword";\n}\n',
    })
    assert _violations(report, "config.committed-secret") == []


def test_go_field_assigned_from_a_constant_is_not_a_literal_password(score_tree):
    # golang-gin-realworld: `v.User.Password = common.RandomPassword` (a reference, no literal).
    report = score_tree({
        **GO_SERVICE,
        "users/validators.go": "package users\n\nfunc fill(v *Validator) {\n\tv.User.Password = common.RandomPassword\n}\n",
    })
    assert _violations(report, "config.committed-secret") == []


def test_expired_example_jwt_in_an_api_doc_comment_is_not_high(score_tree):
    # node-express-boilerplate: a sample refresh token in a @swagger JSDoc block, expired in 2017.
    token = _jwt({"sub": "5ebac534954b54139806c112", "iat": 1500000000, "exp": 1500003600, "type": "refresh"})
    report = score_tree({
        "package.json": '{"name": "api", "dependencies": {"express": "4.19.2"}}\n',
        "package-lock.json": "{}\n",
        "src/routes/auth.route.js": "const express = require('express');\n/**\n * @swagger\n * /auth/refresh:\n"
                                    " *   post:\n *     requestBody:\n *       content:\n *         application/json:\n"
                                    f" *           example:\n *             refreshToken: {token}\n */\n"
                                    "module.exports = express.Router();\n",
    })
    loud = [f for f in _violations(report, "config.committed-secret") if f.severity.rank > 1]
    assert loud == []


def test_laravel_file_cache_store_is_not_a_session_store(score_tree):
    # laravel/laravel: config/cache.php's 'file' store (`'driver' => 'file'`) reported as file sessions,
    # while config/session.php reads SESSION_DRIVER from the environment.
    report = score_tree({
        **LARAVEL_SERVICE,
        "config/cache.php": "<?php\nreturn [\n    'stores' => [\n        'file' => [\n            'driver' => 'file',\n"
                            "            'path' => storage_path('framework/cache/data'),\n        ],\n    ],\n];\n",
        "config/session.php": "<?php\nreturn [\n    'driver' => env('SESSION_DRIVER', 'database'),\n];\n",
    })
    assert _violations(report, "processes.local-session-store") == []


def test_laravel_file_session_driver_is_still_reported(score_tree):
    report = score_tree({
        **LARAVEL_SERVICE,
        "config/session.php": "<?php\nreturn [\n    'driver' => 'file',\n];\n",
    })
    assert _violations(report, "processes.local-session-store")


def test_local_storage_in_the_rails_development_environment_is_not_reported(score_tree):
    # CodeTriage: `config.active_storage.service = :local` in config/environments/development.rb.
    report = score_tree({
        **RAILS_SERVICE,
        "config/environments/development.rb": "Rails.application.configure do\n"
                                              "  config.active_storage.service = :local\nend\n",
        "config/environments/test.rb": "Rails.application.configure do\n  config.active_storage.service = :test\nend\n",
    })
    assert _violations(report, "processes.local-disk-storage") == []


def test_local_storage_in_the_rails_production_environment_is_still_reported(score_tree):
    report = score_tree({
        **RAILS_SERVICE,
        "config/environments/production.rb": "Rails.application.configure do\n"
                                             "  config.active_storage.service = :local\nend\n",
    })
    assert _violations(report, "processes.local-disk-storage")


def test_travis_service_names_are_not_container_images(score_tree):
    # node-express-boilerplate: `.travis.yml` `services: [mongodb]` reported as an untagged MongoDB image.
    report = score_tree({
        "package.json": '{"name": "api", "dependencies": {"express": "4.19.2", "mongoose": "8.0.0"}}\n',
        "package-lock.json": "{}\n",
        ".travis.yml": "language: node_js\nnode_js:\n  - '20'\nservices:\n  - mongodb\nscript: npm test\n",
    })
    assert _violations(report, "dev-prod-parity.floating-service-image") == []


def test_sql_server_localdb_is_a_developer_machine_not_a_hard_coded_host(score_tree):
    # eShopOnWeb: appsettings.json `Server=(localdb)\\mssqllocaldb` (LocalDB runs on the developer's
    # machine, like localhost; ASP.NET Core lets ConnectionStrings__X environment variables override it).
    report = score_tree({
        **DOTNET_SERVICE,
        "src/Web/appsettings.json": '{\n  "ConnectionStrings": {\n    "CatalogConnection": '
                                    '"Server=(localdb)\\\\mssqllocaldb;Integrated Security=true;Initial Catalog=Catalog;"\n  }\n}\n',
    })
    assert _violations(report, "backing-services.hardcoded-host") == []


# ---------------------------------------------------------------------------------------------
# Misses


def test_uwsgi_hook_that_migrates_at_start_up_is_reported(score_tree):
    # healthchecks: docker/uwsgi.ini `hook-pre-app = exec:./manage.py migrate` migrates on every start.
    report = score_tree({
        **DJANGO_SERVICE,
        "Procfile": "web: uwsgi docker/uwsgi.ini\n",
        "docker/uwsgi.ini": "[uwsgi]\nmaster\nhttp-socket = :8000\nmodule = app.wsgi:application\n"
                            "hook-pre-app = exec:./manage.py migrate\n",
    })
    assert _violations(report, "admin-processes.migrate-on-start")


def test_uwsgi_attach_daemon_runs_other_process_types_in_the_web_container(score_tree):
    # healthchecks: uwsgi.ini `attach-daemon = ./manage.py sendalerts` (and sendreports) inside the web process.
    report = score_tree({
        **DJANGO_SERVICE,
        "Procfile": "web: uwsgi docker/uwsgi.ini\n",
        "docker/uwsgi.ini": "[uwsgi]\nmaster\nmodule = app.wsgi:application\n"
                            "attach-daemon = ./manage.py send_alerts\nattach-daemon = ./manage.py send_reports --loop\n",
    })
    assert _violations(report, "concurrency.in-container-supervisor")


def test_gorm_sqlite_file_as_the_database_is_reported(score_tree):
    # golang-gin-realworld: `gorm.Open("sqlite3", "./../gorm.db")` is the app's only database.
    report = score_tree({
        **GO_SERVICE,
        "common/database.go": 'package common\n\nimport "github.com/jinzhu/gorm"\n\n'
                              'func Init() *gorm.DB {\n\tdb, _ := gorm.Open("sqlite3", "./data/app.db")\n\treturn db\n}\n',
        "main.go": 'package main\n\nimport "github.com/gin-gonic/gin"\n\nfunc main() {\n\tr := gin.Default()\n\tr.Run()\n}\n',
    })
    assert _violations(report, "processes.sqlite-database")


def test_spring_boot_4_webmvc_starter_is_the_embedded_server(score_tree):
    # spring-petclinic: Spring Boot 4 renamed spring-boot-starter-web to spring-boot-starter-webmvc.
    report = score_tree({
        "pom.xml": "<project><packaging>jar</packaging><dependencies>"
                   "<dependency><groupId>org.springframework.boot</groupId>"
                   "<artifactId>spring-boot-starter-webmvc</artifactId></dependency>"
                   "</dependencies></project>\n",
        "src/main/java/app/App.java": "@SpringBootApplication\npublic class App {\n"
                                      "  public static void main(String[] a) { SpringApplication.run(App.class, a); }\n}\n",
    })
    evidence = [f for f in findings(report, "port-binding.server-dependency") if f.severity.value == "info"]
    assert evidence


def test_go_passphrase_constant_used_as_jwt_secret_is_reported(score_tree):
    # golang-gin-realworld: `const NBSecretPassword = "A String Very ... !!@##$!@#$"` signs the JWTs.
    report = score_tree({
        **GO_SERVICE,
        "common/utils.go": 'package common\n\nconst JWTSecretPassword = "A String Very Strong For Tokens!!@##$%^&*"\n',
    })
    assert _violations(report, "config.committed-secret")


def test_go_service_with_hard_coded_config_and_no_env_reads_is_reported(score_tree):
    # golang-gin-realworld: no os.Getenv anywhere; the database file and the JWT key are constants.
    report = score_tree({
        **GO_SERVICE,
        "common/database.go": 'package common\n\nimport "github.com/jinzhu/gorm"\n\n'
                              'func Init() *gorm.DB {\n\tdb, _ := gorm.Open("postgres", "host=db.internal dbname=app")\n\treturn db\n}\n',
        "main.go": 'package main\n\nimport "github.com/gin-gonic/gin"\n\nfunc main() {\n\tr := gin.Default()\n\tr.Run(":8080")\n}\n',
    })
    assert _violations(report, "config.no-env-reads")


@pytest.mark.parametrize("line", [
    'const PasswordHint = "Use 12+ characters with !@#$ symbols"',  # a hint (skipped key)
    'const PASSWORD_RULES = "8+ chars & one of !@#$%^&*"',  # text about passwords
    'const passwordError = "Passwords must match!!"',  # too few symbols
    '// const DBPassword = "A String Very Strong For Tokens!!@##$%^&*"',  # a comment
])
def test_prose_about_passwords_is_not_a_passphrase(score_tree, line):
    report = score_tree({**GO_SERVICE, "common/utils.go": f"package common\n\n{line}\n"})
    assert not _violations(report, "config.committed-secret")


def test_a_literal_dsn_only_in_tests_is_not_configuration_in_code(score_tree):
    report = score_tree({
        **GO_SERVICE,
        "main.go": 'package main\n\nimport "github.com/gin-gonic/gin"\n\nfunc main() {\n\tgin.Default().Run()\n}\n',
        "store/store_test.go": 'package store\n\nfunc TestX(t *testing.T) { db, _ := sql.Open("postgres", "host=localhost dbname=test") }\n',
    })
    assert not _violations(report, "config.no-env-reads")


SYMFONY_SERVICE = {
    "composer.json": '{"require": {"php": ">=8.2", "symfony/framework-bundle": "7.1.*"}}',
    "composer.lock": "{}",
    "public/index.php": "<?php\nuse App\\Kernel;\nreturn fn (array $context) => new Kernel($context['APP_ENV'], true);\n",
    "config/routes.yaml": "controllers:\n    resource: routing.controllers\n",
}


def test_symfony_import_map_declares_the_javascript_packages(score_tree):
    # symfony/demo: assets/*.js import bootstrap; AssetMapper pins it in importmap.php, no package.json
    report = score_tree({
        **SYMFONY_SERVICE,
        "assets/admin.js": "import * as bootstrap from 'bootstrap';\n",
        "importmap.php": "<?php\nreturn [\n    'bootstrap' => [\n        'version' => '5.3.3',\n    ],\n];\n",
    })
    assert not _violations(report, "dependencies.missing-manifest")
    assert not _violations(report, "dependencies.no-lock-file")
    # the look-alike: the same import with no import map is still an undeclared dependency
    bare = score_tree({**SYMFONY_SERVICE, "assets/admin.js": "import * as bootstrap from 'bootstrap';\n"})
    assert _violations(bare, "dependencies.missing-manifest")


def test_symfony_env_placeholders_are_environment_reads(score_tree):
    # symfony/demo: secret: '%env(APP_SECRET)%' in config/packages/framework.yaml
    files = {**SYMFONY_SERVICE, "config/packages/framework.yaml": "framework:\n    secret: '%env(APP_SECRET)%'\n"}
    assert not _violations(score_tree(files), "config.no-env-reads")
    # the look-alike: the same configuration with a literal secret reads nothing from the environment
    literal = {**SYMFONY_SERVICE, "config/packages/framework.yaml": "framework:\n    secret: 'abc'\n"}
    assert _violations(score_tree(literal), "config.no-env-reads")


def test_a_commented_out_database_url_is_not_the_production_database(score_tree):
    # symfony/demo's .env: SQLite in use, MySQL/PostgreSQL URLs commented out as alternatives
    env = ('DATABASE_URL="sqlite:///%kernel.project_dir%/data/database.sqlite"\n'
           '# DATABASE_URL="mysql://app:!ChangeMe!@127.0.0.1:3306/app?serverVersion=8.0.32"\n')
    report = score_tree({**SYMFONY_SERVICE, ".env": env})
    assert not _violations(report, "dev-prod-parity.embedded-database")
    # the look-alike: the MySQL URL in force makes SQLite in tests a parity gap
    live = score_tree({**SYMFONY_SERVICE, ".env": 'DATABASE_URL="mysql://app:pw@db:3306/app"\n',
                       ".env.test": "DATABASE_URL=sqlite:///data/test.sqlite\n"})
    assert _violations(live, "dev-prod-parity.embedded-database")


@pytest.mark.parametrize("value", ["not-a-secret--read-the-doc!", "NotARealPassword", "read_the_docs_first"])
def test_values_that_say_they_are_not_secrets_are_placeholders(score_tree, value):
    report = score_tree({**SYMFONY_SERVICE, ".env": f"APP_SECRET={value}\n"})
    assert not _violations(report, "config.committed-secret")


# ---------------------------------------------------------------------------------------------
# Third review (23 November 2026, evening): ghostfolio, maybe, BookStack, podinfo …

NODE_SERVICE = {
    "package.json": '{"name": "a", "dependencies": {"express": "4.19.2"}}\n',
    "package-lock.json": '{"lockfileVersion": 3}\n',
    "server.js": "const app = require('express')();\napp.listen(process.env.PORT);\n",
}
STRONG = "Pr0d" + "Passw0rd!x7"


@pytest.mark.parametrize("path, text", [
    ("lang/de/auth.php", "<?php\nreturn [\n    'password' => 'Passwort',\n    'api_token_secret' => 'Geheimnis des Tokens',\n];\n"),
    ("resources/lang/fr/validation.php", "<?php\nreturn ['password' => 'Le mot de passe est incorrect.'];\n"),
    ("config/locales/de.yml", "de:\n  password: Passwort\n  secret_key: Geheimschluessel\n"),
    ("translations/messages.de.yaml", "password: Kennwort\n"),
    ("src/locales/ja.json", '{"password": "\u30d1\u30b9\u30ef\u30fc\u30c9", "api_key": "API\u30ad\u30fc"}\n'),
])
def test_translation_files_are_interface_text_not_secrets(score_tree, path, text):
    # BookStack: 35 criticals from lang/*/*.php, e.g. 'password' => 'Passwort'
    assert not _violations(score_tree({**LARAVEL_SERVICE, path: text}), "config.committed-secret")


def test_translation_files_are_still_searched_for_real_format_credentials(score_tree):
    key = "AKIA" + "Z7QK4MHT2VWX9BNR"
    report = score_tree({**LARAVEL_SERVICE, "lang/de/auth.php": f"<?php\nreturn ['key' => '{key}'];\n"})
    assert _violations(report, "config.committed-secret")
    # the look-alike: a config file with the same keyword line as a translation is a secret
    config = score_tree({**LARAVEL_SERVICE, "config/mail.php": f"<?php\nreturn ['password' => '{STRONG}'];\n"})
    assert _violations(config, "config.committed-secret")


def test_a_field_path_in_cue_is_a_reference_not_a_secret(score_tree):
    # podinfo: timoni/*.cue `imagePullSecrets: _config.imagePullSecrets`
    cue = "package templates\n#D: {\n\t_config: #Config\n\timagePullSecrets: _config.imagePullSecrets\n}\n"
    assert not _violations(score_tree({**GO_SERVICE, "timoni/templates/deployment.cue": cue}), "config.committed-secret")
    # the look-alike: a quoted literal in the same file
    literal = f'package templates\npassword: "{STRONG}"\n'
    assert _violations(score_tree({**GO_SERVICE, "timoni/templates/config.cue": literal}), "config.committed-secret")


@pytest.mark.parametrize("line", ['"password": "hunter2000"', "# or, if using a password: HOST:PORT:DATABASE:PASSWORD"])
def test_documented_example_passwords_and_format_templates_are_placeholders(score_tree, line):
    # BookStack: an API request example with "hunter2000"; a format comment in an env file
    assert not _violations(score_tree({**LARAVEL_SERVICE, "dev/api/users.json": "{\n" + line + "\n}\n",
                                       "app.env": line + "\n"}), "config.committed-secret")
    assert _violations(score_tree({**LARAVEL_SERVICE, "app.env": f"REDIS_PASSWORD={STRONG}\n"}),
                       "config.committed-secret")


def test_an_exec_after_variable_assignments_still_execs(score_tree):
    # BookStack: `SHELL=/bin/sh exec npm run watch`
    base = {**NODE_SERVICE, "Dockerfile": 'FROM node:22-slim\nCOPY . .\nRUN npm ci\nENTRYPOINT ["/entrypoint.sh"]\n'}
    execs = score_tree({**base, "entrypoint.sh": "#!/bin/sh\nset -e\nNODE_ENV=production A='x y' exec node server.js\n"})
    assert not _violations(execs, "disposability.signal-forwarding")
    forks = score_tree({**base, "entrypoint.sh": "#!/bin/sh\nset -e\nNODE_ENV=production node server.js\n"})
    assert _violations(forks, "disposability.signal-forwarding")


def test_a_timer_in_browser_code_is_not_a_job_in_the_web_process(score_tree):
    # BookStack: resources/js editor autosave, `window.$events.listen(…)` read as a server's listen
    editor = ("export class Editor {\n  setup() {\n    window.$events.listen('save', () => this.save());\n"
              "    this.timer = window.setInterval(this.autoSave.bind(this), 30000);\n  }\n}\n")
    report = score_tree({**NODE_SERVICE, "resources/js/editor.js": editor})
    assert not _violations(report, "concurrency.background-threads")
    server = NODE_SERVICE["server.js"] + "setInterval(purgeExpired, 60000);\n"
    assert _violations(score_tree({**NODE_SERVICE, "server.js": server}), "concurrency.background-threads")


NEST_SERVICE = {
    "package.json": '{"name": "a", "dependencies": {"@nestjs/core": "10.0.0", "@nestjs/schedule": "4.0.0"}}\n',
    "package-lock.json": '{"lockfileVersion": 3}\n',
    "src/cron.service.ts": "import { Cron } from '@nestjs/schedule';\n@Injectable()\nexport class CronService {\n"
                           "  @Cron(CronExpression.EVERY_HOUR)\n  async gather() {}\n}\n",
    "src/app.module.ts": "@Module({ imports: [ScheduleModule.forRoot()], providers: [CronService] })\n"
                         "export class AppModule {}\n",
}


def test_nestjs_cron_in_the_web_application_is_reported(score_tree):
    # ghostfolio: @Cron jobs in a provider of the module NestFactory.create starts and serves
    main = "const app = await NestFactory.create(AppModule);\nawait app.listen(process.env.PORT);\n"
    report = score_tree({**NEST_SERVICE, "src/main.ts": main})
    assert [f.path for f in _violations(report, "concurrency.background-threads")] == ["src/cron.service.ts"]
    # the look-alike: the schedules run in a standalone context, a process of their own
    clock = score_tree({**NEST_SERVICE, "src/main.ts": main,
                        "src/clock.ts": "const ctx = await NestFactory.createApplicationContext(AppModule);\n"})
    assert not _violations(clock, "concurrency.background-threads")


def test_an_angular_build_environment_file_with_flags_only_is_not_a_config_bundle(score_tree):
    # ghostfolio: apps/client/src/environments/environment.prod.ts = { production: true }
    path = "apps/client/src/environments/environment.prod.ts"
    flags = "export const environment = {\n  lastPublish: '{BUILD_TIMESTAMP}',\n  production: true\n};\n"
    assert not _violations(score_tree({**NODE_SERVICE, path: flags}), "config.per-environment-config")
    hosts = "export const environment = {\n  production: true,\n  apiUrl: 'https://api.acme-prod.com'\n};\n"
    assert _violations(score_tree({**NODE_SERVICE, path: hosts}), "config.per-environment-config")


def test_a_github_workflow_with_expressions_is_still_read(score_tree):
    # maybe: one `${{ github.workspace }}` hid the workflow's untagged service images
    workflow = ("on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    services:\n      postgres:\n"
                "        image: postgres:13\n      redis:\n        image: redis\n    steps:\n"
                "      - run: npm test -- --sha ${{ github.sha }}\n")
    report = score_tree({**NODE_SERVICE, ".github/workflows/ci.yml": workflow,
                         "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n"})
    assert [f.snippet for f in _violations(report, "dev-prod-parity.floating-service-image")] == ["redis"]
    assert _violations(report, "dev-prod-parity.service-version-drift")
    # the look-alike: a Helm template stays unparsed (not YAML until rendered)
    helm = "services:\n  db:\n    image: {{ .Values.image }}\n  cache:\n    image: redis\n"
    assert not _violations(score_tree({**NODE_SERVICE, "docker-compose.yml": helm}),
                           "dev-prod-parity.floating-service-image")


def test_an_image_tag_naming_only_a_variant_floats(score_tree):
    # ghostfolio: redis:alpine
    compose = ("services:\n  db:\n    image: postgres:15-alpine\n  cache:\n    image: redis:alpine\n"
               "  mc:\n    image: memcached:bookworm\n  r7:\n    image: redis:7-alpine\n")
    report = score_tree({**NODE_SERVICE, "docker-compose.yml": compose})
    assert sorted(f.snippet for f in _violations(report, "dev-prod-parity.floating-service-image")) == [
        "memcached:bookworm", "redis:alpine"]


def test_a_cron_job_is_not_a_release_step(score_tree):
    # podinfo: a daily backup CronJob was taken for "a release step runs once per deploy"
    cron = ("apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: backup\nspec:\n  schedule: '@daily'\n"
            "  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n"
            "            - name: backup\n              image: app:1.0\n              command: [\"/app\", \"backup\"]\n")
    report = score_tree({**GO_SERVICE, "deploy/backup.yaml": cron})
    assert not findings(report, "build-release-run.release-step")
    job = ("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\nspec:\n  template:\n    spec:\n"
           "      containers:\n        - name: migrate\n          image: app:1.0\n"
           "          command: [\"/app\", \"migrate\"]\n")
    assert findings(score_tree({**GO_SERVICE, "deploy/migrate.yaml": job}), "build-release-run.release-step")


# Third review, second batch: wagtail/bakerydemo, eddycjy/go-gin-example, kotlin-spring-realworld, TodoApi

def test_a_password_in_a_dotnet_test_project_is_test_data(score_tree):
    # TodoApi: Todo.Api.Tests/UserApiTests.cs `Password = "p@assw0rd1"` was critical
    line = 'var u = new UserInfo { Email = "todouser", Password = "p@assw0rd1x" };\n'
    report = score_tree({**DOTNET_SERVICE, "src/Web.Tests/UserApiTests.cs": line})
    assert _violations(report, "config.committed-secret") and not _counted(report, "config.committed-secret")
    assert _violations(score_tree({**DOTNET_SERVICE, "src/Web/Seed.cs": line}), "config.committed-secret")


def test_ef_core_add_sqlite_is_an_sqlite_database(score_tree):
    # TodoApi: builder.Services.AddSqlite<TodoDbContext>(connectionString)
    program = ('var builder = WebApplication.CreateBuilder(args);\n'
               'builder.Services.AddSqlite<TodoDbContext>("Data Source=.db/Todos.db");\n')
    assert _violations(score_tree({**DOTNET_SERVICE, "src/Web/Program.cs": program}), "processes.sqlite-database")
    npgsql = program.replace("AddSqlite", "AddNpgsql")
    assert not _violations(score_tree({**DOTNET_SERVICE, "src/Web/Program.cs": npgsql}), "processes.sqlite-database")


SPRING_SERVICE = {
    "pom.xml": "<project><dependencies><dependency><artifactId>spring-boot-starter-web</artifactId></dependency>"
               "</dependencies></project>\n",
    "src/main/java/app/App.java": "@SpringBootApplication\npublic class App {}\n",
}


def test_an_in_memory_h2_datasource_is_a_database_inside_the_app(score_tree):
    # kotlin-spring-realworld: spring.datasource.url=jdbc:h2:mem:… is the only database
    props = "spring.datasource.url=jdbc:h2:mem:app;DB_CLOSE_DELAY=-1\n"
    main = score_tree({**SPRING_SERVICE, "src/main/resources/application.properties": props})
    assert _violations(main, "processes.sqlite-database")
    # look-alikes: only in test resources, or only as the default of an environment variable
    test = score_tree({**SPRING_SERVICE, "src/test/resources/application.properties": props})
    env = score_tree({**SPRING_SERVICE, "src/main/resources/application.properties":
                      "spring.datasource.url=${DATABASE_URL:jdbc:h2:mem:app}\n"})
    assert not _counted(test, "processes.sqlite-database")
    assert not _violations(env, "processes.sqlite-database")


def test_debug_on_in_base_settings_turned_off_by_production_settings_is_not_reported(score_tree):
    # bakerydemo: settings/base.py DEBUG = True; settings/production.py `from .base import *` then DEBUG = False
    base = {**DJANGO_SERVICE, "app/settings/base.py": "DEBUG = True\n"}
    off = score_tree({**base, "app/settings/production.py": "from .base import *  # noqa\n\nDEBUG = False\n"})
    assert not _violations(off, "config.debug-in-production")
    # look-alikes: production keeps base's DEBUG, or turns it on
    kept = score_tree({**base, "app/settings/production.py": "from .base import *  # noqa\n\nALLOWED_HOSTS = ['*']\n"})
    on = score_tree({**base, "app/settings/production.py": "from .base import *  # noqa\n\nDEBUG = True\n"})
    assert _violations(kept, "config.debug-in-production")
    assert _violations(on, "config.debug-in-production")


def test_included_requirement_files_are_read(score_tree):
    # bakerydemo: requirements.txt is only `-r requirements/production.txt`
    files = {"Procfile": "web: uwsgi --ini etc/uwsgi.ini\n", "requirements.txt": "-r requirements/production.txt\n",
             "requirements/production.txt": "Django>=5.0,<5.1\nuwsgi>=2.0,<2.1\n",
             "etc/uwsgi.ini": "[uwsgi]\nhttp-socket = :$(PORT)\n", "app/settings.py": "import os\n"}
    report = score_tree(files)
    assert [f.path for f in _violations(report, "dependencies.no-lock-file")] == ["requirements/production.txt"]
    assert findings(report, "port-binding.server-dependency")  # uwsgi, from the included file
    assert [f.path for f in findings(report, "port-binding.port-from-env")] == ["etc/uwsgi.ini"]
    pinned = score_tree({**files, "requirements/production.txt": "Django==5.0.6\nuwsgi==2.0.26\n"})
    assert not _violations(pinned, "dependencies.no-lock-file")
    # a uWSGI socket on a fixed port is not the port from the environment
    fixed = score_tree({**files, "etc/uwsgi.ini": "[uwsgi]\nhttp-socket = :8000\n"})
    assert not findings(fixed, "port-binding.port-from-env")


def test_a_django_logging_dict_with_a_stream_handler_logs_to_the_output(score_tree):
    logging = 'LOGGING = {"handlers": {"console": {"class": "logging.StreamHandler"}}}\n'
    report = score_tree({**DJANGO_SERVICE, "app/settings.py": logging})
    assert [f.path for f in findings(report, "logs.stdout-evidence")] == ["app/settings.py"]
    rotating = logging.replace("logging.StreamHandler", "logging.handlers.RotatingFileHandler")
    assert not findings(score_tree({**DJANGO_SERVICE, "app/settings.py": rotating}), "logs.stdout-evidence")


def test_a_go_service_configured_from_an_ini_file_that_logs_to_a_file(score_tree):
    # go-gin-example: conf/app.ini holds port and database, no env reads; logs opened as dir+name+".log"
    main = ('package main\nimport "gopkg.in/ini.v1"\nfunc main() {\n\tcfg, _ := ini.Load("conf/app.ini")\n'
            '\thttp.ListenAndServe(":"+cfg.Section("server").Key("HttpPort").String(), r)\n}\n')
    log = ('package logging\nfunc Setup(dir, name string) {\n'
           '\tF, _ = os.OpenFile(dir+name+".log", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0644)\n'
           '\tlogger = log.New(F, "", log.LstdFlags)\n}\n')
    files = {**GO_SERVICE, "main.go": main, "pkg/logging/log.go": log,
             "conf/app.ini": "[server]\nHttpPort = 8000\n[database]\nHost = 127.0.0.1:3306\n"}
    report = score_tree(files)
    assert [f.path for f in _violations(report, "config.no-env-reads")] == ["conf/app.ini"]
    assert [f.path for f in _violations(report, "logs.file-handler")] == ["pkg/logging/log.go"]
    # look-alikes: the same service reading the environment; an upload file that is not a log
    envs = score_tree({**files, "main.go": main.replace("cfg, _ :=", 'port := os.Getenv("PORT")\n\tcfg, _ :=')})
    assert not _violations(envs, "config.no-env-reads")
    upload = score_tree({**files, "pkg/logging/log.go": log.replace('".log"', '".png"')})
    assert not _violations(upload, "logs.file-handler")


def test_a_short_repeated_password_is_still_a_password(score_tree):
    # go-gin-example: `Password = rootroot` was taken for a placeholder (three distinct letters)
    assert _violations(score_tree({**GO_SERVICE, "conf/app.ini": "[database]\nPassword = rootroot\n"}),
                       "config.committed-secret")
    assert not _violations(score_tree({**GO_SERVICE, "conf/app.ini": "[database]\nPassword = xxxxxx\n"}),
                           "config.committed-secret")


def test_a_secret_committed_as_the_default_of_a_compose_variable_is_reported(score_tree):
    # maybe: compose.example.yml SECRET_KEY_BASE: ${SECRET_KEY_BASE:-<64 hex>}, run unchanged by self-hosters
    value = "a7523c3d0ae56415046ad8abae168d71" + "074a79534a7062258f8d1d51ac2f76d3"
    compose = ("services:\n  app:\n    build: .\n    environment:\n"
               f"      SECRET_KEY_BASE: ${{SECRET_KEY_BASE:-{value}}}\n")
    report = score_tree({**NODE_SERVICE, "docker-compose.yml": compose})
    got = _violations(report, "config.committed-secret")
    assert got and value not in json.dumps(report.to_dict())
    # look-alikes: a required variable, a plain reference
    refs = ("services:\n  app:\n    build: .\n    environment:\n      JWT_SECRET: ${JWT_SECRET:?set JWT_SECRET}\n"
            "      SESSION_SECRET: ${SESSION_SECRET}\n")
    assert not _violations(score_tree({**NODE_SERVICE, "docker-compose.yml": refs}), "config.committed-secret")


LARAVEL_LOGGING = ("<?php\nreturn [\n    'default' => env('LOG_CHANNEL', '{default}'),\n    'channels' => [\n"
                   "        'stack' => [\n            'driver' => 'stack',\n"
                   "            'channels' => explode(',', (string) env('LOG_STACK', 'single')),\n        ],\n"
                   "        'single' => ['driver' => 'single', 'path' => storage_path('logs/laravel.log')],\n"
                   "        'stderr' => ['driver' => 'monolog', 'with' => ['stream' => 'php://stderr']],\n    ],\n];\n")


@pytest.mark.parametrize("default", ["single", "stack"])
def test_laravel_logging_to_a_file_by_default_is_reported(score_tree, default):
    # BookStack and the Laravel skeleton: LOG_CHANNEL defaults to a file channel (storage/logs/laravel.log).
    # High (was medium): the app as shipped writes a log file, the checklist's high; reported on the
    # channel's path line, where the file is named (laravel/laravel config/logging.php:63).
    report = score_tree({**LARAVEL_SERVICE, "config/logging.php": LARAVEL_LOGGING.format(default=default)})
    got = _violations(report, "logs.file-handler")
    assert [(f.severity.value, f.line) for f in got] == [("high", 9)]
    assert not findings(report, "logs.stdout-evidence")  # a stderr channel defined is not the one used


def test_laravel_logging_to_stderr_by_default_is_evidence(score_tree):
    report = score_tree({**LARAVEL_SERVICE, "config/logging.php": LARAVEL_LOGGING.format(default="stderr")})
    assert not _violations(report, "logs.file-handler")
    assert [f.path for f in findings(report, "logs.stdout-evidence")] == ["config/logging.php"]


def test_an_install_in_a_script_only_a_development_compose_file_starts_is_not_reported(score_tree):
    # BookStack: dev/docker/entrypoint.app.sh runs `composer install`, started only by the dev compose file
    script = "#!/bin/sh\nset -e\ncomposer install\nexec apache2-foreground\n"
    dev = score_tree({**LARAVEL_SERVICE, "dev/docker/entrypoint.sh": script,
                      "docker-compose.yml": "services:\n  app:\n    build: .\n    entrypoint: /app/dev/docker/entrypoint.sh\n"})
    assert not _violations(dev, "build-release-run.install-at-startup")
    # the look-alike: the image itself starts the same script
    image = score_tree({**LARAVEL_SERVICE, "docker-entrypoint.sh": script,
                        "Dockerfile": 'FROM php:8.3-apache\nCOPY . /app\nENTRYPOINT ["/app/docker-entrypoint.sh"]\n'})
    assert _violations(image, "build-release-run.install-at-startup")


def test_a_compose_health_check_calling_the_app_is_evidence(score_tree):
    # ghostfolio: the app service runs a published image; its healthcheck curls /api/v1/health on itself
    compose = ("services:\n  app:\n    image: acme/app:2.1\n    healthcheck:\n"
               "      test: ['CMD-SHELL', 'curl -f http://localhost:3333/api/v1/health']\n"
               "  db:\n    image: postgres:16\n    healthcheck:\n      test: ['CMD-SHELL', 'pg_isready']\n")
    report = score_tree({**NODE_SERVICE, "docker-compose.yml": compose})
    assert "The compose service app has a healthcheck." in [f.message for f in findings(report, "disposability.health-checks")]
    # the look-alike: only the database's health is checked
    db_only = compose.replace("    healthcheck:\n      test: ['CMD-SHELL', 'curl -f http://localhost:3333/api/v1/health']\n", "")
    messages = [f.message for f in findings(score_tree({**NODE_SERVICE, "docker-compose.yml": db_only}),
                                              "disposability.health-checks")]
    assert not [m for m in messages if m.startswith("The compose service")]


# Fourth review (23 November 2026, evening): lobsters, koel, python-getting-started, node-express-realworld,
# fastapi-tdd-docker, go-coffeeshop

def test_a_rails_route_to_a_password_action_is_not_a_password(score_tree):
    # lobsters: get "/login/forgot_password" => "login#forgot_password" was critical ×3
    routes = ('Rails.application.routes.draw do\n  get "/account/lost_password" => "sessions#lost_password"\n'
              '  post "/account/change_password" => "accounts#change_password"\nend\n')
    assert not _violations(score_tree({**RAILS_SERVICE, "config/routes.rb": routes}), "config.committed-secret")
    smtp = f'SMTP_SETTINGS = {{ "password" => "{STRONG}" }}\n'
    assert _violations(score_tree({**RAILS_SERVICE, "config/initializers/mail.rb": smtp}), "config.committed-secret")


def test_a_systemd_unit_of_a_system_daemon_is_not_the_app(score_tree):
    # lobsters: hatchbox/opendkim.service, Type=forking for /usr/sbin/opendkim
    unit = "[Service]\nType=forking\nExecStart=/usr/sbin/milterd\n"
    report = score_tree({**RAILS_SERVICE, "ops/milter.service": unit})
    assert not _violations(report, "concurrency.self-daemonizing")
    app = "[Service]\nType=forking\nExecStart=/srv/app/bin/bundle exec puma --daemon\n"
    assert _violations(score_tree({**RAILS_SERVICE, "ops/app.service": app}), "concurrency.self-daemonizing")


def test_rails_multi_database_production_on_sqlite_is_reported(score_tree):
    # lobsters: production: {primary: {<<: *sqlite3, …}, queue: {…}}
    yml = ("lite: &lite\n  adapter: sqlite3\nproduction:\n  primary:\n    <<: *lite\n    database: storage/primary.sqlite3\n"
           "  queue:\n    <<: *lite\n    database: storage/queue.sqlite3\n")
    assert _violations(score_tree({**RAILS_SERVICE, "config/database.yml": yml}), "processes.sqlite-database")
    postgres = ("development:\n  adapter: sqlite3\nproduction:\n  primary:\n    adapter: postgresql\n"
                "    url: <%= ENV['DATABASE_URL'] %>\n")
    assert not _violations(score_tree({**RAILS_SERVICE, "config/database.yml": postgres}), "processes.sqlite-database")


def test_erb_env_reads_in_rails_yaml_are_environment_reads(score_tree):
    yml = 'production:\n  adapter: postgresql\n  url: <%= ENV["DATABASE_URL"] %>\n  password: <%= ENV.fetch("DB_PASSWORD") %>\n'
    files = {"Gemfile": RAILS_SERVICE["Gemfile"], "Gemfile.lock": RAILS_SERVICE["Gemfile.lock"],
             "config/database.yml": yml}
    assert not _violations(score_tree(files), "config.no-env-reads")
    literal = {**files, "config/database.yml": "production:\n  adapter: postgresql\n  host: db.acme-prod.com\n"}
    assert _violations(score_tree(literal), "config.no-env-reads")


def test_php_request_keys_of_server_are_not_environment_reads(score_tree):
    # koel: the only "env read" shown was $_SERVER['REQUEST_URI']
    db = "<?php\n$pdo = new PDO('mysql:host=db.acme-prod.com;dbname=shop', 'shop', $pw);\n"
    request = score_tree({**LARAVEL_SERVICE, "src/db.php": db, "public/index.php": "<?php\n$p = $_SERVER['REQUEST_URI'];\n"})
    assert _violations(request, "config.no-env-reads")
    env = score_tree({**LARAVEL_SERVICE, "src/db.php": db, "public/index.php": "<?php\n$p = $_SERVER['APP_BASE'];\n"})
    assert not _violations(env, "config.no-env-reads")


def test_prisma_datasource_from_the_environment_is_an_attached_resource(score_tree):
    schema = 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n'
    report = score_tree({**NODE_SERVICE, "prisma/schema.prisma": schema})
    assert [f.path for f in findings(report, "backing-services.attached-resources")] == ["prisma/schema.prisma"]


def test_aerich_migrations_are_a_migrations_tool(score_tree):
    # fastapi-tdd-docker: Tortoise ORM's aerich
    files = {**DJANGO_SERVICE, "requirements.txt": "fastapi==0.110.0\naerich==0.7.2\n",
             "migrations/models/0_20240101000000_init.py": "async def upgrade(db):\n    return ''\n"}
    assert findings(score_tree(files), "admin-processes.migrations-tool")


def test_console_log_in_browser_scripts_is_not_the_servers_log_evidence(score_tree):
    # go-coffeeshop: XI passed on console.log in a page's script.js
    page = "document.querySelector('#go').onclick = () => console.log('clicked');\n"
    report = score_tree({**GO_SERVICE, "cmd/web/static/script.js": page})
    assert not findings(report, "logs.stdout-evidence")
    server = score_tree({**NODE_SERVICE, "server.js": NODE_SERVICE["server.js"] + "console.log('listening');\n"})
    assert findings(server, "logs.stdout-evidence")


def test_a_libpq_key_value_connection_string_with_a_password_is_reported(score_tree):
    # go-coffeeshop: cmd/*/config.yml `dsn: host=… user=… password=… dbname=…`, copied into the images
    remote = "dsn: host=db.prod.internal user=shop password=Tr0ub4dor&3 dbname=shop sslmode=disable\n"
    report = score_tree({**GO_SERVICE, "cmd/api/config.yml": remote})
    assert [f.severity.value for f in _violations(report, "config.connection-string-credentials")] == ["critical"]
    assert "Tr0ub4dor&3" not in json.dumps(report.to_dict())
    local = score_tree({**GO_SERVICE, "cmd/api/config.yml": remote.replace("db.prod.internal", "127.0.0.1")})
    assert [f.severity.value for f in _violations(local, "config.connection-string-credentials")] == ["low"]
    for quiet in ("dsn: host=127.0.0.1 user=shop password= dbname=shop\n",
                  "dsn: host=127.0.0.1 user=shop password=${PG_PASSWORD} dbname=shop\n"):
        assert not _violations(score_tree({**GO_SERVICE, "cmd/api/config.yml": quiet}),
                               "config.connection-string-credentials")


ENV_FLAG_SETTINGS = '''import os
import dj_database_url
ON_PLATFORM = "DYNO" in os.environ and "CI" not in os.environ
if ON_PLATFORM:
    # the database comes from DATABASE_URL on the platform:
    # dj-database-url reads it, with pooling and health checks
    DATABASES = {
        "default": dj_database_url.config(
            env="DATABASE_URL",
            conn_max_age=600,
            conn_health_checks=True,
            ssl_require=True,
        ),
    }
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}
'''


def test_a_long_branch_on_a_flag_computed_from_the_environment_picks_a_backing_service(score_tree):
    # heroku/python-getting-started: IS_HEROKU_APP = "DYNO" in os.environ; Postgres if so, else SQLite
    report = score_tree({**DJANGO_SERVICE, "app/settings.py": ENV_FLAG_SETTINGS})
    assert [f.line for f in _violations(report, "backing-services.env-branching")] == [4]
    # the look-alike: the flag only widens ALLOWED_HOSTS; the database URL has a local default
    hosts = ('import os\nimport dj_database_url\nON_PLATFORM = "DYNO" in os.environ\nif ON_PLATFORM:\n'
             '    ALLOWED_HOSTS = ["*"]\nDATABASES = {"default": dj_database_url.config(default="sqlite:///db.sqlite3")}\n')
    assert not _violations(score_tree({**DJANGO_SERVICE, "app/settings.py": hosts}), "backing-services.env-branching")


def test_a_go_migration_in_an_init_function_of_the_server_runs_at_every_start(score_tree):
    # go-coffeeshop: internal/*/app/migrate.go runs golang-migrate's m.Up() in init(), built into each service
    main = ('package main\nimport "example.com/shop/internal/app"\nfunc main() {\n\tapp.Run()\n'
            '\thttp.ListenAndServe(":"+os.Getenv("PORT"), nil)\n}\n')
    migrate = ('//go:build migrate\n\npackage app\nfunc init() {\n'
               '\tm, _ := migrate.New("file://db/migrations", os.Getenv("DB_URL"))\n\t_ = m.Up()\n}\n')
    report = score_tree({**GO_SERVICE, "cmd/api/main.go": main, "internal/app/migrate.go": migrate})
    assert [f.path for f in _violations(report, "admin-processes.migrate-on-start")] == ["internal/app/migrate.go"]
    # the look-alike: the same migration as a program of its own
    one_off = migrate.replace("package app", "package main").replace("func init()", "func main()")
    quiet = score_tree({**GO_SERVICE, "cmd/api/main.go": main, "cmd/migrate/main.go": one_off})
    assert not _violations(quiet, "admin-processes.migrate-on-start")


def test_a_nomad_task_that_installs_at_start_up_is_reported(score_tree):
    # go-coffeeshop: build/nomad/jobs/*.nomad.hcl start each task with `go mod download && go run …`
    job = ('job "api" {\n  group "api" {\n    task "api" {\n      driver = "raw_exec"\n      config {\n'
           '        command = "bash"\n        args    = ["-c", "go mod download && go run ./cmd/api"]\n'
           '      }\n    }\n  }\n}\n')
    report = score_tree({**GO_SERVICE, "deploy/api.nomad.hcl": job})
    assert [f.path for f in _violations(report, "build-release-run.install-at-startup")] == ["deploy/api.nomad.hcl"]
    # the look-alike: a task that runs the built binary
    built = job.replace('command = "bash"', 'command = "/app/api"').replace(
        'args    = ["-c", "go mod download && go run ./cmd/api"]', 'args    = ["--port", "8080"]')
    assert not _violations(score_tree({**GO_SERVICE, "deploy/api.nomad.hcl": built}), "build-release-run.install-at-startup")
