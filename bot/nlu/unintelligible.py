"""Rasa component: messages with nothing to understand go to the fallback.

DIET gives keyboard mashes ("lkjhg") and fragments ("so about the") a confident
chit-chat intent. A message whose words are all unknown (neither English nor in the
training data), or that is only a little filler, goes to `nlu_fallback` instead, so
the patient is asked to rephrase. Trained: it keeps the training data's vocabulary.
"""
from __future__ import annotations

import json
import re
from typing import Any, Dict, Iterable, List, Optional, Set

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.intents import override_intent
from bot.safety.normalise import english_words, normalise
from bot.topics import FALLBACK_INTENT

FILLERS = {"umm", "um", "ummm", "hmm", "hmmm", "uh", "uhh", "er", "erm", "ah", "eh", "mm", "lol"}
# Words that carry a meaning on their own in a chat ("why?", "thanks", "hi").
MEANINGFUL_ALONE = {
    "why", "how", "what", "when", "who", "where", "which", "hi", "hello", "hey", "bye", "yes", "no",
    "ok", "okay", "thanks", "thank", "please", "help", "sorry", "more", "again", "cheers",
    # chat words borrowed from other languages or text-speak
    "ciao", "adios", "ta", "thx", "ty", "cya", "hiya", "yo", "howdy", "merci", "gracias", "danke",
    "hola", "bonjour", "salut", "namaste", "salaam",
}
FILLER_ONLY_MAX_WORDS = 4
VOCABULARY_FILE = "vocabulary.json"


def words_of(text: str) -> List[str]:
    """Words of a normalised (lower-case, typo-corrected) text."""
    return re.findall(r"[a-z]+(?:'[a-z]+)?", text)


def _squeezed(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", word)  # "hiii" -> "hi", "byee" -> "bye"


def is_unintelligible(text: str, vocabulary: Iterable[str] = ()) -> bool:
    """True for keyboard mashes, bare filler and symbols. `vocabulary`: words of the
    training data, known even when they are not English ("amnio", "nipt")."""
    from spacy.lang.en.stop_words import STOP_WORDS

    lowered = normalise(text)  # lower case, and "bleading" is "bleeding"
    words = words_of(lowered)
    has_number = bool(re.search(r"\d", lowered))
    if not words:
        return not has_number  # "16?" is a follow-up, "🙂" or "?!" is not
    if any(w in MEANINGFUL_ALONE or _squeezed(w) in MEANINGFUL_ALONE for w in words):
        return False
    content = [w for w in words if w not in STOP_WORDS and w not in FILLERS]
    if not content:
        # "so about the", "umm", "the the"; not "should I have it or not", not "and at 16?"
        return len(words) <= FILLER_ONLY_MAX_WORDS and not has_number
    known = english_words()
    vocabulary = set(vocabulary)
    return not any(w in known or w in vocabulary or _squeezed(w) in known for w in content)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class UnintelligibleFallback(GraphComponent):
    def __init__(self, model_storage: ModelStorage, resource: Resource,
                 vocabulary: Optional[Set[str]] = None) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self.vocabulary = vocabulary or set()

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "UnintelligibleFallback":
        return cls(model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        vocabulary = set()
        for example in training_data.intent_examples:
            vocabulary.update(words_of(normalise(example.get(TEXT) or "")))
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(json.dumps(sorted(vocabulary)))
        self.vocabulary = vocabulary
        return self._resource

    @classmethod
    def load(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "UnintelligibleFallback":
        english_words()  # load the word list now, not on a patient's message
        try:
            with model_storage.read_from(resource) as directory:
                vocabulary = set(json.loads((directory / VOCABULARY_FILE).read_text()))
        except (ValueError, FileNotFoundError):
            vocabulary = set()
        return cls(model_storage, resource, vocabulary)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text is not None and is_unintelligible(text, self.vocabulary):
                override_intent(message, FALLBACK_INTENT)
        return messages
