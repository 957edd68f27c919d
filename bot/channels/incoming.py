"""A patient's message as every channel (REST, socket.io, Telegram, WhatsApp, Messenger)
hands it on to Rasa: text and a conversation id that Rasa can read, store and answer.

- Lone UTF-16 surrogates ("\\ud800": JSON allows them, and Python's json reads raw bytes
  ED A0 80 as one) become U+FFFD. UTF-8 cannot hold them: spaCy, and with it the
  red-flag detector, raised on them, so a red flag with one in it was never escalated;
  in a conversation id, Rasa's SQL tracker store took the UnicodeEncodeError (a
  ValueError) for a missing PostgreSQL schema and stopped the whole server.
- Control characters become spaces (tab and line breaks stay): PostgreSQL refuses NUL
  in text, and "bleeding\\x00heavily" still reads as two words.
- A leading "/" is dropped from the text, again until none is left ("/ /x" too): Rasa
  reads "/name", "/name{...}" or "/name@0.9" as the intent it names, over what the NLU
  pipeline (and with it the red-flag detector) found, so anyone could force an
  escalation, or any other intent. A command such as Telegram's "/help" becomes "help".
"""
from __future__ import annotations

import re
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import UserMessage

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """`text` with lone surrogates as U+FFFD and control characters as spaces."""
    if _SURROGATE.search(text):  # a well-formed pair (from "\\ud83d\\ude00") is joined
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return _CONTROL.sub(" ", text)


def patient_text(text: Optional[str]) -> str:
    """The patient's text as the bot may read it: clean, trimmed, no leading "/"."""
    text = clean_text(text or "").strip()
    while text.startswith("/"):
        text = text.lstrip("/").strip()
    return text


def conversation_id(sender: Any) -> str:
    """The sender id as Rasa may store it."""
    return clean_text(str(sender))


def readable(on_new_message: Callable[[UserMessage], Awaitable[Any]],
             ) -> Callable[[UserMessage], Awaitable[Any]]:
    """Rasa's message handler, given the patient's text and conversation id as above.
    Outermost in each channel: the size limit already reads the text for red flags."""

    async def handle(message: UserMessage) -> Any:
        message.text = patient_text(message.text if isinstance(message.text, str) else None)
        message.sender_id = conversation_id(message.sender_id)
        return await on_new_message(message)

    return handle
