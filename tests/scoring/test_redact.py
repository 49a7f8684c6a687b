"""Redaction: no snippet ever carries a whole secret, and ordinary code stays readable.

The secrets below are made up, in real formats (the AWS ones are AWS's documented examples).
"""

from __future__ import annotations

import os
import random
import string

import pytest

from scoring import score_path
from scoring.redact import MASK, MAX_SNIPPET, mask_value, redact_snippet
from tests.scoring.conftest import write_tree

# Real-format tokens are assembled at run time so that this file does not itself hold one (the product
# scores its own repository, and a real-format credential counts even in tests).
GITHUB_PAT = "github" + "_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789"
SLACK = "xo" + "xb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"
STRIPE = "sk" + "_live_4eC39HqLyjWDarjtT1zdp7dc"
GOOGLE = "AI" + "zaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY"
OPENAI = "sk" + "-proj-abcdefghij0123456789ABCDEFGHIJ"
NPM = "np" + "m_abcdefghijklmnopqrstuvwxyz0123456789"
# An AWS secret access key without a digit (40 characters of base64: about one key in a thousand),
# and one with the `/` and `+` base64 uses; an AWS access key id and a GitHub token to sit beside them.
AWS_SECRET_NO_DIGIT = "HqvBnXkLmZtRwYpJ" + "cFdGsNaUeTiVoQwErTyUiOpA"
AWS_SECRET_SLASHES = "HqvBnXkLm/ZtRwYpJcFdGs" + "+NaUeTiVoQwErTyUiO"
AWS_ID = "AK" + "IAZ7QK4MHT2VWX9BNR"
GHP = "gh" + "p_Qk8Lm2Xz4Rt7Yw1Pb6Nc3Vd5Hj0Fg2Ss8EaB"
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
    ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)


@pytest.mark.parametrize(
    "line, secret",
    [
        # credentials inside connection URLs
        ("DATABASE_URL = 'postgres://app:s3cr3tP4ssw0rd@db.example.com:5432/app'", "s3cr3tP4ssw0rd"),
        ("mongodb+srv://admin:Mongo-Pass-2024@cluster0.abcde.mongodb.net/prod", "Mongo-Pass-2024"),
        ("CACHE = 'redis://:redisPass123@cache.internal:6379/0'", "redisPass123"),
        ("amqp://guest:rabbitPass9x@mq.internal:5672//", "rabbitPass9x"),
        (
            "git clone https://deploy:ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.com/o/r.git",
            "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        ),
        # keyed passwords and secrets in code and config syntaxes
        ('password = "hunter2hunter2"', "hunter2hunter2"),
        ("DB_PASSWORD=Sup3rS3cret!", "Sup3rS3cret!"),
        ("  password: correct-horse-battery-staple", "correct-horse-battery-staple"),
        ('password: "correct horse battery staple"', "horse battery staple"),
        ("spring.datasource.password=Tr0ub4dor.3", "Tr0ub4dor.3"),
        ("SECRET_KEY = 'django-insecure-8s7d6f5g4h3j2k1l0zx'", "django-insecure-8s7d6f5g4h3j2k1l0zx"),
        ("'api_key' => 'zyx987wvu654tsr321',", "zyx987wvu654tsr321"),
        ('client_secret := "a1b2c3d4e5f6g7h8"', "a1b2c3d4e5f6g7h8"),
        ('"jwtSecret": "8f14e45fceea167a5a36dedd4bea2543"', "8f14e45fceea167a5a36dedd4bea2543"),
        # cloud and SaaS credentials in their real formats
        ("aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
        (
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ),
        (
            "ENV AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ),
        ("GITHUB_TOKEN: ghp_16C7e42F292c6912E7710c838347Ae178B4a", "ghp_16C7e42F292c6912E7710c838347Ae178B4a"),
        (f"gh auth login --with-token {GITHUB_PAT}", GITHUB_PAT),
        (f"slack: {SLACK}", SLACK),
        (f"stripe.api_key = '{STRIPE}'", STRIPE),
        (f"const key = '{GOOGLE}'", GOOGLE),
        (f"openai.api_key = {OPENAI}", OPENAI),
        (f"//registry.npmjs.org/:_authToken={NPM}", NPM),
        # a JWT anywhere in a line
        (f"curl -H 'Authorization: Bearer {JWT}' https://api.example.com", JWT),
        (f"const demo = {JWT!r};", JWT),
        # the body lines of a PEM private key
        (
            "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM2Ak4yH7ZK8vJ8Yx2D4f9wQp0Ln7Ax",
            "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM2Ak4yH7ZK8vJ8Yx2D4f9wQp0Ln7Ax",
        ),
        (
            "    Kx0ZTb2mQpL9vW3nR8sYc4Jd7Hf1Ag6Ue5Mi2Ok/Pl+Qr0St3Uv6Wx9Yz==",
            "Kx0ZTb2mQpL9vW3nR8sYc4Jd7Hf1Ag6Ue5Mi2Ok/Pl+Qr0St3Uv6Wx9Yz==",
        ),
        # long high-entropy tokens with no telling key
        ("headers = {'X-Api': 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg'}", "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg"),
        (
            "webhook('https://hooks.example.com/T0001/B0002/XXXXXXXXXXXXXXXXXXXXXXXX', "
            "sig='3f786850e387550fdab836ed7e6dc881de23001b')",
            "3f786850e387550fdab836ed7e6dc881de23001b",
        ),
        # long random tokens with no digit (issue 9, defect 9): an AWS secret key in a string array
        (f'AWS_KEYS = ["{AWS_ID}", "{AWS_SECRET_NO_DIGIT}"]', AWS_SECRET_NO_DIGIT),
        # the AWS console's credentials.csv row: user, password, key id, secret key, console link
        (
            f"deploy,,{AWS_ID},{AWS_SECRET_SLASHES},https://123456789012.signin.aws.amazon.com/console",
            AWS_SECRET_SLASHES,
        ),
        # the newer two-column credentials.csv row
        (f"{AWS_ID},{AWS_SECRET_NO_DIGIT}", AWS_SECRET_NO_DIGIT),
        # a token after a GitHub token, in a list and after a comma
        (f'tokens = ["{GHP}", "{AWS_SECRET_NO_DIGIT}"]', AWS_SECRET_NO_DIGIT),
        (f"token: {GHP},{AWS_SECRET_NO_DIGIT}", AWS_SECRET_NO_DIGIT),
        # all lower-case and all upper-case random runs
        ("k = 'qxkzjwmvbnfhtrplsdgcwqpzkvnb'", "qxkzjwmvbnfhtrplsdgcwqpzkvnb"),
        ("K = QXKZJWMVBNFHTRPLSDGCWQPZKVNB", "QXKZJWMVBNFHTRPLSDGCWQPZKVNB"),
    ],
)
def test_it_never_shows_a_whole_secret(line, secret):
    out = redact_snippet(line)
    assert secret not in out
    assert secret[len(secret) // 3 :] not in out  # nor most of it
    assert MASK in out
    assert len(out) <= MAX_SNIPPET


@pytest.mark.parametrize(
    "line",
    [
        # environment reads: the very evidence factor III looks for
        'password = os.getenv("DB_PASSWORD")',
        'SECRET_KEY = env.str("SECRET_KEY")',
        'DB_PASSWORD = env("DB_PASSWORD")',
        "const token = process.env.GITHUB_TOKEN;",
        "apiKey: process.env.API_KEY,",
        "password: ${DB_PASSWORD}",
        "password: {{ .Values.db.password }}",
        "ENV AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY",
        'DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://localhost/app")',
        'dsn = f"postgresql://{user}:{password}@{host}/{db}"',
        # code that merely mentions secret-sounding names
        "token = request.headers.get('Authorization')",
        "password_hash = hashlib.sha256(raw).hexdigest()",
        "auth = HTTPBasicAuth(username, password)",
        "auth_backend = settings.AUTH_BACKEND",
        "salt = bcrypt.gensalt()",
        "PASSWORD_MIN_LENGTH = 12",
        "if user.check_password(password):",
        # ordinary code with long identifiers
        "def test_it_never_executes_anything_from_the_tree(tmp_path):",
        'SESSION_ENGINE = "django.contrib.sessions.backends.cache"',
        "logging.getLogger(__name__).info('user %s logged in', user.id)",
        "web: gunicorn app.wsgi:application --bind 0.0.0.0:$PORT --workers 3",
        "FROM python:3.12-slim@sha256",
        "import { createServer } from 'node:http'; createServer(handler).listen(process.env.PORT)",
        # long names with no digit: identifiers, acronyms, paths and image names stay readable
        "services.AddDbContext<CatalogContext>(UseInMemoryDatabaseForIntegrationTests);",
        "public void TestRewriteDocumentWithAbsoluteProxyURL_HttpOnly_Image() {",
        "COPY src/main/resources/application.properties /app/config/",
        "ACCOUNT_SERVICE=sqshq/piggymetrics-account-service",
        "SOCKSHTTPSConnectionPool getOwnPropertyDescriptors csrfmiddlewaretoken",
        "class StringOrStringArrayJsonConverterTests(IntegrationTestsBase):",
    ],
)
def test_it_leaves_ordinary_code_readable(line):
    assert redact_snippet(line) == line.strip()


@pytest.mark.parametrize("alphabet", [string.ascii_letters, string.ascii_letters + "+/", string.ascii_lowercase])
def test_it_masks_digit_free_random_tokens_whatever_their_alphabet(alphabet):
    """Random 40-character tokens without a digit (seeded, so the test is stable): nearly all are
    masked by their shape alone, with no key name or known format to help."""
    rng = random.Random(9)
    tokens = ["".join(rng.choice(alphabet) for _ in range(40)) for _ in range(300)]
    tokens = [t for t in tokens if not any(c.isdigit() for c in t)]
    shown = [t for t in tokens if t in redact_snippet(f"x = ['{t}']")]
    assert len(shown) <= len(tokens) // 50, shown[:5]


def test_it_masks_values_a_check_names_even_in_unusual_places():
    out = redact_snippet("call(x, 'plainwordsecret', y)", secrets=("plainwordsecret",))
    assert "plainwordsecret" not in out and out == "call(x, 'pl****', y)"


def test_it_keeps_only_a_two_character_hint():
    assert mask_value("abcdefghijklmnop") == "ab" + MASK
    assert mask_value("short") == MASK


def test_it_cuts_long_lines():
    out = redact_snippet("x = 1; " * 1000)
    assert len(out) == MAX_SNIPPET and out.endswith("…")


def test_it_redacts_every_snippet_in_a_report(tmp_path):
    """Whatever the check, the runner redacts what it returns: no secret reaches the JSON."""
    secrets = ["s3cr3tP4ssw0rd", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "ghp_16C7e42F292c6912E7710c838347Ae178B4a"]
    root = write_tree(
        tmp_path / "repo",
        {
            "requirements.txt": "flask==3.0.0\n",
            "app/settings.py": f"DATABASE_URL = 'postgres://app:{secrets[0]}@db.example.com/app'\n",
            "deploy/aws.sh": f"export AWS_SECRET_ACCESS_KEY={secrets[1]}\n",
            ".github/workflows/ci.yml": f"env:\n  GITHUB_TOKEN: {secrets[2]}\n",
            "app/log.py": f"import logging\nh = logging.FileHandler('app.log')  # {secrets[2]}\n",
        },
    )
    report = score_path(os.fspath(root))
    text = str(report.to_dict())
    assert report.findings
    assert not [s for s in secrets if s in text]
