"""NLU quality on held-out texting-style messages (never used in training), through the running
server's POST /model/parse, plus the NLU contract other parts rely on."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from sklearn.metrics import precision_recall_fscore_support

HERE = Path(__file__).resolve().parent
MACRO_F1_FLOOR = 0.90
CONTRACT_INTENTS = {
    "greet", "affirm", "deny", "dont_know", "thanks", "request_human", "opt_out", "opt_in", "help",
    "ask_events", "cancel_registration", "switch_language", "laid_off", "inform_sector", "ask_cost",
    "ask_location", "ask_wioa", "ask_record",
}


def heldout_files(language: str) -> list[Path]:
    """heldout_<language>.yml, then the sets added later with new intents or examples
    (heldout_<language>_<what>.yml), each written before training on what it tests."""
    return [HERE / f"heldout_{language}.yml", *sorted(HERE.glob(f"heldout_{language}_*.yml"))]


def heldout_examples(language: str) -> list[tuple[str, str]]:
    examples = []
    for path in heldout_files(language):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in block["examples"].splitlines():
                text = line.strip().removeprefix("- ").strip()
                if text:
                    examples.append((text, block["intent"]))
    return examples


def f1_table(gold: list[str], predicted: list[str]) -> tuple[float, dict[str, float]]:
    labels = sorted(set(gold))
    _, _, f1, _ = precision_recall_fscore_support(gold, predicted, labels=labels, zero_division=0)
    per_intent = dict(zip(labels, f1))
    return sum(f1) / len(f1), per_intent


@pytest.fixture(scope="module")
def predictions(assistant):
    results = {}
    for language in ("en", "es"):
        examples = heldout_examples(language)
        predicted = [assistant.parse(text)["intent"]["name"] for text, _ in examples]
        results[language] = ([intent for _, intent in examples], predicted, [t for t, _ in examples])
    return results


def test_heldout_macro_f1_per_language_and_overall(predictions, report_figure):
    gold_all, predicted_all = [], []
    lines = []
    for language, (gold, predicted, _) in predictions.items():
        macro, per_intent = f1_table(gold, predicted)
        gold_all += gold
        predicted_all += predicted
        lines.append(f"{language}: macro-F1 {macro:.3f} on {len(gold)} held-out messages")
    macro, per_intent = f1_table(gold_all, predicted_all)
    lines.append(f"both: macro-F1 {macro:.3f}")
    lines += [f"  {intent:<20} {score:.2f}" for intent, score in sorted(per_intent.items())]
    report_figure("NLU held-out evaluation", lines)
    assert macro >= MACRO_F1_FLOOR
    for language, (gold, predicted, _) in predictions.items():
        assert f1_table(gold, predicted)[0] >= MACRO_F1_FLOOR, language


def test_heldout_covers_every_contract_intent_in_both_languages():
    for language in ("en", "es"):
        covered = Counter(intent for _, intent in heldout_examples(language))
        assert CONTRACT_INTENTS <= set(covered), CONTRACT_INTENTS - set(covered)


def test_heldout_messages_are_not_in_the_training_data():
    training = set()
    for path in (HERE.parents[1] / "nlu").rglob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            training |= {l.strip().removeprefix("- ").strip().lower() for l in block.get("examples", "").splitlines()}
    for language in ("en", "es"):
        overlap = [t for t, _ in heldout_examples(language) if t.lower() in training]
        assert not overlap, overlap


@pytest.mark.parametrize(
    "text, sectors",
    [
        ("busco trabajo de cocinero", {"hospitality"}),
        ("I want my CDL and forklift cert", {"transportation"}),
        ("CNA or coding", {"healthcare", "it"}),
        ("solar panels or electrician", {"clean_energy", "construction"}),
        ("trabajo en un almacén", {"transportation"}),
        ("helthcare", {"healthcare"}),
    ],
)
def test_model_parse_returns_canonical_sector_entities(assistant, text, sectors):
    parsed = assistant.parse(text)
    found = {e["value"] for e in parsed["entities"] if e["entity"] == "sector"}
    assert found == sectors


def test_every_contract_intent_is_in_the_domain():
    domain = yaml.safe_load((HERE.parents[1] / "flows" / "core" / "domain.yml").read_text(encoding="utf-8"))
    assert CONTRACT_INTENTS <= set(domain["intents"])
