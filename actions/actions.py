"""Custom actions (rasa_sdk). Thin: the logic lives in bot/ and is tested there.

Escalations are not recorded here: the Rasa process spools them as it saves the turn
(bot.tracker_store), so they are kept even when this server is down.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from bot.answering import (answer_for, answers_while_staff_have_it, continued_red_flag,
                           handoff_pending_reply)
from bot.escalations import open_handoff

logger = logging.getLogger(__name__)


def _handoff_open(conversation_id: str) -> bool:
    try:
        return open_handoff(conversation_id) is not None
    except SQLAlchemyError:
        logger.warning("Could not check for an open handoff (database unreachable)")
        return False


def previous_user_message(tracker: Tracker) -> Optional[Dict[Text, Any]]:
    """The parse data of the user message before the latest one."""
    user_events = [e for e in tracker.events if e.get("event") == "user"]
    return user_events[-2].get("parse_data") if len(user_events) >= 2 else None


class ActionAnswer(Action):
    """Sends the curated answer for the message's topic, with the reply contract. Right
    after a red flag, a follow-up saying it goes on gets the escalation again; while staff
    have this conversation's handoff open, says so instead of answering (small talk and
    the clinic's contact details are still answered)."""

    def name(self) -> Text:
        return "action_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        latest = tracker.latest_message or {}
        escalation = continued_red_flag(previous_user_message(tracker), latest.get("text") or "")
        if escalation is not None:
            dispatcher.utter_message(text=escalation.text, json_message=escalation.payload)
            return []
        reply = answer_for(latest, tracker.get_slot("gestational_week"),
                           tracker.get_slot("last_topic"))
        if not answers_while_staff_have_it(reply.topic) and _handoff_open(tracker.sender_id):
            reply = handoff_pending_reply()
            dispatcher.utter_message(text=reply.text, json_message=reply.payload)
            return []
        dispatcher.utter_message(text=reply.text, json_message=reply.payload,
                                 buttons=reply.buttons or None)
        return [SlotSet("last_topic", reply.topic)]
