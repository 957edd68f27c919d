"""The curated answers: every topic covered, sourced, and free of the seeds' errors."""
import re

import pytest

from bot.answers_yaml import read_answer_specs
from bot.topics import TOPICS

SPECS = read_answer_specs()


def test_every_topic_has_an_answer():
    assert set(TOPICS) <= {s.topic for s in SPECS}


def test_escalation_replies_exist():
    keys = {s.key for s in SPECS}
    assert {"red_flag.emergency", "red_flag.urgent", "red_flag.crisis", "human_handoff"} <= keys


@pytest.mark.parametrize("spec", SPECS, ids=[s.key for s in SPECS])
def test_answer_is_sourced_and_safe(spec):
    assert spec.sources and all(s["title"] and s["url"] for s in spec.sources)
    text = spec.text.lower()
    for forbidden in ("no risk", "100% safe", "completely safe", "risk-free", "sterilization",
                      "stress causes miscarriage"):
        assert forbidden not in text, forbidden
    # every percentage carries its % sign; no bare "0.1 and 0.3"
    assert not re.search(r"\b0\.\d+ (?:and|to) 0\.\d+\b(?!\s*%)", text)
    assert spec.review_due > spec.reviewed_on


def test_week_variants_use_the_week():
    for spec in SPECS:
        if spec.week_min is not None or spec.week_max is not None:
            assert "{week}" in spec.text or spec.topic == "timing", spec.key


def test_not_before_15_weeks_is_stated():
    early = " ".join(s.text for s in SPECS if s.topic in ("timing", "early_amnio_risk"))
    assert "15" in early
