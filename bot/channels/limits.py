"""Limits the public channels put on every message before the bot reads it: a size limit
(the red-flag detector reads 5,000 characters) and a rate limit per sender (a sliding
minute).

Safety first: a message over the size limit whose first 5,000 characters report a red
flag is not refused but cut to the limit and answered, so the escalation is sent and
recorded; any other message over the limit is refused.

A refused message gets the static reply of domain.yml (`utter_message_too_long` or
`utter_too_many_messages`), which tells the patient to call the emergency number now if
they have a red-flag symptom. REST answers it with HTTP 413 or 429 and that reply as a
clear error; socket.io sends the reply as a bot message.

The rate limit counts per Rasa process; several instances each apply it.
"""
from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Deque, Dict, Optional

from bot.settings import max_message_chars, messages_per_minute

WINDOW_SECONDS = 60.0
MAX_TRACKED_SENDERS = 100_000  # the oldest are forgotten beyond this


@dataclass(frozen=True)
class Refusal:
    status: int          # HTTP status for REST: 413 or 429
    error: str           # "message_too_long" or "too_many_messages"
    response: str        # the static response in domain.yml to send instead
    retry_after: Optional[int] = None


TOO_LONG = Refusal(413, "message_too_long", "utter_message_too_long")


class RateLimiter:
    """At most `per_minute` messages per sender in any 60 s window."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic):
        self.per_minute = per_minute
        self.clock = clock
        self._seen: Dict[str, Deque[float]] = {}

    def allow(self, sender: str) -> Optional[int]:
        """None when the message may go on; else the seconds to wait."""
        now = self.clock()
        times = self._seen.get(sender)
        if times is None:
            if len(self._seen) >= MAX_TRACKED_SENDERS:
                self._seen.pop(next(iter(self._seen)))
            times = self._seen[sender] = deque()
        while times and now - times[0] >= WINDOW_SECONDS:
            times.popleft()
        if len(times) >= self.per_minute:
            return max(1, int(WINDOW_SECONDS - (now - times[0])) + 1)
        times.append(now)
        return None


class MessageLimits:
    def __init__(self, max_chars: Optional[int] = None, per_minute: Optional[int] = None,
                 clock: Callable[[], float] = time.monotonic):
        self.max_chars = max_chars or max_message_chars()
        self.rate = RateLimiter(per_minute or messages_per_minute(), clock)

    def cut(self, text: Optional[str]) -> Optional[str]:
        """The first `max_chars` characters: what the bot reads of a long message that
        `check` let through (it reports a red flag)."""
        return text if text is None else text[:self.max_chars]

    def fitted(self, text: Optional[str]) -> Optional[str]:
        """The text the bot may read: as sent; cut to the limit when it is too long but
        reports a red flag; None when it is too long and must be refused."""
        if text is None or len(text) <= self.max_chars:
            return text
        cut = text[:self.max_chars]
        return cut if reports_red_flag(cut) else None

    def check(self, sender: Optional[str], text: Optional[str]) -> Optional[Refusal]:
        """Why this message is refused, or None. A too-long message does not count
        against the sender's rate."""
        if text is not None and len(text) > self.max_chars and self.fitted(text) is None:
            return TOO_LONG
        wait = self.rate.allow(str(sender or ""))
        if wait is not None:
            return Refusal(429, "too_many_messages", "utter_too_many_messages", retry_after=wait)
        return None


def reports_red_flag(text: str) -> bool:
    from bot.safety.detector import get_detector

    return get_detector().detect(text).escalate


def refusal_reply(refusal: Refusal) -> Optional[dict]:
    """The static bot message for a refusal ({"text", "custom"}), from domain.yml."""
    from bot.channels.guard import static_reply

    return static_reply(refusal.response)


def within_limits(on_new_message: Callable[[Any], Awaitable[Any]], limits: MessageLimits,
                  ) -> Callable[[Any], Awaitable[Any]]:
    """For channels that answer through an output channel (socket.io): a refused message
    gets the static refusal reply and is not passed on to the bot."""

    async def handle(message) -> Any:
        refusal = limits.check(message.sender_id, message.text)
        if refusal is None:
            message.text = limits.cut(message.text)
            return await on_new_message(message)
        reply = refusal_reply(refusal)
        if reply is not None:
            await message.output_channel.send_response(message.sender_id, dict(reply))
        return None

    return handle
