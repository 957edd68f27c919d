"""End to end: Telegram, WhatsApp (Twilio) and Messenger webhooks of the running server
(tests/e2e/conftest.py), fed real-format payloads, signed as each app signs them, with
the apps' APIs faked locally (tests/support/fake_platforms.py): what the patient would
receive is what the channel sent to the fake."""
import json
import random
import time

import pytest
import requests
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from bot.channels.signatures import messenger_signature
from bot.channels.text_replies import MESSENGER_MAX_CHARS, TELEGRAM_MAX_CHARS, WHATSAPP_MAX_CHARS
from bot.db import Escalation, session_scope
from tests.e2e.conftest import wait_until
from tests.support.fake_platforms import (MESSENGER_SECRET, MESSENGER_VERIFY, PUBLIC_URL,
                                          TELEGRAM_SECRET, TWILIO_NUMBER, TWILIO_SID, TWILIO_TOKEN)

pytestmark = pytest.mark.e2e

RED_FLAG = "I'm bleeding heavily after my amnio"
EMERGENCY_PHONE = "020 7946 0999"  # clinic.yml
QUESTION = "what actually is an amnio?"
LONG_ANSWER = "what are the alternatives to amniocentesis"  # over WhatsApp's 1,600 with its sources


def base(e2e) -> str:
    return e2e.webhook.split("/webhooks/")[0]


def escalations_of(db_url, conversation_id):
    with session_scope(db_url) as session:
        return [(e.kind, e.severity, e.message) for e in session.execute(
            select(Escalation).where(Escalation.conversation_id == conversation_id)).scalars()]


def new_id() -> int:
    return random.randint(10**8, 10**9)


def sent(e2e, platform: str, recipient, limit: int) -> list:
    """The texts the app would show the patient; each within its limit, none refused."""
    texts = e2e.platforms.texts_to(platform, str(recipient))
    assert all(0 < len(t) <= limit for t in texts), [len(t) for t in texts]
    assert [c.status for c in e2e.platforms.of(platform) if c.status >= 300] == []
    return texts


def assert_answer_with_sources(texts):
    whole = "\n".join(texts)
    assert "Sources:" in whole and "https://" in whole
    assert '"topic"' not in whole and "clinic.yml" not in whole  # no raw JSON, no non-web sources


def assert_escalation_first(e2e, texts, conversation_id, message):
    assert texts and texts[0].startswith("EMERGENCY – please act now:\n"), texts
    assert EMERGENCY_PHONE in texts[0]
    assert wait_until(lambda: escalations_of(e2e.db_url, conversation_id)) == [
        ("red_flag", "emergency", message)]


# --- Telegram -----------------------------------------------------------------------

def telegram_update(chat_id: int, **message) -> dict:
    return {"update_id": new_id(), "message": {
        "message_id": random.randint(1, 10**6), "date": int(time.time()),
        "from": {"id": chat_id, "is_bot": False, "first_name": "Sam", "language_code": "en"},
        "chat": {"id": chat_id, "first_name": "Sam", "type": "private"}, **message}}


def telegram(e2e, update, secret=TELEGRAM_SECRET, **kwargs):
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
    return requests.post(base(e2e) + "/webhooks/telegram/webhook", headers=headers, timeout=60,
                         **({"data": update} if isinstance(update, (str, bytes)) else {"json": update}),
                         **kwargs)


def test_telegram_webhook_is_registered_with_its_secret(e2e):
    (call,) = wait_until(lambda: e2e.platforms.of("telegram", "setWebhook"))
    assert call.body["url"] == f"{PUBLIC_URL}/webhooks/telegram/webhook"
    assert call.body["secret_token"] == TELEGRAM_SECRET


def test_telegram_question_and_red_flag(e2e):
    chat = new_id()
    assert telegram(e2e, telegram_update(chat, text=QUESTION)).status_code == 200
    assert_answer_with_sources(sent(e2e, "telegram", chat, TELEGRAM_MAX_CHARS))
    chat = new_id()
    assert telegram(e2e, telegram_update(chat, text=RED_FLAG)).status_code == 200
    assert_escalation_first(e2e, sent(e2e, "telegram", chat, TELEGRAM_MAX_CHARS),
                            f"telegram:{chat}", RED_FLAG)


def test_telegram_refuses_a_wrong_or_missing_secret(e2e):
    for secret in ["wrong-secret", None]:
        chat = new_id()
        answer = telegram(e2e, telegram_update(chat, text=RED_FLAG), secret=secret)
        assert answer.status_code == 403 and answer.json()["error"] == "forbidden"
        time.sleep(1)
        assert e2e.platforms.texts_to("telegram", str(chat)) == []
        assert escalations_of(e2e.db_url, f"telegram:{chat}") == []


def test_telegram_odd_updates_get_a_reply_or_are_ignored_never_an_error(e2e):
    chat = new_id()
    sticker = {"file_id": "CAACAgIAAxkBAAE", "file_unique_id": "AgAD", "width": 512,
               "height": 512, "is_animated": False, "is_video": False, "type": "regular"}
    assert telegram(e2e, telegram_update(chat, sticker=sticker)).status_code == 200
    assert len(sent(e2e, "telegram", chat, TELEGRAM_MAX_CHARS)) >= 1  # a polite reply
    edited = telegram_update(chat, text=RED_FLAG, edit_date=int(time.time()))
    edited["edited_message"] = edited.pop("message")
    assert telegram(e2e, edited).status_code == 200  # an edit may add a symptom: read again
    assert wait_until(lambda: escalations_of(e2e.db_url, f"telegram:{chat}"))
    for bad in ["not json", {"update_id": 1}, {"update_id": 2, "message": "x"}, [1, 2]]:
        answer = telegram(e2e, bad)
        assert answer.status_code == 200 and answer.json()["status"] == "ignored", bad


def test_telegram_button_tap_is_read_as_the_buttons_text(e2e):
    chat = new_id()
    tap = {"update_id": new_id(), "callback_query": {
        "id": "4382bfdwdsb323b2d9", "chat_instance": "-1234", "data": QUESTION,
        "from": {"id": chat, "is_bot": False, "first_name": "Sam"},
        "message": {"message_id": 7, "date": int(time.time()), "text": "Choose one",
                    "chat": {"id": chat, "type": "private"}}}}
    assert telegram(e2e, tap).status_code == 200
    assert [c.body for c in e2e.platforms.of("telegram", "answerCallbackQuery")
            if c.body["callback_query_id"] == "4382bfdwdsb323b2d9"]
    assert_answer_with_sources(sent(e2e, "telegram", chat, TELEGRAM_MAX_CHARS))


def test_telegram_message_over_the_size_limit_gets_the_refusal(e2e):
    chat = new_id()
    assert telegram(e2e, telegram_update(chat, text="so about the test " * 300)).status_code == 200
    (reply,) = sent(e2e, "telegram", chat, TELEGRAM_MAX_CHARS)
    assert "too long" in reply and EMERGENCY_PHONE in reply


# --- WhatsApp through Twilio ----------------------------------------------------------

def whatsapp_fields(phone: str, body: str, **extra) -> dict:
    """The form fields of Twilio's incoming WhatsApp message webhook."""
    sid = "SM" + "%032x" % random.getrandbits(128)
    return {"SmsMessageSid": sid, "NumMedia": "0", "ProfileName": "Sam", "MessageType": "text",
            "SmsSid": sid, "WaId": phone.lstrip("+"), "SmsStatus": "received", "Body": body,
            "To": f"whatsapp:{TWILIO_NUMBER}", "NumSegments": "1", "ReferralNumMedia": "0",
            "MessageSid": sid, "AccountSid": TWILIO_SID, "From": f"whatsapp:{phone}",
            "ApiVersion": "2010-04-01", **extra}


def whatsapp(e2e, fields: dict, signed_url=f"{PUBLIC_URL}/webhooks/twilio/webhook", signature=None):
    if signature is None:
        signature = RequestValidator(TWILIO_TOKEN).compute_signature(signed_url, fields)
    headers = {"X-Twilio-Signature": signature} if signature else {}
    return requests.post(base(e2e) + "/webhooks/twilio/webhook", data=fields, headers=headers,
                         timeout=60)


def new_phone() -> str:
    return f"+4477009{random.randint(10**5, 10**6 - 1)}"


def test_whatsapp_question_red_flag_and_a_long_answer(e2e):
    phone = new_phone()
    answer = whatsapp(e2e, whatsapp_fields(phone, QUESTION))
    assert answer.status_code == 200 and "<Response>" in answer.text
    assert_answer_with_sources(sent(e2e, "twilio", f"whatsapp:{phone}", WHATSAPP_MAX_CHARS))
    assert {c.body["From"] for c in e2e.platforms.of("twilio")} == {f"whatsapp:{TWILIO_NUMBER}"}

    phone = new_phone()
    assert whatsapp(e2e, whatsapp_fields(phone, LONG_ANSWER)).status_code == 200
    texts = sent(e2e, "twilio", f"whatsapp:{phone}", WHATSAPP_MAX_CHARS)
    assert len(texts) >= 2 and "Sources:" in "\n".join(texts)  # split, in order, nothing lost

    phone = new_phone()
    assert whatsapp(e2e, whatsapp_fields(phone, RED_FLAG)).status_code == 200
    assert_escalation_first(e2e, sent(e2e, "twilio", f"whatsapp:{phone}", WHATSAPP_MAX_CHARS),
                            f"whatsapp:{phone}", RED_FLAG)


def test_whatsapp_refuses_a_wrong_or_missing_signature(e2e):
    cases = [{"signature": "bm90IHRoZSBzaWduYXR1cmU="}, {"signature": ""},
             # signed for the URL this server sees, not the public one Twilio calls
             {"signed_url": base(e2e) + "/webhooks/twilio/webhook"}]
    for case in cases:
        phone = new_phone()
        answer = whatsapp(e2e, whatsapp_fields(phone, RED_FLAG), **case)
        assert answer.status_code == 403, case
        time.sleep(1)
        assert e2e.platforms.texts_to("twilio", f"whatsapp:{phone}") == []
        assert escalations_of(e2e.db_url, f"whatsapp:{phone}") == []


def test_whatsapp_photo_without_text_gets_a_reply(e2e):
    phone = new_phone()
    fields = whatsapp_fields(phone, "", NumMedia="1", MessageType="image",
                             MediaContentType0="image/jpeg",
                             MediaUrl0=f"https://api.twilio.com/2010-04-01/Accounts/{TWILIO_SID}/Media/ME1")
    assert whatsapp(e2e, fields).status_code == 200
    assert len(sent(e2e, "twilio", f"whatsapp:{phone}", WHATSAPP_MAX_CHARS)) >= 1


# --- Facebook Messenger ---------------------------------------------------------------

def messenger_delivery(*events) -> dict:
    now = int(time.time() * 1000)
    return {"object": "page", "entry": [{"id": "PAGE_ID", "time": now, "messaging": list(events)}]}


def messenger_message(psid: str, text: str, **message) -> dict:
    return {"sender": {"id": psid}, "recipient": {"id": "PAGE_ID"}, "timestamp": int(time.time() * 1000),
            "message": {"mid": f"m_{new_id()}", "text": text, **message}}


def messenger(e2e, delivery, signature=None):
    body = json.dumps(delivery).encode()
    if signature is None:
        signature = messenger_signature(MESSENGER_SECRET, body)
    headers = {"Content-Type": "application/json"}
    if signature:
        headers["X-Hub-Signature-256"] = signature
    return requests.post(base(e2e) + "/webhooks/facebook/webhook", data=body, headers=headers,
                         timeout=60)


def test_messenger_subscription_handshake(e2e):
    url = base(e2e) + "/webhooks/facebook/webhook"
    ok = requests.get(url, params={"hub.mode": "subscribe", "hub.verify_token": MESSENGER_VERIFY,
                                   "hub.challenge": "1158201444"}, timeout=30)
    assert (ok.status_code, ok.text) == (200, "1158201444")
    wrong = requests.get(url, params={"hub.mode": "subscribe", "hub.verify_token": "guess",
                                      "hub.challenge": "1158201444"}, timeout=30)
    assert wrong.status_code == 403 and "1158201444" not in wrong.text


def test_messenger_question_red_flag_and_a_batched_delivery(e2e):
    asker, reporter = str(new_id()), str(new_id())
    answer = messenger(e2e, messenger_delivery(messenger_message(asker, QUESTION),
                                               messenger_message(reporter, RED_FLAG)))
    assert answer.status_code == 200
    assert_answer_with_sources(sent(e2e, "messenger", asker, MESSENGER_MAX_CHARS))
    assert_escalation_first(e2e, sent(e2e, "messenger", reporter, MESSENGER_MAX_CHARS),
                            f"messenger:{reporter}", RED_FLAG)
    assert all(c.body["messaging_type"] == "RESPONSE" for c in e2e.platforms.of("messenger"))


def test_messenger_refuses_a_wrong_or_missing_signature(e2e):
    for signature in ["sha256=" + "0" * 64, "", "sha1=" + "0" * 40]:
        psid = str(new_id())
        answer = messenger(e2e, messenger_delivery(messenger_message(psid, RED_FLAG)), signature)
        assert answer.status_code == 403, signature
        time.sleep(1)
        assert e2e.platforms.texts_to("messenger", psid) == []
        assert escalations_of(e2e.db_url, f"messenger:{psid}") == []


def test_messenger_echoes_and_receipts_are_not_answered(e2e):
    psid = str(new_id())
    echo = messenger_message("PAGE_ID", "our own reply", is_echo=True, app_id=1517776481860111)
    echo["recipient"] = {"id": psid}
    read = {"sender": {"id": psid}, "recipient": {"id": "PAGE_ID"}, "timestamp": 1,
            "read": {"watermark": 1458668856253}}
    assert messenger(e2e, messenger_delivery(echo, read)).status_code == 200
    assert messenger(e2e, {"object": "instagram", "entry": "x"}).status_code == 200
    time.sleep(1)
    assert e2e.platforms.texts_to("messenger", psid) == []
