"""Facebook Messenger, at Rasa's URL /webhooks/facebook/webhook, configured from
MESSENGER_* environment variables (bot.channels.platform_settings; docs/messaging.md).

Unlike Rasa 3.6's Messenger channel, it checks the SHA-256 signature of the body
(X-Hub-Signature-256; Rasa checks only the SHA-1 one) and answers 403 without a valid
one, refuses the subscription handshake with a wrong verify token (403, not 200), reads
every event of a batched delivery (Rasa reads the first), and sends the reply contract
as text (bot.channels.text_replies) within Messenger's 2,000 characters: escalation
first, sources as lines, buttons as quick replies (else a numbered list).
"""
from __future__ import annotations

import hmac
import logging
from typing import Any, Awaitable, Callable, List, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.facebook import FacebookInput
from sanic import Blueprint, response
from sanic.request import Request

from bot.channels.limits import MessageLimits
from bot.channels.messaging import (Incoming, MessagingInputParts, MessagingOutput, as_dict,
                                    as_list, forbidden, handle_turn, json_body, post, run_to_end)
from bot.channels.platform_settings import PlatformSettings, messenger_settings
from bot.channels.signatures import messenger_signature_ok
from bot.channels.text_replies import MESSENGER_MAX_CHARS, TextMessage

logger = logging.getLogger(__name__)

PREFIX = "messenger:"
SIGNATURE_HEADER = "X-Hub-Signature-256"
MAX_QUICK_REPLIES = 13
MAX_QUICK_REPLY_TITLE = 20
MAX_QUICK_REPLY_PAYLOAD = 1000


def read_events(body: Any) -> List[Incoming]:
    """The patients' messages in a page webhook delivery, in order: texts, quick reply
    and postback payloads; an attachment alone has no text. Echoes of the page's own
    messages, deliveries and reads are not messages."""
    body = as_dict(body)
    if body.get("object") != "page":
        return []
    messages = []
    for entry in as_list(body.get("entry")):
        for event in as_list(as_dict(entry).get("messaging")):
            event = as_dict(event)
            sender = as_dict(event.get("sender")).get("id")
            message, postback = as_dict(event.get("message")), as_dict(event.get("postback"))
            if not sender or message.get("is_echo") or not (message or postback):
                continue
            text = (as_dict(message.get("quick_reply")).get("payload") or message.get("text")
                    or postback.get("payload") or postback.get("title") or "")
            messages.append(Incoming(f"{PREFIX}{sender}", text if isinstance(text, str) else ""))
    return messages


class MessengerOutput(MessagingOutput):
    max_chars = MESSENGER_MAX_CHARS

    @classmethod
    def name(cls) -> Text:
        return "facebook"

    def shows_buttons(self, buttons: List[dict]) -> bool:
        return len(buttons) <= MAX_QUICK_REPLIES and all(
            len(str(b["title"])) <= MAX_QUICK_REPLY_TITLE
            and len(str(b["payload"])) <= MAX_QUICK_REPLY_PAYLOAD for b in buttons)

    async def send(self, recipient_id: Text, message: TextMessage) -> None:
        content: dict = {"text": message.text}
        if message.buttons:
            content["quick_replies"] = [{"content_type": "text", "title": b["title"],
                                         "payload": b["payload"]} for b in message.buttons]
        await post("Messenger", f"{self.settings['MESSENGER_API_URL'].rstrip('/')}/me/messages",
                   params={"access_token": self.settings["MESSENGER_PAGE_ACCESS_TOKEN"]},
                   json={"recipient": {"id": recipient_id.removeprefix(PREFIX)},
                         "messaging_type": "RESPONSE", "message": content})


class MessengerInput(MessagingInputParts, FacebookInput):
    output_class = MessengerOutput

    @classmethod
    def from_credentials(cls, credentials: Optional[dict]) -> "MessengerInput":
        """credentials.yml lists the channel; its settings come from the environment."""
        return cls(messenger_settings())

    def __init__(self, settings: PlatformSettings, limits: Optional[MessageLimits] = None) -> None:
        super().__init__(settings["MESSENGER_VERIFY_TOKEN"], settings["MESSENGER_APP_SECRET"],
                         settings["MESSENGER_PAGE_ACCESS_TOKEN"])
        self.use(settings, limits)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint, handle = self.webhook_blueprint("fb_webhook", on_new_message)

        @blueprint.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> response.HTTPResponse:
            return self.verify_subscription(request)

        @blueprint.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> response.HTTPResponse:
            return await self.receive(request, handle)

        return blueprint

    def verify_subscription(self, request: Request) -> response.HTTPResponse:
        """Meta's handshake when the clinic subscribes the webhook: echo hub.challenge
        when hub.verify_token is ours."""
        if not self.settings.configured:
            return self.settings.not_configured()
        token = request.args.get("hub.verify_token") or ""
        challenge = request.args.get("hub.challenge") or ""
        if (request.args.get("hub.mode") == "subscribe" and challenge
                and hmac.compare_digest(token.encode(), self.fb_verify.encode())):
            return response.text(challenge)
        logger.warning("Refused a Messenger webhook subscription: wrong hub.verify_token")
        return response.json({"error": "forbidden", "message": "Wrong hub.verify_token."},
                             status=403)

    async def receive(self, request: Request, handle: Callable[[UserMessage], Awaitable[Any]],
                      ) -> response.HTTPResponse:
        if not self.settings.configured:
            return self.settings.not_configured()
        if not messenger_signature_ok(self.fb_secret, request.body,
                                      request.headers.get(SIGNATURE_HEADER)):
            return forbidden("Messenger", SIGNATURE_HEADER)
        await run_to_end(self.answer_all(read_events(json_body(request.body)), handle))
        return response.text("EVENT_RECEIVED")

    async def answer_all(self, messages: List[Incoming],
                         handle: Callable[[UserMessage], Awaitable[Any]]) -> None:
        for incoming in messages:
            output = self.new_output()
            await handle_turn(handle, output, incoming, self.name())
