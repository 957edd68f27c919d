"""WhatsApp through Twilio, at Rasa's URL /webhooks/twilio/webhook, configured from
TWILIO_* environment variables (bot.channels.platform_settings; docs/messaging.md).

Unlike Rasa 3.6's Twilio channel, it checks Twilio's signature (403 without a valid
one), answers a message without text (a photo, a location) instead of failing on it,
and sends the reply contract as text (bot.channels.text_replies) within WhatsApp's
1,600 characters a message: escalation first, sources as lines, buttons as a numbered
list (the patient may answer with the number). The replies go through Twilio's
Messages API; the webhook itself answers an empty TwiML document.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Optional, Text
from urllib.parse import parse_qs

import aiohttp
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.twilio import TwilioInput as RasaTwilioInput
from sanic import Blueprint, response
from sanic.request import Request, RequestParameters

from bot.channels.limits import MessageLimits
from bot.channels.messaging import (Incoming, MessagingInputParts, MessagingOutput, forbidden,
                                    handle_turn, post, run_to_end)
from bot.channels.platform_settings import PlatformSettings, whatsapp_settings
from bot.channels.signatures import twilio_signature_ok
from bot.channels.text_replies import WHATSAPP_MAX_CHARS, TextMessage

logger = logging.getLogger(__name__)

PREFIX = "whatsapp:"
SIGNATURE_HEADER = "X-Twilio-Signature"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def read_form(body: bytes) -> RequestParameters:
    """Twilio's form fields, blank ones included: Twilio signs those too, and Sanic's
    request.form leaves them out."""
    return RequestParameters(parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True))


def read_message(form: RequestParameters) -> Optional[Incoming]:
    """The WhatsApp message in Twilio's webhook fields (From=whatsapp:+44…, Body); a
    photo or location alone has no text. None for anything not from WhatsApp."""
    sender = (form.get("From") or "").strip()
    if not sender.startswith(PREFIX) or len(sender) == len(PREFIX):
        return None
    return Incoming(sender, form.get("Body") or "")


def whatsapp_number(settings: PlatformSettings) -> str:
    number = settings["TWILIO_WHATSAPP_NUMBER"]
    return number if number.startswith(PREFIX) else PREFIX + number


class WhatsAppOutput(MessagingOutput):
    max_chars = WHATSAPP_MAX_CHARS

    @classmethod
    def name(cls) -> Text:
        return "twilio"

    async def send(self, recipient_id: Text, message: TextMessage) -> None:
        sid = self.settings["TWILIO_ACCOUNT_SID"]
        base = self.settings["TWILIO_API_URL"].rstrip("/")
        url = f"{base}/2010-04-01/Accounts/{sid}/Messages.json"
        await post("Twilio", url, auth=aiohttp.BasicAuth(sid, self.settings["TWILIO_AUTH_TOKEN"]),
                   data={"To": recipient_id, "From": whatsapp_number(self.settings),
                         "Body": message.text})


class WhatsAppInput(MessagingInputParts, RasaTwilioInput):
    output_class = WhatsAppOutput

    @classmethod
    def from_credentials(cls, credentials: Optional[dict]) -> "WhatsAppInput":
        """credentials.yml lists the channel; its settings come from the environment."""
        return cls(whatsapp_settings())

    def __init__(self, settings: PlatformSettings, limits: Optional[MessageLimits] = None) -> None:
        super().__init__(settings["TWILIO_ACCOUNT_SID"], settings["TWILIO_AUTH_TOKEN"],
                         settings["TWILIO_WHATSAPP_NUMBER"], debug_mode=False)
        self.use(settings, limits)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint, handle = self.webhook_blueprint("twilio_webhook", on_new_message)

        @blueprint.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> response.HTTPResponse:
            return await self.receive(request, handle)

        return blueprint

    async def receive(self, request: Request, handle: Callable[[UserMessage], Awaitable[Any]],
                      ) -> response.HTTPResponse:
        if not self.settings.configured:
            return self.settings.not_configured()
        form = read_form(request.body)
        if not twilio_signature_ok(self.settings["TWILIO_AUTH_TOKEN"],
                                   self.settings["TWILIO_WEBHOOK_URL"], form,
                                   request.headers.get(SIGNATURE_HEADER)):
            return forbidden("Twilio", SIGNATURE_HEADER)
        incoming = read_message(form)
        if incoming is None:
            logger.info("Ignored a Twilio request with no WhatsApp message")
            return response.text(EMPTY_TWIML, content_type="text/xml")
        output = self.new_output()
        await run_to_end(handle_turn(handle, output, incoming, self.name()))
        return response.text(EMPTY_TWIML, content_type="text/xml")
