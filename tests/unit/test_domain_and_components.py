"""Static replies in domain.yml, the NLU components, and the socket.io contract."""
import asyncio

import pytest

import yaml
from rasa.shared.nlu.training_data.message import Message

from bot.clinic import load_clinic_config
from bot.domain_sync import STATIC_RESPONSES, static_responses
from bot.knowledge_base import load_answers
from bot.settings import DOMAIN_PATH


def test_domain_static_replies_match_the_curated_answers(db_url):
    load_answers(url=db_url)
    expected = static_responses(load_clinic_config(), url=db_url)
    domain = yaml.safe_load(DOMAIN_PATH.read_text())
    for name in STATIC_RESPONSES:
        (actual,) = domain["responses"][name]
        (wanted,) = expected[name]
        assert actual["text"] == wanted["text"], f"{name}: run `make setup`"
        assert actual["custom"] == wanted["custom"], f"{name}: run `make setup`"
        channel_replies = {"utter_service_unavailable", "utter_message_too_long", "utter_too_many_messages"}
        assert actual["custom"]["escalate"] is (name not in channel_replies)


def test_emergency_reply_gives_the_numbers():
    clinic = load_clinic_config()
    domain = yaml.safe_load(DOMAIN_PATH.read_text())
    emergency = domain["responses"]["utter_red_flag_emergency"][0]["text"]
    assert clinic.emergency_phone in emergency
    assert clinic.crisis_line in domain["responses"]["utter_red_flag_crisis"][0]["text"]
    assert clinic.daytime_phone in domain["responses"]["utter_red_flag_urgent"][0]["text"]


def _message(text, intent="results", confidence=0.8):
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": confidence})
    message.set("intent_ranking", [{"name": intent, "confidence": confidence}])
    return message


def test_override_wins_over_a_wrong_intent():
    from bot.nlu.safety_override import SafetyOverride

    component = SafetyOverride()
    (message,) = component.process([_message("results when? also my waters just went", "greeting", 0.99)])
    assert message.get("intent") == {"name": "red_flag_emergency", "confidence": 1.0}
    assert message.get("intent_ranking")[0]["name"] == "red_flag_emergency"
    assert message.get("nlu_intent")["name"] == "greeting"
    assert message.get("red_flag")["symptoms"] == ["fluid_leak"]
    assert "red_flag" in message.as_dict(only_output_properties=True)


def test_override_leaves_calm_messages_alone():
    from bot.nlu.safety_override import SafetyOverride

    (message,) = SafetyOverride().process([_message("no bleeding so far, when are results due")])
    assert message.get("intent")["name"] == "results"
    assert message.get("red_flag")["escalate"] is False


def test_request_for_a_person_wins_over_a_wrong_intent():
    from bot.nlu.safety_override import SafetyOverride

    (message,) = SafetyOverride().process([_message("get me a midwife pls", "out_of_scope", 0.9)])
    assert message.get("intent") == {"name": "human_handoff", "confidence": 1.0}
    (message,) = SafetyOverride().process([_message("my waters broke, get me a nurse", "human_handoff")])
    assert message.get("intent")["name"] == "red_flag_emergency"


def test_unintelligible_component_learns_the_training_vocabulary(tmp_path):
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.nlu.unintelligible import UnintelligibleFallback

    storage = LocalModelStorage(tmp_path)
    resource = Resource("unintelligible")
    component = UnintelligibleFallback.create({}, storage, resource, None)
    data = TrainingData([Message(data={"text": "what is amnio", "intent": "what_is_amnio"})])
    component.train(data)
    loaded = UnintelligibleFallback.load({}, storage, resource, None)
    (known, mash) = loaded.process([_message("amnio?", "what_is_amnio", 0.9), _message("lkjhg", "goodbye", 0.9)])
    assert known.get("intent")["name"] == "what_is_amnio"
    assert mash.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}


def test_gestational_age_entity():
    from bot.nlu.gestational_age_extractor import GestationalAgeExtractor

    (message,) = GestationalAgeExtractor().process([_message("is it ok at 14+2?")])
    (entity,) = message.get("entities")
    assert entity["entity"] == "gestational_week" and entity["value"] == 14


def test_socketio_sends_the_contract_as_one_custom_message():
    from bot.channels.socketio import ContractSocketIOOutput

    class FakeServer:
        def __init__(self):
            self.sent = []

        async def emit(self, event, data=None, room=None, **kwargs):
            assert not kwargs, f"unexpected emit() arguments {kwargs}"
            self.sent.append((event, data, room))

    server = FakeServer()
    channel = ContractSocketIOOutput(server, "bot_uttered")
    payload = {"topic": "pain", "escalate": False, "severity": None, "answer_id": "pain@v1",
               "sources": []}
    asyncio.run(channel.send_custom_json("sid-1", payload))
    assert server.sent == [("bot_uttered", {"custom": payload}, "sid-1")]


def test_doubtful_handoff_prediction_is_demoted():
    from bot.nlu.safety_override import SafetyOverride

    message = _message("do i need someone with me?", "human_handoff", 0.55)
    message.set("intent_ranking", [{"name": "human_handoff", "confidence": 0.55},
                                   {"name": "preparation", "confidence": 0.3}])
    (message,) = SafetyOverride().process([message])
    # rescaled: the confidence in preparation once a request for a person is ruled out
    assert message.get("intent")["name"] == "preparation"
    assert abs(message.get("intent")["confidence"] - 0.3 / 0.45) < 1e-6
    (sure,) = SafetyOverride().process([_message("hmm", "human_handoff", 0.95)])
    assert sure.get("intent")["name"] == "human_handoff"


def test_doubtful_handoff_with_no_other_good_guess_asks_to_rephrase():
    from bot.nlu.safety_override import SafetyOverride

    message = _message("hmm ok so then", "human_handoff", 0.4)
    message.set("intent_ranking", [{"name": "human_handoff", "confidence": 0.4},
                                   {"name": "preparation", "confidence": 0.1},
                                   {"name": "pain", "confidence": 0.1}])
    (message,) = SafetyOverride(fallback_threshold=0.3).process([message])
    assert message.get("intent")["name"] == "nlu_fallback"
    assert message.get("intent_ranking")[0]["name"] == "nlu_fallback"


def test_red_flag_rules_apply_at_any_turn():
    """Red-flag rules have no condition and no conversation start, and nothing (a form)
    can hold a turn before them. Adding a form means adding rules that interrupt it for
    the red-flag intents first: this test says so."""
    from bot.safety.intents import RED_FLAG_INTENTS
    from bot.settings import PROJECT_ROOT

    rules = yaml.safe_load((PROJECT_ROOT / "data" / "rules.yml").read_text())["rules"]
    for intent in RED_FLAG_INTENTS:
        (rule,) = [r for r in rules if r["steps"][0].get("intent") == intent]
        assert "condition" not in rule and not rule.get("conversation_start")
        assert rule["steps"][1]["action"] == f"utter_{intent}"
    domain = yaml.safe_load(DOMAIN_PATH.read_text())
    assert not domain.get("forms"), "a form needs rules that interrupt it for red flags"


@pytest.mark.parametrize("text", ["has that ever actually happened to anyone?",
                                  "do i need somebody with me on the day?"])
def test_model_guess_of_a_request_needs_words_that_could_ask_for_a_person(text):
    from bot.nlu.safety_override import SafetyOverride

    message = _message(text, "human_handoff", 0.95)
    message.set("intent_ranking", [{"name": "human_handoff", "confidence": 0.95},
                                   {"name": "preparation", "confidence": 0.04}])
    (message,) = SafetyOverride().process([message])
    assert message.get("intent")["name"] != "human_handoff"


@pytest.mark.parametrize("text", ["a nurse please", "can i have a callback", "cn i tlk to sum1 real",
                                  "is there anyone i can talk to on the phone"])
def test_model_guess_of_a_request_stands_when_it_could_be_one(text):
    from bot.nlu.safety_override import SafetyOverride

    (message,) = SafetyOverride().process([_message(text, "human_handoff", 0.95)])
    assert message.get("intent")["name"] == "human_handoff"
