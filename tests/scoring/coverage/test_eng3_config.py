"""Coverage cells of round 3 (helper eng3-config): config values that are not deploy secrets (development
and test sections, test modules inside source files, template bindings, generated-value prefixes,
identifiers named after their constant, error-reporter keys, local databases' passwords), secrets baked
into images (seed credentials, config files copied whole), deploys over ssh, schema upgrades in install
hooks, and backing services located by settings the environment fills.

docs/coverage/eng3-config.md lists the cells (ids `class13c-…`, `class13b-…`, `class13s-…`). A trigger
must report the check at the given path and severity, counted (not demoted). A look-alike must report
no counted finding of that check **above low** (a development section's key or a test module's key is
still listed as low on purpose: it is in the history). The backing-services cells (`class13s-…`) are
positive evidence: the trigger reports the check's info finding at the path, the look-alike none there.
The trees are a few lines written here, shaped after the reviewer-labelled misses and false alarms.
"""

from __future__ import annotations

import pytest

from tests.scoring.conftest import findings
from tests.scoring.coverage.cells import assert_cell, assert_paired

SECRET = "config.committed-secret"
IN_BUILD = "build-release-run.secrets-in-build"
MUTATING = "build-release-run.mutating-deploy"
MIGRATE = "build-release-run.migrate-in-build"
ATTACHED = "backing-services.attached-resources"

KEY = "a7Rk2" + "Qz9LmP4xVt8Wn3Yc6Bd1Fg5Hj0Ks"  # a generated-looking key
HEX = "5e6268" + "15c7ef00cc5d7b46ff3099160f25e527" + "1b00ced3b8eba1d5045eb0db0ddb925c"
PASSWORD = "Zq8" + "!vN3xLp7"
PEM = ("-----BEGIN RSA PRIVATE KEY-----\n" + "MIIEpAIBAAKCAQEAtZ" + "uvzCiQirPAQf0w4piStSzUlL6A3ZTpTOJCpnRHVtnfh\n"
       + "q7Yw2Lk9Rm4Xs8Tn1Vb6Pc3Fd5Gh0Jk7Ql2Zx9Wy4Ev8Ru1Ti6Yo3Pa5Sd0Fg7Hj2Kl\n" + "-----END RSA PRIVATE KEY-----")

PY = {"requirements.txt": "flask==3.0.0\ngunicorn==23.0.0\n", "Procfile": "web: gunicorn app:app\n"}
NODE = {"package.json": '{"name": "api", "private": true, "dependencies": {"express": "4.19.2"}}\n',
        "package-lock.json": "{}\n", "Procfile": "web: node server.js\n"}
GO = {"go.mod": "module example.com/api\n\ngo 1.22\n", "go.sum": "", "Procfile": "web: ./api\n"}
RUBY = {"Gemfile": "gem 'rails', '7.1.0'\ngem 'puma'\n", "Gemfile.lock": "", "Procfile": "web: bin/rails server\n"}
JAVA = {"pom.xml": "<project><dependencies><dependency><artifactId>spring-boot-starter-web</artifactId>"
                   "<version>3.2.0</version></dependency></dependencies></project>\n",
        "Procfile": "web: java -jar target/app.jar\n"}
PHP = {"composer.json": '{"require": {"laravel/framework": "11.0.0"}}\n', "composer.lock": "{}\n"}
RUST = {"Cargo.toml": '[package]\nname = "api"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.7"\n', "Cargo.lock": ""}
DOTNET = {"Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n', "Procfile": "web: dotnet Api.dll\n"}


def cell(id, base, files, check, path=None, severity=None):
    """A trigger when `path` is given (the check reports there at `severity`), else a look-alike."""
    return pytest.param({**base, **files}, check, path, severity, id=id)


# 13c-a. The development: / test: section of a per-environment file is not a deploy's secret (low); the
# same value in the production: section (or a file with no sections) is.
CLASS13C_A = [
    cell("class13c-a-python-yaml-section-trigger", PY, {"config/app.yml": f"production:\n  secret_key: {HEX}\n"},
         SECRET, "config/app.yml", "critical"),
    cell("class13c-a-python-yaml-section-lookalike", PY,
         {"config/app.yml": f"development:\n  secret_key: {HEX}\n\nproduction:\n  secret_key: <%= ENV['SECRET_KEY'] %>\n"}, SECRET),
    cell("class13c-a-node-sequelize-json-trigger", NODE,
         {"config/config.json": '{\n  "production": {\n    "username": "app",\n    "password": "' + PASSWORD + '"\n  }\n}\n'},
         SECRET, "config/config.json", "critical"),
    cell("class13c-a-node-sequelize-json-lookalike", NODE,
         {"config/config.json": '{\n  "test": {\n    "username": "app",\n    "password": "' + PASSWORD + '"\n  },\n'
                                '  "production": {\n    "use_env_variable": "DATABASE_URL"\n  }\n}\n'}, SECRET),
    cell("class13c-a-go-yaml-section-trigger", GO, {"config.yml": f"production:\n  jwt_secret: {KEY}\n"},
         SECRET, "config.yml", "critical"),
    cell("class13c-a-go-yaml-section-lookalike", GO, {"config.yml": f"local:\n  jwt_secret: {KEY}\n"}, SECRET),
    cell("class13c-a-ruby-secrets-yml-trigger", RUBY, {"config/secrets.yml": f"production:\n  secret_key_base: {HEX}\n"},
         SECRET, "config/secrets.yml", "critical"),
    cell("class13c-a-ruby-secrets-yml-lookalike", RUBY,
         {"config/secrets.yml": f"development:\n  secret_key_base: {HEX}\n\ntest:\n  secret_key_base: {HEX[::-1]}\n\n"
                                "production:\n  secret_key_base: <%= ENV[\"SECRET_KEY_BASE\"] %>\n"}, SECRET),
    cell("class13c-a-java-yaml-section-trigger", JAVA,
         {"src/main/resources/settings.yml": f"environments:\n  production:\n    api_secret: {KEY}\n"},
         SECRET, "src/main/resources/settings.yml", "critical"),
    cell("class13c-a-java-yaml-section-lookalike", JAVA,
         {"src/main/resources/settings.yml": f"environments:\n  dev:\n    api_secret: {KEY}\n"}, SECRET),
    cell("class13c-a-php-symfony-when-trigger", PHP,
         {"config/packages/app.yaml": f"when@prod:\n    parameters:\n        app.secret: {KEY}\n"},
         SECRET, "config/packages/app.yaml", "critical"),
    cell("class13c-a-php-symfony-when-lookalike", PHP,
         {"config/packages/app.yaml": f"when@dev:\n    parameters:\n        app.secret: {KEY}\n"}, SECRET),
    cell("class13c-a-rust-toml-table-trigger", RUST, {"Settings.toml": f"[production]\nsecret_key = \"{KEY}\"\n"},
         SECRET, "Settings.toml", "critical"),
    cell("class13c-a-rust-toml-table-lookalike", RUST, {"Settings.toml": f"[development]\nsecret_key = \"{KEY}\"\n"}, SECRET),
]

# 13c-b. Rust keeps unit tests in a `#[cfg(test)] mod` of the source file: a key there signs test data.
RUST_KEY_FN = 'pub fn signing_key() -> &\'static str {\n    "' + PEM.replace("\n", "\\n") + '"\n}\n'
CLASS13C_B = [
    cell("class13c-b-rust-test-module-trigger", RUST,
         {"src/auth.rs": "const KEY_PEM: &str = \"" + PEM + "\";\n\npub fn key() -> &'static str {\n    KEY_PEM\n}\n"},
         SECRET, "src/auth.rs", "critical"),
    cell("class13c-b-rust-test-module-lookalike", RUST,
         {"src/auth.rs": "pub fn verify() {}\n\n#[cfg(test)]\nmod rotation_tests {\n    use super::*;\n\n"
                         "    const KEY_PEM: &str = \"" + PEM + "\";\n\n    #[test]\n    fn rotates() {}\n}\n"}, SECRET),
]

# 13c-c. Interface and client code whose "secret" is not a value: a template binding's expression, a lone word
# sent as a dummy, the alphabet a password generator draws from, a GraphQL type, the fixed prefix of a
# generated value. Each trigger is a real literal under the same name.
CLASS13C_C = [
    cell("class13c-c-python-prefix-trigger", PY, {"app/hooks.py": f"WEBHOOK_SECRET = \"{KEY}\"\n"},
         SECRET, "app/hooks.py", "critical"),
    cell("class13c-c-python-prefix-lookalike", PY,
         {"app/hooks.py": "import secrets\n\ndef new_secret():\n    secret = \"whsec_\" + secrets.token_urlsafe(32)\n    return secret\n",
          "app/passwords.py": "PASSWORD_CHARS = 'abcdefghkmnpqrstuvwxyzABCDEFHJKLMNPQRSTUVWXYZ23456789_*=?#!()+'\n"}, SECRET),
    cell("class13c-c-node-vue-binding-trigger", NODE,
         {"src/components/Login.vue": f"<script>\nexport default {{\n  data() {{ return {{ password: '{PASSWORD}' }} }}\n}}\n</script>\n"},
         SECRET, "src/components/Login.vue", "critical"),
    cell("class13c-c-node-vue-binding-lookalike", NODE,
         {"src/components/Register.vue": "<template>\n  <PasswordStrength :value=\"credentials.password1.value\" />\n"
                                         "  <input v-model=\"form.password2\" />\n</template>\n<script>\nexport default {\n"
                                         "  methods: {\n    reset() { axios.put('/api/hooks/1', {secret: 'anything'}) },\n"
                                         "    generatePwd() {\n      const pwdChars = 'abcdefghkmnpqrstuvwxyzABCDEFHJKLMNPQRSTUVWXYZ23456789_*=?#!()+'\n"
                                         "    }\n  }\n}\n</script>\n",
          "src/components/Dialog.tsx": "export function gen() {\n  const secret = \"whsec_\" + btoa(String.fromCharCode(...bytes));\n"
                                       "  return secret;\n}\n",
          "src/graph/login.graphql": "mutation ($username: String!, $pass: String!) {\n  login(username: $username, password: String!)\n}\n"},
         SECRET),
    cell("class13c-c-go-prefix-trigger", GO, {"hooks.go": f"package main\n\nconst webhookSecret = \"{KEY}\"\n"},
         SECRET, "hooks.go", "critical"),
    cell("class13c-c-go-prefix-lookalike", GO,
         {"hooks.go": "package main\n\nfunc newSecret() string {\n\tsecret := \"whsec_\" + base64.StdEncoding.EncodeToString(b)\n"
                      "\treturn secret\n}\n"}, SECRET),
    cell("class13c-c-ruby-prefix-trigger", RUBY, {"app/models/hook.rb": f"class Hook\n  SECRET = \"{KEY}\"\nend\n"},
         SECRET, "app/models/hook.rb", "critical"),
    cell("class13c-c-ruby-prefix-lookalike", RUBY,
         {"app/models/hook.rb": "class Hook\n  def generate\n    secret = \"whsec_\" + SecureRandom.hex(32)\n  end\nend\n"}, SECRET),
    cell("class13c-c-java-prefix-trigger", JAVA,
         {"src/main/java/app/Hooks.java": f"class Hooks {{\n  static final String SECRET = \"{KEY}\";\n}}\n"},
         SECRET, "src/main/java/app/Hooks.java", "critical"),
    cell("class13c-c-java-prefix-lookalike", JAVA,
         {"src/main/java/app/Hooks.java": "class Hooks {\n  String make() {\n    String secret = \"whsec_\" + UUID.randomUUID();\n"
                                          "    return secret;\n  }\n}\n"}, SECRET),
    cell("class13c-c-php-prefix-trigger", PHP, {"app/Hooks.php": f"<?php\n$secret = '{KEY}';\n"},
         SECRET, "app/Hooks.php", "critical"),
    cell("class13c-c-php-prefix-lookalike", PHP,
         {"app/Hooks.php": "<?php\n$secret = 'whsec_' . bin2hex(random_bytes(32));\n",
          "resources/views/user.blade.php": "<x-input :value=\"old('password')\" />\n"}, SECRET),
    cell("class13c-c-dotnet-blazor-trigger", DOTNET,
         {"Pages/Login.razor": f"@code {{\n    private string password = \"{PASSWORD}\";\n}}\n"},
         SECRET, "Pages/Login.razor", "critical"),
    cell("class13c-c-dotnet-blazor-lookalike", DOTNET,
         {"Pages/Login.razor": "<InputText @bind-Value=\"model.Password2\" />\n",
          "Hooks.cs": "class Hooks {\n    string Make() {\n        var secret = \"whsec_\" + Convert.ToBase64String(bytes);\n"
                      "        return secret;\n    }\n}\n"}, SECRET),
]

# 13c-d. An identifier whose value ends with the constant's own name after a namespace (a claim type, a header,
# a setting's key) is a name, not a key.
CLASS13C_D = [
    cell("class13c-d-dotnet-claim-type-trigger", DOTNET,
         {"Constants/Keys.cs": f"public static class Keys\n{{\n    public const string ApiKey = \"{KEY}\";\n}}\n"},
         SECRET, "Constants/Keys.cs", "critical"),
    cell("class13c-d-dotnet-claim-type-lookalike", DOTNET,
         {"Constants/InternalClaimTypes.cs": "public static class InternalClaimTypes\n{\n"
                                            "    public const string IsApiKey = \"Jellyfin-IsApiKey\";\n}\n"}, SECRET),
    cell("class13c-d-java-header-name-trigger", JAVA,
         {"src/main/java/app/Auth.java": f"class Auth {{\n  static final String API_KEY = \"{KEY}\";\n}}\n"},
         SECRET, "src/main/java/app/Auth.java", "critical"),
    cell("class13c-d-java-header-name-lookalike", JAVA,
         {"src/main/java/app/Auth.java": "class Auth {\n  static final String API_KEY = \"X-Api-Key\";\n}\n"}, SECRET),
    cell("class13c-d-python-setting-key-trigger", PY, {"app/conf.py": f"SECRET_KEY = \"{KEY}\"\n"},
         SECRET, "app/conf.py", "critical"),
    cell("class13c-d-python-setting-key-lookalike", PY, {"app/conf.py": "SECRET_KEY = \"Acme-SecretKey\"\n"}, SECRET),
]

# 13c-e. An error reporter's notifier key (Bugsnag, Honeybadger, Airbrake) is made to ship inside clients.
CLASS13C_E = [
    cell("class13c-e-go-bugsnag-trigger", GO,
         {"main.go": f"package main\n\nfunc main() {{\n\tstripe.Configure(stripe.Configuration{{\n\t\tAPIKey:       \"{HEX[:32]}\",\n\t}})\n}}\n"},
         SECRET, "main.go", "critical"),
    cell("class13c-e-go-bugsnag-lookalike", GO,
         {"main.go": f"package main\n\nfunc main() {{\n\tbugsnag.Configure(bugsnag.Configuration{{\n\t\tAPIKey:       \"{HEX[:32]}\",\n"
                     "\t\tReleaseStage: \"production\",\n\t})\n}\n"}, SECRET),
    cell("class13c-e-node-bugsnag-trigger", NODE,
         {"src/errors.js": f"export const client = Payments.start({{ apiKey: '{HEX[:32]}' }})\n"}, SECRET, "src/errors.js", "critical"),
    cell("class13c-e-node-bugsnag-lookalike", NODE,
         {"src/errors.js": f"export const client = Bugsnag.start({{ apiKey: '{HEX[:32]}' }})\n"}, SECRET),
    cell("class13c-e-ruby-honeybadger-trigger", RUBY,
         {"config/initializers/payments.rb": f"Payments.configure do |config|\n  config.api_key = '{HEX[:32]}'\nend\n"},
         SECRET, "config/initializers/payments.rb", "critical"),
    cell("class13c-e-ruby-honeybadger-lookalike", RUBY,
         {"config/initializers/honeybadger.rb": f"Honeybadger.configure do |config|\n  config.api_key = '{HEX[:32]}'\nend\n"}, SECRET),
]

# 13c-f. A weak password in a task runner or script, set beside a host on this machine: a local database.
CLASS13C_F = [
    cell("class13c-f-python-taskfile-trigger", PY,
         {"Taskfile.yml": "tasks:\n  py:postgres:\n    env:\n      POSTGRES_USER: mealie\n      POSTGRES_PASSWORD: mealie\n"
                          "      POSTGRES_SERVER: db.internal.example.net\n"}, SECRET, "Taskfile.yml", "high"),
    cell("class13c-f-python-taskfile-lookalike", PY,
         {"Taskfile.yml": "tasks:\n  py:postgres:\n    env:\n      POSTGRES_USER: mealie\n      POSTGRES_PASSWORD: mealie\n"
                          "      POSTGRES_SERVER: localhost\n"}, SECRET),
    cell("class13c-f-node-script-trigger", NODE,
         {"scripts/seed.sh": "#!/bin/sh\nexport DB_PASSWORD=conduit2024\npsql -h db.internal.example.net -U app < seed.sql\n"},
         SECRET, "scripts/seed.sh", "high"),
    cell("class13c-f-node-script-lookalike", NODE,
         {"scripts/seed.sh": "#!/bin/sh\nexport DB_PASSWORD=conduit2024\npsql -h 127.0.0.1 -U app < seed.sql\n"}, SECRET),
]

# 13b-a. An image's ENV seeds the first account with a default credential (medium); a placeholder for any
# other secret stays high; a reference to a build argument is nothing.
CLASS13B_A = [
    cell("class13b-a-dockerfile-seed-credential-trigger", RUST,
         {"Dockerfile": "FROM debian:12\nENV APP_SETUP__ADMIN_PWD=admin\nCMD [\"/app\"]\n"}, IN_BUILD, "Dockerfile", "medium"),
    cell("class13b-a-dockerfile-seed-credential-lookalike", RUST,
         {"Dockerfile": "FROM debian:12\nARG ADMIN_PWD\nENV APP_SETUP__ADMIN_PWD=$ADMIN_PWD\nCMD [\"/app\"]\n"}, IN_BUILD),
    cell("class13b-a-dockerfile-initial-password-trigger", PY,
         {"Dockerfile": "FROM python:3.12\nENV INITIAL_ADMIN_PASSWORD=changeme\nCMD [\"gunicorn\", \"app:app\"]\n"},
         IN_BUILD, "Dockerfile", "medium"),
    cell("class13b-a-dockerfile-initial-password-lookalike", PY,
         {"Dockerfile": "FROM python:3.12\nENV INITIAL_ADMIN_EMAIL=admin@example.com\nCMD [\"gunicorn\", \"app:app\"]\n"}, IN_BUILD),
]

# 13b-b. COPY of a committed config file that holds literal secrets bakes one deploy's credentials into every image.
SPRING_YML = f"spring:\n  datasource:\n    url: jdbc:mysql://mysql:3306/shop\n    password: {PASSWORD}\n"
CLASS13B_B = [
    cell("class13b-b-java-application-yml-trigger", JAVA,
         {"docker/Dockerfile": "FROM eclipse-temurin:21-jre\nCOPY application.yml application.yml\nCOPY app.jar app.jar\n",
          "docker/application.yml": SPRING_YML}, IN_BUILD, "docker/Dockerfile", "high"),
    cell("class13b-b-java-application-yml-lookalike", JAVA,
         {"docker/Dockerfile": "FROM eclipse-temurin:21-jre\nCOPY application.yml application.yml\nCOPY app.jar app.jar\n",
          "docker/application.yml": "spring:\n  datasource:\n    url: ${DATABASE_URL}\n    password: ${DB_PASSWORD}\n"}, IN_BUILD),
    cell("class13b-b-python-config-yaml-trigger", PY,
         {"Dockerfile": "FROM python:3.12\nCOPY config/prod.yaml /app/config.yaml\n",
          "config/prod.yaml": f"secret_key: {HEX}\n"}, IN_BUILD, "Dockerfile", "high"),
    cell("class13b-b-python-config-yaml-lookalike", PY,
         {"Dockerfile": "FROM python:3.12\nCOPY config/prod.yaml /app/config.yaml\n",
          "config/prod.yaml": "secret_key: ${SECRET_KEY}\n"}, IN_BUILD),
    cell("class13b-b-dotnet-appsettings-trigger", DOTNET,
         {"Dockerfile": "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY appsettings.json /app/\n",
          "appsettings.json": '{\n  "Jwt": {\n    "Secret": "' + KEY + '"\n  }\n}\n'}, IN_BUILD, "Dockerfile", "high"),
    cell("class13b-b-dotnet-appsettings-lookalike", DOTNET,
         {"Dockerfile": "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY appsettings.json /app/\n",
          "appsettings.json": '{\n  "Logging": {\n    "LogLevel": "Information"\n  }\n}\n'}, IN_BUILD),
    cell("class13b-b-ruby-database-yml-trigger", RUBY,
         {"Dockerfile": "FROM ruby:3.3\nCOPY config/database.yml /app/config/database.yml\n",
          "config/database.yml": f"production:\n  adapter: postgresql\n  password: {PASSWORD}\n"}, IN_BUILD, "Dockerfile", "high"),
    cell("class13b-b-ruby-database-yml-lookalike", RUBY,
         {"Dockerfile": "FROM ruby:3.3\nCOPY config/database.yml /app/config/database.yml\n",
          "config/database.yml": f"development:\n  adapter: postgresql\n  password: {PASSWORD}\n"
                                 "production:\n  url: <%= ENV['DATABASE_URL'] %>\n"}, IN_BUILD),
]

# 13b-c. A deploy script that logs into the server over ssh and changes what runs there.
CLASS13B_C = [
    cell("class13b-c-ssh-heredoc-trigger", JAVA,
         {"deploy/util/lazy.sh": "#!/bin/bash\nscp -r ./deploy $REMOTE:/home/ubuntu/\nssh $REMOTE -i $ID_RSA << eeooff\n"
                                 "cd /home/ubuntu/deploy/bin\nsudo ./reset.sh\nexit\neeooff\n"},
         MUTATING, "deploy/util/lazy.sh", "medium"),
    cell("class13b-c-ssh-heredoc-lookalike", JAVA,
         {"deploy/util/check.sh": "#!/bin/bash\nssh $REMOTE << EOF\nuptime\ndf -h\nEOF\n"}, MUTATING),
    cell("class13b-c-ssh-quoted-trigger", NODE,
         {"bin/ship.sh": "#!/bin/sh\nssh deploy@app.example.com \"cd /srv/app && pm2 restart api\"\n"},
         MUTATING, "bin/ship.sh", "medium"),
    cell("class13b-c-ssh-quoted-lookalike", NODE,
         {"bin/logs.sh": "#!/bin/sh\nssh deploy@app.example.com \"tail -n 100 /srv/app/log/api.log\"\n"}, MUTATING),
]

# 13b-d. An install/update hook that runs the app's own schema-upgrade command.
CLASS13B_D = [
    cell("class13b-d-php-composer-upgrade-trigger", PHP,
         {"composer.json": '{\n  "require": {"laravel/framework": "11.0.0"},\n  "scripts": {\n    "post-update-cmd": [\n'
                           '      "@php artisan cache:clear",\n      "@php artisan app:upgrade-database"\n    ]\n  }\n}\n'},
         MIGRATE, "composer.json", "medium"),
    cell("class13b-d-php-composer-upgrade-lookalike", PHP,
         {"composer.json": '{\n  "require": {"laravel/framework": "11.0.0"},\n  "scripts": {\n    "post-update-cmd": [\n'
                           '      "@php artisan cache:clear",\n      "@php artisan app:verify-security-alerts"\n    ]\n  }\n}\n'},
         MIGRATE),
    cell("class13b-d-node-postinstall-upgrade-trigger", NODE,
         {"package.json": '{"name": "api", "scripts": {"postinstall": "node scripts/upgrade-database.js"}, '
                          '"dependencies": {"express": "4.19.2"}}\n'}, MIGRATE, "package.json", "medium"),
    cell("class13b-d-node-postinstall-upgrade-lookalike", NODE,
         {"package.json": '{"name": "api", "scripts": {"postinstall": "node scripts/copy-assets.js", '
                          '"db:upgrade": "node scripts/upgrade-database.js"}, "dependencies": {"express": "4.19.2"}}\n'}, MIGRATE),
]

CELLS = CLASS13C_A + CLASS13C_B + CLASS13C_C + CLASS13C_D + CLASS13C_E + CLASS13C_F + CLASS13B_A + CLASS13B_B + CLASS13B_C + CLASS13B_D


@pytest.mark.parametrize("files, check, path, severity", CELLS)
def test_it_covers_the_cell(score_tree, files, check, path, severity):
    assert_cell(score_tree(files), check, path, severity, ceiling="low")


def test_every_cell_has_a_trigger_and_a_look_alike():
    assert_paired(CELLS + EVIDENCE)


# 13s. Positive evidence for backing services: a settings type named for a service, with a location field,
# in a codebase whose configuration layer the environment fills. The look-alike has the type but no
# environment layer (a file-only config), or the layer but a type with no location.
SETTINGS_RS = ("#[derive(Deserialize)]\npub struct Postgresql {\n    pub enabled: bool,\n    pub address: String,\n"
               "    pub port: u16,\n}\n")
CONFIG_RS = 'pub fn load() -> Config {\n    let cfg = Config::builder().add_env_with_list_keys("APP", &[]);\n    cfg\n}\n'


def evidence(id, base, files, path=None):
    return pytest.param({**base, **files}, path, id=id)


EVIDENCE = [
    evidence("class13s-a-rust-settings-struct-trigger", RUST,
             {"src/settings/postgresql.rs": SETTINGS_RS, "src/settings/mod.rs": CONFIG_RS}, "src/settings/postgresql.rs"),
    evidence("class13s-a-rust-settings-struct-lookalike", RUST,
             {"src/settings/postgresql.rs": SETTINGS_RS, "src/settings/mod.rs": 'pub fn load() -> Config {\n    toml::from_str(TEXT)\n}\n'}),
    evidence("class13s-a-python-basesettings-trigger", PY,
             {"app/settings.py": "from pydantic_settings import BaseSettings\n\n\nclass RedisSettings(BaseSettings):\n"
                                 "    host: str = 'localhost'\n    port: int = 6379\n"}, "app/settings.py"),
    evidence("class13s-a-python-basesettings-lookalike", PY,
             {"app/settings.py": "from dataclasses import dataclass\n\n\n@dataclass\nclass RedisSettings:\n"
                                 "    host: str = 'localhost'\n    port: int = 6379\n"}),
    evidence("class13s-a-go-envconfig-trigger", GO,
             {"config.go": "package main\n\ntype DatabaseConfig struct {\n\tHost string `envconfig:\"HOST\"`\n\tPort int\n}\n\n"
                           "func load() {\n\tenvconfig.Process(\"app\", &cfg)\n}\n"}, "config.go"),
    evidence("class13s-a-go-envconfig-lookalike", GO,
             {"config.go": "package main\n\ntype DatabaseConfig struct {\n\tPoolSize int\n\tTimeout int\n}\n\n"
                           "func load() {\n\tenvconfig.Process(\"app\", &cfg)\n}\n"}),
    evidence("class13s-a-java-configuration-properties-trigger", JAVA,
             {"src/main/java/app/SmtpProperties.java": "@ConfigurationProperties(prefix = \"app.smtp\")\npublic class SmtpProperties {\n"
                                                       "    private String host;\n    private int port;\n}\n"},
             "src/main/java/app/SmtpProperties.java"),
    evidence("class13s-a-java-configuration-properties-lookalike", JAVA,
             {"src/main/java/app/SmtpProperties.java": "public class SmtpProperties {\n    private String host;\n    private int port;\n}\n"}),
    evidence("class13s-a-dotnet-options-trigger", DOTNET,
             {"Program.cs": "var builder = WebApplication.CreateBuilder(args);\nbuilder.Configuration.AddEnvironmentVariables(\"APP_\");\n",
              "RedisOptions.cs": "public class RedisOptions\n{\n    public string ConnectionString { get; set; }\n}\n"}, "RedisOptions.cs"),
    evidence("class13s-a-dotnet-options-lookalike", DOTNET,
             {"Program.cs": "var builder = WebApplication.CreateBuilder(args);\nbuilder.Configuration.AddEnvironmentVariables(\"APP_\");\n",
              "RedisOptions.cs": "public class RedisOptions\n{\n    public int Database { get; set; }\n}\n"}),
    # 13s-b. A setting or flag named for a service's location ("dsn", "database-url") bound by a layer the environment fills
    evidence("class13s-b-go-viper-key-trigger", GO,
             {"cmd/api/main.go": "package main\n\nfunc init() {\n\trootCmd.Flags().String(\"dsn\", \"\", \"database source name\")\n"
                                 "\tviper.SetEnvPrefix(\"api\")\n\tviper.AutomaticEnv()\n}\n"}, "cmd/api/main.go"),
    evidence("class13s-b-go-viper-key-lookalike", GO,
             {"cmd/api/main.go": "package main\n\nfunc init() {\n\trootCmd.Flags().String(\"dsn\", \"\", \"database source name\")\n"
                                 "\tviper.SetConfigFile(\"api.yaml\")\n}\n"}),
    evidence("class13s-b-python-settings-key-trigger", PY,
             {"app/config.py": "from pydantic_settings import BaseSettings\n\nFIELDS = {\"database-url\": \"DATABASE URL\"}\n\n\n"
                               "class Settings(BaseSettings):\n    debug: bool = False\n"}, "app/config.py"),
    evidence("class13s-b-python-settings-key-lookalike", PY,
             {"app/config.py": "import yaml\n\nFIELDS = {\"database-url\": \"DATABASE URL\"}\n\n\n"
                               "class Settings:\n    debug: bool = False\n"}),
]


@pytest.mark.parametrize("files, path", EVIDENCE)
def test_it_sees_the_evidence(score_tree, files, path):
    report = score_tree(files)
    seen = {f.path for f in findings(report, ATTACHED) if f.severity.value == "info" and "settings the environment fills" in f.message}
    if path is None:
        assert seen == set(), seen
    else:
        assert path in seen, [(f.path, f.message) for f in findings(report, ATTACHED)]
