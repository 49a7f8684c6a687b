"""The worker's side of a webhook scan, in-process against real git repositories served by git daemon:
the pushed commit is what gets scored, even when the branch has moved on since the push."""

from __future__ import annotations

import pytest

from app.web import pipeline
from app.web.models import Finding, Repository, Scan
from tests.conftest import SAMPLE_SERVICE

pytestmark = pytest.mark.django_db

FIXED_LOGGING = "import logging\nimport sys\nlogging.basicConfig(stream=sys.stdout)\n"


def webhook_scan(team, url: str, commit: str) -> Scan:
    repo = Repository.objects.create(team=team, name=url.rsplit("/", 1)[1], clone_url=url, default_branch="main")
    return pipeline.request_scan(repo, Scan.WEBHOOK, branch="main", commit=commit)


def test_it_scores_the_pushed_commit_not_the_branch_tip(team, git_server, allow_local, no_broker):
    url = git_server.create("moved-on", SAMPLE_SERVICE)
    pushed = git_server.push("moved-on", {"worker.py": "print('hello')\n"}, "the pushed commit")
    tip = git_server.push("moved-on", {"settings.py": FIXED_LOGGING}, "a later push")
    scan = webhook_scan(team, url, pushed)
    pipeline.run_scan(scan.pk)
    scan.refresh_from_db()
    assert scan.state == Scan.DONE, scan.error
    assert scan.commit_sha == pushed != tip
    assert scan.branch == "main"
    # the pushed commit still logs to a file; the tip no longer does
    assert Finding.objects.filter(factor_result__scan=scan, check_id="logs.file-handler").exists()


def test_a_pushed_commit_at_the_tip_is_scored_as_cloned(team, git_server, allow_local, no_broker):
    url = git_server.create("at-tip", SAMPLE_SERVICE)
    tip = git_server.push("at-tip", {"settings.py": FIXED_LOGGING})
    scan = webhook_scan(team, url, tip)
    pipeline.run_scan(scan.pk)
    scan.refresh_from_db()
    assert (scan.state, scan.commit_sha) == (Scan.DONE, tip)
    assert not Finding.objects.filter(factor_result__scan=scan, check_id="logs.file-handler").exists()


def test_a_commit_the_server_does_not_have_fails_with_a_reason(team, git_server, allow_local, no_broker):
    url = git_server.create("force-pushed", SAMPLE_SERVICE)
    scan = webhook_scan(team, url, "f" * 40)  # force-pushed away, or never there
    pipeline.run_scan(scan.pk)
    scan.refresh_from_db()
    assert scan.state == Scan.FAILED
    assert "The pushed commit ffffffffffff could not be fetched" in scan.error
