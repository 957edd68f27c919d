"""What the assistant answers to a parsed user message (used by actions/)."""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from bot.clinic import load_clinic_config
from bot.followups import topic_in_context
from bot.knowledge_base import KnowledgeBase
from bot.replies import Reply, sources_tuple
from bot.safety.continuation import continues_red_flag
from bot.safety.intents import HANDOFF_INTENT, RED_FLAG_INTENTS
from bot.symptom_questions import topic_for_symptom_question
from bot.topics import topic_for_intent, topic_for_week

HANDOFF_PENDING_KEY = "human_handoff.pending"
# Answered even while staff have the conversation: they do not talk over the team.
WHILE_STAFF_HAVE_IT = {"greeting", "goodbye", "thanks", "bot_identity", "clinic_contact"}


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    return KnowledgeBase(load_clinic_config())


def _as_week(value) -> Optional[int]:
    try:
        return int(float(value)) if value is not None else None
    except (TypeError, ValueError):
        return None


def week_in(latest_message: dict) -> Optional[int]:
    """The gestational week stated in this message, if any."""
    for entity in latest_message.get("entities") or []:
        if entity.get("entity") == "gestational_week":
            return _as_week(entity.get("value"))
    return None


def answers_while_staff_have_it(topic: str) -> bool:
    return topic in WHILE_STAFF_HAVE_IT


def handoff_pending_reply(kb: Optional[KnowledgeBase] = None) -> Reply:
    """What the bot says, instead of answering, while staff have a handoff open."""
    chosen = (kb or knowledge_base()).answer(HANDOFF_INTENT, key=HANDOFF_PENDING_KEY)
    return Reply(text=chosen.text, topic=chosen.topic, answer_id=chosen.answer_id,
                 sources=sources_tuple(chosen.sources))


def continued_red_flag(previous_message: Optional[dict], text: str,
                       kb: Optional[KnowledgeBase] = None) -> Optional[Reply]:
    """The escalation again, when this follow-up says the previous turn's red flag goes on
    ("it's still happening", "yes and now it's worse"); None otherwise."""
    intent = ((previous_message or {}).get("intent") or {}).get("name")
    if intent not in RED_FLAG_INTENTS or not continues_red_flag(text):
        return None
    severity = RED_FLAG_INTENTS[intent]
    key = "red_flag.crisis" if intent == "red_flag_crisis" else f"red_flag.{severity}"
    chosen = (kb or knowledge_base()).answer("red_flag", severity=severity, key=key)
    return Reply(text=chosen.text, topic=chosen.topic, escalate=True, severity=severity,
                 answer_id=chosen.answer_id, sources=sources_tuple(chosen.sources),
                 basis="safety", confidence=None)


def answer_for(latest_message: dict, remembered_week=None, last_topic: Optional[str] = None,
               kb: Optional[KnowledgeBase] = None) -> Reply:
    """The curated answer for this message: its topic (or the conversation's, for a
    short follow-up), for the week stated now or remembered from earlier."""
    kb = kb or knowledge_base()
    intent = latest_message.get("intent") or {}
    stated_week = week_in(latest_message)
    week = stated_week if stated_week is not None else _as_week(remembered_week)
    model_topic = topic_for_intent(intent.get("name"))
    confidence = float(intent.get("confidence") or 0.0)
    topic = topic_for_symptom_question(model_topic, latest_message.get("red_flag"), confidence)
    basis = "model" if topic == model_topic else "symptom_question"
    in_context = topic_in_context(topic, confidence, latest_message.get("text") or "", last_topic,
                                  stated_week, _as_week(remembered_week))
    if in_context != topic:
        topic, basis = in_context, "context"
    topic = topic_for_week(topic, week)
    chosen = kb.answer(topic, week=week)
    return Reply(text=chosen.text, topic=chosen.topic, answer_id=chosen.answer_id,
                 sources=sources_tuple(chosen.sources), basis=basis,
                 confidence=confidence_in(latest_message, chosen.topic, model_topic, confidence),
                 quick_replies=chosen.quick_replies)


def confidence_in(latest_message: dict, topic: str, model_topic: str, confidence: float) -> float:
    """The model's confidence in the topic answered: the prediction's own, or that topic's
    place in the intent ranking (after the week changed timing to early risk, or the
    conversation chose the topic)."""
    if topic == model_topic or {topic, model_topic} <= {"timing", "early_amnio_risk"}:
        return confidence
    for ranked in latest_message.get("intent_ranking") or []:
        if ranked.get("name") == topic:
            return float(ranked.get("confidence") or 0.0)
    return 0.0
