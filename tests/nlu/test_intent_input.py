"""The Rasa server's cheaper intent input (bot/intent_input.py) understands every text exactly
as Rasa's own code: the same intent, ranking, confidences (to the last digit) and entities, over
every training and held-out text of both languages, on the trained model."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.core.channels.channel import UserMessage
from rasa.engine import loader
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer

from bot import intent_input
from bot.graph_runner import InOrderGraphRunner
from tests.nlu.test_nlu_heldout import heldout_examples

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "intake.tar.gz"


def _training_texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "nlu").rglob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            texts += [line.strip().removeprefix("- ").strip() for line in block.get("examples", "").splitlines()]
    return [text for text in texts if text]


TEXTS = _training_texts() + [text for language in ("en", "es") for text, _ in heldout_examples(language)] + [
    "", "?", "60623", "😀", "HOLA!!!", "a" * 400,
]


def _understood(tmp_path: Path) -> list[dict]:
    metadata, runner = loader.load_predict_graph_runner(tmp_path, MODEL, LocalModelStorage, InOrderGraphRunner)
    results = []
    for text in TEXTS:
        output = runner.run(inputs={"__message__": [UserMessage(text)]}, targets=[metadata.nlu_target])
        parsed = output[metadata.nlu_target][0]
        results.append({
            "text": text,
            "intent": parsed.get("intent"),
            "ranking": parsed.get("intent_ranking"),
            "entities": parsed.get("entities"),
        })
    return results


@pytest.fixture(scope="module")
def both_ways(tmp_path_factory):
    if not MODEL.exists():
        pytest.skip("no trained model: run `python -m bot.cli prepare`")
    rasa_way = _understood(tmp_path_factory.mktemp("rasa"))
    with pytest.MonkeyPatch.context() as patch:
        # install() replaces these; the context puts Rasa's back afterwards.
        for owner, name in (
            (LogisticRegressionClassifier, "_create_X"),
            (LogisticRegressionClassifier, "load"),
            (CountVectorsFeaturizer, "_create_features"),
        ):
            patch.setattr(owner, name, owner.__dict__[name])
        intent_input.install()
        assert CountVectorsFeaturizer._create_features.__name__ == "sentence_only"  # the cheaper path runs
        ours = _understood(tmp_path_factory.mktemp("ours"))
    return rasa_way, ours


def test_every_text_is_understood_exactly_as_by_rasa(both_ways):
    rasa_way, ours = both_ways
    assert len(ours) == len(TEXTS) > 1500
    differing = [(a["text"], a["intent"], b["intent"]) for a, b in zip(rasa_way, ours) if a != b]
    assert not differing, differing[:5]


def test_the_pipeline_is_one_that_reads_no_sequence_features():
    # If config.yml gains a component that reads per-token features, install() must do nothing.
    assert intent_input.pipeline_reads_only_sentences()


def test_a_pipeline_with_diet_keeps_rasas_code(tmp_path):
    config = tmp_path / "config.yml"
    config.write_text("pipeline:\n  - name: WhitespaceTokenizer\n  - name: CountVectorsFeaturizer\n  - name: DIETClassifier\n")
    assert not intent_input.pipeline_reads_only_sentences(config)


def test_two_featurizers_rows_sit_side_by_side_as_rasas_stacking_puts_them():
    import numpy as np
    from rasa.shared.nlu.training_data.features import Features
    from rasa.shared.nlu.training_data.message import Message
    from scipy.sparse import coo_matrix

    message = Message(data={"text": "hola"})
    first = coo_matrix(np.array([[0, 2, 0, 1]]))
    second = coo_matrix(np.array([[3, 0, 5]]))
    message.add_features(Features(first, "sentence", "text", "char"))
    message.add_features(Features(coo_matrix(np.ones((1, 4))), "sequence", "text", "char"))
    message.add_features(Features(second, "sentence", "text", "word"))
    _, rasa_row = message.get_sparse_features("text")
    ours = intent_input.sentence_row(message)
    assert ours.shape == (1, 7)
    assert (ours.toarray() == rasa_row.features.toarray()).all()
    assert ours.toarray().tolist() == [[0, 2, 0, 1, 3, 0, 5]]
