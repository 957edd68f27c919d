"""Custom actions (rasa_sdk). Thin: the logic lives in bot/ and is tested there."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.answering import answer_for
from bot.escalations import escalation_from_message, record_escalation



class ActionAnswer(Action):
    """Sends the curated answer for the message's topic, with the reply contract."""

    def name(self) -> Text:
        return "action_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        reply = answer_for(tracker.latest_message or {}, tracker.get_slot("gestational_week"),
                           tracker.get_slot("last_topic"))
        dispatcher.utter_message(text=reply.text, json_message=reply.payload)
        return [SlotSet("last_topic", reply.topic)]


class ActionRecordEscalation(Action):
    """Records the red flag or handoff request the static reply has just answered."""

    def name(self) -> Text:
        return "action_record_escalation"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        message = tracker.latest_message or {}
        details = escalation_from_message(message)
        if details is not None:
            record_escalation(tracker.sender_id, message.get("text") or "", **details)
        return []
