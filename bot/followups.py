"""Short follow-ups that only make sense after the previous answer:
"and at 16?", "what about 14+3?", "why?", "and sex?"."""
from __future__ import annotations

import re
from typing import Optional

from bot.topics import WEEK_AWARE_TOPICS

FOLLOW_UP_START = re.compile(
    r"^\s*(?:and|but|so|also|then|ok(?:ay)?[, ]+(?:and|so|but)|what about|how about|and what about|"
    r"what if|same for|even)\b", re.IGNORECASE)
WHY = re.compile(r"^\s*(?:but |and |so )?(?:why|how come)\b(?:\s+(?:is that|tho|though|not|so))?\s*\??\s*$",
                 re.IGNORECASE)
MAX_WORDS = 8
# Below this the model is unsure enough that the conversation's thread decides.
CONFIDENT = 0.8


def is_follow_up(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= MAX_WORDS and bool(FOLLOW_UP_START.match(text) or WHY.match(text))


def topic_in_context(topic: str, confidence: float, text: str, last_topic: Optional[str],
                     week_in_message: Optional[int]) -> str:
    """The topic a message is about, given the topic of the previous answer."""
    if not last_topic or last_topic in ("fallback", "red_flag") or not is_follow_up(text):
        return topic
    if week_in_message is not None and last_topic in WEEK_AWARE_TOPICS:
        return last_topic  # "and at 16?" after "is it safe at 13 weeks?"
    if WHY.match(text):
        return last_topic
    if topic == "fallback" or confidence < CONFIDENT:
        return last_topic  # "and sex?" after after-miscarriage care
    return topic
