"""The clinic is told: a real local HTTP receiver and a real local SMTP server, with
failures, retries and the record of each delivery."""
import datetime as dt
import hashlib
import hmac
import json
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from bot.db import EscalationDelivery, init_db, session_scope
from bot.escalation_relay import relay_once
from bot.escalation_spool import EscalationSpool
from bot.escalations import report_for_message
from bot.notifier import (SIGNATURE_HEADER, NotificationSettings, build_notifiers,
                          load_notification_settings)
from bot.servers import free_port
from tests.support.receivers import Mailbox, Receiver

RED_FLAG = {"intent": {"name": "red_flag_emergency"},
            "red_flag": {"escalate": True, "severity": "emergency", "symptoms": ["bleeding"]}}


@pytest.fixture
def receiver():
    receivers = []

    def make(failures=0):
        receivers.append(Receiver(failures))
        return receivers[-1]

    yield make
    for r in receivers:
        r.close()


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, mailbox
    controller.stop()


def settings(**values):
    base = dict(email_from="assistant@clinic.test", email_to=("triage@clinic.test",),
                smtp_security="none", clinic_name="Test Clinic", timeout_seconds=5)
    base.update(values)
    return NotificationSettings(**base)


def spool_one(tmp_path, message_id="m1", text="bleeding a lot since lunch"):
    spool = EscalationSpool(tmp_path / "spool")
    spool.put(report_for_message("conv-1", message_id, text, RED_FLAG, "rest", 1_700_000_000.0))
    return spool


def deliveries(db_url):
    with session_scope(db_url) as session:
        return {d.channel: (d.status, d.attempts, d.last_error)
                for d in session.execute(select(EscalationDelivery)).scalars()}


def make_due(db_url):
    with session_scope(db_url) as session:
        session.execute(update(EscalationDelivery).values(next_attempt_at=dt.datetime(2000, 1, 1)))


def test_webhook_gets_signed_json_and_email_is_sent(tmp_path, db_url, receiver, smtp_server):
    init_db(db_url)
    hook = receiver()
    controller, mailbox = smtp_server
    notifiers = build_notifiers(settings(webhook_url=hook.url, webhook_secret="s3cret",
                                         smtp_host="127.0.0.1", smtp_port=controller.port,
                                         staff_url="https://staff.clinic.test"))
    outcome = relay_once(spool_one(tmp_path), notifiers, db_url)
    assert (outcome.stored, outcome.delivered) == (1, 2)
    assert deliveries(db_url) == {"webhook": ("delivered", 1, None), "email": ("delivered", 1, None)}

    (headers, body), = hook.requests
    expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers[SIGNATURE_HEADER] == f"sha256={expected}"
    payload = json.loads(body)
    assert payload["event"] == "escalation"
    escalation = payload["escalation"]
    assert (escalation["severity"], escalation["symptoms"], escalation["conversation_id"],
            escalation["message"]) == ("emergency", ["bleeding"], "conv-1", "bleeding a lot since lunch")

    (sender, recipients, content), = mailbox.messages
    assert (sender, recipients) == ("assistant@clinic.test", ["triage@clinic.test"])
    email = message_from_bytes(content)
    assert "EMERGENCY" in email["Subject"] and "Test Clinic" in email["Subject"]
    text = email.get_payload()
    assert "conv-1" in text and "https://staff.clinic.test/escalations/" in text
    assert "told to call the emergency line now" in text
    assert "bleeding a lot since lunch" not in text  # the patient's words stay out of e-mail


def test_failed_webhook_is_retried_and_each_attempt_recorded(tmp_path, db_url, receiver):
    init_db(db_url)
    hook = receiver(failures=2)
    notifiers = build_notifiers(settings(webhook_url=hook.url))
    spool = spool_one(tmp_path)
    outcome = relay_once(spool, notifiers, db_url)
    assert (outcome.delivered, outcome.retrying) == (0, 1)
    status, attempts, error = deliveries(db_url)["webhook"]
    assert (status, attempts) == ("pending", 1) and "503" in error
    # not due yet: nothing is sent
    assert relay_once(spool, notifiers, db_url).retrying == 0 and len(hook.requests) == 1
    make_due(db_url)
    relay_once(spool, notifiers, db_url)
    make_due(db_url)
    outcome = relay_once(spool, notifiers, db_url)
    assert outcome.delivered == 1
    assert deliveries(db_url)["webhook"] == ("delivered", 3, None)
    assert len(hook.requests) == 3


def test_email_waits_for_the_mail_server_to_come_back(tmp_path, db_url):
    init_db(db_url)
    port = free_port()  # nothing listens here yet
    notifiers = build_notifiers(settings(smtp_host="127.0.0.1", smtp_port=port))
    spool = spool_one(tmp_path)
    assert relay_once(spool, notifiers, db_url).retrying == 1
    assert deliveries(db_url)["email"][0] == "pending"
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        make_due(db_url)
        assert relay_once(spool, notifiers, db_url).delivered == 1
    finally:
        controller.stop()
    assert len(mailbox.messages) == 1
    assert deliveries(db_url)["email"][:2] == ("delivered", 2)


def test_delivery_gives_up_after_the_last_attempt(tmp_path, db_url, receiver, caplog):
    init_db(db_url)
    hook = receiver(failures=100)
    notifiers = build_notifiers(settings(webhook_url=hook.url, max_attempts=2))
    spool = spool_one(tmp_path)
    relay_once(spool, notifiers, db_url)
    make_due(db_url)
    outcome = relay_once(spool, notifiers, db_url)
    assert outcome.failed == 1
    assert deliveries(db_url)["webhook"][:2] == ("failed", 2)
    assert "could not be delivered" in caplog.text


def test_settings_from_clinic_yml_and_environment(tmp_path, monkeypatch):
    config = tmp_path / "clinic.yml"
    config.write_text("clinic_name: Riverside\nnotifications:\n  webhook_url: https://a.test/h\n"
                      "  smtp_host: ''\n  max_attempts: 5\n")
    loaded = load_notification_settings(config)
    assert (loaded.webhook_url, loaded.smtp_host, loaded.max_attempts) == ("https://a.test/h", None, 5)
    assert build_notifiers(loaded).channels == ["webhook"]
    monkeypatch.setenv("SMTP_HOST", "mail.test")
    monkeypatch.setenv("ESCALATION_EMAIL_FROM", "bot@a.test")
    monkeypatch.setenv("ESCALATION_EMAIL_TO", "one@a.test, two@a.test")
    monkeypatch.setenv("ESCALATION_WEBHOOK_URL", "")  # empty: the file's value stands
    loaded = load_notification_settings(config)
    assert loaded.email_to == ("one@a.test", "two@a.test")
    assert build_notifiers(loaded).channels == ["email", "webhook"]
    monkeypatch.setenv("ESCALATION_WEBHOOK_URL", "off")  # "off": turned off
    assert build_notifiers(load_notification_settings(config)).channels == ["email"]
    monkeypatch.delenv("ESCALATION_EMAIL_FROM")
    with pytest.raises(ValueError, match="email_from"):
        load_notification_settings(config)
    monkeypatch.setenv("ESCALATION_EMAIL_FROM", "bot@a.test")
    monkeypatch.setenv("SMTP_SECURITY", "tls1")
    with pytest.raises(ValueError, match="smtp_security"):
        load_notification_settings(config)


def test_the_shipped_clinic_yml_has_notifications_off_until_configured(monkeypatch):
    for variable in ("ESCALATION_WEBHOOK_URL", "SMTP_HOST"):
        monkeypatch.delenv(variable, raising=False)
    assert build_notifiers(load_notification_settings()).channels == []
