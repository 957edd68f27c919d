"""The messaging-app channels without Rasa: rendering and splitting (text_replies), the
signature checks, settings from the environment, and each channel's webhook handler with
a stand-in bot, sending to the local fake of the apps' APIs (tests/support/fake_platforms)."""
import asyncio
import json
import logging
import random
import re
from urllib.parse import urlencode

import pytest
from sanic.request import RequestParameters
from twilio.request_validator import RequestValidator

from bot.channels import text_replies as tr
from bot.channels.limits import MessageLimits
from bot.channels.messaging import Choices, guarded, patient_text
from bot.channels.messenger import MessengerInput, MessengerOutput, read_events
from bot.channels.platform_settings import messenger_settings, telegram_settings, whatsapp_settings
from bot.channels.signatures import (messenger_signature, messenger_signature_ok, telegram_secret_ok,
                                     twilio_signature_ok)
from bot.channels.telegram import TelegramInput, TelegramOutput, read_update
from bot.channels.whatsapp import WhatsAppInput, WhatsAppOutput, read_form, read_message
from tests.conftest import ROOT
from tests.support import fake_platforms as fp

SOURCES = [{"title": "NHS: Amniocentesis", "url": "https://www.nhs.uk/conditions/amniocentesis/"},
           {"title": "Clinic information", "url": "clinic.yml"},
           {"title": "RCOG", "url": "http://www.rcog.org.uk/gtg8"}]


def answer(text="Amniocentesis is a test of the fluid around the baby.", sources=SOURCES, **extra):
    return {"text": text, "custom": {"topic": "what_is_amnio", "escalate": False, "severity": None,
                                      "answer_id": "what_is_amnio@v1", "sources": sources}, **extra}


def escalation(severity="emergency", text="Please call 020 7946 0999 (24 hours) or 999 now."):
    return {"text": text, "custom": {"topic": "red_flag", "escalate": True, "severity": severity,
                                      "answer_id": f"red_flag.{severity}@v1", "sources": SOURCES[:1]}}


BUTTONS = [{"title": "What is it?", "payload": "What is an amniocentesis?"},
           {"title": "Does it hurt?", "payload": "Does it hurt?"}]


def no_whitespace(text):
    return re.sub(r"\s", "", text)


# --- rendering ----------------------------------------------------------------------

def test_an_answer_is_its_text_then_its_web_sources():
    (message,) = tr.render(answer(), 4096)
    assert message.text == ("Amniocentesis is a test of the fluid around the baby.\n\nSources:\n"
                            "NHS: Amniocentesis: https://www.nhs.uk/conditions/amniocentesis/\n"
                            "RCOG: http://www.rcog.org.uk/gtg8")
    assert "clinic.yml" not in message.text and message.buttons == ()
    (bare,) = tr.render(answer(sources=[{"title": "Clinic", "url": "clinic.yml"}]), 4096)
    assert bare.text == "Amniocentesis is a test of the fluid around the baby."


def test_an_escalation_starts_with_a_heading_and_keeps_the_bots_own_text():
    (emergency,) = tr.render(escalation("emergency"), 4096)
    assert emergency.text.startswith("EMERGENCY – please act now:\n"
                                     "Please call 020 7946 0999 (24 hours) or 999 now.\n\nSources:")
    (urgent,) = tr.render(escalation("urgent"), 4096)
    assert urgent.text.startswith("URGENT – please act today:\n")
    handoff = {"text": "We have passed on your request.",
               "custom": {"topic": "human_handoff", "escalate": True, "severity": None, "sources": []}}
    assert tr.render(handoff, 4096)[0].text == "We have passed on your request."  # not a red flag


def test_a_turns_escalations_go_first_otherwise_in_order():
    first, second = answer("one"), answer("two")
    turn = [first, escalation("urgent"), second, escalation("emergency")]
    assert tr.escalations_first(turn) == [escalation("urgent"), escalation("emergency"), first, second]


def test_buttons_are_shown_by_the_app_or_listed_with_numbers():
    (shown,) = tr.render(answer(buttons=BUTTONS), 4096, shows_buttons=lambda buttons: True)
    assert shown.buttons == tuple(BUTTONS) and "1." not in shown.text
    (listed,) = tr.render(answer(buttons=BUTTONS), 4096)
    assert listed.buttons == () and listed.text.endswith(
        "Sources:\nNHS: Amniocentesis: https://www.nhs.uk/conditions/amniocentesis/\n"
        "RCOG: http://www.rcog.org.uk/gtg8\n\nReply with a number:\n1. What is it?\n2. Does it hurt?")
    quick = tr.render({"text": "Hello", "quick_replies": BUTTONS[:1]}, 4096)
    assert quick[0].text == "Hello\n\nReply with a number:\n1. What is it?"


def test_a_message_with_nothing_to_show_is_not_sent():
    assert tr.render({"text": None, "custom": {"sources": []}}, 100) == []
    assert tr.render({"text": "  "}, 100) == []


def test_split_prefers_paragraphs_then_lines_sentences_words():
    assert tr.split_text("short", 10) == ["short"]
    assert tr.split_text("aaaa bbbb.\n\ncccc dddd", 15) == ["aaaa bbbb.", "cccc dddd"]
    assert tr.split_text("aaaa bbbb.\ncccc dddd", 15) == ["aaaa bbbb.", "cccc dddd"]
    assert tr.split_text("Aaaa bbbb. Cccc dddd eeee.", 20) == ["Aaaa bbbb.", "Cccc dddd eeee."]
    assert tr.split_text("aaaa bbbb cccc dddd", 12) == ["aaaa bbbb", "cccc dddd"]
    # a boundary too early would leave a tiny first part: a later, lesser one is used
    assert tr.split_text("Hi.\n" + "word " * 10, 30) == ["Hi.\nword word word word word",
                                                         "word word word word word"]
    url = "https://example.org/" + "x" * 30
    assert tr.split_text(url, 20) == [url[:20], url[20:40], url[40:]]  # cut inside, nothing lost


def test_split_never_drops_text_keeps_order_and_respects_the_limit():
    rng = random.Random(7)
    words = ["amnio", "test.", "risk,", "week", "\n", "\n\n", "😊", "https://nhs.uk/" + "a" * 40, "is", "a"]
    for _ in range(300):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 200)))
        limit = rng.randint(5, 120)
        parts = tr.split_text(text, limit)
        assert all(0 < tr.units(p) <= limit for p in parts), (text, limit)
        assert no_whitespace("".join(parts)) == no_whitespace(text)


def test_emoji_count_twice_as_the_apps_count_them():
    assert tr.units("😊a") == 3
    assert tr.split_text("😊😊😊", 4) == ["😊😊", "😊"]


def test_a_long_escalation_keeps_its_heading_and_start_in_the_first_message():
    long_text = "Please call 020 7946 0999 now. " + "Do not wait for a reply in this chat. " * 80
    parts = tr.render(escalation(text=long_text), tr.WHATSAPP_MAX_CHARS)
    assert len(parts) >= 2 and all(tr.units(p.text) <= tr.WHATSAPP_MAX_CHARS for p in parts)
    assert parts[0].text.startswith("EMERGENCY – please act now:\nPlease call 020 7946 0999 now.")
    assert parts[-1].text.endswith("https://www.nhs.uk/conditions/amniocentesis/")
    whole = tr.message_text(escalation(text=long_text), numbered=True)
    assert no_whitespace("".join(p.text for p in parts)) == no_whitespace(whole)


# --- small helpers ------------------------------------------------------------------

def test_numbered_choices_are_remembered_per_patient():
    choices = Choices(limit=2)
    choices.remember("a", BUTTONS)
    assert choices.resolve("a", "2") == "Does it hurt?"
    assert choices.resolve("a", " 1. ") == "What is an amniocentesis?"
    assert choices.resolve("a", "3") == "3" and choices.resolve("a", "2 weeks") == "2 weeks"
    assert choices.resolve("b", "1") == "1"
    choices.remember("a", [])
    assert choices.resolve("a", "1") == "1"
    for patient in "xyz":
        choices.remember(patient, BUTTONS)
    assert choices.resolve("x", "1") == "1" and choices.resolve("z", "1") == "What is an amniocentesis?"


def test_patients_cannot_send_rasa_intents():
    assert patient_text("/red_flag_emergency") == "red_flag_emergency"
    assert patient_text("  /restart ") == "restart" and patient_text(None) == ""


# --- signatures ---------------------------------------------------------------------

def test_telegram_secret_token():
    assert telegram_secret_ok("s3cret", "s3cret")
    assert not telegram_secret_ok("s3cret", "s3cre") and not telegram_secret_ok("s3cret", None)
    assert not telegram_secret_ok("", "")


def test_twilio_signature_covers_the_public_url_and_every_field():
    url = "https://assistant.clinic.test/webhooks/twilio/webhook"
    fields = {"From": "whatsapp:+447700900123", "Body": "", "NumMedia": "1", "To": "whatsapp:+1415"}
    signature = RequestValidator("token").compute_signature(url, fields)
    form = read_form(urlencode(fields).encode())  # blank Body kept: Twilio signs it
    assert twilio_signature_ok("token", url, form, signature)
    assert not twilio_signature_ok("token", "http://127.0.0.1:5005/webhooks/twilio/webhook", form, signature)
    assert not twilio_signature_ok("other", url, form, signature)
    changed = read_form(urlencode(dict(fields, Body="hi")).encode())
    assert not twilio_signature_ok("token", url, changed, signature)
    assert not twilio_signature_ok("token", url, form, None)
    assert not twilio_signature_ok("token", url, form, "")


def test_messenger_signature_is_sha256_of_the_raw_body():
    body = b'{"object":"page","entry":[]}'
    good = messenger_signature("secret", body)
    assert good.startswith("sha256=") and messenger_signature_ok("secret", body, good)
    assert not messenger_signature_ok("secret", body + b" ", good)
    assert not messenger_signature_ok("other", body, good)
    assert not messenger_signature_ok("secret", body, None)
    assert not messenger_signature_ok("secret", body, "sha1=" + "0" * 40)


# --- settings from the environment --------------------------------------------------

def test_settings_come_from_the_environment_with_the_real_apis_by_default():
    settings = telegram_settings({"TELEGRAM_ACCESS_TOKEN": " 1:abc ", "TELEGRAM_SECRET_TOKEN": "s",
                                  "TELEGRAM_WEBHOOK_URL": "https://x/webhooks/telegram/webhook"})
    assert settings.configured and settings["TELEGRAM_ACCESS_TOKEN"] == "1:abc"
    assert settings["TELEGRAM_API_URL"] == "https://api.telegram.org"
    assert whatsapp_settings({})["TWILIO_API_URL"] == "https://api.twilio.com"
    assert messenger_settings({"MESSENGER_API_URL": "http://fake/v1"})["MESSENGER_API_URL"] == "http://fake/v1"
    assert messenger_settings({})["MESSENGER_API_URL"].startswith("https://graph.facebook.com/v")
    assert whatsapp_settings({}).missing == ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN",
                                             "TWILIO_WHATSAPP_NUMBER", "TWILIO_WEBHOOK_URL"]


def test_a_partial_setup_is_a_warning_and_stays_off(caplog):
    settings = messenger_settings({"MESSENGER_VERIFY_TOKEN": "v"})
    with caplog.at_level(logging.INFO):
        settings.log_state()
        messenger_settings({}).log_state()
    assert not settings.configured
    assert [r.getMessage() for r in caplog.records] == [
        "Facebook Messenger channel is off: MESSENGER_APP_SECRET, MESSENGER_PAGE_ACCESS_TOKEN not set"]


def test_credentials_yml_loads_with_no_app_configured(monkeypatch):
    """`make run` with none of the variables set: every channel loads, the apps stay off."""
    from rasa.core.run import create_http_input_channels

    for name in fp.channel_env("http://unused"):
        monkeypatch.delenv(name, raising=False)
    channels = create_http_input_channels(None, str(ROOT / "credentials.yml"))
    apps = [c for c in channels if isinstance(c, (TelegramInput, WhatsAppInput, MessengerInput))]
    assert [c.url_prefix() for c in apps] == ["telegram", "twilio", "facebook"]  # Rasa's URLs
    assert all(not c.settings.configured and c.get_output_channel() is None for c in apps)


# --- the webhooks, with a stand-in bot and the fake APIs --------------------------

class FakeRequest:
    def __init__(self, body=b"", headers=None, args=None):
        self.body = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.headers = headers or {}
        self.args = RequestParameters({k: [v] for k, v in (args or {}).items()})


class Bot:
    """Stands in for Rasa: records what it read, replies with the given bot messages."""

    def __init__(self, *replies, fail=False):
        self.replies, self.fail, self.read = replies, fail, []

    async def __call__(self, message):
        self.read.append((message.sender_id, message.text, message.input_channel))
        if self.fail:
            raise RuntimeError("the bot broke")
        for reply in self.replies:
            await message.output_channel.send_response(message.sender_id, json.loads(json.dumps(reply)))


@pytest.fixture(scope="module")
def fake():
    platforms = fp.FakePlatforms()
    yield platforms
    platforms.close()


def limits(per_minute=20):
    return MessageLimits(max_chars=5000, per_minute=per_minute)


def run(coroutine):
    return asyncio.run(coroutine)


def receive(channel, bot, request):
    return run(channel.receive(request, guarded(bot, channel.limits)))


def telegram_channel(fake, **kwargs):
    return TelegramInput(telegram_settings(fake.env), kwargs.get("limits", limits()))


def telegram_update(chat, text):
    return {"update_id": 1, "message": {"message_id": 2, "date": 0, "text": text,
                                        "chat": {"id": chat, "type": "private"},
                                        "from": {"id": chat, "is_bot": False, "first_name": "Sam"}}}


def signed_telegram(update, secret=fp.TELEGRAM_SECRET):
    return FakeRequest(update, {"X-Telegram-Bot-Api-Secret-Token": secret})


def test_an_app_without_settings_answers_a_clear_404_and_calls_nothing():
    for channel, request in [(TelegramInput(telegram_settings({})), FakeRequest({})),
                             (WhatsAppInput(whatsapp_settings({})), FakeRequest(b"From=x")),
                             (MessengerInput(messenger_settings({})), FakeRequest({}))]:
        bot = Bot(answer())
        refused = receive(channel, bot, request)
        body = json.loads(refused.body)
        assert refused.status == 404 and body["error"] == "channel_not_configured"
        assert "is not configured on this server" in body["message"] and bot.read == []
        assert not channel.blueprint(bot)._future_listeners  # e.g. no setWebhook at startup
    off = MessengerInput(messenger_settings({}))
    verify = off.verify_subscription(FakeRequest(args={"hub.mode": "subscribe"}))
    assert verify.status == 404 and "MESSENGER_VERIFY_TOKEN" in json.loads(verify.body)["message"]


def test_telegram_sends_the_answer_and_refuses_a_wrong_secret(fake):
    channel = telegram_channel(fake)
    bot = Bot(answer(buttons=BUTTONS))
    assert receive(channel, bot, signed_telegram(telegram_update(501, "what is amnio?"))).status == 200
    assert bot.read == [("telegram:501", "what is amnio?", "telegram")]
    (call,) = [c for c in fake.of("telegram", "sendMessage") if c.body["chat_id"] == "501"]
    assert call.body["text"].startswith("Amniocentesis is a test") and "Sources:" in call.body["text"]
    assert call.body["reply_markup"] == {"inline_keyboard": [
        [{"text": "What is it?", "callback_data": "What is an amniocentesis?"}],
        [{"text": "Does it hurt?", "callback_data": "Does it hurt?"}]]}
    for secret in ["wrong", ""]:
        refused = receive(channel, bot, signed_telegram(telegram_update(502, "hi"), secret))
        assert refused.status == 403
    assert receive(channel, bot, FakeRequest(telegram_update(502, "hi"))).status == 403
    assert len(bot.read) == 1 and fake.texts_to("telegram", "502") == []


def test_telegram_long_payload_buttons_become_a_numbered_list_and_the_number_works(fake):
    channel = telegram_channel(fake)
    long = [{"title": "Risks", "payload": "What is the risk of a miscarriage after an amniocentesis at 16 weeks?"},
            {"title": "Pain", "payload": "Does it hurt?"}]
    bot = Bot(answer(buttons=long))
    receive(channel, bot, signed_telegram(telegram_update(503, "hello")))
    (text,) = fake.texts_to("telegram", "503")
    assert text.endswith("Reply with a number:\n1. Risks\n2. Pain")
    receive(channel, bot, signed_telegram(telegram_update(503, "1")))
    assert bot.read[-1][1] == long[0]["payload"]


def test_telegram_odd_updates_are_answered_or_ignored_never_an_error(fake):
    channel = telegram_channel(fake)
    bot = Bot(answer())
    for body in [b"not json", b"", {"update_id": 1}, {"update_id": 1, "message": {"text": "no chat"}}, [1]]:
        answered = receive(channel, bot, signed_telegram(body))
        assert answered.status == 200 and json.loads(answered.body)["status"] == "ignored"
    assert bot.read == []
    sticker = telegram_update(504, None)
    sticker["message"].pop("text")
    sticker["message"]["sticker"] = {"file_id": "x"}
    edited = telegram_update(504, "I'm bleeding")
    edited["edited_message"] = edited.pop("message")
    photo = telegram_update(504, None)
    photo["message"].update(text=None, photo=[{"file_id": "y"}], caption="is this normal?")
    for update in [sticker, edited, photo, telegram_update(504, "/start@ClinicBot")]:
        assert receive(channel, bot, signed_telegram(update)).status == 200
    assert [text for _, text, _ in bot.read] == ["", "I'm bleeding", "is this normal?", "hello"]
    tap = {"update_id": 9, "callback_query": {"id": "cq-1", "data": "Does it hurt?", "from": {"id": 504},
                                             "message": {"message_id": 3, "chat": {"id": 504}}}}
    assert receive(channel, bot, signed_telegram(tap)).status == 200
    assert bot.read[-1][:2] == ("telegram:504", "Does it hurt?")
    assert {"callback_query_id": "cq-1"} in [c.body for c in fake.of("telegram", "answerCallbackQuery")]


def test_read_update_of_a_bot_or_without_a_chat_is_nothing():
    update = telegram_update(1, "hi")
    update["message"]["from"]["is_bot"] = True
    assert read_update(update) == (None, None)
    assert read_update({"callback_query": {"id": "q", "data": "x"}}) == (None, "q")


def test_limits_and_the_always_reply_guard_apply(fake):
    channel = telegram_channel(fake, limits=limits(per_minute=2))
    bot = Bot()  # sends nothing: the guard sends the "cannot answer right now" reply
    receive(channel, bot, signed_telegram(telegram_update(505, "hello")))
    receive(channel, Bot(answer()), signed_telegram(telegram_update(505, "x" * 5001)))
    receive(channel, Bot(answer()), signed_telegram(telegram_update(505, "hello again")))
    receive(channel, Bot(answer()), signed_telegram(telegram_update(505, "and again")))
    unavailable, too_long, answered, too_many = fake.texts_to("telegram", "505")
    assert "cannot look up answers right now" in unavailable and "020 7946 0999" in unavailable
    assert "too long" in too_long and "020 7946 0999" in too_long
    assert answered.startswith("Amniocentesis")
    assert "faster than I can answer" in too_many
    failing = Bot(fail=True)
    assert receive(channel, failing, signed_telegram(telegram_update(506, "hi"))).status == 200
    assert "cannot look up answers right now" in fake.texts_to("telegram", "506")[0]


def test_a_turns_escalation_is_sent_first(fake):
    channel = telegram_channel(fake)
    receive(channel, Bot(answer(), escalation("urgent")), signed_telegram(telegram_update(507, "x")))
    first, second = fake.texts_to("telegram", "507")
    assert first.startswith("URGENT – please act today:\n") and second.startswith("Amniocentesis")


def test_a_turn_is_finished_when_the_app_hangs_up(fake):
    """Sanic cancels the handler of a request whose connection closed: the turn goes on."""
    channel = telegram_channel(fake)

    async def slow_bot(message):
        await asyncio.sleep(0.3)
        await message.output_channel.send_response(message.sender_id, answer())

    async def hang_up():
        request = asyncio.ensure_future(channel.receive(
            signed_telegram(telegram_update(509, "hi")), guarded(slow_bot, channel.limits)))
        await asyncio.sleep(0.05)
        request.cancel()
        await asyncio.sleep(0.6)
        return request.cancelled()

    assert run(hang_up())
    (reply,) = fake.texts_to("telegram", "509")
    assert reply.startswith("Amniocentesis")  # the bot's answer, not the guard's


def test_output_channel_for_rasa_sends_at_once(fake):
    output = telegram_channel(fake).get_output_channel()
    run(output.send_response("telegram:508", answer()))
    assert len(fake.texts_to("telegram", "508")) == 1


def whatsapp_request(fields, url="https://assistant.clinic.test/webhooks/twilio/webhook", token=fp.TWILIO_TOKEN):
    signature = RequestValidator(token).compute_signature(url, fields)
    return FakeRequest(urlencode(fields).encode(), {"X-Twilio-Signature": signature})


def whatsapp_fields(phone, body, **extra):
    return {"MessageSid": "SM1", "AccountSid": fp.TWILIO_SID, "From": f"whatsapp:{phone}",
            "To": f"whatsapp:{fp.TWILIO_NUMBER}", "Body": body, "NumMedia": "0", **extra}


def test_whatsapp_sends_numbered_split_replies_through_twilio(fake):
    channel = WhatsAppInput(whatsapp_settings(fake.env), limits())
    long_text = "Amniocentesis takes a small sample of fluid. " * 50
    bot = Bot(answer(long_text, buttons=BUTTONS))
    answered = receive(channel, bot, whatsapp_request(whatsapp_fields("+447700900001", "what is amnio?")))
    assert answered.status == 200 and answered.content_type == "text/xml"
    texts = fake.texts_to("twilio", "whatsapp:+447700900001")
    assert len(texts) == 2 and all(len(t) <= tr.WHATSAPP_MAX_CHARS for t in texts)
    assert texts[-1].endswith("Reply with a number:\n1. What is it?\n2. Does it hurt?")
    calls = [c for c in fake.of("twilio") if c.body["To"] == "whatsapp:+447700900001"]
    assert {c.body["From"] for c in calls} == {"whatsapp:+14155238886"}
    assert {c.status for c in calls} == {201}  # Twilio took each part
    receive(channel, bot, whatsapp_request(whatsapp_fields("+447700900001", "2")))
    assert bot.read[-1] == ("whatsapp:+447700900001", "Does it hurt?", "twilio")


def test_whatsapp_refuses_bad_signatures_and_reads_photos_as_no_text(fake):
    channel = WhatsAppInput(whatsapp_settings(fake.env), limits())
    bot = Bot(answer())
    fields = whatsapp_fields("+447700900002", "hi")
    for request in [whatsapp_request(fields, token="wrong"),
                    whatsapp_request(fields, url="http://127.0.0.1:5005/webhooks/twilio/webhook"),
                    FakeRequest(urlencode(fields).encode())]:
        assert receive(channel, bot, request).status == 403
    assert bot.read == []
    photo = whatsapp_fields("+447700900002", "", NumMedia="1", MediaUrl0="https://api.twilio.com/m")
    assert receive(channel, bot, whatsapp_request(photo)).status == 200
    sms = dict(fields, From="+447700900002")
    assert receive(channel, bot, whatsapp_request(sms)).status == 200
    assert bot.read == [("whatsapp:+447700900002", "", "twilio")]
    assert read_message(RequestParameters({"From": ["whatsapp:"]})) is None


def messenger_request(body, secret=fp.MESSENGER_SECRET):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return FakeRequest(raw, {"X-Hub-Signature-256": messenger_signature(secret, raw)})


def messenger_event(psid, **message):
    return {"sender": {"id": psid}, "recipient": {"id": "PAGE"}, "timestamp": 1, "message": message}


def test_messenger_handshake():
    channel = MessengerInput(messenger_settings(fp.channel_env("http://unused")))
    ok = channel.verify_subscription(FakeRequest(args={"hub.mode": "subscribe", "hub.challenge": "42",
                                                       "hub.verify_token": fp.MESSENGER_VERIFY}))
    assert (ok.status, ok.body) == (200, b"42")
    for args in [{"hub.mode": "subscribe", "hub.challenge": "42", "hub.verify_token": "guess"},
                 {"hub.mode": "unsubscribe", "hub.challenge": "42", "hub.verify_token": fp.MESSENGER_VERIFY}]:
        assert channel.verify_subscription(FakeRequest(args=args)).status == 403


def test_messenger_quick_replies_or_a_numbered_list(fake):
    channel = MessengerInput(messenger_settings(fake.env), limits())
    receive(channel, Bot(answer(buttons=BUTTONS)), messenger_request(
        {"object": "page", "entry": [{"messaging": [messenger_event("9001", mid="m1", text="hi")]}]}))
    (call,) = [c for c in fake.of("messenger") if c.body["recipient"]["id"] == "9001"]
    assert call.body["message"]["quick_replies"] == [
        {"content_type": "text", "title": "What is it?", "payload": "What is an amniocentesis?"},
        {"content_type": "text", "title": "Does it hurt?", "payload": "Does it hurt?"}]
    assert call.body["messaging_type"] == "RESPONSE" and call.query["access_token"] == fp.MESSENGER_TOKEN
    output = MessengerOutput(messenger_settings(fake.env), Choices())
    many = [{"title": f"Choice {i}", "payload": str(i)} for i in range(14)]
    wordy = [{"title": "A title over twenty characters", "payload": "x"}]
    assert output.shows_buttons(many[:13]) and not output.shows_buttons(many)
    assert not output.shows_buttons(wordy)


def test_messenger_reads_every_event_and_refuses_a_wrong_signature(fake):
    channel = MessengerInput(messenger_settings(fake.env), limits())
    bot = Bot(answer())
    delivery = {"object": "page", "entry": [
        {"messaging": [messenger_event("9002", mid="m1", text="first"),
                       messenger_event("9003", mid="m2", text="Risks", quick_reply={"payload": "risk?"}),
                       messenger_event("PAGE", mid="m3", text="echo", is_echo=True),
                       {"sender": {"id": "9004"}, "postback": {"title": "Start", "payload": "hello"}},
                       {"sender": {"id": "9005"}, "delivery": {"mids": ["m1"]}}]},
        {"messaging": [messenger_event("9006", mid="m4", attachments=[{"type": "image"}])]}]}
    assert receive(channel, bot, messenger_request(delivery, secret="wrong")).status == 403
    assert receive(channel, bot, FakeRequest(delivery)).status == 403 and bot.read == []
    answered = receive(channel, bot, messenger_request(delivery))
    assert answered.status == 200
    assert [(s, t) for s, t, _ in bot.read] == [("messenger:9002", "first"), ("messenger:9003", "risk?"),
                                                 ("messenger:9004", "hello"), ("messenger:9006", "")]
    assert len(fake.texts_to("messenger", "9002")) == 1
    for odd in [b"not json", {"object": "page", "entry": [{"messaging": "x"}, 5]}, {"object": "user"}]:
        assert receive(channel, bot, messenger_request(odd)).status == 200
    assert len(bot.read) == 4
    assert read_events(None) == []


def test_a_platform_api_failure_is_logged_not_raised(fake, caplog):
    output = TelegramOutput(telegram_settings(dict(fake.env, TELEGRAM_ACCESS_TOKEN="wrong-token")),
                            Choices(), holding=False)
    with caplog.at_level(logging.ERROR):
        run(output.send_response("telegram:1", answer()))
    assert "Telegram API answered 401" in caplog.text and "wrong-token" not in caplog.text
    unreachable = WhatsAppOutput(whatsapp_settings(dict(fake.env, TWILIO_API_URL="http://127.0.0.1:9")),
                                 Choices(), holding=False)
    with caplog.at_level(logging.ERROR):
        run(unreachable.send_response("whatsapp:+44", answer()))
    assert "Twilio API could not be reached" in caplog.text
