"""The evaluation report of `make eval`: Markdown plus PNG plots, in a folder of its own
under reports/ (not committed).

Per evaluation set: the headline figures, accuracy by message style (when the cases say
their style), a confusion matrix over topics, a histogram of the model's confidence in
the answers it gave, and every wrong turn.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

from bot.evaluation import NOT_AN_ANSWER, Scores, TurnResult, format_scores


def _slug(name: str) -> str:
    return Path(name).stem.replace(".", "-")


def expected_topic(result: TurnResult) -> str:
    """The row of the confusion matrix: the acceptable topic that was answered, else the first."""
    topics = result.expected["topics"]
    return result.topic if result.topic in topics else topics[0]


def confusion(results: List[TurnResult]) -> Tuple[List[str], List[List[int]]]:
    counts: Counter = Counter((expected_topic(r), r.topic or "none") for r in results)
    labels = sorted({a for a, _ in counts} | {b for _, b in counts})
    return labels, [[counts[(row, column)] for column in labels] for row in labels]


def plot_confusion(results: List[TurnResult], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels, matrix = confusion(results)
    size = max(6.0, 0.32 * len(labels) + 2)
    figure, axes = plt.subplots(figsize=(size, size))
    shown = [[value if value else float("nan") for value in row] for row in matrix]
    image = axes.imshow(shown, cmap="Blues")
    axes.set_xticks(range(len(labels)))
    axes.set_yticks(range(len(labels)))
    axes.set_xticklabels(labels, rotation=90, fontsize=7)
    axes.set_yticklabels(labels, fontsize=7)
    axes.set_xlabel("topic answered")
    axes.set_ylabel("expected topic")
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            if value:
                axes.text(j, i, str(value), ha="center", va="center", fontsize=6,
                          color="white" if i == j else "darkred")
    axes.set_title(title, fontsize=9)
    figure.colorbar(image, fraction=0.03)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def plot_confidence(results: List[TurnResult], threshold: float, path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    answered = [r for r in results if r.confidence is not None and r.topic not in NOT_AN_ANSWER]
    by_model = [r for r in answered if r.basis == "model"]
    right = [r.confidence for r in by_model if r.topic in r.expected["topics"]]
    wrong = [r.confidence for r in by_model if r.topic not in r.expected["topics"]]
    by_rules = [r.confidence for r in answered if r.basis != "model"]
    figure, axes = plt.subplots(figsize=(7, 4))
    bins = [i / 20 for i in range(21)]
    axes.hist([right, wrong, by_rules], bins=bins, stacked=True,
              color=["#3b7dd8", "#d8553b", "#9a9a9a"],
              label=[f"model's topic, right ({len(right)})", f"model's topic, wrong ({len(wrong)})",
                     f"topic from rules: follow-up context, symptom question ({len(by_rules)})"])
    axes.axvline(threshold, color="black", linestyle="--", label=f"fallback threshold {threshold:g}")
    axes.set_xlabel("model confidence in the topic answered")
    axes.set_ylabel("answers")
    axes.set_title(title, fontsize=9)
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def by_style(results: List[TurnResult]) -> Dict[str, Tuple[int, int]]:
    """style -> (right, total) over turns that must not escalate."""
    table: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
    for r in results:
        style = r.expected.get("style")
        if not style or r.expected["escalate"]:
            continue
        table[style][1] += 1
        table[style][0] += int(r.topic in r.expected["topics"] and not r.escalate)
    return {k: (v[0], v[1]) for k, v in sorted(table.items())}


def write_report(runs: List[Tuple[str, List[TurnResult], Scores]], reports_dir: Path,
                 model: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = reports_dir / f"eval-{stamp}"
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"# Evaluation report, {dt.datetime.now():%Y-%m-%d %H:%M}", "",
             f"Model `{model}`, every turn sent through the REST channel of a running assistant "
             "(scratch database, notifications off).", ""]
    for name, results, scores in runs:
        slug = _slug(name)
        plot_confusion(results, folder / f"confusion-{slug}.png", f"{name}: topics")
        plot_confidence(results, scores.fallback_threshold, folder / f"confidence-{slug}.png",
                        f"{name}: confidence of the answers given")
        (folder / f"turns-{slug}.jsonl").write_text(
            "\n".join(json.dumps({**r.__dict__}, default=str) for r in results) + "\n",
            encoding="utf-8")
        lines += [f"## {name}", "", "```", format_scores(scores, name), "```", ""]
        styles = by_style(results)
        if styles:
            lines += ["| style | right | turns | accuracy |", "|---|---|---|---|"]
            lines += [f"| {style} | {right} | {total} | {right / total:.3f} |"
                      for style, (right, total) in styles.items()]
            lines.append("")
        lines += [f"![confusion matrix](confusion-{slug}.png)", "",
                  f"![confidence histogram](confidence-{slug}.png)", ""]
        if scores.errors:
            lines += [f"### Wrong turns ({len(scores.errors)})", "",
                      "| case | message | answered | expected |", "|---|---|---|---|"]
            for r in scores.errors:
                text = r.text.replace("|", "\\|").replace("\n", " ")
                answered = f"{r.topic}" + (f" (escalated, {r.severity})" if r.escalate else "")
                expected = "/".join(r.expected["topics"]) + (
                    f" (escalate, {r.expected.get('severity')})" if r.expected["escalate"] else "")
                lines.append(f"| {r.case_id} | {text[:160]} | {answered} | {expected} |")
            lines.append("")
    (folder / "report.md").write_text("\n".join(lines), encoding="utf-8")
    return folder
