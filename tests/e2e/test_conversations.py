"""End to end: our own evaluation conversations through the REST channel of the running
servers (tests/e2e/conftest.py). Slow (model load ~1 min): marked e2e. `make test`
trains first (or reuses an up-to-date model)."""
import pytest
import requests

from bot.evaluation import fallback_threshold, format_scores, load_cases, run_cases, score
from tests.conftest import DATA, ROOT

pytestmark = pytest.mark.e2e
CASES = load_cases(DATA / "eval_conversations.jsonl")
DEV_SET = ROOT.parent / "shared" / "eval" / "dev.jsonl"
THRESHOLD = fallback_threshold(ROOT / "config.yml")


def _score_and_show(cases, webhook, name):
    scores = score(run_cases(cases, webhook), THRESHOLD)
    print("\n" + format_scores(scores, name))
    for r in scores.errors:
        print(f"  x {r.case_id}: {r.text!r} -> {r.topic} esc={r.escalate} sev={r.severity}")
    return scores


def _meets_the_targets(scores):
    assert scores.escalation_recall == 1.0
    assert scores.emergency_under_triage == 0
    assert scores.topic_accuracy >= 0.95
    assert scores.false_escalation_rate <= 0.03
    assert scores.answers_below_threshold == 0


def test_own_evaluation_set(e2e, capsys):
    with capsys.disabled():
        scores = _score_and_show(CASES, e2e.webhook, "tests/data/eval_conversations.jsonl")
    _meets_the_targets(scores)
    assert scores.out_of_scope_accuracy >= 0.95 and scores.out_of_scope_turns >= 50


def test_shared_dev_set(e2e, capsys):
    if not DEV_SET.exists():
        pytest.skip(f"{DEV_SET} is not here (it is outside the project)")
    with capsys.disabled():
        scores = _score_and_show(load_cases(DEV_SET), e2e.webhook, "../shared/eval/dev.jsonl")
    _meets_the_targets(scores)


def test_bad_input_gets_a_reply_not_an_error(e2e):
    for message in ["", "   ", "🙂" * 50, "<script>alert(1)</script>", "x" * 5000]:
        response = requests.post(e2e.webhook, json={"sender": "e2e-bad", "message": message}, timeout=60)
        assert response.status_code == 200, message[:20]
    assert requests.post(e2e.webhook, json=["not", "an", "object"], timeout=60).status_code == 400


def test_messages_over_the_limits_are_refused_with_a_clear_error(e2e):
    """Over 5,000 characters: 413 with the static reply (which gives the emergency number),
    unless it reports a red flag; a sender's 21st message within a minute: 429."""
    from tests.e2e.conftest import contract, new_sender

    long = requests.post(e2e.webhook, json={"sender": new_sender(), "message": "so about the test " * 300},
                         timeout=60)
    assert long.status_code == 413
    assert long.json()["error"] == "message_too_long" and "020 7946 0999" in long.json()["message"]
    # safety first: a long message that reports a red flag is read (cut to the limit) and escalated
    report = "I'm bleeding heavily, soaking a pad every hour. " + "I'm so scared. " * 400
    escalated = requests.post(e2e.webhook, json={"sender": new_sender(), "message": report}, timeout=60)
    assert escalated.status_code == 200 and contract(escalated.json())["severity"] == "emergency"
    sender = new_sender()
    statuses = [requests.post(e2e.webhook, json={"sender": sender, "message": "hello"}, timeout=60).status_code
                for _ in range(21)]
    assert statuses[:20] == [200] * 20 and statuses[20] == 429
    assert requests.post(e2e.webhook, json={"sender": new_sender(), "message": "hello"},
                         timeout=60).status_code == 200  # others are not affected


def test_follow_ups_and_the_remembered_week(e2e):
    """Context through the REST channel: the week given once is used by later answers."""
    from tests.e2e.conftest import contract, new_sender, text_of

    sender = new_sender()
    assert contract(e2e.say("I'm 14 weeks, what actually is an amnio?", sender))["topic"] == "what_is_amnio"
    replies = e2e.say("can I have it now?", sender)
    assert contract(replies)["answer_id"].startswith("early_amnio_risk.weeks_13_14@")
    assert "14 weeks" in text_of(replies)

    sender = new_sender()
    assert contract(e2e.say("is it safe to have it at 13 weeks?", sender))["topic"] == "early_amnio_risk"
    replies = e2e.say("and at 16?", sender)
    assert contract(replies)["answer_id"].startswith("timing.window@")

    sender = new_sender()
    assert contract(e2e.say("what's the chance of miscarriage from amnio?", sender))["topic"] == "miscarriage_risk"
    assert contract(e2e.say("what about twins?", sender))["topic"] == "twins"
    assert contract(e2e.say("why?", sender))["topic"] == "twins"


def test_rasa_http_api_is_off_without_a_token(e2e):
    base = e2e.webhook.split("/webhooks/")[0]
    for method, path in [("post", "/model/parse"), ("get", "/conversations/x/tracker"), ("get", "/status")]:
        response = getattr(requests, method)(base + path, json={"text": "hi"}, timeout=30)
        assert response.status_code == 404, (path, response.status_code)


def test_only_configured_web_pages_may_use_the_channels(e2e):
    """ALLOWED_ORIGINS: REST and socket.io serve browser pages of configured sites only;
    requests without an Origin (apps, servers) are not affected."""
    from tests.e2e.conftest import ALLOWED_ORIGIN, new_sender

    base = e2e.webhook.split("/webhooks/")[0]
    message = {"sender": new_sender(), "message": "hello"}
    allowed = requests.post(e2e.webhook, json=message, headers={"Origin": ALLOWED_ORIGIN}, timeout=60)
    assert allowed.status_code == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    other = requests.post(e2e.webhook, json=message, headers={"Origin": "https://elsewhere.example"},
                          timeout=60)
    assert other.status_code == 403 and other.json()["error"] == "origin_not_allowed"
    assert "Access-Control-Allow-Origin" not in other.headers
    preflight = requests.options(e2e.webhook, headers={
        "Origin": ALLOWED_ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"}, timeout=30)
    assert preflight.headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    not_ours = requests.options(e2e.webhook, headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"}, timeout=30)
    assert "Access-Control-Allow-Origin" not in not_ours.headers
    handshake = base + "/socket.io/?EIO=4&transport=polling"
    connected = requests.get(handshake, headers={"Origin": ALLOWED_ORIGIN}, timeout=30)
    assert connected.status_code == 200 and connected.text.startswith("0")
    # once: requests joins a repeated header with ", ", which browsers refuse
    assert connected.headers.get("Access-Control-Allow-Origin") == ALLOWED_ORIGIN
    assert requests.get(handshake, headers={"Origin": "https://elsewhere.example"},
                        timeout=30).status_code == 400


def test_every_quick_reply_offered_gets_its_own_answer(e2e):
    """The questions offered as buttons (greeting, fallback) are understood when tapped."""
    from bot.answers_yaml import read_answer_specs
    from tests.e2e.conftest import contract

    offered = {q for spec in read_answer_specs() for q in spec.quick_replies}
    assert offered
    greeting = e2e.say("hello")
    assert {b["payload"] for r in greeting for b in r.get("buttons", [])} <= offered
    assert any(r.get("buttons") for r in greeting)
    for question in sorted(offered):
        topic = contract(e2e.say(question))["topic"]
        assert topic not in {"fallback", "out_of_scope", "red_flag", "human_handoff"}, (
            question, topic)
