"""Rasa's REST channel (same URL, /webhooks/rest/webhook) that always replies
(bot.channels.guard) and refuses a message over the size limit (HTTP 413, unless it
reports a red flag) or over the sender's rate limit (HTTP 429) with a clear error
(bot.channels.limits), a browser page whose origin is not configured (HTTP 403,
bot.channels.origins), and a body that is not {"sender": "...", "message": "..."} with
fields of the right types (HTTP 400: Rasa's own channel passed a number, a list or null
on, and answered 200 after failing on it). The bot reads the text and sender id as
bot.channels.incoming makes them (no lone surrogates, no control characters, no "/intent").
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from bot.channels.guard import always_reply
from bot.channels.incoming import conversation_id, patient_text, readable
from bot.channels.limits import MessageLimits, refusal_reply
from bot.channels.origins import OriginPolicy

logger = logging.getLogger(__name__)

USAGE = 'Send a JSON object: {"sender": "...", "message": "..."}.'
# The fields the channel reads, the JSON types each may have, and whether it must be there.
FIELDS = {"message": ((str,), "a string", True), "sender": ((str, int), "a string", False),
          "metadata": ((dict,), "an object", False), "input_channel": ((str,), "a string", False)}


def bad_request(message: str) -> response.HTTPResponse:
    return response.json({"error": "bad_request", "message": message}, status=400)


def malformed(body: dict) -> Optional[str]:
    """What is wrong with the fields of a JSON object sent to the webhook, or None."""
    for name, (types, described, required) in FIELDS.items():
        value = body.get(name)
        if value is None and not required:
            continue
        if not isinstance(value, types) or isinstance(value, bool):
            return f'"{name}" must be {described}. {USAGE}'
    return None


class GuardedRestInput(RestInput):
    def __init__(self, limits: Optional[MessageLimits] = None,
                 origins: Optional[OriginPolicy] = None) -> None:
        self.limits = limits or MessageLimits()
        self.origins = origins or OriginPolicy()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(always_reply(readable(on_new_message)))
        blueprint.middleware("request")(self.refuse_over_limits)
        return blueprint

    async def refuse_over_limits(self, request: Request) -> Optional[response.HTTPResponse]:
        """A 400, 403, 413 or 429 answer for a message that must not reach the bot; else None."""
        # Sanic routes "/webhooks/rest/webhook/" here too: without rstrip, a trailing slash
        # skipped the origin policy and both limits.
        if request.method != "POST" or not request.path.rstrip("/").endswith("/webhook"):
            return None
        refused = self.origins.refused(request)
        if refused is not None:
            return refused
        try:
            body = request.json
        except InvalidUsage:
            return None  # Sanic answers 400 for a body that is not JSON
        if not isinstance(body, dict):
            return bad_request(USAGE)
        problem = malformed(body)
        if problem is not None:
            return bad_request(problem)
        # What Rasa reads from the body (its handler reads the same parsed object).
        message = body["message"] = patient_text(body["message"])
        if body.get("sender") is not None:
            body["sender"] = conversation_id(body["sender"])
        refusal = self.limits.check(body.get("sender"), message)
        if refusal is None:
            if len(message) > self.limits.max_chars:
                body["message"] = self.limits.cut(message)  # a red flag: read its first part
            return None
        logger.warning("Refused a REST message of %s: %s", body.get("sender"), refusal.error)
        reply = refusal_reply(refusal) or {}
        headers = {"Retry-After": str(refusal.retry_after)} if refusal.retry_after else None
        return response.json({"error": refusal.error, "message": reply.get("text"),
                              "max_chars": self.limits.max_chars, "custom": reply.get("custom")},
                             status=refusal.status, headers=headers)
