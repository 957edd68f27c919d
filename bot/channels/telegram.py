"""Telegram, at Rasa's URL /webhooks/telegram/webhook, configured from TELEGRAM_*
environment variables (bot.channels.platform_settings; docs/messaging.md).

Unlike Rasa 3.6's Telegram channel, it checks the secret token Telegram sends with each
update (403 without it), does not ask Telegram who it is on every message, registers its
webhook (with the secret) only when configured and once the server runs, and sends the
reply contract as text (bot.channels.text_replies): escalation first, sources as lines,
buttons as an inline keyboard whose taps come back as the button's text.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, List, Optional, Text, Tuple

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from sanic import Blueprint, response
from sanic.request import Request

from bot.channels.limits import MessageLimits
from bot.channels.messaging import (Incoming, MessagingInputParts, MessagingOutput, as_dict,
                                    forbidden, handle_turn, ignored, json_body, post, run_to_end)
from bot.channels.platform_settings import PlatformSettings, telegram_settings
from bot.channels.signatures import telegram_secret_ok
from bot.channels.text_replies import TELEGRAM_MAX_CHARS, TextMessage

logger = logging.getLogger(__name__)

PREFIX = "telegram:"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_CALLBACK_DATA_BYTES = 64  # Telegram's limit for an inline button's callback_data
UPDATES = ["message", "edited_message", "callback_query"]
GREETING = "hello"  # what /start, sent when a patient opens the chat, means to the bot


def api_url(settings: PlatformSettings, method: str) -> str:
    base = settings["TELEGRAM_API_URL"].rstrip("/")
    return f"{base}/bot{settings['TELEGRAM_ACCESS_TOKEN']}/{method}"


def read_update(update: Any) -> Tuple[Optional[Incoming], Optional[str]]:
    """The patient's message in a Telegram Update, and the callback query to answer when
    it is a button tap. An edited message is read again (the edit may report a symptom);
    a photo's caption is its text; a sticker or photo alone has none; /start is a greeting."""
    update = as_dict(update)
    query = as_dict(update.get("callback_query"))
    if query:
        chat_id = as_dict(as_dict(query.get("message")).get("chat")).get("id")
        data = query.get("data")
        if chat_id is None or not isinstance(data, str):
            return None, query.get("id")
        return Incoming(f"{PREFIX}{chat_id}", data), query.get("id")
    message = as_dict(update.get("message") or update.get("edited_message"))
    chat_id = as_dict(message.get("chat")).get("id")
    if chat_id is None or as_dict(message.get("from")).get("is_bot"):
        return None, None
    text = message.get("text") or message.get("caption")
    return Incoming(f"{PREFIX}{chat_id}", patient_words(text if isinstance(text, str) else "")), None


def patient_words(text: str) -> str:
    """The text, with Telegram's /start command (also "/start@ClinicBot", "/start ref")
    read as a greeting."""
    words = text.split()
    return GREETING if words and words[0].split("@")[0] == "/start" else text


class TelegramOutput(MessagingOutput):
    max_chars = TELEGRAM_MAX_CHARS

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    def shows_buttons(self, buttons: List[dict]) -> bool:
        return all(len(str(b["payload"]).encode()) <= MAX_CALLBACK_DATA_BYTES for b in buttons)

    async def send(self, recipient_id: Text, message: TextMessage) -> None:
        body = {"chat_id": recipient_id.removeprefix(PREFIX), "text": message.text,
                "link_preview_options": {"is_disabled": True}}
        if message.buttons:
            body["reply_markup"] = {"inline_keyboard": [
                [{"text": b["title"], "callback_data": b["payload"]}] for b in message.buttons]}
        await post("Telegram", api_url(self.settings, "sendMessage"), json=body)


class TelegramInput(MessagingInputParts, RasaTelegramInput):
    output_class = TelegramOutput

    @classmethod
    def from_credentials(cls, credentials: Optional[dict]) -> "TelegramInput":
        """credentials.yml lists the channel; its settings come from the environment."""
        return cls(telegram_settings())

    def __init__(self, settings: PlatformSettings, limits: Optional[MessageLimits] = None) -> None:
        super().__init__(settings["TELEGRAM_ACCESS_TOKEN"], None, settings["TELEGRAM_WEBHOOK_URL"],
                         debug_mode=False)
        self.use(settings, limits)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint, handle = self.webhook_blueprint("telegram_webhook", on_new_message)
        if self.settings.configured:
            blueprint.listener("after_server_start")(self.register_webhook)

        @blueprint.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> response.HTTPResponse:
            return await self.receive(request, handle)

        return blueprint

    async def register_webhook(self, *_: Any) -> None:
        """Tells Telegram where to send updates, and the secret to send with them."""
        answer = await post("Telegram", api_url(self.settings, "setWebhook"), json={
            "url": self.webhook_url, "secret_token": self.settings["TELEGRAM_SECRET_TOKEN"],
            "allowed_updates": UPDATES})
        if answer is not None:
            logger.info("Telegram webhook set to %s", self.webhook_url)

    async def receive(self, request: Request, handle: Callable[[UserMessage], Awaitable[Any]],
                      ) -> response.HTTPResponse:
        if not self.settings.configured:
            return self.settings.not_configured()
        if not telegram_secret_ok(self.settings["TELEGRAM_SECRET_TOKEN"],
                                  request.headers.get(SECRET_HEADER)):
            return forbidden("Telegram", SECRET_HEADER)
        incoming, callback_query = read_update(json_body(request.body))
        if callback_query:  # stops the button's spinner
            await post("Telegram", api_url(self.settings, "answerCallbackQuery"),
                       json={"callback_query_id": callback_query})
        if incoming is None:
            return ignored("no message from a patient in this update")
        output = self.new_output()
        await run_to_end(handle_turn(handle, output, incoming, self.name()))
        return response.json({"status": "ok"})
