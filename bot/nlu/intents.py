"""Changing a message's predicted intent the way Rasa's classifiers set it (rasa_sdk
reads `intent_ranking[0]`, so the ranking changes with it)."""
from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message


def override_intent(message: Message, name: str) -> None:
    """`name` becomes the prediction, with confidence 1.0, first in the ranking."""
    override = {"name": name, "confidence": 1.0}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
    message.set(INTENT, override, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [override] + ranking, add_to_output=True)


def drop_intent(message: Message, name: str) -> None:
    """The next intent of the ranking replaces `name` as the prediction."""
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
    if ranking:
        message.set(INTENT, ranking[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
