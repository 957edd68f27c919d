"""The custom actions, run with rasa_sdk's dispatcher and tracker (no servers)."""
import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ActionAnswer
from bot import answering
from bot.db import Escalation, session_scope
from bot.escalations import set_status


def tracker(text, intent, entities=(), slots=None, red_flag=None, sender="patient-1"):
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9},
              "entities": list(entities), "intent_ranking": [{"name": intent, "confidence": 0.9}]}
    if red_flag is not None:
        latest["red_flag"] = red_flag
    return Tracker(sender, slots or {}, latest, [], False, None, {}, "action_listen")


def run(action, a_tracker):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, a_tracker, {})
    return dispatcher.messages, events


def test_answer_carries_the_contract(database):
    messages, events = run(ActionAnswer(), tracker("does it hurt", "pain"))
    assert events == [{"event": "slot", "timestamp": None, "name": "last_topic", "value": "pain"}]
    (message,) = messages
    payload = message["custom"]
    assert message["text"]
    assert payload["topic"] == "pain" and payload["escalate"] is False
    assert payload["severity"] is None and payload["answer_id"] == "pain@v2"
    assert payload["sources"] and set(payload["sources"][0]) == {"title", "url"}


def test_week_before_15_gets_the_early_answer_for_that_week(database):
    entity = {"entity": "gestational_week", "value": 13}
    messages, _ = run(ActionAnswer(), tracker("can i have it at 13 weeks", "timing", [entity]))
    payload = messages[0]["custom"]
    assert payload["topic"] == "early_amnio_risk"
    assert payload["answer_id"].startswith("early_amnio_risk.weeks_13_14@")
    assert "13" in messages[0]["text"]


def test_week_remembered_in_the_slot_is_used(database):
    messages, _ = run(ActionAnswer(), tracker("when is it usually done", "timing",
                                              slots={"gestational_week": 12.0}))
    assert messages[0]["custom"]["answer_id"].startswith("early_amnio_risk.before_13@")


def test_follow_up_uses_the_conversation(database):
    entity = {"entity": "gestational_week", "value": 16}
    messages, _ = run(ActionAnswer(), tracker("and at 16?", "miscarriage_risk", [entity],
                                              slots={"last_topic": "early_amnio_risk"}))
    assert messages[0]["custom"]["answer_id"].startswith("timing.window@")
    messages, _ = run(ActionAnswer(), tracker("and sex?", "nlu_fallback",
                                              slots={"last_topic": "after_miscarriage_care"}))
    assert messages[0]["custom"]["topic"] == "after_miscarriage_care"
    messages, _ = run(ActionAnswer(), tracker("why?", "why_done", slots={"last_topic": "miscarriage_risk"}))
    assert messages[0]["custom"]["topic"] == "miscarriage_risk"
    messages, _ = run(ActionAnswer(), tracker("what about twins?", "twins", slots={"last_topic": "miscarriage_risk"}))
    assert messages[0]["custom"]["topic"] == "twins"


def test_fallback_and_small_talk_carry_the_contract(database):
    for intent, topic in [("nlu_fallback", "fallback"), ("greeting", "greeting"),
                          ("thanks", "thanks"), ("bot_identity", "bot_identity"),
                          ("out_of_scope", "out_of_scope"), ("something_unknown", "fallback")]:
        messages, _ = run(ActionAnswer(), tracker("...", intent))
        assert messages[0]["custom"]["topic"] == topic


def _handoff(db_url, conversation="patient-1"):
    from bot.db import init_db

    init_db(db_url)
    with session_scope(db_url) as session:
        row = Escalation(source_key=f"{conversation}:m1", conversation_id=conversation,
                         kind="handoff", message="can I talk to a nurse")
        session.add(row)
        session.flush()
        return row.id


def test_open_handoff_stops_answers_until_staff_resolve_it(database):
    escalation_id = _handoff(database)
    messages, events = run(ActionAnswer(), tracker("when do results come", "results"))
    payload = messages[0]["custom"]
    assert payload["topic"] == "human_handoff" and payload["escalate"] is False
    assert payload["answer_id"].startswith("human_handoff.pending@")
    assert events == []
    # another conversation is answered as usual
    messages, _ = run(ActionAnswer(), tracker("when do results come", "results", sender="other"))
    assert messages[0]["custom"]["topic"] == "results"
    set_status(escalation_id, "acknowledged", "Nurse Ada", url=database)
    messages, _ = run(ActionAnswer(), tracker("when do results come", "results"))
    assert messages[0]["custom"]["topic"] == "human_handoff"
    set_status(escalation_id, "resolved", "Nurse Ada", url=database)
    messages, _ = run(ActionAnswer(), tracker("when do results come", "results"))
    assert messages[0]["custom"]["topic"] == "results"
    with session_scope(database) as session:
        row = session.get(Escalation, escalation_id)
        assert (row.status, row.acknowledged_by, row.closed_by) == ("resolved", "Nurse Ada", "Nurse Ada")
        assert row.closed_at is not None


def test_answers_carry_on_when_the_handoff_check_cannot_reach_the_database(database, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    answering.knowledge_base.cache_clear()
    messages, _ = run(ActionAnswer(), tracker("does it hurt", "pain"))
    assert messages[0]["custom"]["topic"] == "pain"
    assert messages[0]["custom"]["answer_id"] == "pain@v2"


def test_changing_an_escalation_needs_a_name_and_a_real_status(database):
    escalation_id = _handoff(database)
    with pytest.raises(ValueError):
        set_status(escalation_id, "resolved", " ", url=database)
    with pytest.raises(ValueError):
        set_status(escalation_id, "deleted", "Ada", url=database)
    with pytest.raises(LookupError):
        set_status(escalation_id + 1, "resolved", "Ada", url=database)


def _conversation(previous_intent, text, intent="nlu_fallback"):
    """A tracker whose previous user message had `previous_intent`."""
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.5}, "entities": [],
              "intent_ranking": [{"name": intent, "confidence": 0.5}]}
    events = [{"event": "user", "text": "earlier",
               "parse_data": {"intent": {"name": previous_intent, "confidence": 1.0}}},
              {"event": "bot", "text": "..."},
              {"event": "user", "text": text, "parse_data": latest}]
    return Tracker("patient-1", {}, latest, events, False, None, {}, "action_listen")


@pytest.mark.parametrize("previous, text, severity, key", [
    ("red_flag_emergency", "it's still happening", "emergency", "red_flag.emergency"),
    ("red_flag_urgent", "yes and now it's worse", "urgent", "red_flag.urgent"),
    ("red_flag_crisis", "I still feel like that", "emergency", "red_flag.crisis"),
])
def test_a_follow_up_saying_the_red_flag_goes_on_escalates_again(database, previous, text,
                                                                 severity, key):
    messages, events = run(ActionAnswer(), _conversation(previous, text))
    payload = messages[0]["custom"]
    assert (payload["topic"], payload["escalate"], payload["severity"]) == ("red_flag", True, severity)
    assert payload["answer_id"].startswith(key + "@")
    assert events == []


@pytest.mark.parametrize("previous, text", [
    ("red_flag_emergency", "ok thanks, calling them now"),
    ("red_flag_emergency", "it's stopped now, I feel fine"),
    ("results", "it's still happening"),  # no red flag before: nothing to carry on
    ("red_flag_emergency", "when do results come back?"),  # a new question
    ("red_flag_urgent", "is it still safe to fly next week?"),
    ("red_flag_urgent", "when can we have sex again?"),
])
def test_other_follow_ups_are_answered_as_usual(database, previous, text):
    messages, _ = run(ActionAnswer(), _conversation(previous, text, intent="thanks"))
    assert messages[0]["custom"]["escalate"] is False


def test_small_talk_and_contact_details_are_answered_while_staff_have_the_conversation(database):
    _handoff(database)
    for text, intent in [("thanks a lot", "thanks"), ("what's your phone number", "clinic_contact")]:
        messages, events = run(ActionAnswer(), tracker(text, intent))
        assert messages[0]["custom"]["topic"] == intent
    messages, _ = run(ActionAnswer(), tracker("is it safe at 16 weeks", "timing"))
    assert messages[0]["custom"]["topic"] == "human_handoff"


def test_reply_says_what_chose_its_topic(database):
    messages, _ = run(ActionAnswer(), tracker("does it hurt", "pain"))
    assert (messages[0]["custom"]["basis"], messages[0]["custom"]["confidence"]) == ("model", 0.9)
    follow_up = tracker("why?", "out_of_scope", slots={"last_topic": "miscarriage_risk"})
    follow_up.latest_message["intent"]["confidence"] = 0.35
    follow_up.latest_message["intent_ranking"] = [{"name": "out_of_scope", "confidence": 0.35},
                                                  {"name": "miscarriage_risk", "confidence": 0.2}]
    messages, _ = run(ActionAnswer(), follow_up)
    payload = messages[0]["custom"]
    assert (payload["topic"], payload["basis"], payload["confidence"]) == ("miscarriage_risk", "context", 0.2)


def test_remembered_week_answers_can_i_have_it_now(database):
    messages, _ = run(ActionAnswer(), tracker("can I have it now?", "goodbye",
                                              slots={"gestational_week": 14, "last_topic": "what_is_amnio"}))
    payload = messages[0]["custom"]
    assert payload["topic"] == "early_amnio_risk" and payload["answer_id"].startswith("early_amnio_risk.weeks_13_14@")
    assert "14 weeks" in messages[0]["text"]
    messages, _ = run(ActionAnswer(), tracker("can I have it now?", "goodbye",
                                              slots={"gestational_week": 16}))
    assert messages[0]["custom"]["answer_id"].startswith("timing.window@")
