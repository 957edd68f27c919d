"""End to end: our own evaluation conversations through the REST channel of the running
servers (tests/e2e/conftest.py). Slow (model load ~1 min): marked e2e. `make test`
trains first (or reuses an up-to-date model)."""
import pytest
import requests

from bot.evaluation import format_scores, load_cases, run_cases, score
from tests.conftest import DATA

pytestmark = pytest.mark.e2e
CASES = load_cases(DATA / "eval_conversations.jsonl")


def test_own_set_is_big_enough():
    assert len(CASES) >= 150


def test_own_evaluation_set(e2e, capsys):
    scores = score(run_cases(CASES, e2e.webhook))
    with capsys.disabled():
        print("\n" + format_scores(scores, "tests/data/eval_conversations.jsonl"))
        for r in scores.errors:
            print(f"  x {r.case_id}: {r.text!r} -> {r.topic} esc={r.escalate} sev={r.severity}")
    assert scores.escalation_recall == 1.0
    assert scores.emergency_under_triage == 0
    assert scores.topic_accuracy >= 0.90
    assert scores.false_escalation_rate <= 0.05


def test_bad_input_gets_a_reply_not_an_error(e2e):
    for message in ["", "   ", "🙂" * 50, "<script>alert(1)</script>", "x" * 20000]:
        response = requests.post(e2e.webhook, json={"sender": "e2e-bad", "message": message}, timeout=60)
        assert response.status_code == 200, message[:20]
