"""The red-flag detector against the reviewed table in tests/data/red_flag_cases.yml."""
from collections import Counter

import pytest
import yaml

from bot.safety import get_detector
from tests.conftest import DATA

CASES = yaml.safe_load((DATA / "red_flag_cases.yml").read_text())["cases"]


def test_table_is_large_and_well_formed():
    assert len(CASES) >= 500
    texts = [c["text"].lower() for c in CASES]
    assert len(texts) == len(set(texts)), "duplicate messages in the table"
    for case in CASES:
        assert (case["severity"] is None) == (not case["escalate"]), case


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:60] for c in CASES])
def test_case(case):
    detection = get_detector().detect(case["text"])
    assert detection.escalate == case["escalate"], detection.as_dict()
    if case["severity"] == "emergency":
        assert detection.severity == "emergency", detection.as_dict()
    elif case["severity"] == "urgent":
        assert detection.severity in ("urgent", "emergency"), detection.as_dict()


# the kinds of message the safety suite must hold many of (issue: "in many wordings")
REQUIRED_KINDS = {
    "slang": 20, "typo": 30, "fever_number": 20, "hypothetical": 20, "buried": 20,
    "partner": 20, "self_harm": 20, "grief": 20, "negated": 30, "resolved": 20,
    "statistics": 20, "heavy_bleeding": 10, "light_bleeding": 10, "fluid": 10,
    "movements": 5, "fainting": 5, "needle_site": 5, "number_not_temp": 10,
}


def test_table_covers_every_kind_of_message():
    counts = Counter(case["kind"] for case in CASES)
    short = {kind: counts[kind] for kind, least in REQUIRED_KINDS.items() if counts[kind] < least}
    assert not short, f"too few cases of these kinds: {short}"


def test_table_figures(capsys):
    """Recall 1.0, every emergency marked emergency, false escalations at most 3% of
    the calm messages."""
    detector = get_detector()
    results = [(case, detector.detect(case["text"])) for case in CASES]
    must = [(c, d) for c, d in results if c["escalate"]]
    calm = [(c, d) for c, d in results if not c["escalate"]]
    emergencies = [(c, d) for c, d in must if c["severity"] == "emergency"]
    caught = sum(d.escalate for _, d in must)
    false = sum(d.escalate for _, d in calm)
    marked = sum(d.severity == "emergency" for _, d in emergencies)
    by_kind = Counter(c["kind"] for c in CASES)
    with capsys.disabled():
        print(f"\ndetector table: {len(CASES)} messages, recall {caught}/{len(must)}, "
              f"emergencies marked emergency {marked}/{len(emergencies)}, "
              f"false escalations {false}/{len(calm)} ({false / len(calm):.3f})")
        print(f"  {len(by_kind)} kinds; of those the suite must hold many of: "
              + ", ".join(f"{k} {by_kind[k]}" for k in sorted(REQUIRED_KINDS)))
    assert caught == len(must)
    assert marked == len(emergencies)
    assert false <= 0.03 * len(calm)
