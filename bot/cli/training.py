"""Train the Rasa model only when what it is trained from has changed.

The fingerprint covers the pipeline config, every domain/rules/stories file under `flows/`, the
NLU data and custom components under `nlu/`, and the data files those components read. An
unchanged re-run starts without training.
"""
from __future__ import annotations

import hashlib
import fcntl
import os
import subprocess
import sys
from pathlib import Path

from bot.telemetry_off import without_telemetry
from bot.cli.settings import REPO_ROOT

TRAINING_INPUTS = ("config.yml", "flows", "nlu", "data/sectors.yml")
MODEL_NAME = "intake"


def training_files(root: Path = REPO_ROOT) -> list[Path]:
    files: list[Path] = []
    for entry in TRAINING_INPUTS:
        path = root / entry
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(
                p for p in path.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts and p.suffix in (".yml", ".yaml", ".py")
            )
    return sorted(files)


def fingerprint(root: Path = REPO_ROOT) -> str:
    digest = hashlib.sha256()
    for path in training_files(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def dialogue_data_files(root: Path = REPO_ROOT) -> list[Path]:
    """Rules and stories of every flow. Domain files are passed separately (`--domain flows`):
    listing them as data too would make Rasa merge each domain file twice."""
    return sorted(p for p in (root / "flows").rglob("*.yml") if p.name != "domain.yml")


def rasa_data_arguments(root: Path = REPO_ROOT) -> list[str]:
    return ["--domain", str(root / "flows"), "--data", *map(str, dialogue_data_files(root)), str(root / "nlu")]


def _stamp_path(model_path: Path) -> Path:
    return model_path.with_suffix("").with_suffix(".fingerprint")


def model_is_current(model_path: Path, root: Path = REPO_ROOT) -> bool:
    stamp = _stamp_path(model_path)
    return model_path.exists() and stamp.exists() and stamp.read_text().strip() == fingerprint(root)


def train_if_stale(model_path: Path, root: Path = REPO_ROOT, *, quiet: bool = False) -> bool:
    """Returns True when it trained a new model.

    Two runs at once (a test run beside `make run`) train once: the second waits for the
    first's lock, then finds the model current.
    """
    model_path.parent.mkdir(parents=True, exist_ok=True)
    with open(model_path.parent / ".training.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _train_if_stale_locked(model_path, root, quiet)


def _train_if_stale_locked(model_path: Path, root: Path, quiet: bool) -> bool:
    if model_is_current(model_path, root):
        if not quiet:
            print(f"Model is up to date: {model_path.relative_to(root) if model_path.is_relative_to(root) else model_path}")
        return False
    print("Training the Rasa model (its training data, domain or config changed)...", flush=True)
    model_path.parent.mkdir(parents=True, exist_ok=True)
    wanted = fingerprint(root)
    command = [
        sys.executable, "-m", "rasa", "train",
        "--config", str(root / "config.yml"),
        *rasa_data_arguments(root),
        "--out", str(model_path.parent),
        "--fixed-model-name", model_path.name.removesuffix(".tar.gz"),
        "--quiet",
    ]
    subprocess.run(command, cwd=root, check=True, env=without_telemetry(dict(os.environ)))
    _stamp_path(model_path).write_text(wanted + "\n")
    return True
