"""Rasa component: the intent classifiers read the message without the personal details a
patient gives ("Hi, I'm Sarah Jones, 07700 900123, DOB 03/04/1991 - does it hurt?").
Names, numbers and dates are noise to a model trained on questions, and pulled such
messages to out_of_scope.

Runs first. The details found by bot.privacy (the same redaction as for storage) are
removed from the text the tokenizer, featurizers and classifiers see; the original is kept
under ORIGINAL_TEXT. SafetyOverride, last in the pipeline, reads red flags from the
original and puts it back, so the parse data, the actions and the tracker store see what
the patient typed (and the store then redacts it for storage).
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.privacy.redaction import redaction, warm_up

ORIGINAL_TEXT = "original_text"
MARKER = re.compile(r"\[(?:name|phone|email|date of birth|date|postcode|zip code|address|"
                    r"id number)\]")
PRIVACY_DIR = Path(__file__).resolve().parent.parent / "privacy"


def redaction_version() -> str:
    """Changes with the redaction code, so that a change retrains the model (Rasa's
    training cache does not see the modules a component imports)."""
    digest = hashlib.sha256()
    for path in sorted(PRIVACY_DIR.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def for_classifiers(text: str) -> str:
    """The text without its personal details; the text itself when it has none, or when
    nothing else is left (a message of just a phone number)."""
    redacted = redaction(text or "")
    if not redacted.spans:
        return text
    remaining = " ".join(MARKER.sub(" ", redacted.text).split())
    return remaining if remaining.strip(" ,.;:-") else text


def original_text(message: Message) -> str:
    return message.get(ORIGINAL_TEXT) or message.get(TEXT) or ""


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class PersonalDetailsMasker(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"redaction_version": redaction_version()}

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "PersonalDetailsMasker":
        warm_up()  # the name vocabulary, now rather than on the first message
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            masked = for_classifiers(text)
            if masked != text:
                message.set(ORIGINAL_TEXT, text)
                message.set(TEXT, masked)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training examples are left as written: they hold almost no personal details (1
        of 3,565), and masking that one changed the model's other answers for nothing."""
        return training_data
