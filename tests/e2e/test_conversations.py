"""End to end: the trained model, the action server and Rasa on free ports, our own
evaluation conversations through the REST channel. Slow (model load ~1 min): marked e2e.
`make test` trains first (or reuses an up-to-date model)."""
import uuid
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from bot.db import Escalation, session_scope
from bot.evaluation import format_scores, load_cases, run_cases, score
from bot.knowledge_base import load_answers
from bot.servers import running_assistant
from tests.conftest import DATA, ROOT

pytestmark = pytest.mark.e2e
MODEL = ROOT / "models" / "assistant.tar.gz"
CASES = load_cases(DATA / "eval_conversations.jsonl")


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail("No trained model: run `make train` (make test does).")
    db_url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'assistant.db'}"
    load_answers(url=db_url)
    with running_assistant(model=str(MODEL), db_url=db_url,
                           log_dir=ROOT / "var" / "logs" / "e2e") as servers:
        yield servers.webhook, db_url


def test_own_set_is_big_enough():
    assert len(CASES) >= 150


def test_own_evaluation_set(assistant, capsys):
    webhook, _ = assistant
    scores = score(run_cases(CASES, webhook))
    with capsys.disabled():
        print("\n" + format_scores(scores, "tests/data/eval_conversations.jsonl"))
        for r in scores.errors:
            print(f"  x {r.case_id}: {r.text!r} -> {r.topic} esc={r.escalate} sev={r.severity}")
    assert scores.escalation_recall == 1.0
    assert scores.emergency_under_triage == 0
    assert scores.topic_accuracy >= 0.90
    assert scores.false_escalation_rate <= 0.05


def test_escalation_is_recorded_with_the_conversation(assistant):
    webhook, db_url = assistant
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    replies = requests.post(webhook, json={"sender": sender,
                                           "message": "results soon? also soaking pads with blood"},
                            timeout=60).json()
    custom = [r["custom"] for r in replies if "custom" in r]
    assert custom[0]["topic"] == "red_flag" and custom[0]["severity"] == "emergency"
    with session_scope(db_url) as session:
        row = session.execute(select(Escalation).where(Escalation.conversation_id == sender)).scalar_one()
        assert row.kind == "red_flag" and row.severity == "emergency" and "bleeding" in row.symptoms


def test_bad_input_gets_a_reply_not_an_error(assistant):
    webhook, _ = assistant
    for message in ["", "   ", "🙂" * 50, "<script>alert(1)</script>", "x" * 20000]:
        response = requests.post(webhook, json={"sender": "e2e-bad", "message": message}, timeout=60)
        assert response.status_code == 200, message[:20]
