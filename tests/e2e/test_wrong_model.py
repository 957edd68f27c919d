"""A model that gets every intent wrong cannot lose an escalation.

The trained model is loaded in this process (Rasa's Agent) with its intent classifier
replaced by one that is confidently wrong on every message. The safety component after
it decides from the text alone, so every red flag of a conversation still gets the
escalation reply and its severity, at any turn.
"""
import asyncio
import logging
import uuid

import pytest
from rasa.core.agent import Agent
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.utils.log_utils import configure_structlog

from bot.nlu.ensemble import EnsembleIntentClassifier
from tests.e2e.conftest import MODEL

pytestmark = pytest.mark.e2e
WRONG = {"name": "greeting", "confidence": 0.99}


def confidently_wrong(self, messages):
    for message in messages:
        message.set(INTENT, dict(WRONG), add_to_output=True)
        message.set(INTENT_RANKING_KEY, [dict(WRONG), {"name": "thanks", "confidence": 0.01}],
                    add_to_output=True)
    return messages


@pytest.fixture(scope="module")
def wrong_agent():
    configure_structlog(logging.WARNING)  # Rasa's own debug lines would flood the test output
    patch = pytest.MonkeyPatch()
    patch.setattr(EnsembleIntentClassifier, "process", confidently_wrong)
    yield Agent.load(str(MODEL))
    patch.undo()


def test_the_wrong_classifier_is_really_in_charge(wrong_agent):
    parsed = asyncio.run(wrong_agent.parse_message("when will my results come back?"))
    assert parsed["intent"]["name"] == "greeting"


@pytest.mark.parametrize("conversation", [
    [("is it safe at 13 weeks?", None), ("and at 16?", None),
     ("also I've been bleeding since this morning", "emergency")],
    [("hello", None), ("I feel so hopeless since we lost the baby, I want to end it all", "emergency")],
    [("can I go to work tomorrow?", None), ("bit of spotting on the tissue just now", "urgent"),
     ("thanks", None), ("temperature is 38.5", "emergency")],
])
def test_every_red_flag_of_a_conversation_escalates(wrong_agent, conversation):
    sender = f"wrong-{uuid.uuid4().hex[:8]}"
    for text, severity in conversation:
        parsed = asyncio.run(wrong_agent.parse_message(text))
        replies = asyncio.run(wrong_agent.handle_text(text, sender_id=sender)) or []
        payloads = [r["custom"] for r in replies if "custom" in r]
        if severity is None:
            assert parsed["intent"]["name"] == "greeting", text  # the wrong model as it is
            continue
        assert parsed["nlu_intent"]["name"] == "greeting", text
        assert parsed["intent"]["name"].startswith("red_flag_"), text
        assert payloads and payloads[0]["topic"] == "red_flag", (text, replies)
        assert payloads[0]["escalate"] is True
        assert payloads[0]["severity"] == severity, text
