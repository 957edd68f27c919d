"""Every user message gets a reply: when the bot sent nothing (the action server is
down, or handling the message failed), the channel sends the static "cannot answer right
now" reply, with the clinic's numbers, from domain.yml.

Red flags never depend on this: their replies are static and come from Rasa itself.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import OutputChannel, UserMessage

from bot.settings import DOMAIN_PATH

logger = logging.getLogger(__name__)
UNAVAILABLE_RESPONSE = "utter_service_unavailable"


class CountingOutputChannel(OutputChannel):
    """Passes every bot message on to the real channel and counts them."""

    def __init__(self, inner: OutputChannel):
        self.inner = inner
        self.sent = 0

    def name(self) -> Text:
        return self.inner.name()

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)


def static_reply(name: str) -> Optional[dict]:
    """A static response of domain.yml as a bot message ({"text", "custom"})."""
    from bot.domain_sync import static_response

    try:
        return static_response(name, DOMAIN_PATH)
    except (OSError, LookupError, KeyError, ValueError):
        logger.exception("No static reply '%s' in domain.yml", name)
        return None


def unavailable_reply() -> Optional[dict]:
    return static_reply(UNAVAILABLE_RESPONSE)


def always_reply(on_new_message: Callable[[UserMessage], Awaitable[Any]],
                 ) -> Callable[[UserMessage], Awaitable[Any]]:
    reply = unavailable_reply()  # read once, when the channel is set up

    async def handle(message: UserMessage) -> Any:
        counting = CountingOutputChannel(message.output_channel)
        message.output_channel = counting
        try:
            return await on_new_message(message)
        finally:
            if counting.sent == 0 and reply is not None:
                logger.warning("No reply for a message of %s; sent the 'cannot answer' reply",
                               message.sender_id)
                await counting.inner.send_response(message.sender_id, dict(reply))

    return handle
