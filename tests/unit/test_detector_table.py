"""The red-flag detector against the reviewed table in tests/data/red_flag_cases.yml."""
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


def test_table_figures(capsys):
    """Recall must be 1.0; false escalations at most 3% of the calm messages."""
    detector = get_detector()
    must = [c for c in CASES if c["escalate"]]
    calm = [c for c in CASES if not c["escalate"]]
    caught = sum(detector.detect(c["text"]).escalate for c in must)
    false = sum(detector.detect(c["text"]).escalate for c in calm)
    with capsys.disabled():
        print(f"\ndetector table: {len(CASES)} messages, recall {caught}/{len(must)}, "
              f"false escalations {false}/{len(calm)}")
    assert caught == len(must)
    assert false <= 0.03 * len(calm)
