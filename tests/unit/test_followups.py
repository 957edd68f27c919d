import pytest

from bot.followups import is_follow_up, topic_in_context


@pytest.mark.parametrize("text", ["and at 16?", "what about 14+3?", "why?", "but why tho?", "and sex?",
                                  "why is that", "what about twins?", "so is it safe then?"])
def test_follow_ups(text):
    assert is_follow_up(text)


@pytest.mark.parametrize("text", ["why do they do amnio at all", "what is amnio", "hello",
                                  "and another thing I wanted to ask about the results of the test is"])
def test_not_follow_ups(text):
    assert not is_follow_up(text)


def test_a_confident_new_topic_wins():
    assert topic_in_context("twins", 0.95, "what about twins?", "miscarriage_risk", None) == "twins"


def test_no_previous_topic_no_change():
    assert topic_in_context("fallback", 0.4, "and sex?", None, None) == "fallback"
    assert topic_in_context("fallback", 0.4, "and sex?", "red_flag", None) == "fallback"


def test_symptom_mentioned_in_general_is_a_risk_question():
    from bot.symptom_questions import topic_for_symptom_question

    general = {"escalate": False, "findings": [{"code": "fluid_leak", "status": "general"}]}
    negated = {"escalate": False, "findings": [{"code": "bleeding", "status": "negated"}]}
    assert topic_for_symptom_question("miscarriage_risk", general, 0.3) == "other_risks"
    assert topic_for_symptom_question("miscarriage_risk", general, 0.9) == "miscarriage_risk"
    assert topic_for_symptom_question("fallback", general) == "other_risks"
    pain = {"escalate": False, "findings": [{"code": "pain", "status": "general"}]}
    assert topic_for_symptom_question("fallback", pain) == "fallback"
    assert topic_for_symptom_question("aftercare", general) == "aftercare"
    assert topic_for_symptom_question("results", negated) == "results"
    assert topic_for_symptom_question("results", None) == "results"
