"""What issue 13 asked of the pages: a heatmap to read without hovering, every scan at its own URL, a
history table, comparison defaults that compare something, readable messages and a sort menu in words."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from app.web import queries
from app.web.models import Finding, Scan
from tests.web import factories

pytestmark = pytest.mark.django_db
NOW = timezone.now()


@pytest.fixture
def fleet(team):
    """Three repositories: config fails in two, and one gains a finding on a factor already at 0."""
    a, b, c = (factories.repository(team, n) for n in ("alpha", "bravo", "charlie"))
    factories.scan(a, 40, when=NOW - timedelta(days=2), statuses={3: "fail"}, findings=[(3, "critical", "a.py")])
    factories.scan(
        a,
        40,
        when=NOW - timedelta(hours=1),
        statuses={3: "fail"},
        findings=[(3, "critical", "a.py"), (3, "high", "b.py"), (3, "high", "c.py")],
    )
    factories.scan(b, 70, statuses={3: "fail", 6: "na"}, findings=[(3, "high", "x.py")])
    factories.scan(c, 90)
    return a, b, c


def row_of(body: str, name: str) -> str:
    return re.search(
        rf"<tr>\s*<th scope=\"row\" class=\"name\" data-label=\"Repository\"><a href=\"[^\"]+\">{name}</a>"
        r".*?</tr>",
        body,
        re.S,
    ).group()


def test_the_heatmap_has_a_column_per_factor_and_cells_link_to_the_factor(client, member, fleet):
    a, _b, _c = fleet
    client.force_login(member)
    body = client.get("/").content.decode()
    headers = [
        (r, n) for n, r in re.findall(r'<span class="fname">([^<]+)</span> <span class="roman">([IVX]+)</span>', body)
    ]
    assert [r for r, _ in headers] == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
    assert ("III", "Config") in headers
    row = row_of(body, "alpha")
    assert f'href="{a.get_absolute_url()}#factor-3"' in row
    assert "✗\u20094" in row  # the score is written in the cell, not only on hover


def test_a_factor_at_zero_that_gains_findings_shows_the_new_count(client, member, fleet):
    client.force_login(member)
    row = row_of(client.get("/").content.decode(), "alpha")
    assert '<sup class="new" aria-hidden="true">+2</sup>' in row
    assert "2 new findings since the previous scan" in row
    assert row.count('class="new"') == 1  # only factor 3 changed


def test_the_totals_row_counts_failing_repositories_per_factor(client, member, fleet):
    client.force_login(member)
    response = client.get("/")
    totals = {t.number: (t.failing, t.scored) for t in response.context["totals"]}
    assert totals[3] == (2, 3) and totals[6] == (0, 2) and totals[1] == (0, 3)
    assert "Config fails in 2 of 3" in response.content.decode()


def test_the_totals_count_every_page_not_only_the_one_shown(client, member, fleet, monkeypatch):
    monkeypatch.setattr(queries, "PER_PAGE", 1)
    client.force_login(member)
    response = client.get("/", {"sort": "name"})
    assert [r.name for r in response.context["repositories"]] == ["alpha"]
    totals = {t.number: (t.failing, t.scored) for t in response.context["totals"]}
    assert totals[3] == (2, 3) and totals[6] == (0, 2)  # the one-page answer, from a query this time


def test_the_sorted_factor_column_is_highlighted(client, member, fleet):
    client.force_login(member)
    body = client.get("/", {"sort": "-f3"}).content.decode()
    assert re.search(
        r'<th scope="col" class="fcol sorted" aria-sort="descending"><a [^>]*title="Sort by 3\. Config"', body
    )
    assert row_of(body, "alpha").count("sorted") == 1


def test_a_trend_is_shown_only_where_there_is_one(client, member, fleet):
    client.force_login(member)
    body = client.get("/").content.decode()
    assert "since the previous scan" in row_of(body, "alpha")
    assert 'class="trend ' not in row_of(body, "charlie")  # one scan: nothing to compare with


def test_the_sort_menu_words_each_direction(client, member, fleet):
    client.force_login(member)
    body = client.get("/").content.decode()
    options = re.findall(r'<option value="(-?(?:name|score|last|f\d+))"[^>]*>([^<]+)</option>', body)
    labels = dict(options)
    assert labels["name"] == "Name, A to Z" and labels["-name"] == "Name, Z to A"
    assert labels["-f10"] == "X. Dev/prod parity, high to low"
    assert "Name, high to low" not in body
    assert max(len(label) for label in labels.values()) <= 36  # fits a phone's select


def test_every_scan_opens_at_its_own_url_as_it_was(client, member, team):
    repo = factories.repository(team, "api")
    old = factories.scan(repo, 55, when=NOW - timedelta(days=3), findings=[(11, "high", "old_logs.py")])
    new = factories.scan(repo, 80, findings=[(3, "medium", "settings.py")])
    client.force_login(member)
    body = client.get(reverse("scan", args=[repo.slug, old.pk])).content.decode()
    assert "old_logs.py" in body and "settings.py" not in body
    assert f"This is scan #{old.pk}" in body and 'href="/repositories/platform-api/"' in body
    assert f"https://github.com/acme/api/blob/{old.commit_sha}/old_logs.py#L3" in body  # linked at its commit
    assert client.get(reverse("scan", args=[repo.slug, new.pk])).status_code == 200
    failed = Scan.objects.create(repository=repo, state=Scan.FAILED, error="x")
    assert client.get(reverse("scan", args=[repo.slug, failed.pk])).status_code == 404


def test_the_history_lists_scans_with_commit_links_trigger_score_and_change(client, member, team):
    repo = factories.repository(team, "api")
    first = factories.scan(repo, 55, when=NOW - timedelta(days=3))
    second = factories.scan(repo, 61, when=NOW - timedelta(days=1))
    client.force_login(member)
    body = client.get(reverse("history", args=[repo.slug])).content.decode()
    table = body[body.index('<table class="scans">') : body.index("</table>")]
    assert table.index(second.short_sha) < table.index(first.short_sha)  # newest first
    assert f'href="{reverse("scan", args=[repo.slug, first.pk])}"' in table
    assert f'href="https://github.com/acme/api/commit/{second.commit_sha}"' in table
    assert "manual" in table and "+6.0" in table
    assert f"{first.queued_at:%d %b}" in body  # dated x-axis labels under the charts


def test_the_comparison_skips_a_newest_scan_of_the_same_commit(client, member, team):
    repo = factories.repository(team, "api")
    older = factories.scan(repo, 50, when=NOW - timedelta(days=2), commit="a" * 40)
    middle = factories.scan(repo, 60, when=NOW - timedelta(days=1), commit="b" * 40)
    newest = factories.scan(repo, 60, when=NOW, commit="b" * 40)
    client.force_login(member)
    ctx = client.get(reverse("compare", args=[repo.slug])).context
    assert (ctx["a"], ctx["b"]) == (older, newest)
    assert client.get(repo.get_absolute_url()).context["compare_a"] == older
    assert middle.commit_sha == newest.commit_sha


def test_the_comparison_puts_the_older_scan_first_and_labels_by_commit_and_date(client, member, team):
    repo = factories.repository(team, "api")
    older = factories.scan(repo, 50, when=NOW - timedelta(days=2))
    newer = factories.scan(repo, 60, when=NOW)
    client.force_login(member)
    response = client.get(reverse("compare", args=[repo.slug]), {"a": newer.pk, "b": older.pk})
    assert (response.context["a"], response.context["b"]) == (older, newer)
    body = response.content.decode()
    assert "are swapped" in body
    assert f">{older.short_sha} · {older.queued_at:%d %b %Y %H:%M} · score 50</option>" in body


def test_backticks_in_messages_render_as_code(client, member, team):
    repo = factories.repository(team, "api")
    factories.scan(repo, 70, findings=[(9, "medium", "Procfile")])
    Finding.objects.update(message="`sh -c` runs <the> command", remediation="Use `exec` in `Procfile`.")
    client.force_login(member)
    body = client.get(repo.get_absolute_url()).content.decode()
    assert "<code>sh -c</code> runs &lt;the&gt; command" in body
    assert "Use <code>exec</code> in <code>Procfile</code>." in body
    assert "`sh -c`" not in body


def test_a_user_in_no_team_is_told_what_to_do(client, django_user_model):
    loner = django_user_model.objects.create_user("loner", password="a-long-test-passphrase")
    client.force_login(loner)
    for url in ("/", reverse("add_repository")):
        body = client.get(url).content.decode()
        assert "belong to no team" in body and reverse("teams:list") in body or reverse("teams:create") in body
    assert 'id="id_team"' not in client.get(reverse("add_repository")).content.decode()
