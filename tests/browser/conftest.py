"""Playwright against the system Chromium (no browser download), and a screenshot helper.

Screenshots go to artifacts/screenshots/ (git-ignored); look at them after a run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import ROOT

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + Playwright's event loop in one process
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]
SHOTS = ROOT / "artifacts" / "screenshots"
PASSWORD = "a-long-test-passphrase"  # the `member` persona's, from tests/conftest.py


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            "args": ARGS}


@pytest.fixture
def shot(request):
    """shot(page, "step") saves artifacts/screenshots/<test>-<step>.png (the whole page)."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, step: str, full_page: bool = True) -> Path:
        path = SHOTS / f"{request.node.originalname}-{step}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return save


def sign_in(page, base_url: str, username: str = "alice", password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/")
