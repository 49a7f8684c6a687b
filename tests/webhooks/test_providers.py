"""Reading deliveries, no database: each provider's documented shape, signatures, malformed bodies."""

from __future__ import annotations

import json
import secrets

import pytest

from app.webhooks import providers
from app.webhooks.providers import PING, PUSH, Rejected
from tests.webhooks import payloads as p

SECRET = secrets.token_urlsafe(24)  # no literal: the dogfood scan would flag one
SHA = "a" * 40
OLD = "b" * 40


@pytest.mark.parametrize("provider", p.PROVIDERS)
def test_it_reads_a_push_to_main_from_every_provider(provider):
    sent = p.push_for(provider, SECRET, SHA)
    event = providers.read(sent.headers, sent.body, SECRET)
    assert (event.provider, event.kind) == (provider, PUSH)
    (update,) = [u for u in event.updates if u.branch == "main"]
    assert update.after == SHA and not update.deleted and not update.is_tag
    assert event.delivery_id  # a provider id, or a digest of the body for the generic form


@pytest.mark.parametrize(
    "sent, provider_id",
    [
        (
            p.github_push(SECRET, SHA, delivery="72d3162e-cc78-11e3-81ab-4c9367dc0958"),
            "72d3162e-cc78-11e3-81ab-4c9367dc0958",
        ),
        (
            p.gitlab_push(SECRET, SHA, key="f3a1c8de-0000-4000-8000-000000000001"),
            "f3a1c8de-0000-4000-8000-000000000001",
        ),
        (
            p.gitea_push(SECRET, SHA, delivery="f6266f16-1bf3-46a5-9ea4-602e06ead473"),
            "f6266f16-1bf3-46a5-9ea4-602e06ead473",
        ),
        (p.bitbucket_push(SECRET, [(p.bitbucket_ref("main", SHA), None)], request="r-1"), "r-1"),
        (p.generic_push(SECRET, SHA, delivery="build-42"), "build-42"),
    ],
)
def test_the_delivery_id_is_the_providers_own(sent, provider_id):
    assert providers.read(sent.headers, sent.body, SECRET).delivery_id == provider_id


def test_the_generic_form_without_an_id_is_named_by_its_body():
    one, two = p.generic_push(SECRET, SHA), p.generic_push(SECRET, OLD)
    first = providers.read(one.headers, one.body, SECRET).delivery_id
    assert first == providers.read(one.headers, one.body, SECRET).delivery_id  # a replay: same id
    assert first != providers.read(two.headers, two.body, SECRET).delivery_id


def test_github_ping_and_other_events():
    ping = p.github_ping(SECRET)
    assert providers.read(ping.headers, ping.body, SECRET).kind == PING
    issue = p.github_push(SECRET, SHA)
    issue.headers["X-GitHub-Event"] = "issues"
    assert providers.read(issue.headers, issue.body, SECRET).kind == providers.OTHER


def test_github_form_encoding_is_signed_over_the_raw_body():
    sent = p.github_push(SECRET, SHA, form=True)
    assert sent.body.startswith(b"payload=")
    event = providers.read({**sent.headers, "Content-Type": sent.content_type}, sent.body, SECRET)
    assert event.updates[0].after == SHA


@pytest.mark.parametrize("forgejo", [False, True])
def test_gitea_form_encoding_is_signed_over_the_payload_field(forgejo):
    sent = p.gitea_push(SECRET, SHA, forgejo=forgejo, form=True)
    event = providers.read({**sent.headers, "Content-Type": sent.content_type}, sent.body, SECRET)
    assert event.updates[0].after == SHA and event.provider == ("forgejo" if forgejo else "gitea")


def test_forgejo_is_checked_by_its_own_header_before_giteas():
    sent = p.gitea_push(SECRET, SHA, forgejo=True)
    sent.headers["X-Forgejo-Signature"] = "0" * 64  # a good X-Gitea-Signature does not rescue it
    with pytest.raises(Rejected) as exc:
        providers.read(sent.headers, sent.body, SECRET)
    assert exc.value.status == 401 and "X-Forgejo-Signature" in exc.value.reason


@pytest.mark.parametrize(
    "sent, ref, deleted, tag",
    [
        (p.github_push(SECRET, p.ZERO, before=OLD), "refs/heads/main", True, False),  # GitHub branch deletion
        (p.github_push(SECRET, SHA, ref="refs/tags/v1.2.0"), "refs/tags/v1.2.0", False, True),  # GitHub tag
        (p.gitlab_push(SECRET, p.ZERO, before=OLD), "refs/heads/main", True, False),  # GitLab: after is zeros
        (p.gitlab_push(SECRET, SHA, ref="refs/tags/v1.2.0", before=p.ZERO, tag=True), "refs/tags/v1.2.0", False, True),
        (p.gitea_push(SECRET, p.ZERO, before=OLD), "refs/heads/main", True, False),
        (p.bitbucket_push(SECRET, [(None, p.bitbucket_ref("main", OLD))]), "refs/heads/main", True, False),  # closed
        (p.bitbucket_push(SECRET, [(p.bitbucket_ref("v1.2.0", SHA, "tag"), None)]), "refs/tags/v1.2.0", False, True),
    ],
)
def test_tag_pushes_and_branch_deletions_are_told_apart(sent, ref, deleted, tag):
    (update,) = providers.read(sent.headers, sent.body, SECRET).updates
    assert (update.ref, update.deleted, update.is_tag) == (ref, deleted, tag)


def test_bitbucket_reports_every_ref_of_one_push():
    sent = p.bitbucket_push(SECRET, [(p.bitbucket_ref("feature", OLD), None), (p.bitbucket_ref("main", SHA), None)])
    updates = providers.read(sent.headers, sent.body, SECRET).updates
    assert [(u.branch, u.after) for u in updates] == [("feature", OLD), ("main", SHA)]


@pytest.mark.parametrize("provider", p.PROVIDERS)
def test_a_wrong_secret_is_refused_with_401(provider):
    sent = p.push_for(provider, "not-the-secret", SHA)
    with pytest.raises(Rejected) as exc:
        providers.read(sent.headers, sent.body, SECRET)
    assert exc.value.status == 401 and "does not match" in exc.value.reason


@pytest.mark.parametrize(
    "provider, header",
    [
        ("github", "X-Hub-Signature-256"),
        ("gitlab", "X-Gitlab-Token"),
        ("gitea", "X-Gitea-Signature"),
        ("bitbucket", "X-Hub-Signature"),
        ("generic", "X-Hub-Signature-256"),
    ],
)
def test_a_missing_signature_header_is_refused_with_401(provider, header):
    sent = p.push_for(provider, SECRET, SHA)
    del sent.headers[header]
    with pytest.raises(Rejected) as exc:
        providers.read(sent.headers, sent.body, SECRET)
    assert exc.value.status == 401 and f"No {header} header" in exc.value.reason


def test_github_sha1_signature_alone_is_not_enough():
    sent = p.github_push(SECRET, SHA)
    del sent.headers["X-Hub-Signature-256"]  # the legacy X-Hub-Signature (SHA-1) is still there
    with pytest.raises(Rejected):
        providers.read(sent.headers, sent.body, SECRET)


def test_a_body_changed_after_signing_is_refused():
    sent = p.github_push(SECRET, SHA)
    with pytest.raises(Rejected) as exc:
        providers.read(sent.headers, sent.body.replace(SHA.encode(), OLD.encode()), SECRET)
    assert exc.value.status == 401


def signed(body: bytes) -> tuple[dict[str, str], bytes]:
    return {"X-GitHub-Event": "push", "X-Hub-Signature-256": "sha256=" + p.hmac256(SECRET, body)}, body


@pytest.mark.parametrize(
    "body, text",
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00", "not valid JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b"", "not valid JSON"),
        (json.dumps({"after": SHA}).encode(), "`ref`"),  # no ref
        (json.dumps({"ref": "main", "after": SHA}).encode(), "`ref`"),  # not a full ref name
        (json.dumps({"ref": "refs/heads/main", "after": "HEAD~1"}).encode(), "`after`"),  # not a sha
        (json.dumps({"ref": "refs/heads/main", "after": "--upload-pack=touch /tmp/x"}).encode(), "`after`"),
        (json.dumps({"ref": "refs/heads/main", "after": 42}).encode(), "`after`"),
    ],
)
def test_a_signed_but_malformed_payload_is_refused_with_400(body, text):
    with pytest.raises(Rejected) as exc:
        providers.read(*signed(body), SECRET)
    assert exc.value.status == 400 and text in exc.value.reason


def test_a_bitbucket_push_without_changes_is_malformed():
    body = json.dumps({"push": {"changes": "nope"}}).encode()
    headers = {"X-Event-Key": "repo:push", "X-Hub-Signature": "sha256=" + p.hmac256(SECRET, body)}
    with pytest.raises(Rejected) as exc:
        providers.read(headers, body, SECRET)
    assert exc.value.status == 400


def test_a_bad_signature_is_refused_before_the_body_is_parsed():
    with pytest.raises(Rejected) as exc:
        providers.read({"X-Hub-Signature-256": "sha256=" + "0" * 64}, b"{not json", SECRET)
    assert exc.value.status == 401


def test_the_sender_is_read_from_headers_alone():
    sent = p.gitlab_push(SECRET, SHA)
    who = providers.sender(sent.headers)
    assert (who.provider, who.event) == ("gitlab", "Push Hook")


@pytest.mark.parametrize(
    "ref",
    [
        "refs/heads/ma\u0000in",  # NUL: PostgreSQL would refuse to store it
        "refs/heads/with space",
        "refs/heads/-upload-pack",  # would read as an option
        "refs/heads/a..b",
        "refs/heads/x.lock",
        "refs/heads/.hidden",
        "refs/heads/trailing/",
        "refs/heads/a@{1}",
        "refs/heads/star*",
        "refs/pull/42/head",  # not a branch or a tag
        "refs/heads/" + "x" * 250,
    ],
)
def test_a_ref_git_would_refuse_is_malformed(ref):
    body = json.dumps({"ref": ref, "after": SHA}).encode()
    with pytest.raises(Rejected) as exc:
        providers.read(*signed(body), SECRET)
    assert exc.value.status == 400


@pytest.mark.parametrize("ref", ["refs/heads/main", "refs/heads/feature/login-v2", "refs/tags/v1.2.0", "refs/heads/ü"])
def test_ordinary_refs_are_read(ref):
    assert providers.read(*signed(json.dumps({"ref": ref, "after": SHA}).encode()), SECRET).updates[0].ref == ref


def test_control_characters_in_an_event_header_are_dropped():
    assert providers.sender({"X-GitHub-Event": "pu\x00sh\r"}).event == "push"
