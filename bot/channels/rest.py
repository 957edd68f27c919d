"""Rasa's REST channel (same URL, /webhooks/rest/webhook) that always replies
(bot.channels.guard) and refuses a message over the size limit (HTTP 413, unless it
reports a red flag) or over the sender's rate limit (HTTP 429) with a clear error
(bot.channels.limits), and a browser page whose origin is not configured (HTTP 403,
bot.channels.origins)."""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from bot.channels.guard import always_reply
from bot.channels.limits import MessageLimits, refusal_reply
from bot.channels.origins import OriginPolicy

logger = logging.getLogger(__name__)


class GuardedRestInput(RestInput):
    def __init__(self, limits: Optional[MessageLimits] = None,
                 origins: Optional[OriginPolicy] = None) -> None:
        self.limits = limits or MessageLimits()
        self.origins = origins or OriginPolicy()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(always_reply(on_new_message))
        blueprint.middleware("request")(self.refuse_over_limits)
        return blueprint

    async def refuse_over_limits(self, request: Request) -> Optional[response.HTTPResponse]:
        """A 400, 403, 413 or 429 answer for a message that must not reach the bot; else None."""
        if request.method != "POST" or not request.path.endswith("/webhook"):
            return None
        refused = self.origins.refused(request)
        if refused is not None:
            return refused
        try:
            body = request.json
        except InvalidUsage:
            return None  # Sanic answers 400 for a body that is not JSON
        if not isinstance(body, dict):
            return response.json({"error": "bad_request", "message":
                                  'Send a JSON object: {"sender": "...", "message": "..."}.'},
                                 status=400)
        message = body.get("message")
        refusal = self.limits.check(body.get("sender"),
                                    message if isinstance(message, str) else str(message or ""))
        if refusal is None:
            if isinstance(message, str) and len(message) > self.limits.max_chars:
                body["message"] = self.limits.cut(message)  # a red flag: read its first part
            return None
        logger.warning("Refused a REST message of %s: %s", body.get("sender"), refusal.error)
        reply = refusal_reply(refusal) or {}
        headers = {"Retry-After": str(refusal.retry_after)} if refusal.retry_after else None
        return response.json({"error": refusal.error, "message": reply.get("text"),
                              "max_chars": self.limits.max_chars, "custom": reply.get("custom")},
                             status=refusal.status, headers=headers)
