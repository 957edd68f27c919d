"""Compares candidate NLU pipelines (pipelines/*.yml) by Rasa's own cross-validation.

For each candidate: `rasa test nlu --cross-validation` on data/nlu, timed; the figures are
read from the intent report Rasa writes (test folds, so never on training examples).
Writes a Markdown table to reports/crossval/comparison.md and prints it.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

from bot.settings import PROJECT_ROOT


@dataclass
class CrossValResult:
    name: str
    folds: int
    accuracy: float
    macro_f1: float
    weighted_f1: float
    out_of_scope_f1: Optional[float]
    seconds: float


def read_intent_report(path: Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def result_from_report(name: str, folds: int, report: dict, seconds: float) -> CrossValResult:
    oos = report.get("out_of_scope") or {}
    return CrossValResult(
        name=name, folds=folds, accuracy=float(report["accuracy"]),
        macro_f1=float(report["macro avg"]["f1-score"]),
        weighted_f1=float(report["weighted avg"]["f1-score"]),
        out_of_scope_f1=float(oos["f1-score"]) if "f1-score" in oos else None,
        seconds=seconds,
    )


def run_one(config: Path, folds: int, out_root: Path, rasa: str) -> CrossValResult:
    out = out_root / config.stem
    started = time.perf_counter()
    command = [rasa, "test", "nlu", "--nlu", "data/nlu", "--config", str(config),
               "--cross-validation", "--folds", str(folds), "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "RASA_TELEMETRY_ENABLED": "false",
           "TF_CPP_MIN_LOG_LEVEL": "2"}
    with open(out_root / f"{config.stem}.log", "w", encoding="utf-8") as log:
        subprocess.run(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                       check=True)
    seconds = time.perf_counter() - started
    return result_from_report(config.stem, folds, read_intent_report(out / "intent_report.json"),
                              seconds)


def as_markdown(results: List[CrossValResult]) -> str:
    lines = ["| pipeline | folds | accuracy | macro F1 | weighted F1 | out_of_scope F1 | time (all folds) |",
             "|---|---|---|---|---|---|---|"]
    best = max(results, key=lambda r: r.macro_f1).name if results else None
    for r in results:
        oos = f"{r.out_of_scope_f1:.3f}" if r.out_of_scope_f1 is not None else "-"
        name = f"**{r.name}**" if r.name == best else r.name
        lines.append(f"| {name} | {r.folds} | {r.accuracy:.3f} | {r.macro_f1:.3f} | "
                     f"{r.weighted_f1:.3f} | {oos} | {r.seconds / 60:.1f} min |")
    return "\n".join(lines) + "\n"


def main(args) -> int:
    configs = sorted(Path(args.pipelines).glob("*.yml"))
    if args.only:
        configs = [c for c in configs if c.stem in args.only]
    if not configs:
        print(f"No candidate pipelines in {args.pipelines}", file=sys.stderr)
        return 2
    out_root = Path(args.out)
    out_root.mkdir(parents=True, exist_ok=True)
    from bot.nlu.spacy_model import build

    build()  # the spaCy candidate loads it by path
    rasa = str(Path(sys.executable).parent / "rasa")
    results = []
    for config in configs:
        print(f"cross-validating {config.stem} ({args.folds} folds) ...", flush=True)
        results.append(run_one(config, args.folds, out_root, rasa))
        print(f"  macro F1 {results[-1].macro_f1:.3f} in {results[-1].seconds / 60:.1f} min", flush=True)
    table = as_markdown(results)
    (out_root / "comparison.md").write_text(table, encoding="utf-8")
    print(table)
    return 0
