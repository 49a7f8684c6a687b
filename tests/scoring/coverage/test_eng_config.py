"""Coverage cells of class 3 (committed secrets in every config idiom), one trigger and one
look-alike per ecosystem and idiom: docs/coverage/eng-config.md is the table of these ids.

Every tree is tiny and written here; secret-looking values are assembled at run time so this file
holds none as a literal (the product scores its own repository). A trigger must be reported by the
named check on the named path at the named severity or above; a look-alike must not be reported
above the severity it allows (none at all, or `low` for dev-only defaults)."""

from __future__ import annotations

import base64
import json

import pytest

from scoring.model import Severity

# values: a generated key, a human password with symbols, and a weak word a developer types
KEY = "k9" + "Xq2LmZ7vB4nR8tW1pC6yH3dF5gJ0sA"  # 32 characters, random
HEX = "a7523c3d0ae5" + "6415046ad8abae168d71074a79534a7062258f8d1d51ac2f76d3"
PASSWORD = "Zq8" + "!vN3xLp7"
WORD = "super" + "Secret"

SERVICES = {
    "python": {
        "Procfile": "web: gunicorn app.wsgi --bind 0.0.0.0:$PORT\n",
        "requirements.txt": "django==5.0\ngunicorn==23.0.0\n",
        "app/wsgi.py": "import os\nPORT = os.environ.get('PORT', '8000')\n",
    },
    "node": {
        "package.json": json.dumps(
            {"name": "api", "scripts": {"start": "node src/index.js"}, "dependencies": {"express": "^4.19.0"}}
        ),
        "src/index.js": "const app = require('express')();\napp.listen(process.env.PORT);\n",
    },
    "go": {
        "go.mod": "module example.org/api\n\ngo 1.22\n",
        "main.go": 'package main\n\nimport ("net/http"; "os")\n\nfunc main() { http.ListenAndServe(":"+os.Getenv("PORT"), nil) }\n',
    },
    "ruby": {
        "Gemfile": "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\ngem 'puma'\n",
        "config.ru": "require_relative 'config/environment'\nrun Rails.application\n",
        "Procfile": "web: bundle exec puma -p $PORT\n",
        "config/puma.rb": "port ENV.fetch('PORT', 3000)\n",
    },
    "java": {
        "pom.xml": "<project><dependencies><dependency><groupId>org.springframework.boot</groupId>"
        "<artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>\n",
        "src/main/java/app/App.java": "package app;\n@SpringBootApplication\npublic class App {\n"
        "  public static void main(String[] a) { SpringApplication.run(App.class, a); }\n}\n",
        "src/main/resources/application.properties": "server.port=${PORT:8080}\n",
    },
    "php": {
        "composer.json": json.dumps({"require": {"laravel/framework": "^11.0"}}),
        "artisan": "#!/usr/bin/env php\n<?php\n",
        "public/index.php": "<?php\nrequire __DIR__.'/../vendor/autoload.php';\n",
        "config/app.php": "<?php\nreturn ['name' => env('APP_NAME', 'api')];\n",
    },
    "rust": {
        "Cargo.toml": '[package]\nname = "api"\nversion = "0.1.0"\n\n[dependencies]\nactix-web = "4"\n',
        "src/main.rs": 'fn main() { let port = std::env::var("PORT").unwrap(); }\n',
    },
    "dotnet": {
        "Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework>'
        "</PropertyGroup></Project>\n",
        "Program.cs": "var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\napp.Run();\n",
    },
}

SECRET = "config.committed-secret"
URL = "config.connection-string-credentials"
ENVFILE = "config.committed-env-file"
BUNDLE = "config.per-environment-config"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


# (id, ecosystem, files, check, path, line, at least)
TRIGGERS = [
    # --- 3a: a literal for a secret-named key in a framework's config file or settings object
    (
        "class3-python-django-settings-trigger",
        "python",
        {"app/settings.py": f"SECRET_KEY = '{KEY}'\n"},
        SECRET,
        "app/settings.py",
        1,
        "critical",
    ),
    (
        "class3-node-config-json-trigger",
        "node",
        {"config/default.json": json.dumps({"jwtSecret": KEY})},
        SECRET,
        "config/default.json",
        1,
        "critical",
    ),
    (
        "class3-go-config-yaml-trigger",
        "go",
        {"config.yaml": f"server:\n  jwt_secret: {KEY}\n"},
        SECRET,
        "config.yaml",
        2,
        "critical",
    ),
    (
        "class3-ruby-secrets-yml-trigger",
        "ruby",
        {"config/secrets.yml": f"production:\n  secret_key_base: {HEX}\n"},
        SECRET,
        "config/secrets.yml",
        2,
        "critical",
    ),
    (
        "class3-java-spring-yml-trigger",
        "java",
        {"src/main/resources/application.yml": f"app:\n  jwt:\n    secret: {KEY}\n"},
        SECRET,
        "src/main/resources/application.yml",
        3,
        "critical",
    ),
    (
        "class3-php-laravel-config-trigger",
        "php",
        {"config/services.php": f"<?php\nreturn [\n    'stripe' => ['secret' => '{KEY}'],\n];\n"},
        SECRET,
        "config/services.php",
        3,
        "critical",
    ),
    (
        "class3-rust-rocket-toml-trigger",
        "rust",
        {"Rocket.toml": f'[release]\nsecret_key = "{KEY}"\n'},
        SECRET,
        "Rocket.toml",
        2,
        "critical",
    ),
    (
        "class3-dotnet-appsettings-trigger",
        "dotnet",
        {"appsettings.json": json.dumps({"Jwt": {"Issuer": "api", "Secret": KEY}}, indent=2)},
        SECRET,
        "appsettings.json",
        4,
        "critical",
    ),
    # --- 3b: the literal fallback of an environment read, used whenever the variable is unset
    (
        "class3-python-getenv-fallback-trigger",
        "python",
        {"app/auth.py": f"import os\nJWT_SECRET = os.getenv('JWT_SECRET', '{WORD}')\n"},
        SECRET,
        "app/auth.py",
        2,
        "high",
    ),
    (
        "class3-node-env-or-fallback-trigger",
        "node",
        {"src/auth.ts": f"export const sign = (p) => jwt.sign(p, process.env.JWT_SECRET || '{WORD}', {{}});\n"},
        SECRET,
        "src/auth.ts",
        1,
        "high",
    ),
    (
        "class3-go-getenv-helper-fallback-trigger",
        "go",
        {"config.go": f'package main\n\nvar jwtSecret = getEnv("JWT_SECRET", "{WORD}")\n'},
        SECRET,
        "config.go",
        3,
        "high",
    ),
    (
        "class3-ruby-env-fetch-block-fallback-trigger",
        "ruby",
        {"config/initializers/jwt.rb": f'JWT_KEY = ENV.fetch("JWT_SECRET") {{ "{WORD}" }}\n'},
        SECRET,
        "config/initializers/jwt.rb",
        1,
        "high",
    ),
    (
        "class3-java-spring-placeholder-fallback-trigger",
        "java",
        {
            "src/main/resources/application.properties": f"server.port=${{PORT:8080}}\njwt.secret=${{JWT_SECRET:{KEY}}}\n"
        },
        SECRET,
        "src/main/resources/application.properties",
        2,
        "high",
    ),
    (
        "class3-php-env-default-trigger",
        "php",
        {"config/jwt.php": f"<?php\nreturn ['secret' => env('JWT_SECRET', '{WORD}')];\n"},
        SECRET,
        "config/jwt.php",
        2,
        "high",
    ),
    (
        "class3-rust-unwrap-or-fallback-trigger",
        "rust",
        {
            "src/config.rs": f'pub fn secret() -> String {{\n    std::env::var("JWT_SECRET").unwrap_or_else(|_| "{WORD}".to_string())\n}}\n'
        },
        SECRET,
        "src/config.rs",
        2,
        "high",
    ),
    (
        "class3-dotnet-coalesce-fallback-trigger",
        "dotnet",
        {"Auth.cs": f'var key = Environment.GetEnvironmentVariable("JWT_SECRET") ?? "{WORD}";\n'},
        SECRET,
        "Auth.cs",
        1,
        "high",
    ),
    (
        "class3-compose-default-expansion-trigger",
        "ruby",
        {
            "compose.example.yml": f"services:\n  web:\n    environment:\n      SECRET_KEY_BASE: ${{SECRET_KEY_BASE:-{HEX}}}\n"
        },
        SECRET,
        "compose.example.yml",
        4,
        "medium",
    ),
    # the same fallback over three lines: read, test for empty, assign a literal
    (
        "class3-go-if-empty-fallback-trigger",
        "go",
        {
            "auth.go": 'package main\n\nfunc secret() string {\n\tsecret := os.Getenv("JWT_SECRET")\n'
            f'\tif secret == "" {{\n\t\tsecret = "{WORD}"\n\t}}\n\treturn secret\n}}\n'
        },
        SECRET,
        "auth.go",
        6,
        "high",
    ),
    # a Dockerfile's ENV ships the value in every image, however weak
    (
        "class3-dockerfile-env-trigger",
        "node",
        {"Dockerfile": 'FROM node:20-slim\nENV JWT_SECRET=supersecret1\nCMD ["node", "src/index.js"]\n'},
        SECRET,
        "Dockerfile",
        2,
        "high",
    ),
    # --- 3c: constants named as keys or secrets
    (
        "class3-python-constant-trigger",
        "python",
        {"app/tokens.py": f"JWT_SECRET = '{KEY}'\n"},
        SECRET,
        "app/tokens.py",
        1,
        "critical",
    ),
    (
        "class3-node-constant-trigger",
        "node",
        {"src/constants.ts": f"export const JWT_SECRET = '{KEY}';\n"},
        SECRET,
        "src/constants.ts",
        1,
        "critical",
    ),
    (
        "class3-go-constant-trigger",
        "go",
        {"auth/keys.go": f'package auth\n\nconst jwtSecret = "{KEY}"\n'},
        SECRET,
        "auth/keys.go",
        3,
        "critical",
    ),
    (
        "class3-ruby-constant-trigger",
        "ruby",
        {"lib/tokens.rb": f'module Tokens\n  SECRET_KEY = "{KEY}"\nend\n'},
        SECRET,
        "lib/tokens.rb",
        2,
        "critical",
    ),
    (
        "class3-java-constant-trigger",
        "java",
        {
            "src/main/java/app/Jwt.java": f'package app;\nclass Jwt {{\n  private static final String SECRET_KEY = "{KEY}";\n}}\n'
        },
        SECRET,
        "src/main/java/app/Jwt.java",
        3,
        "critical",
    ),
    (
        "class3-php-define-trigger",
        "php",
        {"config/keys.php": f"<?php\ndefine('AUTH_KEY', '{PASSWORD}{KEY}');\n"},
        SECRET,
        "config/keys.php",
        2,
        "critical",
    ),
    (
        "class3-rust-constant-trigger",
        "rust",
        {"src/auth.rs": f'pub const JWT_SECRET: &str = "{KEY}";\n'},
        SECRET,
        "src/auth.rs",
        1,
        "critical",
    ),
    (
        "class3-dotnet-constant-trigger",
        "dotnet",
        {
            "Constants/AuthorizationConstants.cs": f'public class AuthorizationConstants\n{{\n    public const string JWT_SECRET_KEY = "{WORD}KeyOfDoom";\n}}\n'
        },
        SECRET,
        "Constants/AuthorizationConstants.cs",
        3,
        "critical",
    ),
    # --- 3d: connection strings with passwords in per-environment settings files
    (
        "class3-python-prod-settings-url-trigger",
        "python",
        {"app/settings/production.py": f"DATABASE_URL = 'postgres://app:{PASSWORD}@db.prod.internal:5432/app'\n"},
        URL,
        "app/settings/production.py",
        1,
        "critical",
    ),
    (
        "class3-node-config-production-url-trigger",
        "node",
        {"config/production.json": json.dumps({"db": {"url": f"postgres://app:{PASSWORD}@db.prod.internal/app"}})},
        URL,
        "config/production.json",
        1,
        "critical",
    ),
    (
        "class3-go-config-production-dsn-trigger",
        "go",
        {
            "config/production.yaml": f'database:\n  dsn: "host=db.prod.internal user=app password={PASSWORD} dbname=app"\n'
        },
        URL,
        "config/production.yaml",
        2,
        "critical",
    ),
    (
        "class3-ruby-database-yml-trigger",
        "ruby",
        {
            "config/database.yml": f"production:\n  adapter: postgresql\n  host: db.prod.internal\n  password: {PASSWORD}\n"
        },
        BUNDLE,
        "config/database.yml",
        4,
        "high",
    ),
    (
        "class3-java-spring-profile-trigger",
        "java",
        {
            "src/main/resources/application-prod.properties": f"spring.datasource.url=jdbc:postgresql://db.prod.internal/app\nspring.datasource.password={PASSWORD}\n"
        },
        SECRET,
        "src/main/resources/application-prod.properties",
        2,
        "critical",
    ),
    (
        "class3-php-symfony-prod-package-trigger",
        "php",
        {
            "config/packages/prod/doctrine.yaml": f"doctrine:\n  dbal:\n    url: 'mysql://app:{PASSWORD}@db.prod.internal/app'\n"
        },
        URL,
        "config/packages/prod/doctrine.yaml",
        3,
        "critical",
    ),
    (
        "class3-rust-config-production-toml-trigger",
        "rust",
        {"config/production.toml": f'database_url = "postgres://app:{PASSWORD}@db.prod.internal/app"\n'},
        URL,
        "config/production.toml",
        1,
        "critical",
    ),
    (
        "class3-dotnet-appsettings-docker-trigger",
        "dotnet",
        {
            "appsettings.Docker.json": json.dumps(
                {
                    "ConnectionStrings": {
                        "Db": f"Server=sqlserver,1433;Initial Catalog=Shop;User Id=sa;Password=@{WORD}Complicated1234;"
                    }
                },
                indent=2,
            )
        },
        BUNDLE,
        "appsettings.Docker.json",
        3,
        "medium",
    ),
    # --- 3e: secret manifests with literal data (every ecosystem deploys them the same way)
    (
        "class3-k8s-secret-stringdata-trigger",
        "java",
        {
            "k8s/db.yml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  host: db\n"
            "  username: user\n  password: pass\n"
        },
        SECRET,
        "k8s/db.yml",
        8,
        "medium",
    ),
    (
        "class3-k8s-secret-data-trigger",
        "go",
        {
            "deploy/secret.yaml": f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\ndata:\n  JWT_SECRET: {_b64(KEY)}\n"
        },
        SECRET,
        "deploy/secret.yaml",
        6,
        "high",
    ),
    # --- 3f: committed framework key stores
    (
        "class3-ruby-master-key-trigger",
        "ruby",
        {"config/master.key": HEX[:32] + "\n"},
        SECRET,
        "config/master.key",
        1,
        "critical",
    ),
    (
        "class3-dotnet-data-protection-key-trigger",
        "dotnet",
        {
            "keys/key-5f1c.xml": '<?xml version="1.0" encoding="utf-8"?>\n<key id="5f1c" version="1">\n  <descriptor>\n'
            '    <masterKey p4:requiresEncryption="true">\n      <!-- Warning: the key below is in an unencrypted form. -->\n'
            f"      <value>{_b64(KEY + KEY)}</value>\n    </masterKey>\n  </descriptor>\n</key>\n"
        },
        SECRET,
        "keys/key-5f1c.xml",
        6,
        "critical",
    ),
    (
        "class3-java-keystore-trigger",
        "java",
        {"src/main/resources/server.p12": b"0\x82\x0a\x00\x02\x01\x03" + bytes(64)},
        SECRET,
        "src/main/resources/server.p12",
        None,
        "medium",
    ),
    (
        "class3-php-symfony-prod-vault-key-trigger",
        "php",
        {"config/secrets/prod/prod.decrypt.private.php": '<?php return "\\x8f\\x11\\xa0";\n'},
        SECRET,
        "config/secrets/prod/prod.decrypt.private.php",
        1,
        "critical",
    ),
    # --- 3g: committed .env.<environment> files
    (
        "class3-node-env-production-trigger",
        "node",
        {".env.production": f"JWT_SECRET={KEY}\nPORT=3000\n"},
        ENVFILE,
        ".env.production",
        1,
        "high",
    ),
    (
        "class3-php-symfony-dotenv-trigger",
        "php",
        {
            "composer.json": json.dumps({"require": {"symfony/framework-bundle": "^7.1"}}),
            ".env": f"APP_ENV=prod\nAPP_SECRET={KEY}\n",
        },
        ENVFILE,
        ".env",
        1,
        "high",
    ),
    (
        "class3-ruby-dotenv-trigger",
        "ruby",
        {".env.production": f"SECRET_KEY_BASE={KEY}\n"},
        ENVFILE,
        ".env.production",
        1,
        "high",
    ),
    (
        "class3-go-dotenv-trigger",
        "go",
        {".env": f"JWT_SECRET={KEY}\n"},
        ENVFILE,
        ".env",
        1,
        "high",
    ),
    (
        "class3-rust-dotenv-trigger",
        "rust",
        {".env": f"ROCKET_SECRET_KEY={KEY}\n"},
        ENVFILE,
        ".env",
        1,
        "high",
    ),
    (
        "class3-python-dotenv-trigger",
        "python",
        {".env": "DEBUG=False\nALLOWED_HOSTS=example.org\n"},
        ENVFILE,
        ".env",
        1,
        "medium",
    ),
]

# (id, ecosystem, files, path, the most a look-alike may be reported at: None for not at all)
LOOKALIKES = [
    (
        "class3-python-django-settings-lookalike",
        "python",
        {"app/settings.py": "import environ\nenv = environ.Env()\nSECRET_KEY = env('SECRET_KEY')\n"},
        "app/settings.py",
        None,
    ),
    # node-config maps keys to the names of environment variables
    (
        "class3-node-config-json-lookalike",
        "node",
        {"config/custom-environment-variables.json": json.dumps({"jwtSecret": "JWT_SECRET"})},
        "config/custom-environment-variables.json",
        None,
    ),
    (
        "class3-go-config-yaml-lookalike",
        "go",
        {"config.yaml": "server:\n  jwt_secret: ${JWT_SECRET}\n"},
        "config.yaml",
        None,
    ),
    (
        "class3-ruby-secrets-yml-lookalike",
        "ruby",
        {"config/secrets.yml": 'production:\n  secret_key_base: <%= ENV["SECRET_KEY_BASE"] %>\n'},
        "config/secrets.yml",
        None,
    ),
    (
        "class3-java-spring-yml-lookalike",
        "java",
        {"src/main/resources/application.yml": "app:\n  jwt:\n    secret: ${JWT_SECRET}\n"},
        "src/main/resources/application.yml",
        None,
    ),
    (
        "class3-php-laravel-config-lookalike",
        "php",
        {"config/services.php": "<?php\nreturn [\n    'stripe' => ['secret' => env('STRIPE_SECRET')],\n];\n"},
        "config/services.php",
        None,
    ),
    ("class3-rust-rocket-toml-lookalike", "rust", {"Rocket.toml": '[release]\nsecret_key = ""\n'}, "Rocket.toml", None),
    (
        "class3-dotnet-appsettings-lookalike",
        "dotnet",
        {"appsettings.json": json.dumps({"Jwt": {"Issuer": "api", "Secret": ""}}, indent=2)},
        "appsettings.json",
        None,
    ),
    # --- 3b look-alikes: empty, placeholder or local defaults, and reads with no default
    (
        "class3-python-getenv-fallback-lookalike",
        "python",
        {"app/auth.py": "import os\nJWT_SECRET = os.getenv('JWT_SECRET', '')\nHOST = os.getenv('HOST', 'localhost')\n"},
        "app/auth.py",
        None,
    ),
    (
        "class3-node-env-or-fallback-lookalike",
        "node",
        {
            "src/auth.ts": "const port = process.env.PORT || 3000;\nconst host = process.env.HOST ?? 'localhost';\n"
            "const secret = process.env.JWT_SECRET || '';\n"
        },
        "src/auth.ts",
        None,
    ),
    (
        "class3-go-getenv-helper-fallback-lookalike",
        "go",
        {"config.go": 'package main\n\nvar jwtSecret = getEnv("JWT_SECRET", "")\nvar addr = getEnv("ADDR", ":8080")\n'},
        "config.go",
        None,
    ),
    (
        "class3-ruby-env-fetch-block-fallback-lookalike",
        "ruby",
        {"config/initializers/jwt.rb": 'JWT_KEY = ENV.fetch("JWT_SECRET") { raise "JWT_SECRET is not set" }\n'},
        "config/initializers/jwt.rb",
        None,
    ),
    # a development database password as a placeholder's default: a dev default, low at most
    (
        "class3-java-spring-placeholder-fallback-lookalike",
        "java",
        {
            "src/main/resources/application-postgres.properties": "spring.datasource.url=${POSTGRES_URL:jdbc:postgresql://localhost/petclinic}\n"
            "spring.datasource.username=${POSTGRES_USER:petclinic}\nspring.datasource.password=${POSTGRES_PASS:petclinic}\n"
        },
        "src/main/resources/application-postgres.properties",
        "low",
    ),
    (
        "class3-php-env-default-lookalike",
        "php",
        {
            "config/database.php": "<?php\nreturn ['host' => env('DB_HOST', '127.0.0.1'), 'password' => env('DB_PASSWORD', '')];\n"
        },
        "config/database.php",
        None,
    ),
    (
        "class3-rust-unwrap-or-fallback-lookalike",
        "rust",
        {
            "src/config.rs": 'pub fn secret() -> String {\n    std::env::var("JWT_SECRET").expect("JWT_SECRET must be set")\n}\n'
        },
        "src/config.rs",
        None,
    ),
    (
        "class3-dotnet-coalesce-fallback-lookalike",
        "dotnet",
        {
            "Auth.cs": 'var key = Environment.GetEnvironmentVariable("JWT_SECRET") ?? throw new InvalidOperationException("JWT_SECRET");\n'
        },
        "Auth.cs",
        None,
    ),
    (
        "class3-compose-default-expansion-lookalike",
        "ruby",
        {
            "compose.yml": "services:\n  web:\n    environment:\n      SECRET_KEY_BASE: ${SECRET_KEY_BASE:?set it}\n"
            "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-maybe_password}\n"
        },
        "compose.yml",
        "low",
    ),
    (
        "class3-go-if-empty-fallback-lookalike",
        "go",
        {
            "auth.go": 'package main\n\nfunc port() string {\n\tport := os.Getenv("PORT")\n'
            '\tif port == "" {\n\t\tport = "8080"\n\t}\n\treturn port\n}\n'
        },
        "auth.go",
        None,
    ),
    # a throwaway value for one build step (collectstatic needs some SECRET_KEY)
    (
        "class3-dockerfile-env-lookalike",
        "python",
        {"Dockerfile": "FROM python:3.12-slim\nRUN SECRET_KEY=build-key python manage.py collectstatic --noinput\n"},
        "Dockerfile",
        "low",
    ),
    # --- 3c look-alikes: constants that hold the names of secrets, not secrets
    (
        "class3-python-constant-lookalike",
        "python",
        {"app/tokens.py": "JWT_SECRET_ENV = 'JWT_SECRET'\n"},
        "app/tokens.py",
        None,
    ),
    (
        "class3-node-constant-lookalike",
        "node",
        {"src/constants.ts": "export const JWT_SECRET_HEADER = 'x-jwt-secret';\n"},
        "src/constants.ts",
        None,
    ),
    (
        "class3-go-constant-lookalike",
        "go",
        {"auth/keys.go": 'package auth\n\nconst jwtSecretEnv = "JWT_SECRET"\n'},
        "auth/keys.go",
        None,
    ),
    (
        "class3-ruby-constant-lookalike",
        "ruby",
        {"lib/tokens.rb": 'module Tokens\n  SECRET_KEY = ENV.fetch("SECRET_KEY")\nend\n'},
        "lib/tokens.rb",
        None,
    ),
    (
        "class3-java-constant-lookalike",
        "java",
        {
            "src/main/java/app/Jwt.java": 'package app;\nclass Jwt {\n  private static final String SECRET_KEY_PROPERTY = "app.secret-key";\n}\n'
        },
        "src/main/java/app/Jwt.java",
        None,
    ),
    (
        "class3-php-define-lookalike",
        "php",
        {"config/keys.php": "<?php\ndefine('AUTH_KEY', getenv('AUTH_KEY'));\n"},
        "config/keys.php",
        None,
    ),
    (
        "class3-rust-constant-lookalike",
        "rust",
        {"src/auth.rs": 'pub const JWT_SECRET_VAR: &str = "JWT_SECRET";\n'},
        "src/auth.rs",
        None,
    ),
    (
        "class3-dotnet-constant-lookalike",
        "dotnet",
        {
            "Constants/AuthorizationConstants.cs": 'public class AuthorizationConstants\n{\n    public const string JWT_SECRET_KEY_NAME = "JwtSecretKey";\n}\n'
        },
        "Constants/AuthorizationConstants.cs",
        None,
    ),
    # --- 3d look-alikes: development and test settings, local services, credentials from the environment
    (
        "class3-python-prod-settings-url-lookalike",
        "python",
        {"app/settings/test.py": "DATABASE_URL = 'postgres://app:app@localhost:5432/app_test'\n"},
        "app/settings/test.py",
        "low",
    ),
    (
        "class3-node-config-production-url-lookalike",
        "node",
        {"config/production.json": json.dumps({"db": {"url": "DATABASE_URL"}})},
        "config/production.json",
        "medium",
    ),
    (
        "class3-go-config-production-dsn-lookalike",
        "go",
        {"config/development.yaml": 'database:\n  dsn: "host=localhost user=app password=app dbname=app"\n'},
        "config/development.yaml",
        "low",
    ),
    (
        "class3-ruby-database-yml-lookalike",
        "ruby",
        {"config/database.yml": "development:\n  password: devpass\nproduction:\n  url: <%= ENV['DATABASE_URL'] %>\n"},
        "config/database.yml",
        "low",
    ),
    (
        "class3-java-spring-profile-lookalike",
        "java",
        {
            "src/main/resources/application-dev.properties": "spring.datasource.url=jdbc:h2:mem:app\nspring.datasource.password=\n"
        },
        "src/main/resources/application-dev.properties",
        None,
    ),
    (
        "class3-php-symfony-prod-package-lookalike",
        "php",
        {"config/packages/prod/doctrine.yaml": "doctrine:\n  dbal:\n    url: '%env(resolve:DATABASE_URL)%'\n"},
        "config/packages/prod/doctrine.yaml",
        "medium",
    ),
    (
        "class3-rust-config-production-toml-lookalike",
        "rust",
        {"config/local.toml": 'database_url = "postgres://app:app@localhost/app"\n'},
        "config/local.toml",
        "low",
    ),
    # LocalDB with Integrated Security: no credential at all
    (
        "class3-dotnet-appsettings-docker-lookalike",
        "dotnet",
        {
            "appsettings.Development.json": json.dumps(
                {
                    "ConnectionStrings": {
                        "Db": "Server=(localdb)\\mssqllocaldb;Integrated Security=true;Initial Catalog=Shop;"
                    }
                },
                indent=2,
            )
        },
        "appsettings.Development.json",
        None,
    ),
    # --- 3e look-alikes: templated, referenced and encrypted secrets
    (
        "class3-k8s-secret-stringdata-lookalike",
        "java",
        {
            "k8s/db.yml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  host: db\n"
            "  password: ${DB_PASSWORD}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
            "spec:\n  template:\n    spec:\n      containers:\n        - name: web\n          env:\n"
            "            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef:\n"
            "                  name: db\n                  key: password\n"
        },
        "k8s/db.yml",
        None,
    ),
    (
        "class3-k8s-secret-data-lookalike",
        "go",
        {
            "deploy/secret.yaml": f"apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: api\nspec:\n"
            f"  encryptedData:\n    JWT_SECRET: Ag{KEY}{KEY}==\n"
        },
        "deploy/secret.yaml",
        None,
    ),
    # --- 3f look-alikes: the encrypted credentials file, a trust store, a development vault key
    (
        "class3-ruby-master-key-lookalike",
        "ruby",
        {"config/credentials.yml.enc": "Zm9v" + KEY + "--" + KEY[:16] + "\n", ".gitignore": "/config/master.key\n"},
        "config/credentials.yml.enc",
        None,
    ),
    (
        "class3-dotnet-data-protection-key-lookalike",
        "dotnet",
        {
            "keys/key-5f1c.xml": '<key id="5f1c" version="1">\n  <descriptor>\n    <masterKey>\n'
            '      <encryptedSecret decryptorType="CertificateXmlEncryptor">\n'
            f"        <EncryptedData><CipherValue>{_b64(KEY)}</CipherValue></EncryptedData>\n"
            "      </encryptedSecret>\n    </masterKey>\n  </descriptor>\n</key>\n"
        },
        "keys/key-5f1c.xml",
        None,
    ),
    (
        "class3-java-keystore-lookalike",
        "java",
        {"src/main/resources/truststore.jks": b"\xfe\xed\xfe\xed\x00\x00\x00\x02" + bytes(64)},
        "src/main/resources/truststore.jks",
        None,
    ),
    (
        "class3-php-symfony-prod-vault-key-lookalike",
        "php",
        {"config/secrets/dev/dev.decrypt.private.php": '<?php return "\\x8f\\x11\\xa0";\n'},
        "config/secrets/dev/dev.decrypt.private.php",
        None,
    ),
    # --- 3g look-alikes: env files a framework tells projects to commit, holding no secret
    (
        "class3-node-nextjs-env-production-lookalike",
        "node",
        {
            "package.json": json.dumps({"name": "web", "dependencies": {"next": "14.2.0"}}),
            ".env.production": "NEXT_PUBLIC_API_URL=https://api.example.org\n",
        },
        ".env.production",
        "low",
    ),
    (
        "class3-php-symfony-dotenv-lookalike",
        "php",
        {
            "composer.json": json.dumps({"require": {"symfony/framework-bundle": "^7.1"}}),
            ".env": 'APP_ENV=dev\nAPP_SECRET=\nDATABASE_URL="postgresql://app:!ChangeMe!@127.0.0.1:5432/app"\n',
        },
        ".env",
        "low",
    ),
    # --- 3g look-alikes: documented examples
    (
        "class3-node-env-production-lookalike",
        "node",
        {".env.example": "JWT_SECRET=\nPORT=3000\n"},
        ".env.example",
        None,
    ),
    (
        "class3-python-dotenv-lookalike",
        "python",
        {".env.sample": "SECRET_KEY=changeme\nDEBUG=False\n"},
        ".env.sample",
        None,
    ),
    (
        "class3-ruby-dotenv-lookalike",
        "ruby",
        {".env.sample": "SECRET_KEY_BASE=\nPORT=8080\n"},
        ".env.sample",
        None,
    ),
    (
        "class3-go-dotenv-lookalike",
        "go",
        {".env.example": "JWT_SECRET=\nPORT=8080\n"},
        ".env.example",
        None,
    ),
    (
        "class3-rust-dotenv-lookalike",
        "rust",
        {".env.template": "ROCKET_SECRET_KEY=\nPORT=8080\n"},
        ".env.template",
        None,
    ),
    # a development compose file's database password: the database the file itself starts
    (
        "class3-compose-dev-database-password-lookalike",
        "java",
        {
            "docker-compose.yml": "services:\n  mysql:\n    image: mysql:9.6\n    environment:\n      - MYSQL_USER=petclinic\n"
            "      - MYSQL_PASSWORD=petclinic\n"
        },
        "docker-compose.yml",
        "low",
    ),
]

_RANK = {s.value: s.rank for s in Severity}


def _class3(report, path):
    return [
        f
        for f in report.factor("config").findings
        if f.path == path and f.severity.value != "info" and f.check != "config.env-reads"
    ]


@pytest.mark.parametrize(
    "ecosystem, files, check, path, line, least", [t[1:] for t in TRIGGERS], ids=[t[0] for t in TRIGGERS]
)
def test_it_reports_the_trigger(score_tree, ecosystem, files, check, path, line, least):
    report = score_tree({**SERVICES[ecosystem], **files})
    got = [f for f in _class3(report, path) if f.check == check and f.demoted_from is None]
    assert got, f"{check} did not report {path}: {[(f.check, f.path, f.severity.value) for f in report.findings]}"
    near = [f for f in got if line is None or f.line is None or abs(f.line - line) <= 1]
    assert near, [(f.line, f.message) for f in got]
    assert max(f.severity.rank for f in near) >= _RANK[least], [(f.severity.value, f.message) for f in near]
    assert report.factor("config").status.value in ("fail", "warn")


@pytest.mark.parametrize("ecosystem, files, path, allowed", [t[1:] for t in LOOKALIKES], ids=[t[0] for t in LOOKALIKES])
def test_it_does_not_raise_the_lookalike(score_tree, ecosystem, files, path, allowed):
    report = score_tree({**SERVICES[ecosystem], **files})
    got = [f for f in _class3(report, path) if f.demoted_from is None]
    limit = _RANK[allowed] if allowed else 0
    assert [f for f in got if f.severity.rank > limit] == [], [(f.check, f.severity.value, f.message) for f in got]
