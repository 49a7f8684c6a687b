"""The hook endpoint against the real PostgreSQL: what each delivery becomes, and what it queues."""

from __future__ import annotations

import pytest

from app.web.models import Scan
from app.webhooks.models import KEEP_DELIVERIES, Delivery
from tests.web.factories import repository
from tests.webhooks import payloads as p

pytestmark = pytest.mark.django_db

A, B, C = "a" * 40, "b" * 40, "c" * 40


def post(client, url, sent, on_commit=None):
    if on_commit is None:
        return sent.post(client, url)
    with on_commit(execute=True):
        return sent.post(client, url)


@pytest.mark.parametrize("provider", p.PROVIDERS)
def test_it_queues_a_webhook_scan_of_the_pushed_commit(
    client, repo, url, secret, no_broker, provider, django_capture_on_commit_callbacks
):
    response = post(client, url, p.push_for(provider, secret, A), django_capture_on_commit_callbacks)
    assert response.status_code == 202, response.content
    scan = Scan.objects.get()
    assert (scan.repository, scan.trigger, scan.state) == (repo, Scan.WEBHOOK, Scan.QUEUED)
    assert (scan.requested_commit, scan.branch) == (A, "main")
    assert no_broker == [scan.pk]  # handed to the broker once committed
    delivery = Delivery.objects.get()
    assert (delivery.provider, delivery.outcome, delivery.commit, delivery.branch) == (provider, "queued", A, "main")
    assert delivery.scan == scan
    assert response.json() == {"outcome": "queued", "reason": delivery.reason, "scan": scan.pk}


def test_github_ping_is_answered_200_and_recorded(client, url, secret, no_broker):
    response = post(client, url, p.github_ping(secret))
    assert response.status_code == 200
    assert not Scan.objects.exists()
    assert Delivery.objects.get().outcome == "ignored" and "Ping" in Delivery.objects.get().reason


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda s: p.github_push(s, A, ref="refs/tags/v1.0.0"), "Tag push (refs/tags/v1.0.0)"),
        (lambda s: p.gitlab_push(s, A, ref="refs/tags/v1.0.0", tag=True), "Tag push"),
        (lambda s: p.bitbucket_push(s, [(p.bitbucket_ref("v1.0.0", A, "tag"), None)]), "Tag push"),
        (lambda s: p.github_push(s, p.ZERO, before=A), "was deleted"),
        (lambda s: p.gitlab_push(s, p.ZERO, before=A), "was deleted"),
        (lambda s: p.gitea_push(s, p.ZERO, before=A, forgejo=True), "was deleted"),
        (lambda s: p.bitbucket_push(s, [(None, p.bitbucket_ref("main", A))]), "was deleted"),
        (
            lambda s: p.github_push(s, A, ref="refs/heads/feature"),
            "Push to feature: only pushes to the tracked branch main",
        ),
        (lambda s: p.generic_push(s, A, ref="refs/heads/feature"), "Push to feature"),
        (lambda s: p.gitea_push(s, A, event="create"), "not a push"),
    ],
)
def test_tags_deletions_and_other_branches_are_answered_202_and_ignored(client, url, secret, no_broker, make, reason):
    response = post(client, url, make(secret))
    assert response.status_code == 202
    assert not Scan.objects.exists() and not no_broker
    delivery = Delivery.objects.get()
    assert delivery.outcome == "ignored" and reason in delivery.reason


def test_bitbucket_scans_the_tracked_branch_among_several(client, url, secret, no_broker):
    sent = p.bitbucket_push(secret, [(p.bitbucket_ref("feature", B), None), (p.bitbucket_ref("main", A), None)])
    assert post(client, url, sent).status_code == 202
    assert Scan.objects.get().requested_commit == A


def test_without_a_chosen_branch_it_tracks_the_providers_default(client, team, no_broker):
    from app.webhooks import hooks

    repo = repository(team, "nobranch")  # default_branch blank: the remote's default
    url = f"/hooks/{hooks.hook_for(repo).token}"
    post(client, url, p.github_push(repo.webhook_secret, A, ref="refs/heads/trunk", default_branch="trunk"))
    post(client, url, p.github_push(repo.webhook_secret, B, ref="refs/heads/main", default_branch="trunk"))
    assert list(Scan.objects.values_list("requested_commit", "branch")) == [(A, "trunk")]


def test_the_same_delivery_twice_makes_one_scan(client, url, secret, no_broker):
    sent = p.github_push(secret, A, delivery="d-1")
    first, again = post(client, url, sent), post(client, url, sent)
    assert (first.status_code, again.status_code) == (202, 202)
    assert Scan.objects.count() == 1
    assert list(Delivery.objects.order_by("id").values_list("outcome", flat=True)) == ["queued", "duplicate"]
    assert again.json()["outcome"] == "duplicate"


@pytest.mark.parametrize("provider", p.PROVIDERS)
def test_several_deliveries_of_one_commit_make_one_scan(client, url, secret, no_broker, provider):
    for n in range(3):  # three deliveries with three ids (e.g. two hooks and a manual redelivery)
        ids = {"delivery": f"build-{n}"} if provider == "generic" else {}
        assert post(client, url, p.push_for(provider, secret, A, **ids)).status_code == 202
    scan = Scan.objects.get()
    outcomes = list(Delivery.objects.order_by("id").values_list("outcome", "scan"))
    assert outcomes == [("queued", scan.pk), ("duplicate", scan.pk), ("duplicate", scan.pk)]


def test_a_replay_of_an_old_delivery_is_absorbed(client, url, secret, no_broker):
    old = p.github_push(secret, A)
    post(client, url, old)
    post(client, url, p.github_push(secret, B))  # the branch moved on
    Scan.objects.update(state=Scan.DONE)
    response = post(client, url, old)  # captured and sent again later
    assert response.status_code == 202 and response.json()["outcome"] == "duplicate"
    assert Scan.objects.count() == 2


def test_a_commit_whose_scan_failed_can_be_scanned_again(client, url, secret, no_broker):
    post(client, url, p.github_push(secret, A))
    Scan.objects.update(state=Scan.FAILED, error="git server down")
    assert post(client, url, p.github_push(secret, A)).json()["outcome"] == "queued"
    assert Scan.objects.filter(requested_commit=A).count() == 2


def test_a_newer_commit_supersedes_the_queued_one(client, url, secret, no_broker):
    post(client, url, p.github_push(secret, A))
    post(client, url, p.github_push(secret, B, before=A))
    older, newer = Scan.objects.order_by("pk")
    assert (older.state, newer.state) == (Scan.SUPERSEDED, Scan.QUEUED)
    assert older.is_final and not older.error  # final, and not a failure
    first, second = Delivery.objects.order_by("id")
    assert first.outcome == "superseded" and f"scan #{newer.pk}" in first.reason
    assert second.outcome == "queued" and "supersedes 1 older" in second.reason


def test_a_scan_already_running_is_not_superseded(client, url, secret, no_broker):
    post(client, url, p.github_push(secret, A))
    Scan.objects.update(state=Scan.CLONING)
    post(client, url, p.github_push(secret, B))
    assert sorted(Scan.objects.values_list("state", flat=True)) == [Scan.CLONING, Scan.QUEUED]


def test_only_webhook_scans_are_superseded(client, repo, url, secret, no_broker):
    manual = Scan.objects.create(repository=repo, trigger=Scan.MANUAL)
    post(client, url, p.github_push(secret, A))
    manual.refresh_from_db()
    assert manual.state == Scan.QUEUED


def test_a_flood_of_pushes_leaves_at_most_one_pending_scan(client, url, secret, no_broker):
    shas = [f"{n:040x}" for n in range(1, 31)]
    for sha in shas:
        assert post(client, url, p.github_push(secret, sha)).status_code == 202
    assert list(Scan.objects.filter(state=Scan.QUEUED).values_list("requested_commit", flat=True)) == [shas[-1]]
    assert Scan.objects.filter(state=Scan.SUPERSEDED).count() == 29


def test_a_superseded_scan_is_left_alone_by_the_worker(client, url, secret, no_broker):
    from app.web import pipeline

    post(client, url, p.github_push(secret, A))
    post(client, url, p.github_push(secret, B))
    older = Scan.objects.get(requested_commit=A)
    pipeline.run_scan(older.pk)  # its message may still arrive: nothing is claimed or cloned
    older.refresh_from_db()
    assert (older.state, older.attempts, older.cloning_at) == (Scan.SUPERSEDED, 0, None)


@pytest.mark.parametrize("provider", p.PROVIDERS)
def test_a_wrong_signature_is_401_nothing_queued_and_recorded(client, url, no_broker, provider):
    response = post(client, url, p.push_for(provider, "wrong-secret", A))
    assert response.status_code == 401
    assert not Scan.objects.exists() and not no_broker
    delivery = Delivery.objects.get()
    assert (delivery.outcome, delivery.status_code, delivery.provider) == ("rejected", 401, provider)
    assert "does not match" in delivery.reason
    assert not delivery.commit  # nothing is taken from an unverified body


def test_a_missing_signature_is_401_and_says_which_header(client, url, secret, no_broker):
    sent = p.github_push(secret, A)
    del sent.headers["X-Hub-Signature-256"]
    assert post(client, url, sent).status_code == 401
    assert not Scan.objects.exists()
    assert "No X-Hub-Signature-256 header" in Delivery.objects.get().reason


def test_an_oversize_body_is_413_and_recorded(client, url, secret, no_broker):
    body = b'{"ref": "refs/heads/main", "after": "' + A.encode() + b'", "pad": "' + b"x" * (1024 * 1024) + b'"}'
    headers = {"X-GitHub-Event": "push", "X-Hub-Signature-256": "sha256=" + p.hmac256(secret, body)}
    response = client.post(url, body, content_type="application/json", headers=headers)
    assert response.status_code == 413
    assert not Scan.objects.exists()
    assert Delivery.objects.get().outcome == "rejected"


def test_a_body_of_exactly_one_mebibyte_is_read(client, url, secret, no_broker):
    head = b'{"ref": "refs/heads/main", "after": "' + A.encode() + b'", "pad": "'
    body = head + b"x" * (1024 * 1024 - len(head) - 2) + b'"}'
    assert len(body) == 1024 * 1024
    headers = {"X-GitHub-Event": "push", "X-Hub-Signature-256": "sha256=" + p.hmac256(secret, body)}
    assert client.post(url, body, content_type="application/json", headers=headers).status_code == 202


def test_malformed_json_is_400_and_recorded(client, url, secret, no_broker):
    body = b'{"ref": "refs/heads/main", "after": '
    headers = {"X-GitHub-Event": "push", "X-Hub-Signature-256": "sha256=" + p.hmac256(secret, body)}
    response = client.post(url, body, content_type="application/json", headers=headers)
    assert response.status_code == 400
    assert not Scan.objects.exists()
    assert Delivery.objects.get().reason == "The payload is not valid JSON."


def test_an_unknown_hook_is_404_and_not_recorded(client, url, secret, no_broker):
    response = post(client, url + "x", p.github_push(secret, A))
    assert response.status_code == 404
    assert not Delivery.objects.exists() and not Scan.objects.exists()


def test_the_hook_url_answers_only_post(client, url):
    assert client.get(url).status_code == 405


def test_a_valid_signature_for_another_repository_is_rejected(client, team, url, no_broker):
    from app.webhooks import hooks

    other = repository(team, "other", default_branch="main")
    hooks.hook_for(other)
    response = post(client, url, p.github_push(other.webhook_secret, A))  # A's URL, B's secret
    assert response.status_code == 401
    assert not Scan.objects.exists()
    assert not other.webhook_deliveries.exists()


def test_the_payload_never_names_the_repository_to_scan(client, repo, url, secret, no_broker):
    post(client, url, p.github_push(secret, A, clone_url="https://evil.example/attacker.git"))
    scan = Scan.objects.get()
    repo.refresh_from_db()
    assert scan.repository == repo and repo.clone_url == "https://github.com/acme/demo.git"


def test_the_log_of_deliveries_is_bounded(client, url, repo, no_broker):
    for _ in range(KEEP_DELIVERIES + 25):  # a flood of forged deliveries
        post(client, url, p.github_push("forged", A))
    assert repo.webhook_deliveries.count() == KEEP_DELIVERIES
    assert not Scan.objects.exists()


def test_a_rejected_delivery_does_not_count_as_seen(client, repo, url, secret, no_broker):
    """A delivery refused for a wrong secret and redelivered (same id) once the secret is fixed is scanned."""
    post(client, url, p.github_push("old-secret", A, delivery="d-7"))
    response = post(client, url, p.github_push(secret, A, delivery="d-7"))
    assert response.json()["outcome"] == "queued"


def test_only_a_delivery_that_queues_a_scan_waits_for_the_disk(client, url, secret, no_broker):
    """Queued: a synchronous commit (durable before the 2xx). Duplicate, ignored, rejected: nothing is
    promised, so their log line is committed without waiting for the WAL flush."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    relaxed = "SET LOCAL synchronous_commit TO OFF"
    for sent, outcome, relaxes in [
        (p.github_push(secret, A, delivery="one"), "queued", False),
        (p.github_push(secret, A, delivery="one"), "duplicate", True),
        (p.github_push(secret, A, ref="refs/tags/v1"), "ignored", True),
        (p.github_push("wrong", A), "rejected", True),
    ]:
        with CaptureQueriesContext(connection) as queries:
            response = post(client, url, sent)
        assert response.json()["outcome"] == outcome
        assert any(q["sql"] == relaxed for q in queries.captured_queries) is relaxes, outcome


def test_a_nul_in_the_ref_is_a_400_not_a_500(client, url, secret, no_broker):
    body = b'{"ref": "refs/heads/ma\\u0000in", "after": "' + A.encode() + b'"}'
    headers = {"X-GitHub-Event": "push", "X-Hub-Signature-256": "sha256=" + p.hmac256(secret, body)}
    assert client.post(url, body, content_type="application/json", headers=headers).status_code == 400
    assert Delivery.objects.get().outcome == "rejected" and not Scan.objects.exists()
