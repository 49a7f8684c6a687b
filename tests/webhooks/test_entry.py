"""The WSGI door gunicorn serves: deliveries reach the hook view through the short middleware chain,
pages through the full one."""

from __future__ import annotations

import io
import json
from wsgiref.util import setup_testing_defaults

import pytest

from app.web.models import Scan
from app.webhooks.models import Delivery
from tests.webhooks import payloads as p

pytestmark = pytest.mark.django_db(transaction=True)


def call(path: str, method: str = "GET", body: bytes = b"", headers: dict | None = None):
    from app.wsgi import application

    environ = {"PATH_INFO": path, "REQUEST_METHOD": method, "wsgi.input": io.BytesIO(body),
               "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": "application/json"}  # fmt: skip
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    setup_testing_defaults(environ)
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"], seen["headers"] = int(status.split()[0]), dict(response_headers)

    content = b"".join(application(environ, start_response))
    return seen["status"], seen["headers"], content


def test_a_delivery_through_the_wsgi_door_queues_its_scan_without_the_page_middleware(repo, url, secret, no_broker):
    sent = p.push_for("github", secret, "a" * 40)
    status, headers, content = call(url, "POST", sent.body, sent.headers)
    assert status == 202, content
    assert json.loads(content)["outcome"] == "queued"
    assert Scan.objects.get().requested_commit == "a" * 40
    assert Delivery.objects.get().outcome == Delivery.QUEUED
    assert "X-Frame-Options" not in headers and "Set-Cookie" not in headers  # no clickjacking/session middleware
    assert no_broker == [Scan.objects.get().pk]


def test_a_bad_signature_through_the_wsgi_door_is_refused(repo, url, no_broker):
    sent = p.push_for("github", "not-the-secret", "b" * 40)
    status, _headers, _content = call(url, "POST", sent.body, sent.headers)
    assert status == 401
    assert not Scan.objects.exists() and no_broker == []


def test_pages_still_get_the_full_middleware_chain():
    status, headers, _content = call("/login/")
    assert status == 200
    assert headers.get("X-Frame-Options") == "DENY"
