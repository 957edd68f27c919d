"""CSV exports of conversations (their summaries) and escalations for a date range."""
from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Optional

from sqlalchemy import select

from bot.db import ConversationSummary, Escalation, session_scope


def _range(column, date_from: Optional[dt.date], date_to: Optional[dt.date]):
    conditions = []
    if date_from:
        conditions.append(column >= dt.datetime.combine(date_from, dt.time.min))
    if date_to:
        conditions.append(column < dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min))
    return conditions


def _csv(header, rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        # A cell starting with = + - @ is a formula to a spreadsheet: quote it as text.
        writer.writerow(["'" + v if isinstance(v, str) and v[:1] in "=+-@" else v for v in row])
    return out.getvalue()


def _time(value: Optional[dt.datetime]) -> str:
    return value.isoformat(timespec="seconds") + "Z" if value else ""


def conversations_csv(date_from: Optional[dt.date] = None, date_to: Optional[dt.date] = None,
                      url: Optional[str] = None) -> str:
    query = (select(ConversationSummary)
             .where(*_range(ConversationSummary.last_at, date_from, date_to))
             .order_by(ConversationSummary.started_at))
    with session_scope(url) as session:
        rows = [(s.sender_id, s.channel or "", _time(s.started_at), _time(s.last_at),
                 s.user_messages, " ".join(s.topics.split()), "yes" if s.escalated else "no",
                 s.severity or "", s.fallbacks,
                 "" if s.min_confidence is None else round(s.min_confidence, 3))
                for s in session.execute(query).scalars()]
    return _csv(["conversation", "channel", "started_utc", "last_message_utc", "user_messages",
                 "topics", "escalated", "severity", "fallbacks", "lowest_confidence"], rows)


def escalations_csv(date_from: Optional[dt.date] = None, date_to: Optional[dt.date] = None,
                    url: Optional[str] = None) -> str:
    query = (select(Escalation).where(*_range(Escalation.created_at, date_from, date_to))
             .order_by(Escalation.created_at))
    with session_scope(url) as session:
        rows = [(e.id, _time(e.created_at), e.conversation_id, e.kind, e.severity or "",
                 " ".join(e.symptoms or []), e.input_channel or "", e.message, e.status,
                 e.acknowledged_by or "", _time(e.acknowledged_at), e.closed_by or "",
                 _time(e.closed_at), e.note or "")
                for e in session.execute(query).scalars()]
    return _csv(["id", "reported_utc", "conversation", "kind", "severity", "symptoms", "channel",
                 "message", "status", "acknowledged_by", "acknowledged_utc", "resolved_by",
                 "resolved_utc", "note"], rows)
