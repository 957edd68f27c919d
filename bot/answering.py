"""What the assistant answers to a parsed user message (used by actions/)."""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Optional

from bot.clinic import load_clinic_config
from bot.knowledge_base import KnowledgeBase
from bot.replies import Reply, sources_tuple
from bot.topics import topic_for_intent, topic_for_week

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    return KnowledgeBase(load_clinic_config())


def week_from(latest_message: dict, slot_value) -> Optional[int]:
    """The week stated in this message, else the one remembered for the conversation."""
    for entity in latest_message.get("entities") or []:
        if entity.get("entity") == "gestational_week":
            try:
                return int(float(entity["value"]))
            except (TypeError, ValueError):
                pass
    try:
        return int(float(slot_value)) if slot_value is not None else None
    except (TypeError, ValueError):
        return None


def answer_for(intent: Optional[str], week: Optional[int] = None,
               kb: Optional[KnowledgeBase] = None) -> Reply:
    kb = kb or knowledge_base()
    topic = topic_for_week(topic_for_intent(intent), week)
    chosen = kb.answer(topic, week=week)
    return Reply(text=chosen.text, topic=chosen.topic, answer_id=chosen.answer_id,
                 sources=sources_tuple(chosen.sources))
