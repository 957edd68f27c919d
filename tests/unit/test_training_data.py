"""Training data: large enough, and kept apart from the evaluation sets."""
import json
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.topics import ANSWER_TOPICS
from tests.conftest import DATA, ROOT

DEV_SET = ROOT.parent / "shared" / "eval" / "dev.jsonl"


def normalised(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def training_examples():
    examples = []
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            for line in block["examples"].splitlines():
                if line.strip().startswith("- "):
                    examples.append((block["intent"], line.strip()[2:].strip()))
    return examples


def eval_texts(path: Path):
    return {normalised(turn["text"]) for line in path.read_text().splitlines() if line.strip()
            for turn in json.loads(line)["turns"]}


def test_every_answer_topic_has_an_intent_with_examples():
    counts = Counter(intent for intent, _ in training_examples())
    for topic in ANSWER_TOPICS:
        assert counts[topic] >= 40, topic


def test_no_duplicate_examples():
    texts = [normalised(text) for _, text in training_examples()]
    duplicates = [t for t, n in Counter(texts).items() if n > 1]
    assert not duplicates


@pytest.mark.parametrize("path", [DATA / "eval_conversations.jsonl", DEV_SET], ids=["own", "dev"])
def test_training_is_kept_apart_from_evaluation(path):
    if not path.exists():
        pytest.skip(f"{path} is not here (it is outside the project)")
    overlap = {normalised(t) for _, t in training_examples()} & eval_texts(path)
    assert not overlap, sorted(overlap)


def test_own_evaluation_set_is_big_and_varied():
    """At least 400 single-turn messages and 40 conversations, in the styles patients write."""
    cases = [json.loads(line) for line in (DATA / "eval_conversations.jsonl").read_text().splitlines()
             if line.strip()]
    single = [c for c in cases if len(c["turns"]) == 1]
    multi = [c for c in cases if len(c["turns"]) > 1]
    assert len(single) >= 400 and len(multi) >= 40
    styles = Counter(t.get("style") for c in cases for t in c["turns"])
    for style in ("typo", "non_native", "two_questions", "emotional", "very_short",
                  "long_rambling", "oos", "context"):
        assert styles[style] >= 14, style
    out_of_scope = [t for c in cases for t in c["turns"] if t["topics"] == ["out_of_scope"]]
    assert len(out_of_scope) >= 50
    two_topics = [t for c in single for t in c["turns"] if len(t["topics"]) == 2]
    assert len(two_topics) >= 16
