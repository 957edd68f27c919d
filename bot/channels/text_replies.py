"""Bot messages as the plain-text messages of the messaging apps (Telegram, WhatsApp
through Twilio, Facebook Messenger). Pure functions: no Rasa, no network.

One bot message is {"text", "custom": reply contract, maybe "buttons"}. On a text-only
app it becomes one or more texts, in order:

- an escalation (severity "emergency" or "urgent") first, with a heading line that makes
  it stand out, then the bot's own text (which gives the phone numbers);
- the sources as "title: url" lines (sources without a web address are left out);
- the buttons as a numbered list, unless the app shows them as buttons (then they go with
  the last text of the message);
- split to the app's limit on paragraph, line, sentence or word boundaries, never
  dropping text, so the heading and the start of the bot's text stay in the first part.

Every turn's escalations are sent before its other messages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, List, Optional, Sequence, Tuple

TELEGRAM_MAX_CHARS = 4096
WHATSAPP_MAX_CHARS = 1600
MESSENGER_MAX_CHARS = 2000

HEADINGS = {"emergency": "EMERGENCY – please act now:", "urgent": "URGENT – please act today:"}
SOURCES_LABEL = "Sources:"
CHOICES_LABEL = "Reply with a number:"

# Boundaries to split at, best first: after a paragraph, a line, a sentence, a word.
_BOUNDARIES = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"(?<=[.!?…])\s+"),
               re.compile(r"\s+"))


@dataclass(frozen=True)
class TextMessage:
    """One message for the app: its text and the buttons shown with it (if the app
    shows buttons; else they are in the text as a numbered list)."""
    text: str
    buttons: Tuple[dict, ...] = ()


def units(text: str) -> int:
    """Length as the apps count it, at most: UTF-16 code units (an emoji counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def escalation_severity(message: dict) -> Optional[str]:
    """"emergency" or "urgent" for an escalation of a red flag; else None."""
    custom = message.get("custom")
    if not isinstance(custom, dict) or not custom.get("escalate"):
        return None
    severity = custom.get("severity")
    return severity if severity in HEADINGS else None


def escalations_first(messages: Iterable[dict]) -> List[dict]:
    """The turn's messages with its escalations first, otherwise in order."""
    messages = list(messages)
    return ([m for m in messages if escalation_severity(m)]
            + [m for m in messages if not escalation_severity(m)])


def buttons_of(message: dict) -> List[dict]:
    """The message's buttons (or Rasa quick replies) that have a title and a payload."""
    buttons = message.get("buttons") or message.get("quick_replies") or []
    return [b for b in buttons if isinstance(b, dict) and b.get("title") and b.get("payload")]


def source_lines(message: dict) -> List[str]:
    """ "title: url" for each source with a web address."""
    custom = message.get("custom")
    sources = custom.get("sources") if isinstance(custom, dict) else None
    lines = []
    for source in sources or []:
        url = str(source.get("url") or "") if isinstance(source, dict) else ""
        if url.startswith(("https://", "http://")):
            title = str(source.get("title") or "").strip()
            lines.append(f"{title}: {url}" if title else url)
    return lines


def numbered_choices(buttons: Sequence[dict]) -> str:
    return "\n".join([CHOICES_LABEL] + [f"{i}. {b['title']}" for i, b in enumerate(buttons, 1)])


def message_text(message: dict, numbered: bool) -> str:
    """The whole text of one bot message: escalation heading, text, sources, and the
    buttons as a numbered list when `numbered`."""
    severity = escalation_severity(message)
    head = [HEADINGS[severity]] if severity else []
    body = str(message.get("text") or "").strip()
    paragraphs = ["\n".join(head + ([body] if body else []))]
    sources = source_lines(message)
    if sources:
        paragraphs.append("\n".join([SOURCES_LABEL] + sources))
    buttons = buttons_of(message)
    if numbered and buttons:
        paragraphs.append(numbered_choices(buttons))
    return "\n\n".join(p for p in paragraphs if p)


def render(message: dict, max_chars: int,
           shows_buttons: Callable[[List[dict]], bool] = lambda buttons: False,
           ) -> List[TextMessage]:
    """One bot message as the app's messages, each at most `max_chars` long. The buttons
    go with the last one when `shows_buttons(buttons)`; else they are a numbered list."""
    buttons = buttons_of(message)
    attached = bool(buttons) and shows_buttons(buttons)
    parts = split_text(message_text(message, numbered=not attached), max_chars)
    if not parts:
        return []
    last = TextMessage(parts[-1], tuple(buttons) if attached else ())
    return [TextMessage(part) for part in parts[:-1]] + [last]


def split_text(text: str, max_chars: int) -> List[str]:
    """`text` in parts of at most `max_chars` (UTF-16 units), cut at the best boundary
    in the second half of the limit (a paragraph, a line, a sentence, a word), else at
    any word boundary, else (one very long word) anywhere. Only the whitespace where it
    is cut is left out."""
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    parts = []
    rest = text.strip()
    while rest:
        if units(rest) <= max_chars:
            parts.append(rest)
            break
        cut, resume = _cut(rest, _fit(rest, max_chars))
        parts.append(rest[:cut].rstrip())
        rest = rest[resume:].lstrip()
    return parts


def _fit(text: str, max_chars: int) -> int:
    """How many characters of `text` fit in `max_chars` UTF-16 units (at least one, so
    that splitting always goes on)."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > max_chars:
            return max(1, index)
    return len(text)


def _cut(text: str, fit: int) -> Tuple[int, int]:
    """Where the first part ends and where the next starts, for a text longer than `fit`."""
    window = text[:fit + 1]  # a boundary right after the last character that fits counts
    for pattern in _BOUNDARIES:
        gaps = [m for m in pattern.finditer(window) if 0 < m.start() <= fit]
        if gaps and (gaps[-1].start() >= fit // 2 or pattern is _BOUNDARIES[-1]):
            return gaps[-1].start(), gaps[-1].end()
    return fit, fit
