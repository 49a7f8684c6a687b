"""Coverage cells of round 4 (helper eng4-config): committed secrets in more key/value shapes and key
formats, settings modules and placeholders that are not deploy secrets, build/release/run and
dependency findings that path roles hid or invented, and literal database hosts in start scripts.

docs/coverage/eng4-config.md lists the cells (ids `class14c-<row>-<ecosystem>-…`). A trigger must report
the check at the given path and severity (counted: not demoted); a look-alike must report no counted
violation of that check, or, for rows that lower a finding rather than drop it (`ceiling="low"`), none
above low. The trees are a few lines written here, shaped after the reviewer-labelled misses (a JSON
settings file written `"Key" : "value"`, a key stored as RSA parameters, a CI settings module, a
workflow named test.yml, a Dockerfile under docker/ built from the root …).
"""

from __future__ import annotations

import pytest

from tests.scoring.conftest import findings
from tests.scoring.coverage.cells import assert_cell, assert_paired

SECRET = "config.committed-secret"
BUNDLE = "config.per-environment-config"
CURL = "dependencies.curl-pipe-shell"
MANIFEST = "dependencies.missing-manifest"
INBUILD = "build-release-run.secrets-in-build"
APP_IMAGE = "build-release-run.floating-app-image"
HOST = "backing-services.hardcoded-host"

PY = {"requirements.txt": "django==5.0\ngunicorn==23.0.0\n"}
PY_DOTENV = {"requirements.txt": "fastapi==0.115.0\nuvicorn==0.30.0\npython-dotenv==1.0.1\n"}
NODE = {"package.json": '{"name": "api", "dependencies": {"express": "4.19.0"}}\n'}
NODE_DOTENV = {"package.json": '{"name": "api", "dependencies": {"express": "4.19.0", "dotenv": "16.4.5"}}\n'}
GO = {
    "go.mod": "module example.com/api\n\ngo 1.22\n",
    "main.go": 'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.ListenAndServe(":8080", nil)\n}\n',
}
RUBY = {"Gemfile": "source 'https://rubygems.org'\ngem 'rails', '7.1.0'\ngem 'puma'\n"}
JAVA = {"pom.xml": "<project><dependencies><dependency><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>\n"}
PHP = {"composer.json": '{"require": {"laravel/framework": "^11.0"}}\n'}
RUST = {"Cargo.toml": '[package]\nname = "api"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.7"\n'}
DOTNET = {"Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n', "Program.cs": "var app = WebApplication.Create(args);\napp.Run();\n"}
DOTNET_SRC = {"src/Shop.Web/Shop.Web.csproj": DOTNET["Api.csproj"], "src/Shop.Web/Program.cs": DOTNET["Program.cs"]}

# made-up values with the shape of generated secrets (never a real credential)
KEY = "q7Vx2LpR9sKe4TbN8wZc1HdM"
# base64 blocks shaped like RSA parameters (made up here, not a key)
B64 = "mQ3vT8kZp2Lx7Rb9Ws4Nc6Hy1Jd5Fg0Ke3Ua8Ot2Yi7Pl4Mn9Bv6Cx1Zq5Ar8Es3Dw7Gh2Jk4Lm9No6Pq1Rs5Tu8Vw3Xy0Za=="
B64_2 = "Zt4Kp9Wm2Qx7Lr5Vn8Bc3Hs6Jd1Fg0Ye7Ua2Oi9Pk4Ml6Nb3Cv8Xz1Aq5Ew2Rt7Sy4Du9Fh0Gj3Kl6Mp1No8Pr5Qs2Tu9=="


def cell(id, base, files, check, path=None, severity=None, ceiling=None):
    """A trigger when `path` is given (the check reports there at `severity`), else a look-alike (no
    violation at all, or none above `ceiling`)."""
    return pytest.param({**base, **files}, check, path, severity, ceiling, id=id)


def jwk(private: bool) -> str:
    d = f',\n      "d": "{B64_2}"' if private else ""
    return f'{{\n  "keys": [\n    {{\n      "kty": "RSA",\n      "e": "AQAB",\n      "n": "{B64}"{d}\n    }}\n  ]\n}}\n'


def rsa_parameters(private: bool) -> str:
    extra = f'"D":"{B64_2}","DP":"{B64[:44]}","InverseQ":"{B64_2[:44]}",' if private else ""
    return f'{{"KeyId":"k1","Parameters":{{{extra}"Exponent":"AQAB","Modulus":"{B64}"}}}}\n'


# Row a: a key and its colon apart (`"Key" : "value"`, `key : value`), in every config idiom
CLASS14C_A = [
    cell("class14c-a-python-json-trigger", PY, {"config/settings.json": f'{{\n  "SECRET_KEY" : "{KEY}"\n}}\n'},
         SECRET, "config/settings.json", "critical"),
    cell("class14c-a-python-json-lookalike", PY, {"config/settings.json": '{\n  "SECRET_KEY" : "${SECRET_KEY}"\n}\n'}, SECRET),
    cell("class14c-a-node-json-trigger", NODE, {"config/default.json": f'{{\n  "auth" : {{\n    "jwtSecret" : "{KEY}"\n  }}\n}}\n'},
         SECRET, "config/default.json", "critical"),
    cell("class14c-a-node-json-lookalike", NODE, {"config/default.json": '{\n  "auth" : {\n    "jwtSecret" : ""\n  }\n}\n'}, SECRET),
    cell("class14c-a-go-yaml-trigger", GO, {"config.yaml": f"stripe:\n  api_key : {KEY}\n"}, SECRET, "config.yaml", "critical"),
    cell("class14c-a-go-yaml-lookalike", GO, {"config.yaml": "stripe:\n  api_key : ${STRIPE_API_KEY}\n"}, SECRET),
    cell("class14c-a-ruby-yaml-trigger", RUBY, {"config/storage.yml": f"amazon:\n  service: S3\n  secret_access_key : {KEY}\n"},
         SECRET, "config/storage.yml", "critical"),
    cell("class14c-a-ruby-yaml-lookalike", RUBY,
         {"config/storage.yml": 'amazon:\n  service: S3\n  secret_access_key : <%= ENV["S3_SECRET"] %>\n'}, SECRET),
    cell("class14c-a-java-properties-trigger", JAVA,
         {"src/main/resources/application.properties": f"spring.datasource.password : {KEY}\n"},
         SECRET, "src/main/resources/application.properties", "critical"),
    cell("class14c-a-java-properties-lookalike", JAVA,
         {"src/main/resources/application.properties": "spring.datasource.password : ${DB_PASSWORD}\n"}, SECRET),
    cell("class14c-a-php-json-trigger", PHP, {"config/services.json": f'{{\n  "github" : {{\n    "client_secret" : "{KEY}"\n  }}\n}}\n'},
         SECRET, "config/services.json", "critical"),
    cell("class14c-a-php-json-lookalike", PHP, {"config/services.json": '{\n  "github" : {\n    "client_id" : "Iv1.abc"\n  }\n}\n'}, SECRET),
    cell("class14c-a-rust-yaml-trigger", RUST, {"config/default.yaml": f"auth:\n  jwt_secret : \"{KEY}\"\n"},
         SECRET, "config/default.yaml", "critical"),
    cell("class14c-a-rust-yaml-lookalike", RUST, {"config/default.yaml": 'auth:\n  jwt_secret : "${JWT_SECRET}"\n'}, SECRET),
    cell("class14c-a-dotnet-appsettings-trigger", DOTNET,
         {"appsettings.json": f'{{\n  "Authentication" : {{\n    "Google" : {{\n      "ClientSecret" : "{KEY}"\n    }}\n  }}\n}}\n'},
         SECRET, "appsettings.json", "critical"),
    cell("class14c-a-dotnet-appsettings-lookalike", DOTNET,
         {"appsettings.json": '{\n  "Authentication" : {\n    "Google" : {\n      "ClientSecret" : ""\n    }\n  }\n}\n'}, SECRET),
]

# Row b: a private key stored as its parameters, not PEM (RSAParameters JSON, RSAKeyValue XML, a JWK with "d")
CLASS14C_B = [
    cell("class14c-b-dotnet-rsaparameters-trigger", DOTNET, {"tempkey.rsa": rsa_parameters(True)}, SECRET, "tempkey.rsa", "critical"),
    cell("class14c-b-dotnet-rsaparameters-lookalike", DOTNET, {"tempkey.rsa": rsa_parameters(False)}, SECRET),
    cell("class14c-b-dotnet-rsakeyvalue-trigger", DOTNET,
         {"keys/signing.xml": f"<RSAKeyValue>\n  <Modulus>{B64}</Modulus>\n  <Exponent>AQAB</Exponent>\n  <D>{B64_2}</D>\n"
                              f"  <InverseQ>{B64[:44]}</InverseQ>\n</RSAKeyValue>\n"},
         SECRET, "keys/signing.xml", "critical"),
    cell("class14c-b-dotnet-rsakeyvalue-lookalike", DOTNET,
         {"keys/signing.xml": f"<RSAKeyValue>\n  <Modulus>{B64}</Modulus>\n  <Exponent>AQAB</Exponent>\n</RSAKeyValue>\n"}, SECRET),
    cell("class14c-b-node-jwk-trigger", NODE, {"keys/jwks.json": jwk(True)}, SECRET, "keys/jwks.json", "critical"),
    cell("class14c-b-node-jwk-lookalike", NODE, {"keys/jwks.json": jwk(False)}, SECRET),
    cell("class14c-b-python-jwk-trigger", PY, {"oidc/private_jwk.json": jwk(True)}, SECRET, "oidc/private_jwk.json", "critical"),
    cell("class14c-b-python-jwk-lookalike", PY, {"oidc/public_jwk.json": jwk(False)}, SECRET),
    cell("class14c-b-java-jwk-trigger", JAVA, {"src/main/resources/jwk.json": jwk(True)},
         SECRET, "src/main/resources/jwk.json", "critical"),
    cell("class14c-b-java-jwk-lookalike", JAVA, {"src/main/resources/jwk.json": jwk(False)}, SECRET),
]

# Row c: a named environment's settings bundle with a connection string's password, even the service's default
CLASS14C_C = [
    cell("class14c-c-dotnet-docker-bundle-trigger", DOTNET,
         {"appsettings.docker.json": '{\n  "ConnectionStrings": {\n    "Default": "User ID=postgres;Password=postgres;Host=pgdb;Database=shop;"\n  }\n}\n'},
         BUNDLE, "appsettings.docker.json", "medium"),
    cell("class14c-c-dotnet-docker-bundle-lookalike", DOTNET,
         {"appsettings.docker.json": '{\n  "ConnectionStrings": {\n    "Default": "Host=pgdb;Database=shop;"\n  }\n}\n'}, BUNDLE),
    cell("class14c-c-java-profile-bundle-trigger", JAVA,
         {"src/main/resources/application-docker.properties":
          "spring.datasource.url=jdbc:sqlserver://sqldb;databaseName=shop;user=sa;password=postgres\n"},
         BUNDLE, "src/main/resources/application-docker.properties", "medium"),
    cell("class14c-c-java-profile-bundle-lookalike", JAVA,
         {"src/main/resources/application-docker.properties": "spring.datasource.url=jdbc:sqlserver://sqldb;databaseName=shop\n"},
         BUNDLE),
    cell("class14c-c-node-docker-bundle-trigger", NODE,
         {"config/docker.json": '{\n  "db": "Server=sqldb;User Id=sa;Password=postgres;Database=shop"\n}\n'},
         BUNDLE, "config/docker.json", "medium"),
    cell("class14c-c-node-docker-bundle-lookalike", NODE,
         {"config/docker.json": '{\n  "db": "Server=sqldb;Database=shop;Integrated Security=true"\n}\n'}, BUNDLE),
]

# Row d: the settings module of a CI/test/development environment holds values for that run, never a deploy's
CLASS14C_D = [
    cell("class14c-d-python-settings-module-trigger", PY,
         {"site/settings/production.py": f'from .base import *\n\nSECRET_KEY = "{KEY}"\n'},
         SECRET, "site/settings/production.py", "critical"),
    cell("class14c-d-python-settings-module-lookalike", PY,
         {"site/settings/ci.py": 'from .base import *\n\nSECRET_KEY = "CISECRETKEYIGUESSX"\n'}, SECRET, ceiling="low"),
    cell("class14c-d-node-config-module-trigger", NODE,
         {"config/production.js": f'module.exports = {{\n  sessionSecret: "{KEY}",\n}};\n'},
         SECRET, "config/production.js", "critical"),
    cell("class14c-d-node-config-module-lookalike", NODE,
         {"config/test.js": f'module.exports = {{\n  sessionSecret: "{KEY}",\n}};\n'}, SECRET, ceiling="low"),
    cell("class14c-d-ruby-environment-trigger", RUBY,
         {"config/environments/production.rb": f'Rails.application.configure do\n  config.secret_key_base = "{KEY}"\nend\n'},
         SECRET, "config/environments/production.rb", "critical"),
    cell("class14c-d-ruby-environment-lookalike", RUBY,
         {"config/environments/test.rb": f'Rails.application.configure do\n  config.secret_key_base = "{KEY}"\nend\n'},
         SECRET, ceiling="low"),
    cell("class14c-d-php-config-module-trigger", PHP,
         {"config/app.php": f"<?php\n\nreturn [\n    'api_secret' => '{KEY}',\n];\n"}, SECRET, "config/app.php", "critical"),
    cell("class14c-d-php-config-module-lookalike", PHP,
         {"config/testing.php": f"<?php\n\nreturn [\n    'api_secret' => '{KEY}',\n];\n"}, SECRET, ceiling="low"),
]

# Row e: a value typed to fill a format (a unit repeated: 1A1A1A1A…, 0000000000) is a placeholder
CLASS14C_E = [
    cell("class14c-e-ruby-repeated-unit-trigger", RUBY,
         {"config/deepl.yml": "translation:\n  deepl_api_key: \"48E92789-57A3-466A-9959-7C3F9B21D0E4\"\n"},
         SECRET, "config/deepl.yml", "critical"),
    cell("class14c-e-ruby-repeated-unit-lookalike", RUBY,
         {"config/deepl.yml": "translation:\n  deepl_api_key: \"48E92789-57A3-466A-9959-1A1A1A1A1A1A\"\n"}, SECRET),
    cell("class14c-e-node-repeated-unit-trigger", NODE,
         {"config/default.json": '{\n  "mapsApiKey": "k9Qz7Tm2Xv4Lp8Rw3Ns6Bd1H"\n}\n'}, SECRET, "config/default.json", "critical"),
    cell("class14c-e-node-repeated-unit-lookalike", NODE,
         {"config/default.json": '{\n  "mapsApiKey": "0000000000000000000000"\n}\n'}, SECRET),
]

# Row f: path roles — .sample only as a whole part of a name; browser libraries under the web root's lib/
CLASS14C_F = [
    cell("class14c-f-dotnet-sampledata-project-trigger", DOTNET_SRC,
         {"src/Shop.Module.SampleData/Seeder.cs": "namespace Shop.Module.SampleData;\npublic class Seeder {}\n"},
         MANIFEST, "src/Shop.Module.SampleData/Seeder.cs", "high"),
    cell("class14c-f-dotnet-sampledata-project-lookalike", DOTNET_SRC,
         {"src/Shop.Module.SampleData/Seeder.cs": "namespace Shop.Module.SampleData;\npublic class Seeder {}\n",
          "src/Shop.Module.SampleData/Shop.Module.SampleData.csproj": '<Project Sdk="Microsoft.NET.Sdk"></Project>\n'},
         MANIFEST),
    cell("class14c-f-dotnet-wwwroot-lib-trigger", DOTNET,
         {"wwwroot/js/site.js": "import $ from 'jquery';\n$(() => {});\n"}, MANIFEST, "wwwroot/js/site.js", "high"),
    cell("class14c-f-dotnet-wwwroot-lib-lookalike", DOTNET,
         {"wwwroot/lib/bootbox/bootbox.js": "const $ = require('jquery');\nmodule.exports = {};\n"}, MANIFEST),
    cell("class14c-f-php-public-lib-trigger", PHP,
         {"resources/js/app.js": "import axios from 'axios';\naxios.get('/');\n"}, MANIFEST, "resources/js/app.js", "high"),
    cell("class14c-f-php-public-lib-lookalike", PHP,
         {"public/lib/chosen/chosen.jquery.js": "const $ = require('jquery');\nmodule.exports = {};\n"}, MANIFEST),
]

# Row g: tools and contributed integrations beside the app (contrib/, extra/, tools/) are not the app: low
CLASS14C_G = [
    cell("class14c-g-go-tools-folder-trigger", NODE,
         {"server/health.go": 'package main\n\nimport "net/http"\n\nfunc main() { http.Get("http://localhost:3001") }\n'},
         MANIFEST, "server/health.go", "high"),
    cell("class14c-g-go-tools-folder-lookalike", NODE,
         {"extra/health.go": 'package main\n\nimport "net/http"\n\nfunc main() { http.Get("http://localhost:3001") }\n'},
         MANIFEST, ceiling="low"),
    cell("class14c-g-node-contrib-plugin-trigger", RUST,
         {"src/main.rs": "fn main() {}\n", "plugin/index.ts": "import { tool } from '@opencode-ai/plugin';\nexport default tool;\n"},
         MANIFEST, "plugin/index.ts", "high"),
    cell("class14c-g-node-contrib-plugin-lookalike", RUST,
         {"src/main.rs": "fn main() {}\n", "contrib/opencode/index.ts": "import { tool } from '@opencode-ai/plugin';\nexport default tool;\n"},
         MANIFEST, ceiling="low"),
    cell("class14c-g-java-tools-folder-trigger", NODE,
         {"src/Push.java": "public class Push { public static void main(String[] a) {} }\n"}, MANIFEST, "src/Push.java", "high"),
    cell("class14c-g-java-tools-folder-lookalike", NODE,
         {"tools/push/Push.java": "public class Push { public static void main(String[] a) {} }\n"}, MANIFEST, ceiling="low"),
    cell("class14c-g-dotnet-tools-folder-trigger", NODE,
         {"src/Push.cs": "public class Push { static void Main() {} }\n"}, MANIFEST, "src/Push.cs", "high"),
    cell("class14c-g-dotnet-tools-folder-lookalike", NODE,
         {"extra/push/Push.cs": "public class Push { static void Main() {} }\n"}, MANIFEST, ceiling="low"),
]

# Row h: a Dockerfile kept in a subfolder is built with the root as context: the root .dockerignore counts
DOCKER_SUB = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"uvicorn\", \"app:app\"]\n"
NODE_SUB = "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n"
CLASS14C_H = [
    cell("class14c-h-python-subfolder-dockerfile-trigger", PY_DOTENV, {"docker/app.dockerfile": DOCKER_SUB},
         INBUILD, "docker/app.dockerfile", "medium"),
    cell("class14c-h-python-subfolder-dockerfile-lookalike", PY_DOTENV,
         {"docker/app.dockerfile": DOCKER_SUB, ".dockerignore": ".git\n/.env\n"}, INBUILD),
    cell("class14c-h-node-subfolder-dockerfile-trigger", NODE_DOTENV, {"docker/Dockerfile": NODE_SUB},
         INBUILD, "docker/Dockerfile", "medium"),
    cell("class14c-h-node-subfolder-dockerfile-lookalike", NODE_DOTENV,
         {"docker/Dockerfile": NODE_SUB, ".dockerignore": "node_modules\n.env*\n"}, INBUILD),
]

# Row i: ENV DATABASE_URL of an embedded database file (sqlite3:, jdbc:h2:file:) is the image's overridable default
CLASS14C_I = [
    cell("class14c-i-ruby-env-database-url-trigger", RUBY,
         {"Dockerfile": "FROM ruby:3.3-alpine\nCOPY . .\nENV DATABASE_URL=postgres://db.internal.example.net:5432/shop\nCMD [\"bin/rails\", \"s\"]\n"},
         INBUILD, "Dockerfile", "high"),
    cell("class14c-i-ruby-env-database-url-lookalike", RUBY,
         {"Dockerfile": "FROM ruby:3.3-alpine\nCOPY . .\nENV DATABASE_URL=sqlite3:/config/shop.sqlite3\nCMD [\"bin/rails\", \"s\"]\n"},
         INBUILD),
    cell("class14c-i-java-env-database-url-trigger", JAVA,
         {"Dockerfile": "FROM eclipse-temurin:21-jre\nCOPY target/app.jar /app.jar\nENV DATABASE_URL=jdbc:postgresql://db.internal.example.net/shop\n"
                        "CMD [\"java\", \"-jar\", \"/app.jar\"]\n"},
         INBUILD, "Dockerfile", "high"),
    cell("class14c-i-java-env-database-url-lookalike", JAVA,
         {"Dockerfile": "FROM eclipse-temurin:21-jre\nCOPY target/app.jar /app.jar\nENV DATABASE_URL=jdbc:h2:file:/data/shop\n"
                        "CMD [\"java\", \"-jar\", \"/app.jar\"]\n"},
         INBUILD),
]

# Row j: a RUN that copies one environment's settings file (holding secrets) over the image's configuration
CLASS14C_J = [
    cell("class14c-j-dotnet-run-cp-appsettings-trigger", DOTNET,
         {"appsettings.docker.json": f'{{\n  "Stripe": {{\n    "SecretKey": "{KEY}"\n  }}\n}}\n',
          "Dockerfile": "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /app\nCOPY . ./\n"
                        "RUN cp -f appsettings.docker.json appsettings.json && dotnet publish -c Release -o out\n"},
         INBUILD, "Dockerfile", "high"),
    cell("class14c-j-dotnet-run-cp-appsettings-lookalike", DOTNET,
         {"appsettings.docker.json": '{\n  "Stripe": {\n    "SecretKey": ""\n  }\n}\n',
          "Dockerfile": "FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /app\nCOPY . ./\n"
                        "RUN cp -f appsettings.docker.json appsettings.json && dotnet publish -c Release -o out\n"},
         INBUILD),
    cell("class14c-j-python-run-cp-settings-trigger", PY,
         {"deploy/settings.prod.yaml": f"stripe:\n  secret_key: {KEY}\n",
          "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN cp deploy/settings.prod.yaml settings.yaml\n"},
         INBUILD, "Dockerfile", "high"),
    cell("class14c-j-python-run-cp-settings-lookalike", PY,
         {"deploy/settings.prod.yaml": "stripe:\n  secret_key: ${STRIPE_SECRET_KEY}\n",
          "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN cp deploy/settings.prod.yaml settings.yaml\n"},
         INBUILD),
]

CELLS = CLASS14C_A + CLASS14C_B + CLASS14C_C + CLASS14C_D + CLASS14C_E + CLASS14C_F + CLASS14C_G + CLASS14C_H + CLASS14C_I + CLASS14C_J

# Language-independent rows: CI pipelines, infrastructure code, start scripts
TF = ('resource "google_cloud_run_v2_service" "app" {{\n  template {{\n    containers {{\n      name  = "app"\n'
      '      image = "{image}"\n    }}\n  }}\n}}\n')
ECS = '{{\n  "family": "shop",\n  "containerDefinitions": [\n    {{\n      "name": "web",\n      "image": "{image}"\n    }}\n  ]\n}}\n'
GCE = ('resource "google_compute_instance" "vm" {\n  boot_disk {\n    initialize_params {\n'
       '      image = "debian-cloud/debian-12"\n    }\n  }\n}\n')
ENTRY = "#!/bin/sh\nset -e\n{check}\nexec dotnet Shop.dll\n"
LANGUAGE_FREE = [
    cell("class14c-k-ci-workflow-named-test-trigger", RUBY,
         {".github/workflows/test.yml": "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
                                        "      - run: bash <(curl -Ls https://coverage.example-ci.io/get.sh) report\n"},
         CURL, ".github/workflows/test.yml", "medium"),
    cell("class14c-k-ci-workflow-named-test-lookalike", RUBY,
         {".github/workflows/test.yml": "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
                                        "      - run: bash <(curl -Ls https://github.com/acme/cov/releases/download/v1.4.2/get.sh) report\n"},
         CURL),
    cell("class14c-k-own-installer-trigger", RUST,
         {".github/workflows/installer.yml": "on: push\njobs:\n  install:\n    runs-on: ubuntu-latest\n    steps:\n"
                                             "      - run: curl -sSf https://get.toolsmith.example.dev | sh\n"},
         CURL, ".github/workflows/installer.yml", "medium"),
    cell("class14c-k-own-installer-lookalike", {**RUST, "Cargo.toml": RUST["Cargo.toml"].replace('"api"', '"shelly"')},
         {".github/workflows/installer.yml": "on: push\njobs:\n  install:\n    runs-on: ubuntu-latest\n    steps:\n"
                                             "      - run: curl -sSf https://setup.shelly.example.dev | sh\n"},
         CURL),
    cell("class14c-l-terraform-cloud-run-trigger", PY, {"terraform/main.tf": TF.format(image="docker.io/acme/shop:latest")},
         APP_IMAGE, "terraform/main.tf", "low"),
    cell("class14c-l-terraform-cloud-run-lookalike", PY,
         {"terraform/main.tf": TF.format(image="docker.io/acme/shop:1.4.2") + GCE}, APP_IMAGE),
    cell("class14c-l-ecs-task-definition-trigger", NODE, {"deploy/task-definition.json": ECS.format(image="acme/shop")},
         APP_IMAGE, "deploy/task-definition.json", "low"),
    cell("class14c-l-ecs-task-definition-lookalike", NODE, {"deploy/task-definition.json": ECS.format(image="acme/shop:2.3.0")},
         APP_IMAGE),
    cell("class14c-m-start-script-db-host-trigger", DOTNET,
         {"docker-entrypoint.sh": ENTRY.format(check="psql -h pgdb --username postgres -lqt | grep -qw shop"),
          "Dockerfile": 'FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY docker-entrypoint.sh /\nENTRYPOINT ["/docker-entrypoint.sh"]\n'},
         HOST, "docker-entrypoint.sh", "medium"),
    cell("class14c-m-start-script-db-host-lookalike", DOTNET,
         {"docker-entrypoint.sh": ENTRY.format(check='psql -h "$DB_HOST" --username "$DB_USER" -lqt | grep -qw shop'),
          "Dockerfile": 'FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY docker-entrypoint.sh /\nENTRYPOINT ["/docker-entrypoint.sh"]\n'},
         HOST),
]



@pytest.mark.parametrize(("files", "check", "path", "severity", "ceiling"), CELLS + LANGUAGE_FREE)
def test_it_covers_the_cell(score_tree, files, check, path, severity, ceiling):
    assert_cell(score_tree(files), check, path, severity, ceiling=ceiling)


def test_every_cell_has_a_trigger_and_a_look_alike():
    assert_paired(CELLS + LANGUAGE_FREE)


def test_a_spaced_colon_is_reported_at_the_value_line(score_tree):
    report = score_tree({**DOTNET, "appsettings.json": f'{{\n  "Facebook" : {{\n    "AppSecret" : "{KEY}"\n  }}\n}}\n'})
    assert [f.line for f in findings(report, SECRET, violations_only=True)] == [3]
