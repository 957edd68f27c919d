"""socket.io channel that can carry the reply contract.

Rasa 3.6's SocketIOOutput sends a custom payload as `emit(event, **payload)`, which
fails for a payload such as {"topic": ..., "escalate": ...}. This channel emits it as
one message {"custom": payload}, the same shape the REST channel returns. Like our REST
channel, it always replies (bot.channels.guard), and a message over the size limit or the
sender's rate limit gets the static refusal reply instead of an answer (bot.channels.limits).
The bot reads the text and session id as bot.channels.incoming makes them.

Bad input never gets a 5xx or a request left hanging: python-engineio 4.7 fails (HTTP
500) on a POST without a session id, so an engine.io request it cannot handle is
answered 400; a polling POST whose payload it would refuse (not UTF-8, too long, a packet
no client sends) is answered 400 before it reads it, because on such a payload engineio
closes the session and holds the POST until the client polls for the close (it never
answers a client that does not poll); and events whose data is not what Rasa's handlers
read (an object with a string "message" and "session_id") are ignored with a warning
instead of failing in Rasa.
"""
from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, response

from bot.channels.guard import always_reply
from bot.channels.incoming import conversation_id, readable
from bot.channels.limits import MessageLimits, within_limits
from bot.channels.origins import OriginPolicy

logger = logging.getLogger(__name__)

Handler = Callable[..., Awaitable[Any]]


class ContractSocketIOOutput(SocketIOOutput):
    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any],
                               **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


# Engine.IO 4 packet types a client sends in a polling POST: close, pong, message, upgrade
# ("b": a binary message, base64).
CLIENT_PACKETS = ("1", "3", "4", "5", "b")


def acceptable_payload(body: bytes, max_size: int) -> bool:
    """Whether engineio can take this polling POST body without closing the session."""
    if len(body) > max_size:
        return False
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(packet[:1] in CLIENT_PACKETS for packet in text.split("\x1e"))


def answering_bad_requests(handle_request: Handler, max_size: int) -> Handler:
    """engine.io's HTTP handler, answering 400 to a request it would fail on (a 500) or
    hold without an answer."""

    async def handle(request, *args: Any, **kwargs: Any) -> Any:
        if request.method == "POST" and not (
                request.args.get("sid") and acceptable_payload(request.body or b"", max_size)):
            return response.text("Bad Request", status=400)
        try:
            return await handle_request(request, *args, **kwargs)
        except Exception:
            logger.warning("socket.io could not handle %s %s", request.method,
                           request.path, exc_info=True)
            return response.text("Bad Request", status=400)

    return handle


def session_id_of(data: Any) -> Optional[str]:
    """The session id in an event's data, as a conversation id; None if there is none."""
    session_id = data.get("session_id") if isinstance(data, dict) else None
    if isinstance(session_id, bool) or not isinstance(session_id, (str, int)):
        return None
    return conversation_id(session_id) or None


def checked_message(handle_message: Handler, metadata_key: str,
                    session_persistence: bool = True) -> Handler:
    """Rasa's user_uttered handler, for data it can read: an object with a string message
    (or none) and, with session persistence, a session id; metadata an object (or a JSON
    string of one), else left out."""

    async def handle(sid: str, data: Any = None, *_: Any) -> None:
        session_id = session_id_of(data)
        message = data.get("message", "") if isinstance(data, dict) else None
        if not isinstance(message, str) or (session_persistence and session_id is None):
            logger.warning("Ignored a socket.io message without a text and a session_id")
            return
        data = {**data, "session_id": session_id}
        metadata = data.get(metadata_key)
        if isinstance(metadata, str):
            try:
                metadata = json.loads(metadata)
            except ValueError:
                metadata = None
        if metadata_key in data:
            if isinstance(metadata, dict):
                data[metadata_key] = metadata
            else:
                del data[metadata_key]
        await handle_message(sid, data)

    return handle


def checked_session_request(session_request: Handler) -> Handler:
    """Rasa's session_request handler; a session id it cannot use is replaced by a new one."""

    async def handle(sid: str, data: Any = None, *_: Any) -> None:
        session_id = session_id_of(data)
        await session_request(sid, {"session_id": session_id} if session_id else None)

    return handle


class ContractSocketIOInput(SocketIOInput):
    def get_output_channel(self):
        channel = super().get_output_channel()
        if channel is None:
            return None
        return ContractSocketIOOutput(channel.sio, channel.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        handle = readable(within_limits(always_reply(on_new_message), MessageLimits()))

        async def with_contract_output(message: UserMessage) -> Any:
            channel = message.output_channel
            if isinstance(channel, SocketIOOutput) and not isinstance(channel, ContractSocketIOOutput):
                message.output_channel = ContractSocketIOOutput(channel.sio, channel.bot_message_evt)
            return await handle(message)

        blueprint = super().blueprint(with_contract_output)
        # Rasa turns python-engineio's origin check off (cors_allowed_origins=[]). Ours:
        # only pages of ALLOWED_ORIGINS connect. The CORS headers stay with Rasa's --cors
        # (Sanic-CORS); engineio adding its own would send them twice.
        self.sio.eio.cors_allowed_origins = OriginPolicy().allows
        self.sio.eio._cors_headers = lambda environ: []
        # Set before the blueprint is registered, when engineio adds its route.
        self.sio.eio.handle_request = answering_bad_requests(
            self.sio.eio.handle_request, self.sio.eio.max_http_buffer_size)
        handlers = self.sio.handlers[self.namespace or "/"]
        handlers[self.user_message_evt] = checked_message(
            handlers[self.user_message_evt], self.metadata_key, self.session_persistence)
        handlers["session_request"] = checked_session_request(handlers["session_request"])
        return blueprint
