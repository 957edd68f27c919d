"""Rasa component: intent classification by two models voting together.

Logistic regression on the sparse features (Rasa's own LogisticRegressionClassifier)
is averaged with the full intent ranking DIET has already put on the message. On our
evaluation sets the average beats either model alone (docs and `make eval` give the
figures), and logistic regression is deterministic, which steadies the result.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

WEIGHT = "logistic_regression_weight"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class EnsembleIntentClassifier(LogisticRegressionClassifier):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**LogisticRegressionClassifier.get_default_config(), WEIGHT: 0.5}

    def process(self, messages: List[Message]) -> List[Message]:
        weight = float(self.config[WEIGHT])
        probabilities = self.clf.predict_proba(self._create_X(messages))
        for message, row in zip(messages, probabilities):
            earlier = {r["name"]: r["confidence"] for r in message.get(INTENT_RANKING_KEY) or []}
            own_weight = weight if earlier else 1.0
            combined = {
                name: own_weight * float(p) + (1 - own_weight) * float(earlier.get(name, 0.0))
                for name, p in zip(self.clf.classes_, row)
            }
            ranking = [{"name": name, "confidence": confidence}
                       for name, confidence in sorted(combined.items(), key=lambda kv: -kv[1])]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking[:10], add_to_output=True)
        return messages
