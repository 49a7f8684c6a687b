"""Teams without the admin, for the three personas: a member manages, an outsider gets 404, anonymous signs in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from app.web.models import Repository, Team
from tests.web import factories

pytestmark = pytest.mark.django_db


def test_a_user_creates_a_team_and_is_its_first_member(client, django_user_model):
    user = django_user_model.objects.create_user("newcomer", password="a-long-test-passphrase")
    client.force_login(user)
    assert "belong to no team" in client.get(reverse("teams:list")).content.decode()
    response = client.post(reverse("teams:create"), {"name": "Platform Team"})
    team = Team.objects.get(name="Platform Team")
    assert response.status_code == 302 and response["Location"] == reverse("teams:detail", args=[team.slug])
    assert list(team.members.all()) == [user]
    assert client.post(reverse("teams:create"), {"name": "  "}).status_code == 400
    assert client.post(reverse("teams:create"), {"name": "Platform Team"}).status_code == 302
    assert Team.objects.filter(slug="platform-team-2").exists()  # the same name: another slug


def test_a_member_adds_and_removes_members(client, member, outsider, team):
    client.force_login(member)
    client.post(reverse("teams:add_member", args=[team.slug]), {"username": "mallory"})
    assert set(team.members.values_list("username", flat=True)) == {"alice", "mallory"}
    response = client.post(reverse("teams:add_member", args=[team.slug]), {"username": "nobody"}, follow=True)
    assert "There is no user &#x27;nobody&#x27;" in response.content.decode()
    client.post(reverse("teams:remove_member", args=[team.slug, outsider.pk]))
    assert list(team.members.values_list("username", flat=True)) == ["alice"]
    response = client.post(reverse("teams:remove_member", args=[team.slug, member.pk]), follow=True)
    assert "last member" in response.content.decode() and team.members.count() == 1


def test_a_member_of_two_teams_moves_a_repository(client, member, team, other_team):
    other_team.members.add(member)
    repo = factories.repository(team, "api")
    client.force_login(member)
    page = client.get(reverse("teams:detail", args=[team.slug])).content.decode()
    assert reverse("teams:move_repository", args=[team.slug, repo.slug]) in page
    client.post(reverse("teams:move_repository", args=[team.slug, repo.slug]), {"to": other_team.pk})
    assert Repository.objects.get(pk=repo.pk).team == other_team


def test_a_repository_cannot_be_moved_to_a_team_the_user_is_not_in(client, member, team, other_team):
    repo = factories.repository(team, "api")
    client.force_login(member)
    client.post(reverse("teams:move_repository", args=[team.slug, repo.slug]), {"to": other_team.pk})
    assert Repository.objects.get(pk=repo.pk).team == team


def test_the_overview_shows_the_team_numbers(client, member, team):
    repo = factories.repository(team, "api", created_at=timezone.now() - timedelta(days=30))
    factories.scan(
        repo, 60, when=timezone.now() - timedelta(days=9), statuses={3: "fail"}, findings=[(3, "high", "settings.py")]
    )
    factories.scan(
        repo, 72, when=timezone.now() - timedelta(days=1), statuses={3: "fail"}, findings=[(3, "high", "settings.py")]
    )
    factories.repository(team, "fresh")
    client.force_login(member)
    body = client.get(reverse("teams:detail", args=[team.slug])).content.decode()
    assert "<strong>72</strong>" in body and "+12.0" in body and "1 of 2 repositories scored" in body
    assert "III. Config</strong>: average 7.2/10; fails in 1 of 1" in body
    assert "<code>check.3</code> (III): in 1 repository, 1 finding" in body
    assert 'fresh</a>: <span class="reason-never">Not scored yet.' in body


def test_an_outsider_gets_404_and_an_anonymous_visitor_signs_in(client, outsider, team, member):
    repo = factories.repository(team, "api")
    urls = [
        reverse("teams:detail", args=[team.slug]),
        reverse("teams:add_member", args=[team.slug]),
        reverse("teams:move_repository", args=[team.slug, repo.slug]),
        reverse("teams:remove_member", args=[team.slug, member.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302 and "/login/" in client.get(url)["Location"]
    client.force_login(outsider)
    assert client.get(urls[0]).status_code == 404
    for url in urls[1:]:
        assert client.post(url, {"username": "mallory", "to": 1}).status_code == 404
    assert list(team.members.all()) == [member]
