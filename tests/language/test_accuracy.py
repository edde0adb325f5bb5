"""Accuracy of detect() on the held-out labelled messages, printed per language."""
from __future__ import annotations

from collections import Counter

import pytest

from bot.language import detect
from language_messages import DEVELOPMENT, LABELLED, UNDECIDABLE, read_rows

MIN_OVERALL_ACCURACY = 0.98
MIN_PER_LANGUAGE_ACCURACY = 0.96

LABELLED_ROWS = read_rows(LABELLED)


def test_labelled_set_is_large_balanced_and_only_en_es():
    counts = Counter(language for _, language in LABELLED_ROWS)
    assert set(counts) == {"en", "es"}
    assert len(LABELLED_ROWS) >= 600
    assert 0.4 <= counts["es"] / len(LABELLED_ROWS) <= 0.6


def test_labelled_set_is_held_out_from_development_and_undecidable_sets():
    labelled = {text.lower() for text, _ in LABELLED_ROWS}
    development = {text.lower() for text, _ in read_rows(DEVELOPMENT)}
    undecidable = {text.lower() for text, _ in read_rows(UNDECIDABLE)}
    assert labelled.isdisjoint(development)
    assert labelled.isdisjoint(undecidable)


def test_accuracy_on_labelled_messages(report_figure):
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses = []
    for text, language in LABELLED_ROWS:
        total[language] += 1
        detected = detect(text).language
        if detected == language:
            right[language] += 1
        else:
            misses.append(f"    {language} read as {detected}: {text!r}")

    overall = sum(right.values()) / sum(total.values())
    per_language = {language: right[language] / total[language] for language in sorted(total)}
    report_figure(
        "Language detection on tests/language/labelled_messages.tsv",
        [f"  {language}: {accuracy:.1%} ({right[language]}/{total[language]})" for language, accuracy in per_language.items()]
        + [f"  overall: {overall:.1%} ({sum(right.values())}/{sum(total.values())})", *misses],
    )

    assert overall >= MIN_OVERALL_ACCURACY
    for language, accuracy in per_language.items():
        assert accuracy >= MIN_PER_LANGUAGE_ACCURACY, language


@pytest.mark.parametrize("language", ["en", "es"])
def test_most_labelled_messages_are_read_with_confidence(language):
    """The guesses are not coin flips: most right answers come with confidence >= 0.8."""
    detections = [detect(text) for text, label in LABELLED_ROWS if label == language]
    confident = [d for d in detections if d.language == language and d.confidence >= 0.8]
    assert len(confident) / len(detections) >= 0.9
