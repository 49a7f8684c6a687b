"""The offline demo of a first run: example trees become local git repositories, scanned at each commit."""

from __future__ import annotations

import io
import time

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from app.web.models import Repository, Scan, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_root(settings, tmp_path):
    root = tmp_path / "demo-repos"
    settings.FACTORCARD = {
        **settings.FACTORCARD,
        "LOCAL_REPOSITORY_ROOT": str(root),
        "ALLOW_LOCAL_REPOSITORIES": False,
        "ALLOW_PRIVATE_HOSTS": False,
    }
    return root


def run(command: str) -> str:
    out = io.StringIO()
    call_command(command, stdout=out, stderr=out)
    return out.getvalue()


def test_a_first_run_gets_scorecards_history_and_a_comparison(client, demo_root, no_broker):
    assert "Created user 'demo' with password" in run("ensure_demo_user")
    started = time.monotonic()
    assert "Seeded the demo: 3 repositories, 5 scans" in run("seed_demo")
    assert time.monotonic() - started < 60  # "within a minute", on this 2-core machine
    team = Team.objects.get(slug="demo")
    assert sorted(team.repositories.values_list("name", flat=True)) == ["billing-worker", "docs-site", "shop-api"]
    assert list(team.members.values_list("username", flat=True)) == ["demo"]
    assert set(Scan.objects.values_list("state", flat=True)) == {Scan.DONE}
    shop = Repository.objects.get(name="shop-api")
    first, second = shop.scans.order_by("queued_at")
    assert first.commit_sha != second.commit_sha and (second.queued_at - first.queued_at).days == 7
    assert shop.clone_url.startswith(f"file://{demo_root}/")
    client.force_login(team.members.get())
    compare = client.get(reverse("compare", args=[shop.slug])).context["comparison"]
    assert [f.path for f in compare.fixed] == ["shop/app.py"]  # step 2 logs to stdout instead of shop.log
    assert client.get(reverse("history", args=[shop.slug])).status_code == 200


def test_a_later_run_seeds_nothing_and_prints_no_password(demo_root, no_broker):
    run("ensure_demo_user")
    run("seed_demo")
    again = run("ensure_demo_user")
    assert "password was printed on the first run" in again and "manage.py changepassword demo" in again
    assert "seeded already" in run("seed_demo")
    assert Scan.objects.count() == 5


def test_the_demo_needs_its_folder_setting(settings):
    settings.FACTORCARD = {**settings.FACTORCARD, "LOCAL_REPOSITORY_ROOT": ""}
    with pytest.raises(CommandError, match="LOCAL_REPOSITORY_ROOT"):
        call_command("seed_demo")
