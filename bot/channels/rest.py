"""Rasa's REST channel (same URL, /webhooks/rest/webhook) that always replies
(bot.channels.guard)."""
from __future__ import annotations

from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint

from bot.channels.guard import always_reply


class GuardedRestInput(RestInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        return super().blueprint(always_reply(on_new_message))
