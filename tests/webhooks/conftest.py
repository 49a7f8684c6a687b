import pytest

from app.web import pipeline
from app.webhooks import hooks


@pytest.fixture
def no_broker(monkeypatch):
    """Keep these tests off the broker: record the scan ids that would have been sent."""
    sent = []
    monkeypatch.setattr(pipeline, "enqueue", lambda scan_id, *queue: sent.append(scan_id) or True)
    return sent


@pytest.fixture
def repo(team):
    from tests.web.factories import repository

    return repository(team, "demo", default_branch="main")


@pytest.fixture
def hook(repo):
    return hooks.hook_for(repo)


@pytest.fixture
def url(hook):
    return f"/hooks/{hook.token}"


@pytest.fixture
def secret(repo):
    return repo.webhook_secret
