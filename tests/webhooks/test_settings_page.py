"""The repository's webhook settings page: the payload URL, the secret shown once, rotation, the
setup steps and the last deliveries, for a member, a member of another team and an anonymous visitor."""

from __future__ import annotations

import pytest

from app.web.models import Scan
from app.webhooks.models import Delivery, Hook
from tests.webhooks import payloads as p

pytestmark = pytest.mark.django_db

A = "a" * 40


def page(client, repo):
    return client.get(f"/repositories/{repo.slug}/webhook/")


def test_it_shows_the_payload_url_and_the_secret_once(client, member, repo):
    client.force_login(member)
    first = page(client, repo)
    assert first.status_code == 200
    hook = Hook.objects.get(repository=repo)
    text = first.content.decode()
    assert f"http://testserver/hooks/{hook.token}" in text
    assert repo.webhook_secret in text and "shown in full only this once" in text
    assert "no-store" in first["Cache-Control"] or "max-age=0" in first["Cache-Control"]
    again = page(client, repo).content.decode()
    assert repo.webhook_secret not in again
    assert repo.webhook_secret[-4:] in again  # masked: its last four characters only


def test_the_hook_id_is_not_the_slug_and_is_unguessable(repo, hook):
    assert repo.slug not in hook.token and len(hook.token) >= 32


def test_each_provider_has_copy_paste_steps(client, member, repo):
    client.force_login(member)
    text = page(client, repo).content.decode()
    for provider in ("GitHub", "GitLab", "Gitea and Forgejo", "Bitbucket Cloud", "Any other git server"):
        assert f"<summary>{provider}</summary>" in text
    assert "X-Hub-Signature-256: sha256=" in text  # the generic form's documented signature


def test_a_member_of_another_team_and_a_visitor_cannot_see_it(client, outsider, repo):
    assert page(client, repo).status_code == 302  # anonymous: to the sign-in page
    client.force_login(outsider)
    assert page(client, repo).status_code == 404
    assert client.post(f"/repositories/{repo.slug}/webhook/rotate/").status_code == 404
    assert not Hook.objects.filter(repository=repo).exists()


def test_rotation_makes_a_new_secret_and_the_old_one_stops_working(client, member, repo, url, no_broker):
    old = repo.webhook_secret
    client.force_login(member)
    page(client, repo)  # the first secret was seen
    response = client.post(f"/repositories/{repo.slug}/webhook/rotate/")
    assert response.status_code == 302 and response["Location"] == f"/repositories/{repo.slug}/webhook/"
    repo.refresh_from_db()
    assert repo.webhook_secret != old
    assert repo.webhook_secret in page(client, repo).content.decode()  # shown once after rotation
    client.logout()
    assert p.github_push(old, A).post(client, url).status_code == 401
    assert not Scan.objects.exists()
    assert p.github_push(repo.webhook_secret, A).post(client, url).status_code == 202
    assert Scan.objects.count() == 1


def test_rotation_is_a_post(client, member, repo):
    client.force_login(member)
    assert client.get(f"/repositories/{repo.slug}/webhook/rotate/").status_code == 405


def test_the_last_deliveries_show_outcome_and_reason(client, member, repo, url, secret, no_broker):
    p.github_push(secret, A, ref="refs/tags/v2").post(client, url)
    p.github_push("a-wrong-secret", A).post(client, url)
    p.github_push(secret, A).post(client, url)
    client.force_login(member)
    text = page(client, repo).content.decode()
    assert text.count('<tr class="delivery') == 3
    assert "Tag push (refs/tags/v2)" in text
    assert "does not match this repository&#x27;s secret" in text
    assert f"scan #{Scan.objects.get().pk}: queued" in text
    assert text.index("outcome-queued") < text.index("outcome-rejected") < text.index("outcome-ignored")


def test_it_shows_at_most_fifty_deliveries(client, member, repo, url):
    Delivery.objects.bulk_create(
        Delivery(repository=repo, provider="github", event="push", outcome="ignored", status_code=202)
        for _ in range(60)
    )
    client.force_login(member)
    assert page(client, repo).content.decode().count('<tr class="delivery') == 50


def test_the_repository_page_links_to_it(client, member, repo):
    client.force_login(member)
    assert f'href="/repositories/{repo.slug}/webhook/"' in client.get(repo.get_absolute_url()).content.decode()


def test_superseded_scans_show_in_the_history_and_not_as_failures(client, member, repo, url, secret, no_broker):
    p.github_push(secret, "a" * 40).post(client, url)
    p.github_push(secret, "b" * 40).post(client, url)
    older = Scan.objects.get(requested_commit="a" * 40)
    client.force_login(member)
    text = client.get(f"/repositories/{repo.slug}/history/").content.decode()
    assert "Superseded webhook scans" in text and "aaaaaaaa" in text and f"scan #{older.pk}" in text
    assert "not failures" in text and "bbbbbbbb" not in text  # the newer one is still queued, not listed
