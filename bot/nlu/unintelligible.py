"""Rasa component: messages with nothing to understand go to the fallback.

DIET gives keyboard mashes ("lkjhg") and fragments ("so about the") a confident
chit-chat intent. A message whose words are all unknown, or all filler, is sent to
`nlu_fallback` instead, so the patient is asked to rephrase.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.safety.normalise import english_words, normalise

FALLBACK_INTENT = "nlu_fallback"
FILLERS = {"umm", "um", "ummm", "hmm", "hmmm", "uh", "uhh", "er", "erm", "ah", "eh", "mm", "lol"}
# Words that carry a meaning on their own in a chat ("why?", "thanks", "hi").
MEANINGFUL_ALONE = {
    "why", "how", "what", "when", "who", "where", "which", "hi", "hello", "hey", "bye", "yes", "no",
    "ok", "okay", "thanks", "thank", "please", "help", "sorry", "more", "again", "cheers",
    # chat words borrowed from other languages or text-speak
    "ciao", "adios", "ta", "thx", "ty", "cya", "hiya", "yo", "howdy", "merci", "gracias", "danke",
    "hola", "bonjour", "salut", "namaste", "salaam",
}


FILLER_ONLY_MAX_WORDS = 3
# A model this sure of an intent has recognised something ("amnio?" is not in the
# English word list, but it is in the training data).
CONFIDENT = 0.8


def _squeezed(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", word)  # "hiii" -> "hi", "byee" -> "bye"


def is_unintelligible(text: str, model_confidence: float = 0.0) -> bool:
    """True for keyboard mashes, bare filler and symbols; `model_confidence` is the
    trained classifier's top confidence for the message."""
    from spacy.lang.en.stop_words import STOP_WORDS

    lowered = normalise(text)  # lower case, and "bleading" is "bleeding"
    words = re.findall(r"[a-z]+(?:'[a-z]+)?", lowered)
    if not words:
        return not re.search(r"\d", lowered)  # "16?" is a follow-up, "🙂" or "?!" is not
    if any(w in MEANINGFUL_ALONE or _squeezed(w) in MEANINGFUL_ALONE for w in words):
        return False
    known = english_words()
    content = [w for w in words if w not in STOP_WORDS and w not in FILLERS]
    if not content:
        # "so about the", "umm", "the the"; not "should I have it or not", not "and at 16?"
        return len(words) <= FILLER_ONLY_MAX_WORDS and not re.search(r"\d", lowered)
    if model_confidence >= CONFIDENT:
        return False
    return not any(w in known or _squeezed(w) in known for w in content)  # "lkjhg", "xcvbnm"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class UnintelligibleFallback(GraphComponent):
    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "UnintelligibleFallback":
        english_words()  # load the word list now, not on a patient's message
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            ranking = message.get(INTENT_RANKING_KEY) or []
            confidence = max((r.get("confidence") or 0.0 for r in ranking
                              if r.get("name") != FALLBACK_INTENT), default=0.0)
            if text is None or not is_unintelligible(text, confidence):
                continue
            fallback = {"name": FALLBACK_INTENT, "confidence": 1.0}
            ranking = [r for r in ranking if r.get("name") != FALLBACK_INTENT]
            message.set(INTENT, fallback, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [fallback] + ranking, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
