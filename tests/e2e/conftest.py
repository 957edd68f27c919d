"""Servers for the end-to-end tests: the trained model, the action server and Rasa on
free ports, a temporary SQLite database and spool, and a local HTTP receiver and a local
SMTP server standing in for the clinic's escalation webhook and mailbox (and a local fake
of the messaging apps' APIs, tests/support/fake_platforms.py)."""
import time
import uuid
from dataclasses import dataclass

import pytest
import requests

from aiosmtpd.controller import Controller

from bot.knowledge_base import load_answers
from bot.servers import RunningAssistant, free_port, running_assistant
from tests.conftest import ROOT
from tests.support.fake_platforms import FakePlatforms
from tests.support.receivers import Mailbox, Receiver

MODEL = ROOT / "models" / "assistant.tar.gz"


@dataclass
class E2E:
    servers: RunningAssistant
    db_url: str
    receiver: Receiver
    mailbox: Mailbox = None
    platforms: FakePlatforms = None  # the messaging apps' APIs

    @property
    def webhook(self) -> str:
        return self.servers.webhook

    def say(self, message: str, sender: str = None) -> list:
        response = requests.post(self.webhook, json={"sender": sender or new_sender(),
                                                     "message": message}, timeout=60)
        assert response.status_code == 200, response.text[:200]
        return response.json()


def new_sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:10]}"


def contract(replies: list) -> dict:
    """The reply contract of the first bot message that carries one."""
    payloads = [r["custom"] for r in replies if "custom" in r]
    assert payloads, replies
    return payloads[0]


def text_of(replies: list) -> str:
    return " ".join(r.get("text", "") for r in replies)


def wait_until(check, timeout: float = 20.0, every: float = 0.25):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)


# The web pages allowed to use the channels in these tests (CORS): a clinic's site, and
# the demo page the browser tests serve on DEMO_PORT.
ALLOWED_ORIGIN = "https://www.clinic.example"
DEMO_PORT = free_port()
DEMO_ORIGIN = f"http://127.0.0.1:{DEMO_PORT}"


def start_servers(db_url, tmp_path, receiver, smtp_port=None, platforms=None):
    if not MODEL.exists():
        pytest.fail("No trained model: run `make train` (make test does).")
    env = {"ESCALATION_SPOOL_DIR": str(tmp_path / "spool"),
           "ESCALATION_WEBHOOK_URL": receiver.url, "ESCALATION_WEBHOOK_SECRET": "e2e",
           "SMTP_HOST": "off",  # never the clinic's own mail server
           "ALLOWED_ORIGINS": f"{ALLOWED_ORIGIN},{DEMO_ORIGIN}"}
    if smtp_port:
        env.update({"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_port),
                    "SMTP_SECURITY": "none", "ESCALATION_EMAIL_FROM": "assistant@clinic.test",
                    "ESCALATION_EMAIL_TO": "triage@clinic.test"})
    if platforms:
        env.update(platforms.env)
    return running_assistant(model=str(MODEL), db_url=db_url, extra_env=env,
                             log_dir=ROOT / "var" / "logs" / "e2e")


@pytest.fixture(scope="session")
def e2e(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("e2e")
    db_url = f"sqlite:///{tmp_path / 'assistant.db'}"
    load_answers(url=db_url)
    receiver = Receiver()
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    platforms = FakePlatforms()
    try:
        with start_servers(db_url, tmp_path, receiver, smtp.port, platforms) as servers:
            yield E2E(servers, db_url, receiver, mailbox, platforms)
    finally:
        receiver.close()
        smtp.stop()
        platforms.close()
