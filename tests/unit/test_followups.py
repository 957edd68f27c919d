import pytest

from bot.followups import is_follow_up, topic_in_context


@pytest.mark.parametrize("text", ["and at 16?", "what about 14+3?", "why?", "but why tho?", "and sex?",
                                  "why is that", "what about twins?", "so is it safe then?",
                                  "how come it's so low?", "why is that so high?",
                                  "is it different in the US?", "does that change anything?",
                                  "are there other options?", "I'm 41, does that count?",
                                  "my sister has it, would that matter?"])
def test_follow_ups(text):
    assert is_follow_up(text)


@pytest.mark.parametrize("text", ["why do they do amnio at all", "what is amnio", "hello",
                                  "why is it done?", "how come it happened to me",
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


@pytest.mark.parametrize("text", ["can I have it now?", "could we do it yet?", "so can i get it done now",
                                  "could i do it sooner, like then?",
                                  "is it too early?", "am I far enough along yet?", "is now the right time?"])
def test_asking_if_now_uses_the_remembered_week(text):
    assert topic_in_context("goodbye", 0.5, text, "what_is_amnio", None, remembered_week=14) == "timing"
    # without a week there is nothing to go on: the model's topic stands
    assert topic_in_context("goodbye", 0.5, text, "what_is_amnio", None) != "timing"


def test_a_confident_week_topic_is_kept_when_asking_if_now():
    assert topic_in_context("early_amnio_risk", 0.9, "is it too early?", None, None, 13) == "early_amnio_risk"


def test_why_about_the_answer_takes_its_topic_when_the_model_is_unsure():
    assert topic_in_context("out_of_scope", 0.4, "how come it's so low?", "miscarriage_risk", None) == "miscarriage_risk"
    assert topic_in_context("fallback", 0.2, "is it different in the US?", "who_is_offered", None) == "who_is_offered"
