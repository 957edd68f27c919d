import pytest

from bot.safety.handoff import asks_for_a_person


@pytest.mark.parametrize("text", [
    "can I talk to a nurse", "get me a human", "get me a midwife pls", "i need to speak to a doctor",
    "can a nurse call me back", "i'd prefer to ask a nurse directly", "is there a real person I can chat with",
    "human please", "put me through to someone", "can someone from the clinic ring me",
    "I want a real person not a bot", "speak with the midwife", "can you transfer me to staff",
])
def test_requests(text):
    assert asks_for_a_person(text)


@pytest.mark.parametrize("text", [
    "do i need someone with me?", "who do i speak to", "is this a real human or automated",
    "can my husband come in with me", "I don't need to talk to a nurse, just a quick question",
    "are you a bot?", "what does the nurse do during amnio", "will the doctor explain the results",
    "who am i talking to",
])
def test_not_requests(text):
    assert not asks_for_a_person(text)


@pytest.mark.parametrize("text", ["am I talking to a real person or a bot?", "am i speaking to a human",
                                  "am I actually talking to a human right now"])
def test_asking_whether_the_bot_is_a_person_is_not_a_request(text):
    assert not asks_for_a_person(text)


@pytest.mark.parametrize("text", [
    "is there a person i can chat with", "is there a midwife available to talk", "real human please",
    "can someone call my wife back", "hand me over to a nurse", "can i speak with the fetal medicine team",
    "is a real person available right now", "put me in touch with a midwife", "connect me to a live agent",
    "id like to discuss this with a real doctor", "is there a human i can talk to about my results",
    "I would prefer to discuss this with a member of the medical team.", "cn i tlk to sum1 real",
    "can i tlk 2 a nurse pls", "asking for my daughter, can a doctor call her",
    "is there anyone i can talk to on the phone",
])
def test_requests_the_model_alone_used_to_catch(text):
    assert asks_for_a_person(text)


@pytest.mark.parametrize("text", ["how do i get to the fetal medicine unit", "bleeding 2 days now",
                                  "is there a risk to the baby", "is the clinic open today"])
def test_directions_and_questions_are_not_requests(text):
    assert not asks_for_a_person(text)
