"""The channels always reply: the static 'cannot answer right now' reply when the bot
sent nothing (the action server is down) or handling the message failed."""
import asyncio

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.channels.guard import UNAVAILABLE_RESPONSE, always_reply, unavailable_reply
from bot.clinic import load_clinic_config


def handle(bot):
    collector = CollectingOutputChannel()
    asyncio.run(always_reply(bot)(UserMessage("does it hurt?", collector, "patient-1")))
    return collector.messages


def custom_of(messages):
    """REST's shape: the text and the contract come as two items."""
    return [m["custom"] for m in messages if "custom" in m]


def test_unavailable_reply_is_the_static_one_with_the_numbers():
    reply = unavailable_reply()
    clinic = load_clinic_config()
    assert clinic.daytime_phone in reply["text"] and clinic.emergency_phone in reply["text"]
    assert reply["custom"]["topic"] == "fallback" and reply["custom"]["escalate"] is False
    assert reply["custom"]["answer_id"].startswith("service_unavailable@")


def test_silence_gets_the_unavailable_reply():
    async def silent(message):
        return None

    messages = handle(silent)
    (payload,) = custom_of(messages)
    assert payload["answer_id"].startswith("service_unavailable@")
    assert "try again" in messages[0]["text"]
    assert {m["recipient_id"] for m in messages} == {"patient-1"}


def test_a_bot_reply_goes_through_alone():
    async def answers(message):
        await message.output_channel.send_response(
            message.sender_id, {"text": "It can feel like pressure.", "custom": {"topic": "pain"}})

    messages = handle(answers)
    assert messages[0]["text"] == "It can feel like pressure."
    assert custom_of(messages) == [{"topic": "pain"}]


def test_a_failure_still_gets_a_reply_and_is_not_hidden():
    async def broken(message):
        raise RuntimeError("tracker store down")

    collector = CollectingOutputChannel()
    with pytest.raises(RuntimeError):
        asyncio.run(always_reply(broken)(UserMessage("hi", collector, "patient-2")))
    (payload,) = custom_of(collector.messages)
    assert payload["answer_id"].startswith("service_unavailable@")


def test_unavailable_response_is_in_the_domain():
    import yaml

    from bot.settings import DOMAIN_PATH

    assert UNAVAILABLE_RESPONSE in yaml.safe_load(DOMAIN_PATH.read_text())["responses"]
