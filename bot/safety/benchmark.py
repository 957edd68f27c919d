"""Time the red-flag detector: build once, then per message over a set of messages.

`make bench-detector` (python -m bot.cli bench-detector) prints the figures; the
messages are the reviewed safety table plus long messages, each timed `repeat` times.
"""
from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import List

import yaml


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def build_detector():
    """A new detector and the seconds it took to build (and warm up)."""
    from bot.safety.detector import RedFlagDetector

    started = time.perf_counter()
    detector = RedFlagDetector()
    detector.detect("warm-up message about bleeding")
    return detector, time.perf_counter() - started


def benchmark(detector, messages: List[str], repeat: int = 5) -> dict:
    timings = []
    for _ in range(repeat):
        for message in messages:
            t0 = time.perf_counter()
            detector.detect(message)
            timings.append((time.perf_counter() - t0) * 1000)
    return {"messages": len(messages), "calls": len(timings),
            "p50_ms": percentile(timings, 50), "p95_ms": percentile(timings, 95),
            "p99_ms": percentile(timings, 99), "max_ms": max(timings),
            "mean_ms": statistics.fmean(timings)}


def table_messages(path: Path) -> List[str]:
    return [case["text"] for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]]


def long_messages(texts: List[str], per_message: int = 12) -> List[str]:
    """Long, rambling messages (12 table messages run together): the slow end of real traffic."""
    return [" ".join(texts[i:i + per_message]) for i in range(0, len(texts), per_message)]


def format_report(figures: dict, what: str) -> str:
    return (f"{what}: {figures['messages']} messages, {figures['calls']} calls; per message "
            f"p50 {figures['p50_ms']:.2f} ms, p95 {figures['p95_ms']:.2f} ms, "
            f"p99 {figures['p99_ms']:.2f} ms, max {figures['max_ms']:.1f} ms, "
            f"mean {figures['mean_ms']:.2f} ms")
