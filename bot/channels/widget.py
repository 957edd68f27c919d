"""Serves the web chat widget from the assistant's own server, so a clinic embeds it with
one script tag pointing here:

    GET /webhooks/widget/assistant-widget.js   the built widget (web/dist, `make widget`)
    GET /webhooks/widget/config.json           what the widget shows besides the chat:
        the clinic's name, its phone numbers (for tap-to-call links and the escalation
        banner) and the opening notice, a curated answer (data/answers, key widget_notice)

The widget's messages go through the socket.io channel (bot.channels.socketio), which
accepts only pages of ALLOWED_ORIGINS; these two files are public, like any script.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any, Awaitable, Callable, List, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

from bot.settings import PROJECT_ROOT, max_message_chars

logger = logging.getLogger(__name__)

WIDGET_FILE = PROJECT_ROOT / "web" / "dist" / "assistant-widget.js"
NOTICE_KEY = "widget_notice"
NOTICE_TOPIC = "bot_identity"
# Digits and bracketed groups of digits, each joined by one space or dash, with at least 3
# digits in all: "020 7946 0999", "999", "116 123", "+1 (555) 010-0199"; "(24 hours)" is not one.
PHONE = re.compile(r"\+?(?:\(\d+\)|\d)(?:[ \-]?(?:\(\d+\)|\d))*")


def phone_numbers(text: str) -> List[str]:
    """The phone numbers written in a clinic setting, as written."""
    numbers = []
    for match in PHONE.finditer(text or ""):
        number = match.group(0)
        if sum(c.isdigit() for c in number) >= 3 and number not in numbers:
            numbers.append(number)
    return numbers


def widget_config() -> dict:
    """The clinic's details and the opening notice, rendered for this clinic."""
    from bot.answering import knowledge_base

    kb = knowledge_base()
    clinic = kb.clinic
    notice = kb.answer(NOTICE_TOPIC, key=NOTICE_KEY)
    return {
        "clinic_name": clinic.clinic_name,
        "hours": clinic.hours,
        "daytime_phone": clinic.daytime_phone,
        "emergency_phone": clinic.emergency_phone,
        "phones": {"emergency": phone_numbers(clinic.emergency_phone),
                   "daytime": phone_numbers(clinic.daytime_phone),
                   "crisis": phone_numbers(clinic.crisis_line)},
        "notice": notice.text,
        "notice_id": notice.answer_id,
        "max_message_chars": max_message_chars(),
    }


def _as_function(method: Callable[[Request], Awaitable[response.HTTPResponse]]):
    async def handler(request: Request) -> response.HTTPResponse:
        return await method(request)

    return handler


class WidgetFiles(InputChannel):
    """Not a message channel: the widget's script and settings, under /webhooks/widget/."""

    def __init__(self, widget_file: Optional[Path] = None) -> None:
        self.widget_file = Path(widget_file or WIDGET_FILE)

    @classmethod
    def name(cls) -> str:
        return "widget"

    @classmethod
    def from_credentials(cls, credentials: Optional[dict]) -> "WidgetFiles":
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("widget_files", __name__)
        # Sanic 21 marks each handler, which a bound method cannot take: plain functions.
        for uri, method in (("/", self.health), ("/assistant-widget.js", self.script),
                            ("/config.json", self.config)):
            blueprint.add_route(_as_function(method), uri, methods=["GET"],
                                name=method.__name__)
        return blueprint

    async def health(self, _: Request) -> response.HTTPResponse:
        return response.json({"status": "ok", "built": self.widget_file.exists()})

    async def script(self, _: Request) -> response.HTTPResponse:
        if not self.widget_file.exists():
            logger.error("%s is missing: run `make widget`", self.widget_file)
            return response.text(
                "console.error('The clinic assistant widget is not built on this server "
                "(make widget).');", status=503, content_type="application/javascript")
        return await response.file(self.widget_file, mime_type="application/javascript",
                                   headers={"Cache-Control": "public, max-age=300"})

    async def config(self, _: Request) -> response.HTTPResponse:
        try:
            settings = widget_config()
        except Exception:  # the widget still chats without its notice and numbers
            logger.exception("Could not build the widget's settings")
            return response.json({"error": "unavailable"}, status=503)
        return response.json(settings, headers={"Cache-Control": "no-cache"})
