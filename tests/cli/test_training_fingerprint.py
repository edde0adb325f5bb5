"""Training runs only when its inputs change: the fingerprint over config, flows, NLU data."""
from __future__ import annotations

import shutil
from pathlib import Path

from bot.cli.training import fingerprint, model_is_current

ROOT = Path(__file__).resolve().parents[2]


def copy_training_inputs(target: Path) -> None:
    shutil.copy(ROOT / "config.yml", target / "config.yml")
    shutil.copytree(ROOT / "flows", target / "flows")
    shutil.copytree(ROOT / "nlu", target / "nlu", ignore=shutil.ignore_patterns("__pycache__"))
    (target / "data").mkdir()
    shutil.copy(ROOT / "data" / "sectors.yml", target / "data" / "sectors.yml")


def test_fingerprint_is_stable_and_follows_every_input(tmp_path):
    copy_training_inputs(tmp_path)
    before = fingerprint(tmp_path)
    assert fingerprint(tmp_path) == before
    for changed in ("config.yml", "flows/intake/rules.yml", "nlu/es/basics.yml", "data/sectors.yml"):
        path = tmp_path / changed
        original = path.read_text()
        path.write_text(original + "\n# changed\n")
        assert fingerprint(tmp_path) != before, changed
        path.write_text(original)
    assert fingerprint(tmp_path) == before


def test_model_is_current_only_with_a_matching_stamp(tmp_path):
    copy_training_inputs(tmp_path)
    model = tmp_path / "models" / "intake.tar.gz"
    assert not model_is_current(model, tmp_path)
    model.parent.mkdir()
    model.write_bytes(b"model")
    (tmp_path / "models" / "intake.fingerprint").write_text(fingerprint(tmp_path))
    assert model_is_current(model, tmp_path)
    (tmp_path / "flows" / "intake" / "rules.yml").write_text("version: '3.1'\n")
    assert not model_is_current(model, tmp_path)
