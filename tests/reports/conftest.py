"""A real SMTP server on loopback (aiosmtpd), configured the way a deploy is: through EMAIL_URL."""

from __future__ import annotations

import asyncio
import email
import threading
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage

import environ
import pytest
import time_machine
from aiosmtpd.controller import Controller

from tests.conftest import free_port

from .story import NOW


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=policy.default)

    def part(self, kind: str) -> str:
        """The decoded text of the text/plain or text/html part."""
        return self.message.get_body(preferencelist=(kind.split("/")[1],)).get_content().replace("\r\n", "\n")

    def header(self, name: str) -> str:
        """A header's value, unfolded (a long one is folded onto a line of its own)."""
        return str(self.message[name]).strip()


class Sink:
    """What the server received. `refuse[address]` lists answers to give to RCPT TO for that address,
    one per attempt (then it accepts); `delay` holds each DATA that long (to make races overlap)."""

    def __init__(self):
        self.received: list[Received] = []
        self.refuse: dict[str, list[str]] = {}
        self.delay = 0.0
        self.url = ""
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        answers = self.refuse.get(address.lower())
        if answers:
            return answers.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]


@pytest.fixture
def smtp(settings):
    """pytest-django swaps in the locmem backend for every test: EMAIL_URL's settings are put back here."""
    sink = Sink()
    port = free_port()  # Controller(port=0) cannot tell its own port to the readiness check
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    sink.url = f"smtp://127.0.0.1:{port}"
    for key, value in environ.Env.email_url_config(sink.url).items():
        setattr(settings, key, value)
    settings.EMAIL_TIMEOUT = 10
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://factorcard.example.com"
    settings.DEFAULT_FROM_EMAIL = "Factorcard <reports@factorcard.example.com>"
    return settings.SITE_URL


@pytest.fixture
def monday():
    """The clock at Monday 30 November 2026, 08:00 UTC (the report of 2026-W48), standing still."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
