"""Rasa component: the safety layer's place in the NLU pipeline.

Runs last (after the fallback components) on every message, on the text as the patient
typed it (bot.nlu.personal_details masks personal details for the classifiers only). When the detector finds a
red flag, the message's intent becomes red_flag_emergency / red_flag_urgent /
red_flag_crisis with confidence 1.0, whatever DIET predicted, so the dialogue rules
send the static escalation reply. Otherwise a request for a person found by rules
becomes human_handoff. The detector's findings ride along in the parse data
(`red_flag`) for the escalation record and staff review.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.intents import drop_intent, override_intent
from bot.nlu.personal_details import ORIGINAL_TEXT, original_text
from bot.safety.detector import get_detector, rules_version
from bot.safety.handoff import asks_for_a_person, could_be_a_request
from bot.safety.intents import HANDOFF_INTENT, intent_for

# The model's own guess of a request for a person counts only when it is this sure.
HANDOFF_MIN_CONFIDENCE = 0.7

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyOverride(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        # Part of the model fingerprint, so new detector rules mean a new model.
        # fallback_threshold: as FallbackClassifier's, for a prediction made after the
        # model's guess of a request for a person is ruled out.
        return {"rules_version": rules_version(), "fallback_threshold": 0.3}

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SafetyOverride":
        get_detector()  # build it now, not on the first patient's message
        return cls(float(config.get("fallback_threshold", 0.3)))

    def __init__(self, fallback_threshold: float = 0.3) -> None:
        self.fallback_threshold = fallback_threshold

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = original_text(message)  # as typed, personal details and all
            if text:
                self._apply(message, text)
            if message.get(ORIGINAL_TEXT):  # the classifiers' masked text is done with
                message.set(TEXT, message.get(ORIGINAL_TEXT))
        return messages

    def _apply(self, message: Message, text: str) -> None:
        detection = get_detector().detect(text)
        message.set("red_flag", detection.as_dict(), add_to_output=True)
        intent_name = intent_for(detection)
        if intent_name is None and asks_for_a_person(text):
            intent_name = HANDOFF_INTENT
        predicted = message.get(INTENT) or {}
        if intent_name is None and predicted.get("name") == HANDOFF_INTENT and (
                (predicted.get("confidence") or 0.0) < HANDOFF_MIN_CONFIDENCE
                or not could_be_a_request(text)):
            # the rules found no request for a person
            drop_intent(message, HANDOFF_INTENT, self.fallback_threshold)
            return
        if intent_name is None or predicted.get("name") == intent_name:
            return
        message.set("nlu_intent", predicted, add_to_output=True)
        override_intent(message, intent_name)
        logger.info("%s %s (%s) overrides intent %s", intent_name, detection.symptoms,
                    detection.severity, predicted.get("name"))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
