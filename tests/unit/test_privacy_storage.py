"""What is written, and what leaves the machine, holds no personal details: the tracker
store writes user messages redacted and bot messages as sent, the escalation is still made
(from the original) and its stored message is redacted, and so are the clinic's webhook
and e-mail."""
import asyncio
import json
import re

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

from bot.escalation_spool import EscalationSpool
from bot.notifier import EmailNotifier, NotificationSettings, WebhookNotifier
from bot.privacy.stored_events import stored_form
from bot.tracker_store import EscalationRecordingTrackerStore
from tests.support.receivers import Receiver

MESSAGE = "I'm Sarah Jones, call 07700 900123, I'm bleeding heavily at 16 weeks"
DETAILS = ("Sarah", "Jones", "07700", "900123")
REPLY = "Please call 020 7946 0999 (24 hours) or 999 now."


def _parse(text):
    week = re.search(r"16 weeks", text)
    return {
        "intent": {"name": "red_flag_emergency", "confidence": 1.0}, "text": text,
        "entities": [{"entity": "gestational_week", "value": 16, "start": week.start(),
                      "end": week.end(), "confidence_entity": 1.0,
                      "extractor": "GestationalAgeExtractor"}],
        "text_tokens": [[m.start(), m.end()] for m in re.finditer(r"\S+", text)],
        "red_flag": {"escalate": True, "severity": "emergency", "symptoms": ["bleeding"],
                     "findings": [{"code": "bleeding", "text": "bleeding heavily"}]},
    }


def _turn(sender, text, message_id="m1"):
    tracker = DialogueStateTracker(sender, slots=[])
    tracker.update(UserUttered(text, parse_data=_parse(text), input_channel="rest",
                               message_id=message_id))
    tracker.update(BotUttered(REPLY, data={"custom": {"topic": "red_flag", "escalate": True}}))
    return tracker


def _stored_events(db_url, sender):
    with create_engine(db_url).connect() as connection:
        return [(type_name, json.loads(data)) for type_name, data in connection.execute(text(
            "SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender})]


def test_user_text_is_stored_redacted_and_bot_text_as_sent(tmp_path, db_url):
    store = EscalationRecordingTrackerStore(domain=Domain.empty(), host=db_url,
                                            spool_dir=str(tmp_path / "spool"), relay=False)
    tracker = _turn("p1", MESSAGE)
    asyncio.run(store.save(tracker))

    assert tracker.latest_message.text == MESSAGE  # the running turn is untouched
    events = _stored_events(db_url, "p1")
    (user,) = [data for kind, data in events if kind == "user"]
    (bot,) = [data for kind, data in events if kind == "bot"]
    assert user["text"] == "I'm [name], call [phone], I'm bleeding heavily at 16 weeks"
    assert user["parse_data"]["text"] == user["text"]
    assert bot["text"] == REPLY
    stored = json.dumps(events)
    assert not any(detail in stored for detail in DETAILS)
    # what the next turn and staff need is kept, with offsets into the stored text
    parse = user["parse_data"]
    assert parse["intent"] == {"name": "red_flag_emergency", "confidence": 1.0}
    assert parse["red_flag"]["symptoms"] == ["bleeding"]
    assert parse["red_flag"]["findings"][0]["text"] == "bleeding heavily"
    (week,) = parse["entities"]
    assert week["value"] == 16 and user["text"][week["start"]:week["end"]] == "16 weeks"
    assert [user["text"][s:e] for s, e in parse["text_tokens"]][:3] == ["I'm", "[name],", "call"]

    # the next turn reads the conversation back: earlier user messages come back redacted
    back = asyncio.run(store.retrieve("p1"))
    assert back.latest_message.text == user["text"]
    assert back.latest_message.intent_name == "red_flag_emergency"


def test_the_escalation_is_made_from_the_original_and_spooled_redacted(tmp_path, db_url):
    store = EscalationRecordingTrackerStore(domain=Domain.empty(), host=db_url,
                                            spool_dir=str(tmp_path / "spool"), relay=False)
    asyncio.run(store.save(_turn("p2", MESSAGE)))
    (path,) = EscalationSpool(tmp_path / "spool").pending()
    report = json.loads(path.read_text())
    assert (report["kind"], report["severity"], report["symptoms"]) == (
        "red_flag", "emergency", ["bleeding"])
    assert report["message"] == "I'm [name], call [phone], I'm bleeding heavily at 16 weeks"
    assert not any(detail in path.read_text() for detail in DETAILS)


def test_a_message_without_details_is_stored_as_it_is(tmp_path, db_url):
    store = EscalationRecordingTrackerStore(domain=Domain.empty(), host=db_url,
                                            spool_dir=str(tmp_path / "spool"), relay=False)
    plain = "I'm bleeding heavily at 16 weeks"
    tracker = _turn("p3", plain)
    asyncio.run(store.save(tracker))
    (user,) = [data for kind, data in _stored_events(db_url, "p3") if kind == "user"]
    assert user == tracker.latest_message.as_dict()
    assert stored_form(tracker.latest_message) is tracker.latest_message


def test_an_entity_taken_from_a_detail_keeps_only_the_marker():
    text = "my number is 07700 900123"
    start = text.index("07700")
    entities = [{"entity": "phone", "value": "07700 900123", "start": start, "end": len(text)}]
    event = UserUttered(text, {"name": "contact"}, entities,
                        {"intent": {"name": "contact"}, "text": text, "entities": entities})
    stored = stored_form(event)
    assert stored.parse_data["entities"] == [
        {"entity": "phone", "value": "[phone]", "start": start, "end": start + len("[phone]")}]
    assert stored.entities[0]["value"] == "[phone]"
    assert event.parse_data["entities"][0]["value"] == "07700 900123"  # the original is kept


def test_the_clinic_gets_the_redacted_message_by_webhook_and_e_mail():
    escalation = {"id": 7, "kind": "red_flag", "severity": "emergency", "symptoms": ["bleeding"],
                  "conversation_id": "p4", "message": MESSAGE, "input_channel": "rest",
                  "status": "open", "reported_at": "2024-01-01T10:00:00Z"}
    receiver = Receiver()
    try:
        WebhookNotifier(NotificationSettings(webhook_url=receiver.url)).send(escalation)
        (_, body), = receiver.requests
    finally:
        receiver.close()
    sent = json.loads(body)["escalation"]
    assert sent["message"] == "I'm [name], call [phone], I'm bleeding heavily at 16 weeks"
    mail = EmailNotifier(NotificationSettings(
        smtp_host="127.0.0.1", email_from="a@clinic.test", email_to=("t@clinic.test",),
        email_includes_message=True)).compose(escalation).get_content()
    assert "Message: I'm [name], call [phone]" in mail
    assert not any(detail in mail + body.decode() for detail in DETAILS)
