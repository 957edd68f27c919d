"""Changing a message's predicted intent the way Rasa's classifiers set it (rasa_sdk
reads `intent_ranking[0]`, so the ranking changes with it)."""
from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

FALLBACK_INTENT = "nlu_fallback"


def override_intent(message: Message, name: str) -> None:
    """`name` becomes the prediction, with confidence 1.0, first in the ranking."""
    override = {"name": name, "confidence": 1.0}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
    message.set(INTENT, override, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [override] + ranking, add_to_output=True)


def drop_intent(message: Message, name: str, fallback_threshold: float = 0.0) -> None:
    """`name` is ruled out: the rest of the ranking, rescaled to sum as before (the
    confidence of each intent given that it is not `name`), and its first intent becomes
    the prediction, or nlu_fallback when that is below `fallback_threshold`."""
    full = message.get(INTENT_RANKING_KEY) or []
    dropped = sum(float(r.get("confidence") or 0.0) for r in full if r.get("name") == name)
    scale = 1.0 / (1.0 - dropped) if dropped < 1.0 else 1.0
    ranking = [{**r, "confidence": min(1.0, float(r.get("confidence") or 0.0) * scale)}
               for r in full if r.get("name") != name]
    if not ranking:
        return
    if ranking[0]["confidence"] < fallback_threshold:
        fallback = {"name": FALLBACK_INTENT, "confidence": fallback_threshold}
        ranking = [fallback] + ranking
    message.set(INTENT, ranking[0], add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
