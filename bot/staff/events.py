"""Reading Rasa's tracker events (the SQL tracker store's `events` table), which hold
every conversation: user messages with their parse data, bot messages with the reply
contract."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Iterable, List, Optional

from sqlalchemy import MetaData, Table, inspect, select
from sqlalchemy.engine import Engine

from bot.db import get_engine

SEVERITY_ORDER = {"emergency": 2, "urgent": 1}


def events_table(engine: Engine) -> Optional[Table]:
    """Rasa's events table, or None before the assistant has stored a conversation."""
    if not inspect(engine).has_table("events"):
        return None
    return Table("events", MetaData(), autoload_with=engine)


def as_time(timestamp: Optional[float]) -> Optional[dt.datetime]:
    if timestamp is None:
        return None
    return dt.datetime.fromtimestamp(float(timestamp), dt.timezone.utc).replace(tzinfo=None)


@dataclass
class Turn:
    """One user or bot message of a transcript."""
    event_id: int
    kind: str  # "user" | "bot"
    at: Optional[dt.datetime]
    text: str
    intent: Optional[str] = None
    confidence: Optional[float] = None
    symptoms: List[str] = field(default_factory=list)
    red_flag_severity: Optional[str] = None
    topic: Optional[str] = None
    answer_id: Optional[str] = None
    severity: Optional[str] = None
    escalate: bool = False
    basis: Optional[str] = None
    channel: Optional[str] = None


def turn_from_row(event_id: int, type_name: str, timestamp: float, data: str) -> Optional[Turn]:
    """A user or bot message from a row of the events table; None for other events."""
    if type_name not in ("user", "bot"):
        return None
    try:
        event = json.loads(data or "{}")
    except ValueError:
        return None
    if type_name == "user":
        parse = event.get("parse_data") or {}
        intent = parse.get("intent") or {}
        red_flag = parse.get("red_flag") or {}
        return Turn(event_id, "user", as_time(timestamp), event.get("text") or "",
                    intent=intent.get("name"), confidence=intent.get("confidence"),
                    symptoms=list(red_flag.get("symptoms") or []),
                    red_flag_severity=red_flag.get("severity") if red_flag.get("escalate") else None,
                    channel=event.get("input_channel"))
    custom = ((event.get("data") or {}).get("custom")) or {}
    if not isinstance(custom, dict):
        custom = {}
    return Turn(event_id, "bot", as_time(timestamp), event.get("text") or "",
                topic=custom.get("topic"), answer_id=custom.get("answer_id"),
                severity=custom.get("severity"), escalate=bool(custom.get("escalate")),
                basis=custom.get("basis"), confidence=custom.get("confidence"))


def transcript(sender_id: str, url: Optional[str] = None) -> List[Turn]:
    """The conversation's messages in order (each bot message's contract; each user
    message's intent, confidence and detected symptoms)."""
    engine = get_engine(url)
    table = events_table(engine)
    if table is None:
        return []
    query = (select(table.c.id, table.c.type_name, table.c.timestamp, table.c.data)
             .where(table.c.sender_id == sender_id, table.c.type_name.in_(("user", "bot")))
             .order_by(table.c.id))
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [turn for turn in (turn_from_row(*row) for row in rows) if turn is not None]


def model_answers(turns: Iterable[Turn]) -> List[Turn]:
    return [t for t in turns if t.kind == "bot" and t.basis == "model"]
