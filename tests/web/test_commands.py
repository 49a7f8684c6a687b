"""One-off admin commands: score a path now, queue a rescan of everything."""

import io

import pytest
from django.core.management import CommandError, call_command

from app.web.models import Repository, Scan
from tests.conftest import SAMPLE_SERVICE
from tests.scoring.conftest import write_tree


def test_score_prints_a_scorecard_for_a_local_checkout(tmp_path):
    write_tree(tmp_path, SAMPLE_SERVICE)
    out = io.StringIO()
    call_command("score", str(tmp_path), stdout=out)
    text = out.getvalue()
    assert "Overall score:" in text
    assert "settings.py:2" in text  # the file-logging violation, with its location


def test_score_refuses_a_hostile_url(settings):
    settings.FACTORCARD = {**settings.FACTORCARD, "ALLOW_PRIVATE_HOSTS": False, "ALLOW_LOCAL_REPOSITORIES": False}
    with pytest.raises(CommandError, match="ext::"):
        call_command("score", "ext::ssh")


def test_score_clones_and_scores_a_url(git_server, allow_local):
    url = git_server.create("cmd", SAMPLE_SERVICE)
    out = io.StringIO()
    call_command("score", url, "--format", "json", stdout=out)
    assert '"schema_version": 2' in out.getvalue()


@pytest.mark.django_db
def test_rescore_all_queues_one_scan_per_repository(team, no_broker):
    for name in ("a", "b"):
        Repository.objects.create(team=team, name=name, clone_url=f"https://example.test/{name}.git")
    out = io.StringIO()
    call_command("rescore_all", stdout=out)
    assert "Queued 2 scans" in out.getvalue()
    assert Scan.objects.filter(trigger=Scan.SCHEDULE).count() == 2
