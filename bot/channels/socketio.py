"""socket.io channel that can carry the reply contract.

Rasa 3.6's SocketIOOutput sends a custom payload as `emit(event, **payload)`, which
fails for a payload such as {"topic": ..., "escalate": ...}. This channel emits it as
one message {"custom": payload}, the same shape the REST channel returns. Like our REST
channel, it always replies (bot.channels.guard), and a message over the size limit or the
sender's rate limit gets the static refusal reply instead of an answer (bot.channels.limits).
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from bot.channels.guard import always_reply
from bot.channels.limits import MessageLimits, within_limits
from bot.channels.origins import OriginPolicy


class ContractSocketIOOutput(SocketIOOutput):
    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any],
                               **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class ContractSocketIOInput(SocketIOInput):
    def get_output_channel(self):
        channel = super().get_output_channel()
        if channel is None:
            return None
        return ContractSocketIOOutput(channel.sio, channel.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        handle = within_limits(always_reply(on_new_message), MessageLimits())

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
        return blueprint
