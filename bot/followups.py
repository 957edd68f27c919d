"""Short follow-ups that only make sense after the previous answer:
"and at 16?", "what about 14+3?", "why?", "and sex?"."""
from __future__ import annotations

import re
from typing import Optional

from bot.topics import WEEK_AWARE_TOPICS

FOLLOW_UP_START = re.compile(
    r"^\s*(?:and|but|so|also|then|ok(?:ay)?[, ]+(?:and|so|but)|what about|how about|and what about|"
    r"what if|same for|even|"
    # "is it different in the US?", "does that change anything?", "is that the same for twins?"
    r"(?:is|does|would|will) (?:it|that|this) (?:be )?(?:different|differ|change|the same)|"
    r"(?:is|are) (?:there|they) (?:any )?(?:other|more)\b)", re.IGNORECASE)
# A short message that ends by asking whether what it says applies: "I'm 41, does that count?"
APPLIES_TO_ME = re.compile(
    r"\b(?:does|would|will|is|do) (?:that|this|it|they) (?:count|matter|apply|qualify|make a difference|"
    r"change anything|affect (?:it|anything|that))\b", re.IGNORECASE)
WHY = re.compile(r"^\s*(?:but |and |so )?(?:why|how come)\b(?:\s+(?:is that|tho|though|not|so))?\s*\??\s*$",
                 re.IGNORECASE)
# "why is that so low?", "how come it's so low?": a why-question about the answer just given
WHY_ABOUT_ANSWER = re.compile(
    r"^\s*(?:but |and |so |ok(?:ay)? )?(?:why|how come)\b(?:\s+(?:is|was|are|does|do|would|"
    r"it's|its|that's|thats|so))?\s+(?:it|that|this|so|then)\b", re.IGNORECASE)
NAMES_A_SUBJECT = re.compile(r"amnio|test|procedure|needle|miscarr|done|offered|happen",
                             re.IGNORECASE)
MAX_WORDS = 8
# "can I have it now?", "could we do it yet?", "is it too early for me?": about the timing,
# for the week stated or remembered in the conversation.
NOW_QUESTION = re.compile(
    r"^\s*(?:(?:so|and|ok(?:ay)?|but|then)[, ]+)?(?:(?:can|could|should|may|do) (?:i|we|she|you) "
    r"(?:have|get|do|book|go ahead with) (?:it|the test|the amnio|one|that)(?: done)?"
    r"(?: (?:now|yet|already|at this stage|this week|at my stage|then|sooner|earlier))"
    r"|is (?:it|now) (?:too (?:early|soon|late)|ok(?:ay)? (?:now|yet)|(?:the )?right time)"
    r"|am i (?:far enough( along)?|too early) ?(?:yet|now|for it)?)\b", re.IGNORECASE)
# Below this the model is unsure enough that the conversation's thread decides.
CONFIDENT = 0.8


def is_follow_up(text: str) -> bool:
    words = text.split()
    about_answer = bool(WHY_ABOUT_ANSWER.match(text)) and not NAMES_A_SUBJECT.search(text)
    return 0 < len(words) <= MAX_WORDS and bool(
        FOLLOW_UP_START.match(text) or WHY.match(text) or about_answer or APPLIES_TO_ME.search(text))


def asks_if_now(text: str, remembered_week: Optional[int]) -> bool:
    """"can I have it now?" once the conversation knows the week."""
    return remembered_week is not None and len(text.split()) <= MAX_WORDS \
        and bool(NOW_QUESTION.match(text))


def topic_in_context(topic: str, confidence: float, text: str, last_topic: Optional[str],
                     week_in_message: Optional[int], remembered_week: Optional[int] = None) -> str:
    """The topic a message is about, given the topic of the previous answer and the week
    the conversation knows."""
    if asks_if_now(text, week_in_message if week_in_message is not None else remembered_week) \
            and (topic not in WEEK_AWARE_TOPICS or confidence < CONFIDENT):
        return "timing"  # answered for the week (timing or the early-risk answer)
    if not last_topic or last_topic in ("fallback", "red_flag") or not is_follow_up(text):
        return topic
    if week_in_message is not None and last_topic in WEEK_AWARE_TOPICS:
        return last_topic  # "and at 16?" after "is it safe at 13 weeks?"
    if WHY.match(text):
        return last_topic
    if topic == "fallback" or confidence < CONFIDENT:
        return last_topic  # "and sex?" after after-miscarriage care
    return topic
