"""The channels' size limit and per-sender rate limit (bot/channels/limits.py)."""
import asyncio
import json

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.channels.limits import MessageLimits, RateLimiter, within_limits
from bot.channels.rest import GuardedRestInput


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_rate_limit_is_per_sender_over_a_sliding_minute():
    clock = Clock()
    limiter = RateLimiter(3, clock)
    assert [limiter.allow("a") for _ in range(3)] == [None, None, None]
    assert limiter.allow("a") == 61 and limiter.allow("b") is None
    clock.now += 30
    assert limiter.allow("a") == 31
    clock.now += 31
    assert limiter.allow("a") is None


def test_too_long_is_refused_and_not_counted():
    limits = MessageLimits(max_chars=10, per_minute=1, clock=Clock())
    assert limits.check("a", "x" * 11).status == 413
    assert limits.check("a", "x" * 10) is None
    refusal = limits.check("a", "hello")
    assert (refusal.status, refusal.error, refusal.retry_after) == (429, "too_many_messages", 61)


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("ASSISTANT_MAX_MESSAGE_CHARS", "123")
    monkeypatch.setenv("ASSISTANT_MESSAGES_PER_MINUTE", "7")
    limits = MessageLimits()
    assert (limits.max_chars, limits.rate.per_minute) == (123, 7)
    monkeypatch.setenv("ASSISTANT_MAX_MESSAGE_CHARS", "lots")
    with pytest.raises(ValueError, match="ASSISTANT_MAX_MESSAGE_CHARS must be a whole number"):
        MessageLimits()


def test_refused_socketio_message_gets_the_static_reply_and_never_reaches_the_bot():
    seen = []

    async def bot(message):
        seen.append(message.text)

    handle = within_limits(bot, MessageLimits(max_chars=20, per_minute=2, clock=Clock()))
    output = CollectingOutputChannel()
    for text in ["x" * 21, "hello", "again", "third"]:
        asyncio.run(handle(UserMessage(text, output, "patient-1")))
    assert seen == ["hello", "again"]
    assert [m["custom"]["topic"] for m in output.messages if "custom" in m] == ["fallback", "fallback"]
    too_long, too_many = (m["text"] for m in output.messages if "text" in m)
    assert "too long" in too_long and "020 7946 0999" in too_long
    assert "faster than I can answer" in too_many and "020 7946 0999" in too_many


class FakeRequest:
    def __init__(self, body, method="POST", path="/webhooks/rest/webhook", origin=None):
        self.method, self.path, self._body = method, path, body
        self.headers = {"origin": origin} if origin else {}

    @property
    def json(self):
        return self._body


def _answer(channel, body, **kwargs):
    return asyncio.run(channel.refuse_over_limits(FakeRequest(body, **kwargs)))


def test_rest_answers_413_and_429_with_a_clear_error():
    channel = GuardedRestInput(MessageLimits(max_chars=50, per_minute=2, clock=Clock()))
    assert _answer(channel, {"sender": "p", "message": "hi"}) is None
    too_long = _answer(channel, {"sender": "p", "message": "x" * 51})
    body = json.loads(too_long.body)
    assert too_long.status == 413 and body["error"] == "message_too_long" and body["max_chars"] == 50
    assert "020 7946 0999" in body["message"] and body["custom"]["topic"] == "fallback"
    assert _answer(channel, {"sender": "p", "message": "hi"}) is None
    limited = _answer(channel, {"sender": "p", "message": "hi"})
    assert limited.status == 429 and limited.headers["Retry-After"] == "61"
    assert _answer(channel, [1, 2]).status == 400
    assert _answer(channel, {"sender": "p", "message": "hi"}, method="GET") is None


def test_a_red_flag_in_a_long_message_is_read_not_refused():
    """Safety first: the escalation must still be sent and recorded."""
    limits = MessageLimits(max_chars=200, per_minute=20, clock=Clock())
    long_report = "I'm bleeding heavily and soaking a pad every hour. " + "I'm so scared. " * 40
    assert limits.check("a", long_report) is None
    assert limits.fitted(long_report) == long_report[:200]
    seen = []

    async def bot(message):
        seen.append(message.text)

    asyncio.run(within_limits(bot, limits)(UserMessage(long_report, CollectingOutputChannel(), "a")))
    assert seen == [long_report[:200]]
    channel = GuardedRestInput(limits)
    body = {"sender": "b", "message": long_report}
    assert _answer(channel, body) is None and body["message"] == long_report[:200]


def test_rasa_http_api_is_off_unless_a_token_is_set():
    from bot.servers import rasa_command

    assert "--enable-api" not in rasa_command("m.tar.gz", 5005, {})
    assert "--enable-api" not in rasa_command("m.tar.gz", 5005, {"RASA_API_TOKEN": "  "})
    command = rasa_command("m.tar.gz", 5005, {"RASA_API_TOKEN": "s3cret"})
    assert command[-3:] == ["--enable-api", "--auth-token", "s3cret"]



def test_browser_pages_from_other_sites_are_refused():
    from bot.channels.origins import OriginPolicy

    channel = GuardedRestInput(MessageLimits(max_chars=50, per_minute=20, clock=Clock()),
                               OriginPolicy(["https://clinic.example"]))
    assert _answer(channel, {"sender": "p", "message": "hi"}) is None  # no Origin: an app or server
    assert _answer(channel, {"sender": "p", "message": "hi"}, origin="https://clinic.example") is None
    refused = _answer(channel, {"sender": "p", "message": "hi"}, origin="https://elsewhere.example")
    assert refused.status == 403 and json.loads(refused.body)["error"] == "origin_not_allowed"


def test_origin_policy():
    from bot.channels.origins import OriginPolicy

    policy = OriginPolicy(["https://clinic.example"])
    assert policy.allows("https://clinic.example") and policy.allows(None)
    assert not policy.allows("https://elsewhere.example")
    assert not OriginPolicy([]).allows("https://clinic.example")
    assert OriginPolicy(["*"]).allows("https://anywhere.example")


def test_rasa_gives_cors_headers_to_the_allowed_pages_only():
    from bot.servers import rasa_command

    assert "--cors" not in rasa_command("m.tar.gz", 5005, {})
    command = rasa_command("m.tar.gz", 5005, {"ALLOWED_ORIGINS": "https://a.example/, https://b.example"})
    assert command[-3:] == ["--cors", "https://a.example", "https://b.example"]


def test_allowed_origins_come_from_the_environment(monkeypatch):
    from bot.settings import allowed_origins

    monkeypatch.setenv("ALLOWED_ORIGINS", " https://a.example/, https://b.example ,")
    assert allowed_origins() == ["https://a.example", "https://b.example"]
    monkeypatch.delenv("ALLOWED_ORIGINS")
    assert allowed_origins() == []
