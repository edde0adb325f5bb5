"""Accuracy of detect(), printed per language: on the held-out messages (no weight, word list or
model count is fitted on them; the figure to trust) and on the tuning messages."""
from __future__ import annotations

from collections import Counter

import pytest

from bot.language import char_model, detect
from bot.language.training import trained_table, training_examples
from language_messages import HELDOUT, LABELLED, TUNING_FILES, UNDECIDABLE, read_rows

MIN_HELDOUT_ACCURACY = 0.98
MIN_TUNING_ACCURACY = 0.98
MIN_PER_LANGUAGE_ACCURACY = 0.96

HELDOUT_ROWS = read_rows(HELDOUT)
TUNING_ROWS = [row for path in TUNING_FILES for row in read_rows(path)]
LABELLED_ROWS = read_rows(LABELLED)


def test_the_labelled_sets_are_large_balanced_and_only_en_es():
    for rows in (HELDOUT_ROWS, TUNING_ROWS):
        counts = Counter(language for _, language in rows)
        assert set(counts) == {"en", "es"}
        assert 0.4 <= counts["es"] / len(rows) <= 0.6
    assert len(HELDOUT_ROWS) >= 500
    assert len(HELDOUT_ROWS) + len(TUNING_ROWS) >= 1500


def test_the_held_out_set_shares_no_text_with_the_tuning_sets_or_the_undecidable_one():
    held_out = {text.lower() for text, _ in HELDOUT_ROWS}
    assert len(held_out) == len(HELDOUT_ROWS)
    assert held_out.isdisjoint(text.lower() for text, _ in TUNING_ROWS)
    assert held_out.isdisjoint(text.lower() for text, _ in read_rows(UNDECIDABLE))


def test_the_shipped_character_model_is_the_one_the_tuning_messages_train():
    """bot/language/data/char_ngrams.json is what the tuning messages and NLU examples train, and
    no held-out message went into it (`python -m bot.cli prepare`, run by make run and make test,
    retrains it when they change)."""
    held_out = {text.lower() for text, _ in HELDOUT_ROWS}
    assert not any(text.lower() in held_out for text, _ in training_examples())
    assert char_model.MODEL_FILE.read_text(encoding="utf-8") == trained_table(), (
        "stale: .venv/bin/python -m bot.language.training"
    )


def _score(rows, title: str, report_figure) -> tuple[float, dict[str, float]]:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses = []
    for text, language in rows:
        total[language] += 1
        detected = detect(text).language
        if detected == language:
            right[language] += 1
        else:
            misses.append(f"    {language} read as {detected}: {text!r}")
    overall = sum(right.values()) / sum(total.values())
    per_language = {language: right[language] / total[language] for language in sorted(total)}
    report_figure(
        f"Language detection, {title}",
        [f"  {language}: {accuracy:.1%} ({right[language]}/{total[language]})" for language, accuracy in per_language.items()]
        + [f"  overall: {overall:.1%} ({sum(right.values())}/{sum(total.values())})", *misses],
    )
    return overall, per_language


def test_accuracy_on_held_out_messages(report_figure):
    overall, per_language = _score(HELDOUT_ROWS, f"held out ({HELDOUT.name}, per message)", report_figure)
    assert overall >= MIN_HELDOUT_ACCURACY
    for language, accuracy in per_language.items():
        assert accuracy >= MIN_PER_LANGUAGE_ACCURACY, language


def test_accuracy_on_tuning_messages(report_figure):
    overall, per_language = _score(TUNING_ROWS, "tuning messages (fitted on: optimistic)", report_figure)
    assert overall >= MIN_TUNING_ACCURACY
    for language, accuracy in per_language.items():
        assert accuracy >= MIN_PER_LANGUAGE_ACCURACY, language


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("rows", [HELDOUT_ROWS, LABELLED_ROWS], ids=["held_out", "labelled"])
def test_most_messages_are_read_with_confidence(rows, language):
    """The guesses are not coin flips: most right answers come with confidence >= 0.8."""
    detections = [detect(text) for text, label in rows if label == language]
    confident = [d for d in detections if d.language == language and d.confidence >= 0.8]
    assert len(confident) / len(detections) >= 0.9
