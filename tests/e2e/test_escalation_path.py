"""The escalation path end to end, through the REST channel of the running servers:
the whole safety table, red flags in the middle of follow-ups and of an open handoff,
the record and the clinic's webhook, and the action server stopped and restarted."""
import json

import pytest
import yaml
from sqlalchemy import select

from bot.db import Escalation, EscalationDelivery, session_scope
from bot.escalations import set_status
from tests.conftest import DATA
from tests.e2e.conftest import contract, new_sender, text_of, wait_until

pytestmark = pytest.mark.e2e
SAFETY_TABLE = yaml.safe_load((DATA / "red_flag_cases.yml").read_text())["cases"]


def escalations_of(db_url, sender):
    with session_scope(db_url) as session:
        return [(e.kind, e.severity, e.message) for e in session.execute(
            select(Escalation).where(Escalation.conversation_id == sender)
            .order_by(Escalation.id)).scalars()]


def test_the_safety_table_through_the_rest_channel(e2e, capsys):
    """Every message of the reviewed table, each in a new conversation: what the patient
    sees (the reply contract), not only what the detector says."""
    missed, under, false = [], [], []
    for case in SAFETY_TABLE:
        payload = contract(e2e.say(case["text"]))
        if case["escalate"] and not payload["escalate"]:
            missed.append(case["text"])
        if case["severity"] == "emergency" and payload["severity"] != "emergency":
            under.append(case["text"])
        if not case["escalate"] and payload["escalate"]:
            false.append(case["text"])
    calm = sum(not c["escalate"] for c in SAFETY_TABLE)
    with capsys.disabled():
        print(f"\nsafety table through REST: {len(SAFETY_TABLE)} messages, missed {len(missed)}, "
              f"emergency under-triaged {len(under)}, false escalations {len(false)}/{calm}")
        for text in false:
            print(f"  false escalation: {text!r}")
    assert missed == [] and under == []
    assert len(false) <= 0.03 * calm, false


def test_red_flag_is_recorded_and_the_clinic_is_notified(e2e):
    sender = new_sender()
    replies = e2e.say("results soon? also soaking pads with blood", sender)
    payload = contract(replies)
    assert (payload["topic"], payload["escalate"], payload["severity"]) == ("red_flag", True, "emergency")
    assert "020 7946 0999" in text_of(replies)  # the emergency number from clinic.yml
    assert wait_until(lambda: escalations_of(e2e.db_url, sender)) == [
        ("red_flag", "emergency", "results soon? also soaking pads with blood")]

    def delivered():
        bodies = [json.loads(body) for _, body in e2e.receiver.requests]
        return [b for b in bodies if b["escalation"]["conversation_id"] == sender]

    (notice,) = wait_until(delivered)
    assert notice["escalation"]["severity"] == "emergency"
    assert "bleeding" in notice["escalation"]["symptoms"]

    def delivery():
        with session_scope(e2e.db_url) as session:
            return session.execute(
                select(EscalationDelivery.channel, EscalationDelivery.status,
                       EscalationDelivery.attempts).join(Escalation)
                .where(Escalation.conversation_id == sender)).all()

    assert wait_until(lambda: sorted(delivery()) == [("email", "delivered", 1),
                                                      ("webhook", "delivered", 1)])
    mails = [content for _, _, content in e2e.mailbox.messages if sender.encode() in content]
    assert len(mails) == 1 and b"EMERGENCY" in mails[0]


def test_red_flag_in_the_middle_of_follow_ups(e2e):
    sender = new_sender()
    assert contract(e2e.say("is it safe to have amnio at 13 weeks?", sender))["topic"] == "early_amnio_risk"
    assert contract(e2e.say("and at 16?", sender))["topic"] in ("timing", "miscarriage_risk")
    payload = contract(e2e.say("and what if my waters break after it?", sender))
    assert payload["escalate"] and payload["severity"] == "emergency"
    payload = contract(e2e.say("why?", sender))  # the follow-up goes on afterwards
    assert payload["escalate"] is False


def test_a_follow_up_that_says_the_red_flag_goes_on_escalates_again(e2e):
    sender = new_sender()
    assert contract(e2e.say("I've had some spotting since the amnio this morning", sender))["severity"] == "urgent"
    payload = contract(e2e.say("it's still happening", sender))
    assert (payload["topic"], payload["escalate"], payload["severity"]) == ("red_flag", True, "urgent")
    assert contract(e2e.say("ok thanks", sender))["escalate"] is False
    recorded = wait_until(lambda: len(escalations_of(e2e.db_url, sender)) == 2 and escalations_of(e2e.db_url, sender))
    assert [r[2] for r in recorded] == ["I've had some spotting since the amnio this morning",
                                        "it's still happening"]


def test_handoff_is_recorded_and_the_bot_does_not_answer_over_staff(e2e):
    sender = new_sender()
    replies = e2e.say("can I talk to a nurse please", sender)
    payload = contract(replies)
    assert (payload["topic"], payload["escalate"]) == ("human_handoff", True)
    assert "020 7946 0000" in text_of(replies) and "Monday to Friday" in text_of(replies)
    assert wait_until(lambda: escalations_of(e2e.db_url, sender))[0][0] == "handoff"

    payload = contract(e2e.say("when do results come back?", sender))
    assert payload["topic"] == "human_handoff" and payload["answer_id"].startswith("human_handoff.pending")
    # a red flag still escalates while staff have the conversation
    payload = contract(e2e.say("I'm bleeding heavily now", sender))
    assert (payload["topic"], payload["severity"]) == ("red_flag", "emergency")

    with session_scope(e2e.db_url) as session:
        handoff_id = session.execute(select(Escalation.id).where(
            Escalation.conversation_id == sender, Escalation.kind == "handoff")).scalar_one()
    set_status(handoff_id, "resolved", "Nurse Ada", url=e2e.db_url)
    assert contract(e2e.say("when do results come back?", sender))["topic"] == "results"


def test_action_server_stopped_then_restarted(e2e):
    """Red flags are static replies and are recorded in the Rasa process: with the
    action server stopped they still reach the patient and the record; answers come
    back when it is started again."""
    e2e.servers.stop("actions")
    try:
        sender = new_sender()
        replies = e2e.say("my waters went an hour ago", sender)
        payload = contract(replies)
        assert (payload["topic"], payload["severity"]) == ("red_flag", "emergency")
        assert "020 7946 0999" in text_of(replies)
        assert wait_until(lambda: escalations_of(e2e.db_url, sender)) == [
            ("red_flag", "emergency", "my waters went an hour ago")]
        handoff = new_sender()
        assert contract(e2e.say("I want to speak to a midwife", handoff))["topic"] == "human_handoff"
        assert wait_until(lambda: escalations_of(e2e.db_url, handoff))[0][0] == "handoff"
        # an ordinary question cannot be answered: a polite reply with the numbers, not silence
        replies = e2e.say("does amniocentesis hurt?")
        assert contract(replies)["answer_id"].startswith("service_unavailable@")
        assert "020 7946 0000" in text_of(replies)
    finally:
        e2e.servers.start("actions")
    assert contract(e2e.say("does amniocentesis hurt?"))["topic"] == "pain"


def test_thoughts_of_self_harm_get_the_crisis_reply_and_an_emergency_escalation(e2e):
    from bot.clinic import load_clinic_config

    clinic = load_clinic_config()
    sender = new_sender()
    replies = e2e.say("since we lost the baby I keep thinking everyone would be better off "
                      "without me", sender)
    payload = contract(replies)
    assert (payload["topic"], payload["escalate"], payload["severity"]) == ("red_flag", True, "emergency")
    assert payload["answer_id"].startswith("red_flag.crisis@")
    text = text_of(replies)
    assert clinic.crisis_line in text and clinic.emergency_phone in text
    assert "sorry" in text.lower()
    recorded = wait_until(lambda: escalations_of(e2e.db_url, sender))
    assert recorded and recorded[0][:2] == ("red_flag", "emergency")
