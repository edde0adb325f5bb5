"""Chooses the NLU pipeline by measurement: trains NLU-only models for candidate pipelines on the
same data, then scores each on the held-out messages (tests/nlu/heldout_*.yml, never trained on)
and times parsing in-process.

    .venv/bin/python bench/pipeline_choice.py [--diet-epochs 100]

Each model is evaluated in its own child process so load time and peak memory are its own.
Prints a Markdown table and writes it to bench/out/pipeline_choice.md.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # run as a script: make `bench` and `nlu.components` importable

import yaml  # noqa: E402

from bench.latency import percentile  # noqa: E402
from bench.machine import machine_line  # noqa: E402
from bench.process_memory import own_peak_rss_mib  # noqa: E402

OUT_DIR = REPO_ROOT / "bench" / "out"
MODELS_DIR = OUT_DIR / "pipelines"
HELDOUT_DIR = REPO_ROOT / "tests" / "nlu"
MACRO_F1_FLOOR = 0.90  # the floor tests/nlu/test_nlu_heldout.py enforces
WARM_UP_PARSES = 20


@dataclass(frozen=True)
class Candidate:
    name: str
    description: str
    pipeline: tuple[dict, ...]


def candidates(diet_epochs: int) -> list[Candidate]:
    repo_pipeline = tuple(yaml.safe_load((REPO_ROOT / "config.yml").read_text())["pipeline"])
    featurizers = tuple(step for step in repo_pipeline if step["name"] != "LogisticRegressionClassifier")
    word_counts = {"name": "CountVectorsFeaturizer", "analyzer": "word", "min_ngram": 1, "max_ngram": 2}
    logistic = next(step for step in repo_pipeline if step["name"] == "LogisticRegressionClassifier")
    sectors = next(step for step in repo_pipeline if step["name"].endswith("SectorEntityExtractor"))
    return [
        Candidate("lean", "config.yml: char 2-5 + word 1-2 counts, LogisticRegression", repo_pipeline),
        Candidate(
            "diet",
            f"same featurizers, DIETClassifier {diet_epochs} epochs (Rasa default recipe's classifier)",
            featurizers + ({"name": "DIETClassifier", "epochs": diet_epochs, "constrain_similarities": True},),
        ),
        Candidate(
            "word-only",
            "word 1-2 counts only, LogisticRegression",
            ({"name": "WhitespaceTokenizer"}, word_counts, sectors, logistic),
        ),
    ]


def heldout_examples() -> dict[str, list[tuple[str, str]]]:
    by_language: dict[str, list[tuple[str, str]]] = {}
    for language in ("en", "es"):
        data = yaml.safe_load((HELDOUT_DIR / f"heldout_{language}.yml").read_text(encoding="utf-8"))
        by_language[language] = [
            (line.strip().removeprefix("- ").strip(), block["intent"])
            for block in data["nlu"]
            for line in block["examples"].splitlines()
            if line.strip().removeprefix("- ").strip()
        ]
    return by_language


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    from sklearn.metrics import precision_recall_fscore_support

    labels = sorted(set(gold))
    _, _, f1, _ = precision_recall_fscore_support(gold, predicted, labels=labels, zero_division=0)
    return float(sum(f1) / len(f1))


def train(candidate: Candidate) -> tuple[Path, float]:
    MODELS_DIR.mkdir(parents=True, exist_ok=True)
    config_path = MODELS_DIR / f"{candidate.name}.config.yml"
    config = {"recipe": "default.v1", "language": "en", "pipeline": list(candidate.pipeline), "policies": []}
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    command = [
        sys.executable, "-m", "rasa", "train", "nlu", "--config", str(config_path), "--nlu", str(REPO_ROOT / "nlu"),
        "--out", str(MODELS_DIR), "--fixed-model-name", candidate.name,
    ]
    started = time.perf_counter()
    with open(MODELS_DIR / f"{candidate.name}.train.log", "wb") as log:
        subprocess.run(command, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, check=True)
    return MODELS_DIR / f"{candidate.name}.tar.gz", time.perf_counter() - started


async def _evaluate(model_path: Path) -> dict:
    started = time.perf_counter()
    from rasa.core.agent import Agent

    agent = Agent.load(str(model_path))
    load_seconds = time.perf_counter() - started
    examples = heldout_examples()
    for text, _ in examples["en"][:WARM_UP_PARSES]:
        await agent.parse_message(text)  # first parses pay for lazy set-up, not counted
    latencies: list[float] = []
    scores: dict[str, float] = {}
    gold_all: list[str] = []
    predicted_all: list[str] = []
    for language, pairs in examples.items():
        predicted = []
        for text, _ in pairs:
            parse_started = time.perf_counter()
            parsed = await agent.parse_message(text)
            latencies.append(time.perf_counter() - parse_started)
            predicted.append(parsed["intent"]["name"])
        gold = [intent for _, intent in pairs]
        scores[language] = macro_f1(gold, predicted)
        gold_all += gold
        predicted_all += predicted
    scores["both"] = macro_f1(gold_all, predicted_all)
    return {
        "load_seconds": load_seconds,
        "f1": scores,
        "parses": len(latencies),
        "parses_per_second": len(latencies) / sum(latencies),
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "peak_rss_mib": own_peak_rss_mib(),
    }


def evaluate_in_child(model_path: Path) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, "--evaluate", str(model_path)],
        cwd=REPO_ROOT, capture_output=True, text=True, check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def table(rows: list[tuple[Candidate, float, float, dict]]) -> str:
    lines = [
        "| pipeline | what | train (s) | model MB | load incl. imports (s) | macro-F1 en | es | both | parses/s | parse p50 / p99 ms | peak RSS MB |",
        "|" + "---|" * 11,
    ]
    for candidate, train_seconds, model_mib, result in rows:
        f1 = result["f1"]
        lines.append(
            f"| {candidate.name} | {candidate.description} | {train_seconds:.0f} | {model_mib:.1f} | "
            f"{result['load_seconds']:.1f} | {f1['en']:.3f} | {f1['es']:.3f} | {f1['both']:.3f} | "
            f"{result['parses_per_second']:.0f} | {result['p50_ms']:.1f} / {result['p99_ms']:.1f} | "
            f"{result['peak_rss_mib']:.0f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--diet-epochs", type=int, default=100)
    parser.add_argument("--evaluate", type=Path, help=argparse.SUPPRESS)  # child mode: one model, JSON out
    args = parser.parse_args(argv)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    if args.evaluate:
        print(json.dumps(asyncio.run(_evaluate(args.evaluate))))
        return 0

    started = time.perf_counter()
    rows = []
    for candidate in candidates(args.diet_epochs):
        print(f"Training {candidate.name}...", flush=True)
        model_path, train_seconds = train(candidate)
        print(f"  trained in {train_seconds:.0f} s; evaluating on the held-out messages...", flush=True)
        result = evaluate_in_child(model_path)
        rows.append((candidate, train_seconds, model_path.stat().st_size / 1024 / 1024, result))
        print(f"  macro-F1 {result['f1']['both']:.3f}, {result['parses_per_second']:.0f} parses/s", flush=True)

    parses = rows[0][3]["parses"]
    text = "\n".join([
        f"NLU pipeline choice: NLU-only models trained on nlu/ (en + es), scored on {parses} held-out "
        f"messages (tests/nlu/heldout_en.yml + heldout_es.yml; floor {MACRO_F1_FLOOR} macro-F1 per language); "
        "parse timing in-process with Agent.parse_message, one message at a time.",
        "",
        table(rows),
        "",
        machine_line(),
    ])
    print("\n" + text)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "pipeline_choice.md").write_text(text + "\n")
    print(f"\n(wrote {OUT_DIR / 'pipeline_choice.md'}; whole run {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
