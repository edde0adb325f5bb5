"""langdetect's character n-gram model, restricted to English and Spanish.

Unrestricted, langdetect answers with one of 55 languages and on short texts often picks Italian,
Portuguese or Tagalog; loading only the English and Spanish profiles makes it choose between the
two we serve. The profiles are read once, on first use, not at import: importing the package
stays cheap for code that never detects anything.
"""
from __future__ import annotations

import threading
from pathlib import Path

LANGUAGES = ("en", "es")
# langdetect samples n-grams at random; a fixed seed makes the same text get the same answer.
_SEED = 0

_factory = None
_factory_lock = threading.Lock()


def _load_factory():
    from langdetect.detector_factory import DetectorFactory
    import langdetect

    profiles = Path(langdetect.__file__).parent / "profiles"
    factory = DetectorFactory()
    factory.load_json_profile([(profiles / code).read_text(encoding="utf-8") for code in LANGUAGES])
    factory.set_seed(_SEED)
    return factory


def _get_factory():
    global _factory
    if _factory is None:
        with _factory_lock:
            if _factory is None:
                _factory = _load_factory()
    return _factory


def profiles_loaded() -> bool:
    """Whether the profiles have been read yet (for tests of the lazy loading)."""
    return _factory is not None


def spanish_probability(text: str) -> float | None:
    """Probability that `text` is Spanish rather than English; None when it has no letters."""
    from langdetect.lang_detect_exception import LangDetectException

    detector = _get_factory().create()
    # langdetect skips words written in capitals, and people text in capitals.
    detector.append(text.lower())
    try:
        ranked = detector.get_probabilities()
    except LangDetectException:
        return None
    by_language = {guess.lang: guess.prob for guess in ranked}
    return by_language.get("es", 0.0)
