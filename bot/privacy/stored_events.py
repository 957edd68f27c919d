"""Rasa events in the form they are stored: a user message with its personal details
redacted (bot.privacy.redaction).

The tracker store writes `stored_form(event)` instead of the event itself, so the running
turn (which has already been answered from the original) is untouched. Changed in the copy:
the text, the parse data's text, the offsets of entities and tokens (moved to the redacted
text), an entity's value and text where they came from a redacted detail, and the words of
the safety layer's findings. Kept: intent, confidence and ranking, entities such as
gestational_week, the red-flag decision. Bot messages are stored as sent (they hold the
clinic's numbers, not the patient's).
"""
from __future__ import annotations

import copy
from typing import Any, Dict, List

from rasa.shared.core.events import Event, UserUttered

from bot.privacy.redaction import Redacted, redaction


def _entity(entity: Dict[str, Any], redacted: Redacted) -> Dict[str, Any]:
    entity = dict(entity)
    start, end = entity.get("start"), entity.get("end")
    if isinstance(start, int) and isinstance(end, int):
        entity["start"], entity["end"] = redacted.position(start), redacted.position(end, end=True)
        if redacted.overlaps(start, end):
            entity["value"] = redacted.text[entity["start"]:entity["end"]]
    for key in ("value", "text"):
        if isinstance(entity.get(key), str):
            entity[key] = redacted.scrub(entity[key])
    return entity


def _tokens(tokens: List[List[int]], redacted: Redacted) -> List[List[int]]:
    """Token offsets moved to the redacted text; the words of one detail become its marker."""
    moved: List[List[int]] = []
    for start, end in tokens:
        token = [redacted.position(start), redacted.position(end, end=True)]
        if moved and moved[-1][0] == token[0]:
            moved[-1][1] = max(moved[-1][1], token[1])
        else:
            moved.append(token)
    return moved


def redacted_parse_data(parse_data: Dict[str, Any], redacted: Redacted) -> Dict[str, Any]:
    """A copy of a message's parse data that says nothing of the redacted details."""
    data = copy.deepcopy(parse_data)
    if "text" in data:
        data["text"] = redacted.text
    if data.get("entities"):
        data["entities"] = [_entity(e, redacted) for e in data["entities"]]
    if data.get("text_tokens"):
        data["text_tokens"] = _tokens(data["text_tokens"], redacted)
    for finding in (data.get("red_flag") or {}).get("findings") or []:
        if isinstance(finding.get("text"), str):
            finding["text"] = redacted.scrub(finding["text"])
    return data


def stored_form(event: Event) -> Event:
    """The event as it may be stored: a redacted copy of a user message that holds
    personal details, any other event as it is."""
    if not isinstance(event, UserUttered) or not event.text:
        return event
    redacted = redaction(event.text)
    if not redacted.changed:
        return event
    stored = copy.copy(event)
    stored.text = redacted.text
    stored.entities = [_entity(e, redacted) for e in event.entities]
    stored.parse_data = redacted_parse_data(event.parse_data, redacted)
    return stored
