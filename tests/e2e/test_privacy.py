"""Personal details never reach the database, through the running servers: patients who
give their name, number, e-mail, date of birth and postcode get the usual answers and
escalations, and no table (Rasa's events, escalations, deliveries, anything else) nor the
clinic's webhook holds any of those details, only the markers."""
import json

import pytest
from sqlalchemy import MetaData, String, Text, select

from bot.db import get_engine
from tests.e2e.conftest import contract, new_sender, wait_until
from tests.e2e.test_escalation_path import escalations_of

pytestmark = pytest.mark.e2e

QUESTION = ("Hi, my name is Sarah Jones, my number is 07700 900123 and email "
            "sarah@example.com — does an amnio hurt?")
RED_FLAG = ("this is Priya Patel, DOB 12/03/1990, postcode SW1A 1AA. I'm bleeding heavily "
            "since the amnio, call me on +44 7700 900456")
DETAILS = ["Sarah", "Jones", "07700 900123", "900123", "sarah@example.com", "example.com",
           "Priya", "Patel", "12/03/1990", "SW1A", "7700 900456", "900456"]


def stored_text(db_url, senders):
    """Every text value of every table that mentions one of the senders (all rows of a
    table with no sender column, such as the deliveries)."""
    engine = get_engine(db_url)
    metadata = MetaData()
    metadata.reflect(bind=engine)
    values = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            texts = [c for c in table.columns if isinstance(c.type, (String, Text))]
            for row in connection.execute(select(*texts)) if texts else []:
                row_text = " ".join(str(v) for v in row if v is not None)
                if any(sender in row_text for sender in senders) or not any(
                        c.name in ("sender_id", "conversation_id") for c in texts):
                    values.append(f"{table.name}: {row_text}")
    return values


def test_personal_details_are_not_stored_and_the_answers_are_the_usual_ones(e2e):
    asker, escalated = new_sender(), new_sender()
    payload = contract(e2e.say(QUESTION, asker))
    assert (payload["topic"], payload["escalate"]) == ("pain", False)
    payload = contract(e2e.say(RED_FLAG, escalated))
    assert (payload["topic"], payload["escalate"], payload["severity"]) == (
        "red_flag", True, "emergency")

    (recorded,) = wait_until(lambda: escalations_of(e2e.db_url, escalated))
    assert recorded[:2] == ("red_flag", "emergency")
    assert recorded[2] == ("this is [name], DOB [date of birth], postcode [postcode]. I'm "
                           "bleeding heavily since the amnio, call me on [phone]")

    stored = "\n".join(stored_text(e2e.db_url, [asker, escalated]))
    assert asker in stored and escalated in stored  # the scan did see the conversations
    leaked = [detail for detail in DETAILS if detail in stored]
    assert leaked == [], leaked
    for marker in ("[name]", "[phone]", "[email]", "[date of birth]", "[postcode]"):
        assert marker in stored, marker
    assert "does an amnio hurt?" in stored and "bleeding heavily" in stored

    def webhook_body():
        bodies = [json.loads(body) for _, body in e2e.receiver.requests]
        return [b for b in bodies if b["escalation"]["conversation_id"] == escalated]

    (notice,) = wait_until(webhook_body)
    sent = json.dumps(notice)
    assert "[name]" in sent and not [d for d in DETAILS if d in sent]
