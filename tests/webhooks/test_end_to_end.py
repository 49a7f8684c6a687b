"""End to end with real processes: a signed delivery to the hook URL, a real Celery worker against the
real Redis and PostgreSQL, repositories served by git daemon on loopback."""

from __future__ import annotations

import importlib.util

import pytest

from app.web import pipeline
from app.web.models import FactorResult, Repository, Scan
from app.webhooks import hooks
from tests.conftest import SAMPLE_SERVICE, wait_until
from tests.webhooks import payloads as p

pytestmark = pytest.mark.django_db(transaction=True)

FIXED_LOGGING = "import logging\nimport sys\nlogging.basicConfig(stream=sys.stdout)\n"


def final(scan_id: int, timeout: float = 90) -> Scan:
    return wait_until(lambda: (s := Scan.objects.get(pk=scan_id)).is_final and s, timeout=timeout)


def test_a_push_makes_a_worker_score_the_pushed_commit(client, team, member, git_server, start_worker):
    url = git_server.create("pushed", SAMPLE_SERVICE)
    decoy = git_server.create("decoy", {"README.md": "Not the repository the hook was set up for.\n"})
    pushed = git_server.push("pushed", {"worker.py": "print('work')\n"}, "the pushed commit")
    tip = git_server.push("pushed", {"settings.py": FIXED_LOGGING}, "pushed a moment later")
    repo = Repository.objects.create(team=team, name="pushed", clone_url=url, default_branch="main")
    hook = hooks.hook_for(repo)
    start_worker("webhook-e2e")
    # The payload names another repository as its clone URL: it must play no part.
    response = p.github_push(repo.webhook_secret, pushed, clone_url=decoy).post(client, f"/hooks/{hook.token}")
    assert response.status_code == 202, response.content
    done = final(response.json()["scan"])
    assert done.state == Scan.DONE, done.error
    assert (done.repository, done.trigger, done.commit_sha) == (repo, Scan.WEBHOOK, pushed)
    assert done.commit_sha != tip
    assert FactorResult.objects.filter(scan=done).count() == 12
    assert FactorResult.objects.get(scan=done, factor=11).status == "fail"  # the pushed commit logs to a file
    client.force_login(member)
    history = client.get(f"/repositories/{repo.slug}/history/").content.decode()
    assert f"#{done.pk}" in history and pushed[:8] in history
    assert done.trigger == "webhook"


@pytest.mark.skipif(
    importlib.util.find_spec("app.web.queues") is None,
    reason="needs the interactive and bulk queues of issue 9 (app/web/queues.py)",
)
def test_a_burst_of_scheduled_scans_does_not_delay_a_webhook_scan(client, team, git_server, start_worker):
    for n in range(8):
        Repository.objects.create(team=team, name=f"bulk-{n}", clone_url=git_server.create(f"bulk-{n}", SAMPLE_SERVICE))
    url = git_server.create("urgent", SAMPLE_SERVICE)
    pushed = git_server.push("urgent", {"worker.py": "print('work')\n"})
    repo = Repository.objects.create(team=team, name="urgent", clone_url=url, default_branch="main")
    assert pipeline.rescore_all() == 9  # every repository, this one included, queued on `bulk` first
    response = p.github_push(repo.webhook_secret, pushed).post(client, f"/hooks/{hooks.hook_for(repo).token}")
    assert response.status_code == 202
    start_worker("priority")  # one process, the Procfile's queues in their order
    webhook = final(response.json()["scan"])
    assert webhook.state == Scan.DONE, webhook.error
    before = Scan.objects.filter(trigger=Scan.SCHEDULE, state=Scan.DONE, finished_at__lt=webhook.finished_at)
    assert before.count() <= 1, list(before.values_list("repository__name", flat=True))  # at most one prefetched
