"""No secret from a scanned repository reaches the email: a real repository, served by git daemon, scanned by the
engine twice (the second commit adds credentials of every common kind), then the report goes through a real
SMTP server and every byte of what it received is searched, raw and decoded."""

from __future__ import annotations

import base64
import quopri
from datetime import timedelta

import pytest
import time_machine

from app.reports import send
from app.web import pipeline
from app.web.models import Repository, Scan

from .story import NOW

pytestmark = pytest.mark.django_db

# Made of pieces, so that this file does not commit them (Factorcard scores itself: tests/test_dogfood.py).
SECRETS = {
    "aws key id": "AKIA" + "Z7QK4MHT2VWX9BNR",
    "aws secret": "q8Vf3LwZ9xR2mT7pK4sN1bY6" + "cH0gJ5dE+uA/iOeW",
    "stripe": "sk_" + "live_4eC39HqLyjWDarjtT1zdp7dcQ2mR8vNb",
    "github": "ghp_" + "R7d2Kx9PqL4mZ8wT1vY6bN3cH5jF0sA2eG7u",
    "database password": "Tr0ub4dor" + "-and-3-horses",
    "private key": "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi6ZFq8xRq4xS1mZ4s9sYV2nKnw",
}
LEAKY = {
    "app/settings.py": (
        "import os\n"
        f'AWS_ACCESS_KEY_ID = "{SECRETS["aws key id"]}"\n'
        f'AWS_SECRET_ACCESS_KEY = "{SECRETS["aws secret"]}"\n'
        f'STRIPE_KEY = "{SECRETS["stripe"]}"\n'
        f'GITHUB_TOKEN = "{SECRETS["github"]}"\n'
        f'DATABASE_URL = "postgres://app:{SECRETS["database password"]}@db.internal:5432/app"\n'
    ),
    "deploy/id_rsa": f"-----BEGIN RSA PRIVATE KEY-----\n{SECRETS['private key']}\n-----END RSA PRIVATE KEY-----\n",
}
CLEAN = {
    "requirements.txt": "flask==3.0.0\ngunicorn==23.0.0\n",
    "app/settings.py": "import os\nDATABASE_URL = os.environ['DATABASE_URL']\n",
}


def scan_now(repo: Repository) -> Scan:
    scan = pipeline.request_scan(repo, Scan.SCHEDULE)
    pipeline.run_scan(scan.pk)
    scan.refresh_from_db()
    assert scan.state == Scan.DONE, scan.error
    return scan


def test_no_secret_of_a_scanned_repository_is_in_the_email(
    team, member, git_server, allow_local, smtp, site, monkeypatch
):
    monkeypatch.setattr(pipeline, "enqueue", lambda scan_id: True)  # the scans run here, in the test
    member.email = "alice@example.com"
    member.save()
    url = git_server.create("leaky-service", CLEAN)
    with time_machine.travel(NOW - timedelta(days=8)):
        repo = Repository.objects.create(team=team, name="leaky-service", clone_url=url)
        scan_now(repo)
    git_server.push("leaky-service", LEAKY, "add the production settings")
    with time_machine.travel(NOW - timedelta(days=1)):
        scan_now(repo)
    with time_machine.travel(NOW):
        send.send_week(team.pk, "2026-W48")
    (received,) = smtp.received
    assert "config.committed-secret" in received.part("text/plain") or "A secret is committed" in received.part(
        "text/plain"
    )  # the findings are there…
    assert 'AWS_SECRET_ACCESS_KEY = "q8****"' in received.part("text/plain")  # …with their redacted snippets
    searched = _everything(received)
    for kind, secret in SECRETS.items():
        for text in searched:
            assert secret not in text, f"the {kind} is in the email"
            assert secret[2:] not in text, f"the {kind}, all but its 2-character hint, is in the email"


def _everything(received) -> list[str]:
    """The raw message, each part decoded by its own transfer encoding, and decoded by both encodings
    whatever its header says (a secret must not hide in an encoding)."""
    raw = received.raw
    out = [raw.decode("utf-8", "replace"), quopri.decodestring(raw).decode("utf-8", "replace")]
    for part in received.message.walk():
        if part.get_content_maintype() == "text":
            out.append(part.get_content())
            payload = part.get_payload()
            try:
                out.append(base64.b64decode(payload, validate=False).decode("utf-8", "replace"))
            except ValueError:
                pass
    for header, value in received.message.items():
        out.append(f"{header}: {value}")
    return out
