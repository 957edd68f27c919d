"""A local stand-in for the messaging apps' APIs: the Telegram Bot API, Twilio's Messages
API and Meta's Graph API (Messenger Send API), on one HTTP server. It records every call
so tests can read what the channels would have sent, and answers like the real APIs.

Paths: /telegram/bot<token>/<method>, /twilio/2010-04-01/Accounts/<sid>/Messages.json,
/graph/<version>/me/messages. `env` gives the channels' settings pointing at it.
"""
import base64
import json
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import List
from urllib.parse import parse_qsl, urlsplit

from bot.channels.text_replies import MESSENGER_MAX_CHARS, TELEGRAM_MAX_CHARS, WHATSAPP_MAX_CHARS
from bot.servers import free_port

PUBLIC_URL = "https://assistant.clinic.test"  # the server as the apps see it, behind a proxy
TELEGRAM_TOKEN = "123456:TEST-telegram-token"
TELEGRAM_SECRET = "telegram-secret-e2e_1"
TWILIO_SID = "AC00000000000000000000000000000001"
TWILIO_TOKEN = "twilio-auth-token-e2e"
TWILIO_NUMBER = "+14155238886"
MESSENGER_VERIFY = "messenger-verify-e2e"
MESSENGER_SECRET = "messenger-app-secret-e2e"
MESSENGER_TOKEN = "messenger-page-token-e2e"
GRAPH_VERSION = "v21.0"


def channel_env(api_url: str) -> dict:
    """The channels' environment variables, with the APIs at `api_url` (this fake's)."""
    return {
        "TELEGRAM_ACCESS_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
        "TELEGRAM_WEBHOOK_URL": f"{PUBLIC_URL}/webhooks/telegram/webhook",
        "TELEGRAM_API_URL": f"{api_url}/telegram",
        "TWILIO_ACCOUNT_SID": TWILIO_SID, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_WHATSAPP_NUMBER": TWILIO_NUMBER,
        "TWILIO_WEBHOOK_URL": f"{PUBLIC_URL}/webhooks/twilio/webhook",
        "TWILIO_API_URL": f"{api_url}/twilio",
        "MESSENGER_VERIFY_TOKEN": MESSENGER_VERIFY, "MESSENGER_APP_SECRET": MESSENGER_SECRET,
        "MESSENGER_PAGE_ACCESS_TOKEN": MESSENGER_TOKEN,
        "MESSENGER_API_URL": f"{api_url}/graph/{GRAPH_VERSION}",
    }


@dataclass
class Call:
    platform: str   # "telegram", "twilio" or "messenger"
    method: str     # "sendMessage", "setWebhook", "Messages.json", "me/messages", ...
    body: dict      # the JSON or form fields sent
    query: dict
    headers: dict
    status: int = 0  # what the fake answered


class FakePlatforms:
    def __init__(self):
        self.calls: List[Call] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                url = urlsplit(self.path)
                if "json" in (self.headers.get("Content-Type") or ""):
                    body = json.loads(raw or b"{}")
                else:
                    body = dict(parse_qsl(raw.decode(), keep_blank_values=True))
                status, answer = fake.answer(url.path, body, dict(parse_qsl(url.query)),
                                             dict(self.headers))
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def env(self) -> dict:
        """The channels' environment variables, with the APIs pointing here."""
        return channel_env(self.url)

    def answer(self, path: str, body: dict, query: dict, headers: dict):
        """Records the call; (status, JSON) as the real API would answer it, refusing what
        it would refuse (a wrong token, a text over its limit, invalid buttons)."""
        telegram = re.fullmatch(r"/telegram/bot([^/]+)/(\w+)", path)
        twilio = re.fullmatch(r"/twilio/2010-04-01/Accounts/(\w+)/Messages\.json", path)
        graph = re.fullmatch(r"/graph/v[\d.]+/me/messages", path)
        if telegram:
            call = Call("telegram", telegram[2], body, query, headers)
            status, answer = self._telegram(telegram[1], telegram[2], body)
        elif twilio:
            call = Call("twilio", "Messages.json", body, query, headers)
            status, answer = self._twilio(twilio[1], body, headers)
        elif graph:
            call = Call("messenger", "me/messages", body, query, headers)
            status, answer = self._messenger(body, query)
        else:
            call, status, answer = Call("unknown", path, body, query, headers), 404, {"error": "no such API"}
        call.status = status
        with self._lock:
            self.calls.append(call)
        return status, answer

    def _telegram(self, token: str, method: str, body: dict):
        def refused(status, description):
            return status, {"ok": False, "error_code": status, "description": description}

        if token != TELEGRAM_TOKEN:
            return refused(401, "Unauthorized")
        if method != "sendMessage":
            return 200, {"ok": True, "result": True}
        if not 1 <= len(body.get("text") or "") <= TELEGRAM_MAX_CHARS:
            return refused(400, "Bad Request: message is too long")
        rows = body.get("reply_markup", {}).get("inline_keyboard", [])
        if any(len(b["callback_data"].encode()) > 64 for row in rows for b in row):
            return refused(400, "Bad Request: BUTTON_DATA_INVALID")
        return 200, {"ok": True, "result": {"message_id": len(self.calls) + 1, "date": int(time.time()),
                                            "chat": {"id": body["chat_id"]}, "text": body["text"]}}

    def _twilio(self, sid: str, body: dict, headers: dict):
        expected = "Basic " + base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()
        if sid != TWILIO_SID or headers.get("Authorization") != expected:
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        if len(body.get("Body") or "") > WHATSAPP_MAX_CHARS:
            return 400, {"code": 21617, "status": 400, "message":
                         "The concatenated message body exceeds the 1600 character limit."}
        return 201, {"sid": f"SM{len(self.calls):032d}", "status": "queued", "to": body.get("To"),
                     "from": body.get("From"), "body": body.get("Body")}

    def _messenger(self, body: dict, query: dict):
        def refused(message, code=100):
            return 400, {"error": {"message": message, "type": "OAuthException", "code": code}}

        if query.get("access_token") != MESSENGER_TOKEN:
            return refused("Invalid OAuth access token.", 190)
        message = body.get("message", {})
        if len(message.get("text") or "") > MESSENGER_MAX_CHARS:
            return refused("(#100) Length of param message[text] must be less than or equal to 2000")
        replies = message.get("quick_replies", [])
        if len(replies) > 13 or any(len(r["title"]) > 20 for r in replies):
            return refused("(#100) Param message[quick_replies] is invalid")
        return 200, {"recipient_id": body["recipient"]["id"], "message_id": f"m_{len(self.calls)}"}

    def of(self, platform: str, method: str = None) -> List[Call]:
        with self._lock:
            return [c for c in self.calls if c.platform == platform
                    and (method is None or c.method == method)]

    def texts_to(self, platform: str, recipient: str) -> List[str]:
        """The texts sent to one chat, phone number or Messenger user, in order (also
        those the API refused: tests check `status` of the calls for that)."""
        if platform == "telegram":
            return [c.body["text"] for c in self.of("telegram", "sendMessage")
                    if str(c.body.get("chat_id")) == str(recipient)]
        if platform == "twilio":
            return [c.body["Body"] for c in self.of("twilio") if c.body.get("To") == recipient]
        return [c.body["message"]["text"] for c in self.of("messenger")
                if c.body.get("recipient", {}).get("id") == recipient]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
