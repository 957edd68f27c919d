"""Rasa component: adds a `gestational_week` entity when a message states the pregnancy's age."""
from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.gestational_age import find_gestational_age

ENTITY = "gestational_week"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class GestationalAgeExtractor(GraphComponent):
    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "GestationalAgeExtractor":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            age = find_gestational_age(text)
            if age is None:
                continue
            entities = [e for e in message.get(ENTITIES, []) if e.get("entity") != ENTITY]
            entities.append({
                "entity": ENTITY, "value": age.weeks, "start": age.start, "end": age.end,
                "confidence_entity": 1.0, "extractor": self.__class__.__name__,
            })
            message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
