"""The dashboard pages for the three personas: a member sees, an outsider gets 404, an anonymous visitor
is sent to sign in. Plus sorting, filtering, paging, comparison, badges and the query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from app.web import queries
from app.web.models import Scan
from tests.web import factories

pytestmark = pytest.mark.django_db
NOW = timezone.now()


@pytest.fixture
def repo(team):
    return factories.repository(team, "api")


@pytest.fixture
def two_scans(repo):
    old = factories.scan(repo, 60, when=NOW - timedelta(days=10), statuses={3: "fail"},
                         findings=[(3, "high", "settings.py"), (11, "medium", "log.py")])
    new = factories.scan(repo, 75, when=NOW - timedelta(hours=1), statuses={3: "warn", 6: "na"},
                         findings=[(3, "high", "settings.py"), (8, "low", "Procfile"), (4, "info", "app.py")])
    return old, new


def pages(repo):
    return [reverse("repository", args=[repo.slug]), reverse("history", args=[repo.slug]),
            reverse("compare", args=[repo.slug]), reverse("scan", args=[repo.slug, repo.latest_scan_id or 0])]


def test_it_shows_a_member_their_repositories(client, member, repo, two_scans):
    client.force_login(member)
    body = client.get("/").content.decode()
    assert "api" in body and "III. Config: warning" in body
    for url in pages(repo):
        assert client.get(url).status_code == 200, url


def test_it_hides_other_teams_repositories(client, outsider, repo, two_scans):
    client.force_login(outsider)
    assert repo.get_absolute_url() not in client.get("/").content.decode()
    for url in [*pages(repo), reverse("scan_status", args=[repo.slug, two_scans[1].pk])]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("rescan", args=[repo.slug])).status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client, repo, two_scans):
    for url in ["/", reverse("add_repository"), *pages(repo)]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


def listed(client, **params) -> list[str]:
    response = client.get("/", params)
    assert response.status_code == 200
    return [r.name for r in response.context["repositories"]]


def test_it_sorts_the_list_by_score_name_last_scan_and_any_factor(client, member, team):
    a, b, c = (factories.repository(team, n) for n in ("alpha", "bravo", "charlie"))
    factories.scan(a, 50, when=NOW - timedelta(hours=3), statuses={3: "fail"})
    factories.scan(b, 90, when=NOW - timedelta(hours=1))
    factories.scan(c, 70, when=NOW - timedelta(hours=2), statuses={3: "na"})
    factories.repository(team, "delta")  # never scanned: always last
    client.force_login(member)
    assert listed(client) == ["alpha", "bravo", "charlie", "delta"]
    assert listed(client, sort="-name") == ["delta", "charlie", "bravo", "alpha"]
    assert listed(client, sort="-score") == ["bravo", "charlie", "alpha", "delta"]
    assert listed(client, sort="score") == ["alpha", "charlie", "bravo", "delta"]
    assert listed(client, sort="-last") == ["bravo", "charlie", "alpha", "delta"]
    assert listed(client, sort="-f3") == ["bravo", "alpha", "charlie", "delta"]  # na has no score: after the rest
    assert listed(client, sort="nonsense") == ["alpha", "bravo", "charlie", "delta"]


def test_it_filters_by_team_status_and_text(client, member, team, other_team):
    other_team.members.add(member)
    factories.scan(factories.repository(team, "web-frontend"), 80)
    failed = factories.repository(other_team, "billing", url="https://gitlab.com/acme/billing.git")
    Scan.objects.create(repository=failed, state=Scan.FAILED, error="boom")
    running = factories.repository(team, "worker")
    Scan.objects.create(repository=running, state=Scan.CLONING)
    factories.repository(team, "docs")
    client.force_login(member)
    assert listed(client, team="payments") == ["billing"]
    assert listed(client, status="failed") == ["billing"]
    assert listed(client, status="running") == ["worker"]
    assert listed(client, status="never") == ["docs"]
    assert listed(client, status="done") == ["web-frontend"]
    assert listed(client, q="GITLAB") == ["billing"]
    assert listed(client, q="front", team="platform") == ["web-frontend"]


def test_it_paginates_keeping_the_filters(client, member, team, monkeypatch):
    monkeypatch.setattr(queries, "PER_PAGE", 2)
    for name in ("a1", "a2", "a3", "b1"):
        factories.repository(team, name)
    client.force_login(member)
    assert listed(client, q="acme/a") == ["a1", "a2"]
    assert listed(client, q="acme/a", page=2) == ["a3"]
    assert listed(client, q="acme/a", page=99) == ["a3"]  # past the end: the last page
    body = client.get("/", {"q": "acme/a"}).content.decode()
    assert "?q=acme%2Fa&amp;page=2" in body


def test_it_shows_the_trend_since_the_previous_scan_and_a_week_ago(client, member, repo):
    factories.scan(repo, 50, when=NOW - timedelta(days=9))
    factories.scan(repo, 58, when=NOW - timedelta(days=2))
    factories.scan(repo, 61, when=NOW - timedelta(minutes=5))
    client.force_login(member)
    (row,) = client.get("/").context["repositories"]
    assert row.delta_previous == pytest.approx(3) and row.delta_week == pytest.approx(11)
    body = client.get("/").content.decode()
    assert "+3.0" in body and "since the previous scan" in body and "+11.0" in body


def test_the_scorecard_links_each_finding_to_its_line_at_the_commit(client, member, repo, two_scans):
    client.force_login(member)
    body = client.get(repo.get_absolute_url()).content.decode()
    sha = two_scans[1].commit_sha
    assert f'href="https://github.com/acme/api/blob/{sha}/settings.py#L3"' in body
    assert "SECRET = &#x27;****&#x27;" in body and "Fix it." in body
    assert "Evidence of compliance" in body and "Why this complies" in body
    assert "75" in body


def test_findings_of_an_unknown_host_are_plain_text(client, member, team):
    repo = factories.repository(team, "selfhosted", url="https://git.example.org/acme/selfhosted.git")
    factories.scan(repo, 70, findings=[(3, "high", "settings.py")])
    client.force_login(member)
    body = client.get(repo.get_absolute_url()).content.decode()
    assert "<code>settings.py:3</code>" in body and "git.example.org/acme/selfhosted/" not in body


def test_a_failed_scan_shows_its_error_and_a_rescan_button(client, member, repo, two_scans):
    Scan.objects.create(repository=repo, state=Scan.FAILED, error="Remote branch nope not found")
    client.force_login(member)
    body = client.get(repo.get_absolute_url()).content.decode()
    assert "Remote branch nope not found" in body and 'data-state="failed"' in body
    assert reverse("rescan", args=[repo.slug]) in body


def test_the_history_chart_names_each_scan_and_commit(client, member, repo, two_scans):
    client.force_login(member)
    body = client.get(reverse("history", args=[repo.slug])).content.decode()
    old, new = two_scans
    assert f"Scan #{old.pk} · commit {old.short_sha}" in body and f"Scan #{new.pk} · commit {new.short_sha}" in body
    assert body.count('<svg class="chart"') == 14 and 'tabindex="0"' in body  # overall wide and narrow, 12 factors
    assert f"Scan #{new.pk} · commit {new.short_sha} · " in body and "Config warn, score 7.5/10" in body


def test_it_compares_two_scans_by_fingerprint(client, member, repo, two_scans):
    old, new = two_scans
    client.force_login(member)
    response = client.get(reverse("compare", args=[repo.slug]), {"a": old.pk, "b": new.pk})
    c = response.context["comparison"]
    assert [f.path for f in c.new] == ["Procfile"]
    assert [f.path for f in c.fixed] == ["log.py"]
    assert [f.path for f in c.unchanged] == ["settings.py"]
    deltas = {number: delta for number, _name, _x, _y, delta in c.deltas}
    assert deltas[1] == pytest.approx(1.5) and deltas[6] is None  # na in the newer scan: no delta
    default = client.get(reverse("compare", args=[repo.slug])).context
    assert (default["a"], default["b"]) == (old, new)  # without a choice: the newest against the one before


def test_the_badge_is_public_only_for_public_repositories(client, repo, two_scans, team):
    assert client.get(reverse("badge", args=[repo.slug])).status_code == 404
    assert client.get(reverse("factor_badge", args=[repo.slug, 3])).status_code == 404
    assert client.get("/badge/no-such-repository.svg").status_code == 404
    repo.is_public = True
    repo.save()
    response = client.get(reverse("badge", args=[repo.slug]))
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    assert b"75/100" in response.content
    factor = client.get(reverse("factor_badge", args=[repo.slug, 3]))
    assert b"warn 7.5/10" in factor.content
    assert client.get(reverse("factor_badge", args=[repo.slug, 13])).status_code == 404
    unscanned = factories.repository(team, "fresh", is_public=True)
    assert b"not scanned" in client.get(reverse("badge", args=[unscanned.slug])).content


def test_the_add_form_shows_the_services_validation_message(client, member):
    client.force_login(member)
    response = client.post(reverse("add_repository"), {"url": "file:///etc", "team": member.teams.get().pk})
    assert response.status_code == 400
    assert response.context["form"].errors["url"]
    assert 'role="alert"' in response.content.decode()


def seed(team, repos: int, scans: int) -> None:
    for i in range(repos):
        repo = factories.repository(team, f"repo-{i:03}")
        for j in range(scans):
            factories.scan(repo, 40 + (i + j) % 60, when=NOW - timedelta(days=scans - j),
                           findings=[(3, "high", f"f{j}.py")])


LIST_QUERIES = 8  # session, user, teams, COUNT, the page, factor cells, new findings, totals (when several pages)


@pytest.mark.parametrize("repos", [5, 50])
@pytest.mark.parametrize("sort", ["name", "-score", "-f3"])
def test_the_list_page_runs_a_constant_number_of_queries(client, member, team, django_assert_max_num_queries,
                                                        repos, sort):
    seed(team, repos, 3)
    client.force_login(member)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get("/", {"sort": sort})
    assert len(response.context["repositories"]) == repos


REPOSITORY_QUERIES = 8  # session, user, repository, newest scan, factor results, findings, scored scans, live waivers


@pytest.mark.parametrize("scans", [5, 50])
def test_the_repository_pages_run_a_constant_number_of_queries(client, member, team, django_assert_max_num_queries,
                                                              scans):
    seed(team, 1, scans)
    repo = team.repositories.get()
    client.force_login(member)
    for url in pages(repo):
        with django_assert_max_num_queries(REPOSITORY_QUERIES):
            assert client.get(url).status_code == 200


def test_the_add_form_names_the_remote_helper_even_with_spaces(client, member):
    client.force_login(member)
    response = client.post(reverse("add_repository"), {"url": "ext::sh -c touch% /tmp/pwned",
                                                       "team": member.teams.get().pk})
    assert response.status_code == 400
    assert response.context["form"].errors["url"] == [
        "git remote helpers such as ext:: are not accepted; use an https or ssh URL."]


def test_the_add_form_does_not_echo_a_password_back(client, member):
    client.force_login(member)
    response = client.post(reverse("add_repository"), {"url": "https://bob:hunter2-secret@github.com/a/b.git",
                                                       "team": member.teams.get().pk, "branch": "main"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "hunter2-secret" not in body and "Remove the credentials" in body
    assert 'value="main"' in body  # the other fields keep what was typed


def test_a_repository_slug_keeps_owner_and_name_apart(team):
    repo = factories.repository(team, "healthchecks/healthchecks")
    assert repo.slug == "platform-healthchecks-healthchecks"


def test_sessions_are_read_from_the_cache(client, member):
    client.force_login(member)
    key = client.session.session_key
    assert cache.get(f"django.contrib.sessions.cached_db{key}") is not None
    assert client.get("/").status_code == 200


def test_pages_and_sign_in_keep_working_when_the_cache_is_unreachable(client, member, settings):
    from tests.conftest import free_port

    # nothing listens there; changing CACHES through the settings fixture resets Django's cache handler
    settings.CACHES = {"default": {"BACKEND": "app.web.cache.TolerantRedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}}
    assert client.post(reverse("login"), {"username": "alice", "password": "a-long-test-passphrase"}).status_code == 302
    assert client.get("/").status_code == 200  # the session came from PostgreSQL
