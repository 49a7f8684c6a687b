"""Adding repositories through the form and the JSON endpoint: bad input is a clear 4xx, never a 500."""

import json

import pytest

from app.web.models import Repository, Scan

pytestmark = pytest.mark.django_db


def post_json(client, body):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post("/api/repositories", data, content_type="application/json")


@pytest.mark.parametrize(
    "body, field, text",
    [
        ({"url": "file:///etc", "team": "platform"}, "url", "Local paths"),
        ({"url": "ext::sh", "team": "platform"}, "url", "ext::"),
        ({"url": "-oProxyCommand=x", "team": "platform"}, "url", "cannot start with '-'"),
        ({"url": "https://u:p@github.com/a/b", "team": "platform"}, "url", "credentials"),
        ({"url": "https://127.0.0.1/a/b", "team": "platform"}, "url", "non-public address"),
        ({"url": "https://x.example/a/b", "team": "payments"}, "team", "your teams"),  # not the user's team
        ("not json", "__all__", "not valid JSON"),
        ("[1, 2]", "__all__", "JSON object"),
        (b"\xff\xfe", "__all__", "not valid JSON"),
        ("[" * 10_000, "__all__", "nested more than"),  # json.loads would recurse: RecursionError, a 500
        ('{"url": ' + "[" * 30 + "]" * 30 + "}", "__all__", "nested more than"),
        ('{"url": "' + "x" * 20_000 + '"}', "__all__", "larger than"),
        ('{"url": "[[[[[[[[[[[[[[[[[[[[[[[[[", "team": "payments"}', "team", "your teams"),  # brackets in a string
        ({"url": "https://93.184.215.14/a/b", "team": "platform", "branch": "main\nevil"}, "branch", "not a valid"),
        ({"url": "https://93.184.215.14/a/b", "team": "platform", "branch": "main\n"}, "branch", "not a valid"),
        ({"url": "https://93.184.215.14/a/b", "team": "platform", "branch": "ma\tin"}, "branch", "not a valid"),
    ],
)
def test_the_api_rejects_bad_input_with_400(client, member, other_team, body, field, text, no_broker):
    client.force_login(member)
    response = post_json(client, body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert text in json.dumps(errors[field])
    assert not Scan.objects.exists() and not no_broker


def test_the_api_adds_a_repository_and_queues_a_scan(
    client, member, settings, no_broker, django_capture_on_commit_callbacks
):
    settings.FACTORCARD = {**settings.FACTORCARD, "ALLOW_PRIVATE_HOSTS": True}
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(client, {"url": "git://127.0.0.1:9/demo.git", "team": "platform", "is_public": True})
    assert response.status_code == 201
    scan = Scan.objects.get()
    assert scan.repository.is_public  # the badge is public, as asked
    assert response.json()["scan"]["state"] == "queued"
    assert no_broker == [scan.pk]
    listed = client.get("/api/repositories").json()["repositories"]
    assert [r["slug"] for r in listed] == [scan.repository.slug]


def test_the_form_shows_the_guard_message(client, member, no_broker):
    client.force_login(member)
    response = client.post("/repositories/add/", {"url": "file:///etc/passwd", "team": member.teams.get().pk})
    assert response.status_code == 400
    assert b"Local paths and file:// URLs are not accepted" in response.content
    assert not Repository.objects.exists()


def test_the_form_only_offers_the_users_teams(client, member, other_team, no_broker):
    client.force_login(member)
    response = client.post("/repositories/add/", {"url": "https://93.184.215.14/a/b.git", "team": other_team.pk})
    assert response.status_code == 400
    assert not Repository.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/repositories/add/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_healthz_needs_no_login(client):
    assert client.get("/healthz").json() == {"status": "ok"}
