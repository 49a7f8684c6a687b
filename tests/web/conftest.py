import pytest

from app.web import pipeline


@pytest.fixture
def no_broker(monkeypatch):
    """Keep unit tests off the broker: record the scan ids that would have been sent."""
    sent = []
    monkeypatch.setattr(pipeline, "enqueue", lambda scan_id, queue="interactive": sent.append(scan_id) or True)
    return sent
