"""Topic ids of the reply contract (topics.md) and how intents map to them."""
from __future__ import annotations

from typing import Optional

ANSWER_TOPICS = (
    "what_is_amnio", "why_done", "who_is_offered", "how_done", "pain", "needle_and_baby",
    "timing", "early_amnio_risk", "miscarriage_risk", "miscarriage_causes",
    "after_miscarriage_care", "grief_support", "aftercare", "other_risks", "results",
    "alternatives", "decision", "preparation", "rh_negative", "twins", "anxiety",
    "clinic_contact", "greeting", "goodbye", "thanks", "bot_identity", "human_handoff",
    "out_of_scope",
)
TOPICS = ANSWER_TOPICS + ("red_flag", "fallback")
FALLBACK_INTENT = "nlu_fallback"
EARLY_LIMIT_WEEK = 15  # RCOG: not before 15+0 weeks
WEEK_AWARE_TOPICS = ("timing", "early_amnio_risk")


def topic_for_intent(intent: Optional[str]) -> str:
    """Intents are named after their topic; anything else is the fallback."""
    if intent in TOPICS:
        return intent
    if intent and intent.startswith("red_flag"):
        return "red_flag"
    return "fallback"


def topic_for_week(topic: str, week: Optional[int]) -> str:
    """A question about when, or about early risk, at a week before 15 gets the
    early-amniocentesis answer for that week."""
    if topic in WEEK_AWARE_TOPICS and week is not None:
        return "early_amnio_risk" if week < EARLY_LIMIT_WEEK else "timing"
    return topic
