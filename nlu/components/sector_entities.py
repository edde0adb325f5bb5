"""An NLU component that finds the sectors a message mentions and reports them as `sector` entities.

Rule-based on purpose: the synonyms in data/sectors.yml (with misspelling tolerance) cover job
words in English and Spanish better than a model trained on our few examples could, and it costs
microseconds. The entity value is the canonical sector id (healthcare, hospitality, ...).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.understanding.sectors import match_sectors

ENTITY_NAME = "sector"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class SectorEntityExtractor(GraphComponent, EntityExtractorMixin):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SectorEntityExtractor":
        return cls(config)

    def __init__(self, config: Optional[Dict[Text, Any]] = None) -> None:
        self.component_config = config or {}

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = [
                {
                    "entity": ENTITY_NAME,
                    "value": match.sector,
                    "start": match.start,
                    "end": match.end,
                    "confidence_entity": 1.0,
                    "extractor": self.__class__.__name__,
                }
                for match in match_sectors(text)
            ]
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages
