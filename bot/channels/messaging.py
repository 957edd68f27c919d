"""What the messaging-app channels (bot.channels.telegram, .whatsapp, .messenger) share.

- `MessagingOutput` holds a turn's bot messages and then sends them rendered for the app
  (bot.channels.text_replies), escalations first. Rasa's own output channels would send
  our reply contract (the `custom` payload) as raw JSON, or fail on it.
- `guarded` applies the project's limits and always-reply guard, like the REST and
  socket.io channels: a message over the size limit or the sender's rate limit gets the
  static refusal reply (a long one reporting a red flag is read, cut to the limit), and
  every message gets a reply.
- `Choices` remembers the numbered buttons sent to a patient, so that replying "2"
  means the second one.
- `MessagingInputParts`: what the three input channels share (settings, limits, choices,
  an output channel only when configured, the webhook blueprint with its health route).
- `run_to_end` finishes a turn whose webhook request was cut off.
- `post` calls an app's API; a failure is logged, never raised into Rasa.
- Webhook helpers: reading a body that may not be JSON or lack fields, and the 403 and
  "ignored" answers.

Text and sender ids reach Rasa as bot.channels.incoming makes them (`readable`, outermost
in `guarded`): no lone surrogates or control characters, no leading "/".
"""
from __future__ import annotations

import asyncio
import json
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set, Text, Tuple

import aiohttp
from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

from bot.channels.guard import always_reply
from bot.channels.incoming import patient_text, readable
from bot.channels.limits import MessageLimits, within_limits
from bot.channels.platform_settings import PlatformSettings
from bot.channels.text_replies import TextMessage, buttons_of, escalations_first, render

logger = logging.getLogger(__name__)

API_TIMEOUT = aiohttp.ClientTimeout(total=20)
MAX_REMEMBERED_CHOICES = 10_000  # patients whose last numbered buttons are kept


@dataclass(frozen=True)
class Incoming:
    """A patient's message as the channels read it from an app's webhook."""
    sender_id: str  # the conversation: "telegram:<chat id>", "whatsapp:+44…", "messenger:<PSID>"
    text: str       # "" for a message without text (a photo, a sticker): the bot still answers


def as_dict(value: Any) -> dict:
    """`value` when it is a JSON object, else {} (for payloads that lack a field)."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    """`value` when it is a JSON array, else [] (for payloads with a field of another type)."""
    return value if isinstance(value, list) else []


def json_body(body: bytes) -> Any:
    """The request body's JSON, or None when it is not JSON (also when nested too deeply
    for Python's parser: 10,000 "[" raise RecursionError, not ValueError)."""
    try:
        return json.loads(body or b"")
    except (ValueError, RecursionError):
        return None


def ignored(reason: str) -> response.HTTPResponse:
    """200 for a request with no patient message in it, so the app does not send it again."""
    return response.json({"status": "ignored", "reason": reason})


def forbidden(app: str, header: str) -> response.HTTPResponse:
    logger.warning("Refused a %s webhook request: missing or wrong %s", app, header)
    return response.json({"error": "forbidden", "message": f"Missing or wrong {header}."},
                         status=403)


class Choices:
    """The buttons last sent as a numbered list to each patient (this process only)."""

    def __init__(self, limit: int = MAX_REMEMBERED_CHOICES) -> None:
        self.limit = limit
        self._by_patient: "OrderedDict[str, List[dict]]" = OrderedDict()

    def remember(self, patient: str, buttons: List[dict]) -> None:
        """The numbered buttons just sent, or [] when the last message had none."""
        self._by_patient.pop(patient, None)
        if buttons:
            self._by_patient[patient] = buttons
            while len(self._by_patient) > self.limit:
                self._by_patient.popitem(last=False)

    def resolve(self, patient: str, text: str) -> str:
        """The chosen button's payload when `text` is just the number of one; else `text`."""
        buttons = self._by_patient.get(patient) or []
        number = text.strip().rstrip(".")
        if number.isdigit() and 1 <= int(number) <= len(buttons):
            return str(buttons[int(number) - 1]["payload"])
        return text


class MessagingOutput(OutputChannel):
    """Sends bot messages to one app, each rendered as the app's text messages.

    While `holding` (during a turn), messages wait for `flush`, which sends escalations
    first; afterwards (or when created with holding=False) each is sent at once.
    Subclasses set `max_chars`, `shows_buttons` and `send`.
    """

    max_chars: int

    def __init__(self, settings: PlatformSettings, choices: Choices, holding: bool = True) -> None:
        self.settings = settings
        self.choices = choices
        self.holding = holding
        self._held: List[Tuple[Text, Dict[Text, Any]]] = []

    def shows_buttons(self, buttons: List[dict]) -> bool:
        """Whether the app can show these buttons as buttons (else: a numbered list)."""
        return False

    async def send(self, recipient_id: Text, message: TextMessage) -> None:
        raise NotImplementedError

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        if self.holding:
            self._held.append((recipient_id, dict(message)))
        else:
            await self._send_all(recipient_id, [dict(message)])

    async def flush(self) -> None:
        """Sends the held messages, escalations first, and stops holding."""
        self.holding = False
        held, self._held = self._held, []
        for recipient_id in dict.fromkeys(recipient for recipient, _ in held):
            await self._send_all(recipient_id, [m for r, m in held if r == recipient_id])

    async def _send_all(self, recipient_id: Text, messages: List[Dict[Text, Any]]) -> None:
        for message in escalations_first(messages):
            parts = render(message, self.max_chars, self.shows_buttons)
            if not parts:
                continue
            buttons = buttons_of(message)
            self.choices.remember(recipient_id, [] if parts[-1].buttons else buttons)
            for part in parts:
                await self.send(recipient_id, part)


def guarded(on_new_message: Callable[[UserMessage], Awaitable[Any]],
            limits: Optional[MessageLimits] = None) -> Callable[[UserMessage], Awaitable[Any]]:
    """The project's limits and always-reply guard around Rasa's message handler, which
    reads the text and sender id as bot.channels.incoming makes them."""
    return readable(within_limits(always_reply(on_new_message), limits or MessageLimits()))


class MessagingInputParts:
    """Mixed into each app's input channel (before Rasa's class): its settings from the
    environment, the message limits, the patients' numbered choices, an output channel only
    when the app is configured, and a blueprint whose "/" answers whether it is."""

    output_class: type  # the app's MessagingOutput

    def use(self, settings: PlatformSettings, limits: Optional[MessageLimits]) -> None:
        self.settings = settings
        self.limits = limits
        self.choices = Choices()

    def get_output_channel(self) -> Optional[MessagingOutput]:
        if not self.settings.configured:
            return None
        return self.output_class(self.settings, self.choices, holding=False)

    def new_output(self) -> MessagingOutput:
        """An output channel for one turn: holds its messages until the turn is done."""
        return self.output_class(self.settings, self.choices)

    def webhook_blueprint(self, name: str, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                          ) -> Tuple[Blueprint, Callable[[UserMessage], Awaitable[Any]]]:
        """The app's blueprint with its health route, and Rasa's handler with our limits
        and always-reply guard."""
        blueprint = Blueprint(name, __name__)
        self.settings.log_state()

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> response.HTTPResponse:
            if not self.settings.configured:
                return self.settings.not_configured()
            return response.json({"status": "ok"})

        return blueprint, guarded(on_new_message, self.limits)


_running: Set["asyncio.Future[Any]"] = set()  # turns kept alive after their request ended


async def run_to_end(turns: Awaitable[Any]) -> None:
    """Runs `turns` to the end even when the app hangs up or the request times out (Sanic
    then cancels the request's handler): the message is answered and an escalation
    recorded all the same."""
    task = asyncio.ensure_future(turns)
    _running.add(task)
    task.add_done_callback(_running.discard)
    await asyncio.shield(task)


async def handle_turn(handle: Callable[[UserMessage], Awaitable[Any]], output: MessagingOutput,
                      incoming: Incoming, input_channel: str) -> None:
    """One patient message through the bot (a number chosen from a list read as that
    choice), then its replies sent. Never raises: the app would send the message again,
    and the patient has had the guard's reply."""
    sender_id = incoming.sender_id
    text = patient_text(output.choices.resolve(sender_id, incoming.text))
    try:
        await handle(UserMessage(text, output, sender_id, input_channel=input_channel))
    except Exception:
        logger.exception("Handling a %s message of %s failed", input_channel, sender_id)
    finally:
        try:
            await output.flush()
        except Exception:
            logger.exception("Sending the replies to %s on %s failed", sender_id, input_channel)


async def post(app: str, url: str, **kwargs: Any) -> Optional[Any]:
    """POST to an app's API (aiohttp arguments: json=, data=, params=, auth=). The
    answer's JSON, or None (logged) when the call failed."""
    try:
        async with aiohttp.ClientSession(timeout=API_TIMEOUT) as session:
            async with session.post(url, **kwargs) as answer:
                if answer.status >= 300:
                    logger.error("%s API answered %s: %s", app, answer.status,
                                 (await answer.text())[:300])
                    return None
                return await answer.json(content_type=None)
    except (aiohttp.ClientError, ValueError, asyncio.TimeoutError) as error:
        logger.error("%s API could not be reached: %r", app, error)
        return None
