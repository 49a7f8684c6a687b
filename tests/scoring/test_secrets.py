"""The committed-secrets fact: detection, filters, masking, and never leaking a value into a report.

Real-format credentials are built at run time from pieces, so this file holds none as a literal and
our own repository passes its own scan.
"""

import base64
import hashlib
import json
import time

import pytest

from scoring.context import Context
from scoring.facts.secrets import committed_secrets, is_placeholder
from scoring.tree import load_tree
from tests.scoring.conftest import findings, write_tree

AWS_KEY = "AKIA" + "Z7QK4MHT2VWX9BNR"
AWS_SECRET = "Hq3" + "vB8nX2kLm9Zt4Rw7Yp1Jc6Fd0Gs5Na8Ue3Ti9Vo"  # 40 characters
AWS_SECRET_NO_DIGIT = "HqvBnXkLm/ZtRwYpJcFdGs" + "+NaUeTiVoQwErTyUiO"  # 40 characters, no digit
GITHUB = "ghp" + "_" + "a8Kq2Lm9Xz4Rt7Yw1Pb6Nc3Vd5Hj0Fg2Ss8E"
SLACK = "xox" + "b-2048193746-1203948576-Qh7pZk2LmX9tRv4Bn8Wc3Ya1"
STRIPE = "sk" + "_live_" + "Rq8Vn2Kx7Lp4Zt9Wm3Hb6Jc1"
_BODY = base64.b64encode(hashlib.sha512(b"factorcard test key").digest()).decode()
PRIVATE_KEY = (
    "-----BEGIN RSA " + "PRIVATE KEY-----\n" + _BODY[:64] + "\n" + _BODY[64:] + "\n-----END RSA " + "PRIVATE KEY-----\n"
)
DJANGO_KEY = "k9" + "#f2Lq!xM7pZ3wR8vT1n@c6"
PASSWORD = "Zq8" + "!vN3xLp7"


def _jwt(payload: dict) -> str:
    def part(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    return part({"alg": "HS256", "typ": "JWT"}) + "." + part(payload) + "." + "Xk2" + "Lq9vR4tZ8wP1mN6bH3cJ7yF0dS5gA2eU"


JWT = _jwt({"sub": "1234", "role": "service_role", "iat": 1700000000})
ANON_JWT = _jwt({"role": "anon", "iss": "supabase"})

# (files, the secret value that must be found and never shown)
LEAKS = [
    # an AWS access key id in app code
    ({"app/aws.py": f"KEY_ID = '{AWS_KEY}'\n"}, AWS_KEY),
    # an AWS secret access key next to its name
    ({"app/aws.py": f'aws_secret_access_key = "{AWS_SECRET}"\n'}, AWS_SECRET),
    # the AWS console's credentials.csv: the secret key beside its key id, with no name on the line
    (
        {
            "deploy/credentials.csv": "User name,Password,Access key ID,Secret access key,Console login link\n"
            f"deploy,,{AWS_KEY},{AWS_SECRET_NO_DIGIT},https://1.signin.aws.amazon.com/console\n"
        },
        AWS_SECRET_NO_DIGIT,
    ),
    # an AWS key pair in a string array
    ({"app/aws.py": f'PAIR = ["{AWS_KEY}", "{AWS_SECRET_NO_DIGIT}"]\n'}, AWS_SECRET_NO_DIGIT),
    # the literal fallback of an environment read (also quoted by the env-read evidence: masked there too)
    ({"src/auth.js": f"module.exports = {{ secret: process.env.JWT_SECRET || '{PASSWORD}' }};\n"}, PASSWORD),
    ({"app/settings.py": f"SECRET_KEY = os.environ.get('SECRET_KEY', '{DJANGO_KEY}')\n"}, DJANGO_KEY),
    # a real-format key pasted into a translation catalog
    ({"locale/de/LC_MESSAGES/django.po": f'msgid "Key"\nmsgstr "{AWS_KEY}"\n'}, AWS_KEY),
    # a GitHub token (detect-secrets yields only the prefix: the whole token must still be masked)
    ({"src/index.js": f"const token = '{GITHUB}';\n"}, GITHUB),
    # a Slack bot token in YAML
    ({"config/slack.yml": f"bot: {SLACK}\n"}, SLACK),
    # a Stripe live key in PHP
    ({"config/services.php": f"<?php return ['stripe' => '{STRIPE}'];\n"}, STRIPE),
    # a PEM private key file: the body is on the lines after the header
    ({"deploy/server.key": PRIVATE_KEY}, _BODY[:64]),
    # a private key inlined in a JSON string (a service-account file)
    ({"gcp.json": json.dumps({"private_key": PRIVATE_KEY})}, _BODY[:64]),
    # a Django SECRET_KEY literal
    ({"app/settings.py": f"SECRET_KEY = '{DJANGO_KEY}'\n"}, DJANGO_KEY),
    # a password in an ADO.NET connection string in appsettings.json
    (
        {"appsettings.json": json.dumps({"ConnectionStrings": {"Db": f"Server=db;Database=a;Password={PASSWORD};"}})},
        PASSWORD,
    ),
    # a password in an XML element
    ({"src/main/resources/db.xml": f"<password>{PASSWORD}</password>\n"}, PASSWORD),
    # a committed .env
    ({".env": f"DB_PASSWORD={PASSWORD}\n"}, PASSWORD),
    # a typed pydantic-settings default
    ({"app/config.py": f"class S(BaseSettings):\n    secret_key: str = '{DJANGO_KEY}'\n"}, DJANGO_KEY),
    # a JWT signed with a literal secret
    ({"src/auth.js": f"jwt.sign(payload, '{PASSWORD}')\n"}, PASSWORD),
    # a committed JSON Web Token that is not a public anon key
    ({"src/client.js": f"const serviceKey = '{JWT}';\n"}, JWT),
    # literal fallbacks in other languages' idioms: Rust, C#, Ruby's block, compose's default expansion
    ({"src/config.rs": f'let s = env::var("JWT_SECRET").unwrap_or("{PASSWORD}".to_string());\n'}, PASSWORD),
    ({"Auth.cs": f'var k = Environment.GetEnvironmentVariable("JWT_SECRET") ?? "{PASSWORD}";\n'}, PASSWORD),
    ({"config/initializers/jwt.rb": f'KEY = ENV.fetch("JWT_SECRET") {{ "{PASSWORD}" }}\n'}, PASSWORD),
    (
        {
            "compose.yml": f"services:\n  web:\n    environment:\n      SECRET_KEY_BASE: ${{SECRET_KEY_BASE:-{DJANGO_KEY[:6]}x9}}\n"
        },
        DJANGO_KEY[:6] + "x9",
    ),
    # a Kubernetes Secret's literal stringData, and its base64 data
    ({"k8s/db.yml": f"apiVersion: v1\nkind: Secret\nstringData:\n  password: {PASSWORD}\n"}, PASSWORD),
    (
        {
            "k8s/api.yml": f"apiVersion: v1\nkind: Secret\ndata:\n  JWT_SECRET: {base64.b64encode(PASSWORD.encode()).decode()}\n"
        },
        base64.b64encode(PASSWORD.encode()).decode(),
    ),
    # framework key stores: an unencrypted ASP.NET Data Protection key, Rails' master key
    ({"keys/key-1.xml": f"<key>\n  <masterKey>\n    <value>{_BODY}</value>\n  </masterKey>\n</key>\n"}, _BODY),
    ({"config/master.key": hashlib.md5(b"factorcard").hexdigest() + "\n"}, hashlib.md5(b"factorcard").hexdigest()),
]


def _scan(tmp_path, files):
    write_tree(tmp_path, files)
    return committed_secrets(Context(load_tree(str(tmp_path))))


@pytest.mark.parametrize("files, value", LEAKS)
def test_it_finds_the_secret_and_masks_it_in_its_own_snippet(tmp_path, files, value):
    got = _scan(tmp_path, files)
    assert got, "no secret found"
    assert all(value not in s.snippet for s in got)
    assert any(value in s.values or any(value in v for v in s.values) for s in got)


@pytest.mark.parametrize("files, value", LEAKS)
def test_it_never_lets_the_secret_into_the_report(score_tree, files, value):
    report = score_tree(files)
    assert findings(report, "config.committed-secret")
    assert value not in json.dumps(report.to_dict())


@pytest.mark.parametrize(
    "files",
    [
        # AWS's documented example key
        {"app/aws.py": "KEY_ID = 'AKIAIOSFODNN7EXAMPLE'\n"},
        # placeholders a template or README uses
        {"config/app.yml": "password: changeme\nsecret: your-secret-here\napi_key: xxx\ntoken: '<password>'\n"},
        # ${VAR} and {{ }} templating
        {"k8s/app.yaml": "password: ${DB_PASSWORD}\nsecret: '{{ .Values.secret }}'\n"},
        # values read from the environment
        {"app/settings.py": "SECRET_KEY = os.environ['SECRET_KEY']\npassword = os.getenv('DB_PASSWORD')\n"},
        # a call is an indirect reference, not a value
        {"config/app.ini": "password = get_password()\n"},
        # a Kubernetes reference to a secret by name
        {"k8s/deploy.yaml": "secretName: db-credentials\nsecretKeyRef:\n  name: app-secrets\n"},
        # the dev database password every compose file has
        {"docker-compose.yml": "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: postgres\n"},
        # a form label
        {"src/form.js": "const labels = {password: 'Password'};\n"},
        # a private-key header used as a parsing constant, no key material
        {"app/pem.py": "HEADER = '-----BEGIN RSA ' 'PRIVATE KEY-----'\nif line.startswith(HEADER): pass\n"},
        # a secret-looking assignment in a comment
        {"app/settings.py": f"# SECRET_KEY = '{DJANGO_KEY}'\nSECRET_KEY = env('SECRET_KEY')\n"},
        # the names of environment variables, not values
        {"app/names.py": "SECRET_ENV = 'DJANGO_SECRET_KEY'\npassword_field = 'password_hash'\n"},
        # a file path to a key, not a key
        {"config/app.toml": "private_key = '/run/secrets/key.pem'\n"},
        # a Supabase anon key is meant to be public
        {"src/supabase.js": f"const anonKey = '{ANON_JWT}';\n"},
        # a translation catalog: interface text, where "password: …" is a sentence, not an assignment
        {"locale/de/LC_MESSAGES/django.po": f'msgid "password: {PASSWORD}"\nmsgstr "Passwort: {PASSWORD}"\n'},
        # fallbacks that are not secrets: a port, a local URL, an empty string, an expression
        {
            "src/app.js": "app.listen(process.env.PORT || 3000);\nconst db = process.env.DATABASE_URL || 'postgres://localhost/dev';\n"
            "const s = process.env.JWT_SECRET || '';\n"
        },
        {"bench/run.py": "env = {'SECRET_KEY': os.environ.get('SECRET_KEY', 'bench-' + os.urandom(16).hex())}\n"},
        # fallbacks that are counting sequences or keyboard rows under a key prefix (seed scripts, examples)
        {
            "scripts/seed.ts": "const pk = process.env.SEED_SECRET_KEY ?? 'sk-lf-1234567890';\n"
            "const sk = process.env.SEED_SECRET_KEY ?? 'sk-lf-asdfghjkl';\n"
        },
        # Azurite's well-known development storage key, printed in Microsoft's documentation
        {
            ".env.dev.example": "AZURE_STORAGE_SECRET_KEY=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq"
            "/K1SZFPTOtr/KBHBeksoGMGw==\n"
        },
        # colours of statuses named like secrets
        {"app/badges.py": 'COLOURS = {"pass": "#1a7f37", "warn": "#9a6700"}\n'},
        # a declared type in an API definition
        {"fern/definition/keys.yml": "ApiKeyList:\n  properties:\n    apiKeys: list<ApiKeySummary>\n"},
        # a session storage key named after the secret it stores
        {"app/Mfa.php": "<?php\nclass Mfa { protected const SETUP_SECRET_SESSION_KEY = 'mfa-setup-totp-secret'; }\n"},
        # the names of environment variables and settings read elsewhere, not fallbacks
        {
            "config/auth.php": "<?php\nreturn ['table' => env('AUTH_PASSWORD_RESET_TOKEN_TABLE', 'password_reset_tokens'),\n"
            "'passwords' => env('AUTH_PASSWORD_BROKER', 'users')];\n"
        },
        # shell parameter expansions that are not defaults: `:+` (if set) and `:?` (required)
        {"mvnw": 'case "${MVNW_PASSWORD:+has-password}" in\nX="${DB_PASSWORD:?Variable not set}"\n'},
        # a SealedSecret: ciphertext only the cluster can decrypt
        {
            "k8s/sealed.yaml": "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nspec:\n  encryptedData:\n"
            "    DB_PASSWORD: AgBy8hCi2Lm9Xz4Rt7Yw1Pb6Nc3Vd5Hj0Fg2Ss8EaB\n"
        },
        # a Kubernetes Secret filled in by the deploy, and its non-secret keys
        {
            "k8s/secret.yaml": "apiVersion: v1\nkind: Secret\nstringData:\n  host: db.internal\n  username: app\n"
            "  password: ${DB_PASSWORD}\n  api-key: <your api key>\n"
        },
        # a Ruby string interpolated into a command, a regular expression naming a parameter
        {
            "lib/sync.rb": "run \"mysqldump -u #{username} --password='#{password}' #{database}\"\n",
            "lib/rss.php": "<?php\n$re = '/\\b(Passwd=)[^&]+/i';\n",
        },
        # a lock file full of hashes
        {"package-lock.json": '{"integrity": "sha512-' + _BODY + '", "password": "' + PASSWORD + '"}\n'},
    ],
)
def test_it_ignores_look_alikes(tmp_path, files):
    assert _scan(tmp_path, files) == []


@pytest.mark.parametrize(
    "value, expected",
    [
        ("changeme", True),  # the classic placeholder
        ("your-api-key", True),  # "your-…"
        ("${SECRET}", True),  # templating
        ("Y2hhbmdlbWU=", True),  # base64 of "changeme" (Kubernetes Secret data)
        ("0123456789", True),  # a sequence
        (PASSWORD, False),  # a real-looking password
    ],
)
def test_it_tells_placeholders_from_values(value, expected):
    assert is_placeholder(value) is expected


def test_it_scans_hostile_long_lines_quickly(tmp_path):
    huge = {"a.js": "x" * 900_000, "b.yml": ("password: " + "a" * 50 + "\n") * 20_000, "c.txt": "password=" * 100_000}
    started = time.monotonic()
    _scan(tmp_path, huge)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    "files, expected",
    [
        # a password inside an ADO.NET connection string literal in C# code
        ({"Data.cs": f'var cs = "Server=db;Database=a;Password={PASSWORD};";\n'}, True),
        # a Go field assigned from a constant: a reference, not a literal
        ({"users/fill.go": "package users\nfunc f() { v.User.Password = common.RandomPassword }\n"}, False),
        # a C# page-name constant named after itself
        ({"Nav.cs": 'public static string ChangePassword => "ChangePassword";\n'}, False),
        # a status flag whose key mentions the password
        ({"views.py": 'ctx["email_password_status"] = "success"\n'}, False),
    ],
)
def test_it_tells_code_literals_from_references(tmp_path, files, expected):
    assert bool(_scan(tmp_path, files)) is expected


def test_it_skips_an_expired_sample_token(tmp_path):
    # an API doc's sample token, expired years ago
    token = _jwt({"sub": "42", "exp": 1500003600})
    assert _scan(tmp_path, {"src/routes.js": f"// refreshToken: {token}\nconst a = '{token}';\n"}) == []


def test_it_does_not_take_an_identifier_holding_a_token_prefix_for_a_token(score_tree):
    # detect-secrets' GitHub pattern has no word boundary: `highs_` holds `ghs_` followed by 36 word characters.
    name = "test_it_weighs_further_" + "highs_" + "and_lows_of_the_scoring_formula_across_factors"
    report = score_tree({"Procfile": "web: gunicorn app:app\n", "app/metrics.py": f"def {name}():\n    pass\n"})
    assert not [f for f in report.findings if f.check == "config.committed-secret"]
