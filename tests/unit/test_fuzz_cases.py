"""The fuzz cases of bot.loadtest.fuzz (sent to the running servers by
tests/e2e/test_fuzz.py), and the channel code the fuzz found wanting: bad input gets a
4xx, never a 5xx, a crash or a forced intent."""
import asyncio
import json
from collections import Counter
from itertools import groupby
from types import SimpleNamespace
from urllib.parse import parse_qs

import pytest
from sanic.request import RequestParameters

from bot.channels.incoming import clean_text, conversation_id, patient_text, readable
from bot.loadtest.fuzz import (CONTRACT_KEYS, ENDPOINTS, FORCING, KINDS, RED_FLAGS, FuzzCase,
                               FuzzConfig, FuzzReport, Outcome, generate_cases)
from tests.support import fake_platforms as fp

CONFIG = FuzzConfig(telegram_secret=fp.TELEGRAM_SECRET, twilio_token=fp.TWILIO_TOKEN,
                    twilio_url=f"{fp.PUBLIC_URL}/webhooks/twilio/webhook",
                    twilio_number=fp.TWILIO_NUMBER, messenger_secret=fp.MESSENGER_SECRET,
                    messenger_verify=fp.MESSENGER_VERIFY)


@pytest.fixture(scope="module")
def cases():
    return generate_cases(7, CONFIG)


# --- the generator ---------------------------------------------------------------------

def test_the_same_seed_gives_the_same_cases_and_another_seed_others(cases):
    assert generate_cases(7, CONFIG) == cases
    other = generate_cases(8, CONFIG)
    assert other != cases and len(other) == len(cases)
    assert [c.number for c in cases] == list(range(len(cases)))


def test_at_least_ten_thousand_cases_of_every_kind_for_every_endpoint(cases):
    assert len(cases) >= 10_000
    assert {c.kind for c in cases} == set(KINDS)
    assert {c.endpoint for c in cases} == set(ENDPOINTS)
    per_endpoint = Counter(c.endpoint for c in cases)
    assert min(per_endpoint.values()) >= 100, per_endpoint
    assert len({c.kind for c in cases if c.endpoint == "rest"}) >= 35


def test_every_case_can_be_sent(cases):
    for case in cases:
        assert isinstance(case.body, bytes) and isinstance(case, FuzzCase)
        assert case.method in {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"}
        assert case.target.startswith("/") and case.target.isascii()
        assert not any(ch in case.target for ch in " \r\n\t\x00")
        for name, value in case.headers:
            assert name.isascii() and "\r" not in value and "\n" not in value
            value.encode("latin-1")  # sent as these bytes
        assert case.server in ("rasa", "staff")
        assert case.setup in (None, "socketio", "csrf")


def test_the_bodies_include_what_the_issue_asks_for(cases):
    bodies = [c.body for c in cases]
    assert b"" in bodies
    assert any(len(b) >= 1_000_000 for b in bodies)
    assert any(100_000 <= len(b) < 1_000_000 for b in bodies)
    assert any(b.count(b"[") >= 10_000 for b in bodies)
    assert any(b"\\ud800" in b for b in bodies) and any(b"\xed\xa0\x80" in b for b in bodies)

    def invalid_utf8(b):
        try:
            b.decode("utf-8")
        except UnicodeDecodeError:
            return True
        return False

    assert sum(invalid_utf8(b) for b in bodies) >= 100
    messages = " ".join(json.loads(b)["message"] for b in bodies
                        if _json_object(b) and isinstance(json.loads(b).get("message"), str))
    raw = " ".join(b.decode("utf-8", "replace") for b in bodies if len(b) < 20_000)
    for needle in ["{{7*7}}", "${7*7}", "<%= 7*7 %>", "{% print 7*7 %}", "' OR '1'='1", "<script>",
                   "../../", "%s%s", "/red_flag_emergency", '/inform{"x":1}', "9" * 400]:
        assert needle in messages or needle in raw, needle
    for needle in ["\u202e", "\u200d", "\u0645", "\u05e9", "\x00", "\u200b", "\U0001F1EC"]:
        assert needle in messages, repr(needle)
    assert any(0x300 <= ord(ch) < 0x370 for ch in messages)  # combining marks ("Zalgo")
    types = {dict(c.headers).get("Content-Type", "") for c in cases}
    assert {"text/plain", "application/x-www-form-urlencoded"} <= types
    assert any(t.startswith("multipart/form-data") for t in types)
    assert any(len(v) >= 20_000 for c in cases for _, v in c.headers)


def _json_object(body: bytes) -> bool:
    try:
        return isinstance(json.loads(body), dict)
    except (ValueError, RecursionError):
        return False


def test_most_rest_messages_have_their_own_sender_and_one_burst_shares_one(cases):
    rest = [c for c in cases if c.endpoint == "rest" and c.sender]
    per_sender = Counter(c.sender for c in rest)
    assert sum(1 for n in per_sender.values() if n == 1) >= 0.8 * len(rest)
    burst = [c for c in cases if c.kind == "rate_burst"]
    assert len({c.sender for c in burst}) == 1 and len(burst) > 20
    # sent together, so that more than 20 fall within one minute
    runs = [len(list(group)) for kind, group in groupby(cases, key=lambda c: c.kind) if kind == "rate_burst"]
    assert runs == [len(burst)]


def test_red_flags_amid_noise_are_red_flags_and_forcing_commands_are_not():
    from bot.safety.detector import get_detector

    detector = get_detector()
    checked = [c for c in generate_cases(7, CONFIG) if "escalates" in c.checks]
    assert len(checked) >= 5
    assert {c.endpoint for c in checked} == {"rest", "socketio"}
    for case in checked:
        if case.endpoint == "socketio":  # 42["user_uttered", {...}]
            text = json.loads(case.body[2:])[1]["message"]
        else:
            text = json.loads(case.body)["message"]
        assert detector.detect(text[:5000]).escalate, text[:80]
    for text in FORCING:
        assert not patient_text(text).startswith("/")
        assert not detector.detect(patient_text(text)).escalate
    assert all(detector.detect(flag).escalate for flag in RED_FLAGS)


def test_signed_cases_pass_the_channels_checks_and_the_others_do_not(cases):
    from bot.channels.signatures import (messenger_signature_ok, telegram_secret_ok,
                                         twilio_signature_ok)
    from bot.channels.whatsapp import read_form

    def header(case, name):
        return dict(case.headers).get(name)

    for case in cases:
        secret_ok = None
        if case.endpoint == "telegram" and case.method == "POST":
            secret_ok = telegram_secret_ok(CONFIG.telegram_secret,
                                           header(case, "X-Telegram-Bot-Api-Secret-Token"))
        elif case.endpoint == "whatsapp" and case.method == "POST":
            secret_ok = twilio_signature_ok(CONFIG.twilio_token, CONFIG.twilio_url,
                                            read_form(case.body), header(case, "X-Twilio-Signature"))
        elif case.endpoint == "messenger" and case.method == "POST":
            secret_ok = messenger_signature_ok(CONFIG.messenger_secret, case.body,
                                               header(case, "X-Hub-Signature-256"))
        if secret_ok is not None:
            refused = case.kind in ("bad_signature", "missing_signature")
            assert secret_ok != refused, (case.endpoint, case.kind, case.description)
            if refused:
                assert case.expect is not None and 403 in case.expect


def test_the_report_counts_statuses_per_endpoint():
    case = generate_cases(7, CONFIG)[0]
    report = FuzzReport([Outcome(case, 200, 0.1), Outcome(case, 503, 2.0),
                         Outcome(case, None, 60.0, error="TimeoutError")], seconds=3.0)
    assert report.by_status()[case.endpoint] == Counter({200: 1, 503: 1, "error": 1})
    assert [o.status for o in report.server_errors()] == [503]
    assert [o.error for o in report.failures()] == ["TimeoutError"]
    assert report.slowest()[0].seconds == 60.0
    assert case.endpoint in report.table() and "slowest: 60.00 s" in report.table()
    assert set(CONTRACT_KEYS) == {"topic", "escalate", "severity", "answer_id", "sources"}


# --- what the fuzz found: the channels read bad input safely ----------------------------

def test_text_and_sender_ids_reach_rasa_in_a_form_it_can_store():
    assert clean_text("hi \ud800 there\udfff") == "hi \ufffd there\ufffd"
    assert clean_text("\ud83d\ude00") == "\U0001F600"  # an escaped pair is one emoji
    assert clean_text("bleeding\x00heavily\x1b[31m\ttab\nline") == "bleeding heavily [31m\ttab\nline"
    clean_text("\ud800" * 5).encode("utf-8")
    assert patient_text("/red_flag_emergency") == "red_flag_emergency"
    for forcing in ["/ /red_flag_emergency", "  //red_flag_urgent", "\n/red_flag_crisis\t",
                    '/inform{"x":1}', "/ / / red_flag_urgent", "\x00/red_flag_emergency"]:
        assert not patient_text(forcing).startswith("/"), forcing
    assert patient_text(None) == "" and patient_text("  a/b ") == "a/b"
    assert conversation_id("\ud800abc") == "\ufffdabc" and conversation_id(42) == "42"

    seen = []

    async def bot(message):
        seen.append((message.sender_id, message.text))

    message = SimpleNamespace(sender_id="x\ud800", text=" / /red_flag_emergency \x00")
    asyncio.run(readable(bot)(message))
    assert seen == [("x\ufffd", "red_flag_emergency")]
    message = SimpleNamespace(sender_id="y", text=None)
    asyncio.run(readable(bot)(message))
    assert seen[-1] == ("y", "")


class RestRequest:
    def __init__(self, body, path="/webhooks/rest/webhook", headers=None):
        self.method, self.path, self._body = "POST", path, body
        self.headers = headers or {}

    @property
    def json(self):
        return self._body


def rest_answer(body, **kwargs):
    from bot.channels.limits import MessageLimits
    from bot.channels.origins import OriginPolicy
    from bot.channels.rest import GuardedRestInput

    channel = GuardedRestInput(MessageLimits(max_chars=50, per_minute=20),
                               OriginPolicy(["https://clinic.example"]))
    return asyncio.run(channel.refuse_over_limits(RestRequest(body, **kwargs)))


@pytest.mark.parametrize("body", [
    {"sender": "s", "message": 5}, {"sender": "s", "message": None}, {"sender": "s"},
    {"sender": "s", "message": ["hi"]}, {"sender": "s", "message": {"text": "hi"}},
    {"sender": "s", "message": True}, {"sender": {"id": "s"}, "message": "hi"},
    {"sender": True, "message": "hi"}, {"sender": 1.5, "message": "hi"},
    {"sender": "s", "message": "hi", "metadata": "x"}, {"sender": "s", "message": "hi", "metadata": [1]},
    {"sender": "s", "message": "hi", "input_channel": {"x": 1}}, [1, 2], "hi", None,
])
def test_rest_answers_400_to_fields_of_the_wrong_type(body):
    answer = rest_answer(body)
    assert answer is not None and answer.status == 400
    assert json.loads(answer.body)["error"] == "bad_request"


def test_rest_passes_on_clean_fields_and_checks_the_route_with_a_trailing_slash():
    body = {"sender": "a\ud800", "message": " /red_flag_emergency\x00 ", "metadata": {"k": 1}}
    assert rest_answer(body) is None
    assert body["sender"] == "a\ufffd" and body["message"] == "red_flag_emergency"
    assert rest_answer({"sender": 12, "message": "hi"}) is None
    for path in ["/webhooks/rest/webhook/", "/webhooks/rest/webhook"]:
        assert rest_answer({"sender": "b", "message": "x" * 60}, path=path).status == 413
        refused = rest_answer({"sender": "c", "message": "hi"}, path=path,
                              headers={"origin": "https://evil.example"})
        assert refused.status == 403
    long_red_flag = {"sender": "d", "message": "I'm bleeding heavily \ud800 " + "so scared " * 20}
    assert rest_answer(long_red_flag) is None  # read (cut), not refused, and no error
    assert len(long_red_flag["message"]) == 50 and "\ud800" not in long_red_flag["message"]


def test_signature_headers_of_bytes_that_are_not_utf8_are_refused_not_an_error():
    from bot.channels.signatures import messenger_signature_ok, telegram_secret_ok

    garbage = b"\xff\xfe".decode("utf-8", "surrogateescape")  # as Sanic keeps such a header
    assert telegram_secret_ok("secret", garbage) is False
    assert messenger_signature_ok("secret", b"{}", garbage) is False
    assert telegram_secret_ok("secret", "secret") is True


def test_messaging_payloads_of_odd_shapes_are_read_as_no_message():
    from bot.channels.messaging import json_body
    from bot.channels.messenger import read_events
    from bot.channels.telegram import read_update

    assert json_body(b"[" * 10_000 + b"]" * 10_000) is None
    assert json_body(b'{"a": ' * 5_000 + b"1" + b"}" * 5_000) is None
    for body in [{"object": "page", "entry": 5}, {"object": "page", "entry": [{"messaging": 5}]},
                 {"object": "page", "entry": 10 ** 30}, {"object": "page", "entry": True},
                 {"object": "page", "entry": [{"messaging": [None, 1, "x", []]}]},
                 {"object": "page", "entry": {"messaging": []}}]:
        assert read_events(body) == []
    for update in [5, [], {"message": []}, {"edited_message": 5}, {"callback_query": "x"}]:
        assert read_update(update) == (None, None)


def test_socketio_input_that_engineio_or_rasa_cannot_take_is_refused_or_ignored():
    from bot.channels.socketio import acceptable_payload, checked_message, checked_session_request

    for body in [b"", b"0", b"2", b"6", b"\xff", b"42\x1e", b"4" * 11]:
        assert not acceptable_payload(body, 10), body
    for body in [b'42["user_uttered",{}]', b"3", b"1", b'42["a"]\x1e42["b"]']:
        assert acceptable_payload(body, 100), body

    calls = []

    async def rasa_handler(sid, data):
        calls.append(data)

    handle = checked_message(rasa_handler, "metadata")
    for args in [(), (None,), (5,), ([1],), ({"message": "hi"},), ({"message": 5, "session_id": "s"},),
                 ({"message": "hi", "session_id": {"a": 1}},), ({"message": "hi", "session_id": True},)]:
        asyncio.run(handle("sid", *args))
    assert calls == []
    asyncio.run(handle("sid", {"message": "hi", "session_id": "s\ud800", "metadata": "{not json"}))
    asyncio.run(handle("sid", {"message": "hi", "session_id": 7, "metadata": '{"a": 1}'}, "extra"))
    assert calls == [{"message": "hi", "session_id": "s\ufffd"},
                     {"message": "hi", "session_id": "7", "metadata": {"a": 1}}]
    requested = []

    async def session_request(sid, data):
        requested.append(data)

    for data in [None, "x", [1, 2], {"session_id": {"a": 1}}, {"session_id": "abc"}]:
        asyncio.run(checked_session_request(session_request)("sid", data))
    assert requested == [None, None, None, None, {"session_id": "abc"}]


def test_unconfigured_apps_answer_every_fuzz_case_with_a_clear_404(cases):
    """The apps' webhooks with no settings (the default configuration): the signed and
    unsigned fuzz cases all get 404 channel_not_configured, and the bot reads nothing."""
    from bot.channels.messaging import guarded
    from bot.channels.messenger import MessengerInput
    from bot.channels.platform_settings import (messenger_settings, telegram_settings,
                                                whatsapp_settings)
    from bot.channels.telegram import TelegramInput
    from bot.channels.whatsapp import WhatsAppInput

    read = []

    async def bot(message):
        read.append(message)

    channels = {"telegram": TelegramInput(telegram_settings({})),
                "whatsapp": WhatsAppInput(whatsapp_settings({})),
                "messenger": MessengerInput(messenger_settings({})),
                "messenger_verify": MessengerInput(messenger_settings({}))}
    handles = {name: guarded(bot, channel.limits) for name, channel in channels.items()}
    checked = Counter()
    for case in cases:
        channel = channels.get(case.endpoint)
        if channel is None or case.method not in ("GET", "POST") or \
                (case.method == "GET") != (case.endpoint == "messenger_verify"):
            continue
        query = case.target.partition("?")[2]
        request = SimpleNamespace(body=case.body, headers=dict(case.headers),
                                  args=RequestParameters(parse_qs(query, keep_blank_values=True)))
        if case.endpoint == "messenger_verify":
            answer = channel.verify_subscription(request)
        else:
            answer = asyncio.run(channel.receive(request, handles[case.endpoint]))
        assert answer.status == 404, case.description
        assert json.loads(answer.body)["error"] == "channel_not_configured"
        checked[case.endpoint] += 1
    assert read == [] and min(checked.values()) >= 500, checked
