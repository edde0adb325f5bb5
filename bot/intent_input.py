"""Rasa server piece: the intent classifier's input for one message, built without the work the
classifier never reads.

Our pipeline (config.yml) has two count featurizers and a logistic regression over their sentence
features; nothing reads the per-token (sequence) features. Profiled on the running server
(cProfile, 60 intakes 20 at once), understanding a message spent:
- half its vectorizing on sequence features: each featurizer vectorized every token as well as
  the sentence. In the server, a featurizer vectorizes only the sentence of a single message
  (`sentence_only`; training, many messages at once, goes through Rasa's code);
- a third of the classifier's time copying its weights: scikit-learn multiplies the message by
  `coef_.T`, and scipy flattens that transposed (column-major) view into a new array on every
  call, every weight of every intent. Kept column-major from the start, the transpose is
  row-major and the same product reads it in place (`load_weights_in_reading_order`);
- the stacking of the two featurizers' features with `scipy.sparse.hstack` (and a deep copy
  first), then `vstack` over messages. For one message with sparse features only that is the
  two rows side by side (`create_x`).
Each gives the same matrix, so the same intents, rankings and confidences to the last digit
(tests/nlu/test_intent_input.py compares them over the training and held-out texts).
Installed only when every component of the pipeline is one known not to read sequence
features (`SENTENCE_ONLY_PIPELINE`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, List, Optional, Text, Tuple

import numpy as np
import yaml
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import coo_matrix, csr_matrix

CONFIG = Path(__file__).resolve().parents[1] / "config.yml"

# Components that read no sequence features (tokenizer, featurizers, our rule-based sector
# extractor, the logistic regression). DIET, CRF or a response selector would need them.
SENTENCE_ONLY_PIPELINE = frozenset({
    "WhitespaceTokenizer",
    "CountVectorsFeaturizer",
    "nlu.components.sector_entities.SectorEntityExtractor",
    "LogisticRegressionClassifier",
})


def pipeline_reads_only_sentences(config_path: Path = CONFIG) -> bool:
    config = yaml.safe_load(config_path.read_text())
    return all(component.get("name") in SENTENCE_ONLY_PIPELINE for component in config.get("pipeline") or [])


def sentence_row(message: Message) -> Optional[csr_matrix]:
    """The message's sparse sentence features of its text, the featurizers' columns side by side
    in the order Rasa stacks them; None when the message has other features too."""
    blocks = []
    for features in message.features:
        if features.attribute != TEXT:
            continue
        if not features.is_sparse():
            return None
        if features.type == FEATURE_TYPE_SENTENCE:
            blocks.append(features.features)
    if not blocks:
        return None
    if len(blocks) == 1:
        return csr_matrix(blocks[0])
    data, columns, width = [], [], 0
    for block in blocks:
        block = coo_matrix(block)
        if block.shape[0] != 1:
            return None
        data.append(block.data)
        columns.append(block.col + width)
        width += block.shape[1]
    data_array = np.concatenate(data)
    return csr_matrix(
        (data_array, np.concatenate(columns).astype(np.int32), np.array([0, len(data_array)], dtype=np.int32)),
        shape=(1, width),
    )


def install() -> None:
    """Before the Rasa server loads its model; nothing when the pipeline may read sequences."""
    if not pipeline_reads_only_sentences():
        return
    stack_features = LogisticRegressionClassifier._create_X
    create_features = CountVectorsFeaturizer._create_features
    load_classifier = LogisticRegressionClassifier.load.__func__

    def create_x(self: Any, messages: List[Message]) -> csr_matrix:
        if len(messages) == 1:
            row = sentence_row(messages[0])
            if row is not None:
                return row
        return stack_features(self, messages)

    def sentence_only(self: Any, attribute: Text, all_tokens: List[List[Text]]) -> Tuple[list, list]:
        if attribute != TEXT or len(all_tokens) != 1 or not self.vectorizers.get(attribute):
            return create_features(self, attribute, all_tokens)
        tokens = all_tokens[0]
        if not tokens:
            return [None], [None]
        sentence = self.vectorizers[attribute].transform([" ".join(tokens)])
        sentence.sort_indices()
        return [None], [sentence.tocoo()]

    def load_weights_in_reading_order(cls: Any, *args: Any, **kwargs: Any) -> Any:
        component = load_classifier(cls, *args, **kwargs)
        classifier = getattr(component, "clf", None)
        if getattr(classifier, "coef_", None) is not None:
            classifier.coef_ = np.asfortranarray(classifier.coef_)
        return component

    LogisticRegressionClassifier._create_X = create_x
    LogisticRegressionClassifier.load = classmethod(load_weights_in_reading_order)
    CountVectorsFeaturizer._create_features = sentence_only
