"""One summary row per conversation (bot.db.ConversationSummary), brought up to date
from Rasa's events table incrementally (from the last event read), so the staff app lists
and filters 10,000s of conversations without reading every event each time."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import List, Optional, Tuple

from sqlalchemy import func, or_, select

from bot.db import ConversationSummary, SummaryProgress, get_engine, session_scope
from bot.staff.events import SEVERITY_ORDER, events_table, turn_from_row

BATCH = 5000
LOW_CONFIDENCE = 0.5  # "low confidence": a model answer below this


def refresh(url: Optional[str] = None) -> int:
    """Read the events stored since the last refresh into the summaries; the number read."""
    engine = get_engine(url)
    table = events_table(engine)
    if table is None:
        return 0
    read = 0
    while True:
        with session_scope(url) as session:
            progress = session.get(SummaryProgress, 1) or SummaryProgress(id=1, last_event_id=0)
            session.add(progress)
            rows = session.execute(
                select(table.c.id, table.c.sender_id, table.c.type_name, table.c.timestamp,
                       table.c.data)
                .where(table.c.id > progress.last_event_id,
                       table.c.type_name.in_(("user", "bot")))
                .order_by(table.c.id).limit(BATCH)).all()
            if not rows:
                return read
            _apply(session, rows)
            progress.last_event_id = rows[-1][0]
            read += len(rows)


def _apply(session, rows) -> None:
    senders = {row[1] for row in rows}
    existing = {s.sender_id: s for s in session.execute(
        select(ConversationSummary).where(ConversationSummary.sender_id.in_(senders))).scalars()}
    for event_id, sender_id, type_name, timestamp, data in rows:
        turn = turn_from_row(event_id, type_name, timestamp, data)
        if turn is None:
            continue
        summary = existing.get(sender_id)
        if summary is None:
            summary = ConversationSummary(sender_id=sender_id, user_messages=0, topics=" ",
                                          escalated=False, fallbacks=0, search_text="")
            session.add(summary)
            existing[sender_id] = summary
        if turn.at is not None:
            summary.started_at = min(filter(None, [summary.started_at, turn.at]))
            summary.last_at = max(filter(None, [summary.last_at, turn.at]))
        if turn.kind == "user":
            summary.user_messages += 1
            summary.channel = summary.channel or turn.channel
            summary.search_text = f"{summary.search_text}\n{turn.text.lower()}"
            continue
        if turn.topic and f" {turn.topic} " not in summary.topics:
            summary.topics = f"{summary.topics}{turn.topic} "
        if turn.topic == "fallback":
            summary.fallbacks += 1
        if turn.escalate:
            summary.escalated = True
            if SEVERITY_ORDER.get(turn.severity, 0) > SEVERITY_ORDER.get(summary.severity, 0):
                summary.severity = turn.severity
        if turn.basis == "model" and turn.confidence is not None:
            summary.min_confidence = (turn.confidence if summary.min_confidence is None
                                      else min(summary.min_confidence, turn.confidence))


@dataclass
class Filters:
    date_from: Optional[dt.date] = None
    date_to: Optional[dt.date] = None
    topic: Optional[str] = None
    escalated: bool = False
    fallback: bool = False
    low_confidence: bool = False
    search: str = ""


def find(filters: Filters, page: int = 1, per_page: int = 50,
         url: Optional[str] = None) -> Tuple[List[ConversationSummary], int]:
    """The conversations matching the filters, newest first: one page and the total."""
    query = select(ConversationSummary)
    if filters.date_from:
        query = query.where(ConversationSummary.last_at >= dt.datetime.combine(
            filters.date_from, dt.time.min))
    if filters.date_to:
        query = query.where(ConversationSummary.started_at < dt.datetime.combine(
            filters.date_to + dt.timedelta(days=1), dt.time.min))
    if filters.topic:
        query = query.where(ConversationSummary.topics.contains(f" {filters.topic} "))
    if filters.escalated:
        query = query.where(ConversationSummary.escalated.is_(True))
    if filters.fallback:
        query = query.where(ConversationSummary.fallbacks > 0)
    if filters.low_confidence:
        query = query.where(ConversationSummary.min_confidence < LOW_CONFIDENCE)
    for word in filters.search.lower().split()[:8]:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(or_(ConversationSummary.search_text.like(f"%{escaped}%", escape="\\"),
                                ConversationSummary.sender_id == word))
    with session_scope(url) as session:
        total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        rows = list(session.execute(
            query.order_by(ConversationSummary.last_at.desc().nullslast())
            .offset(max(0, page - 1) * per_page).limit(per_page)).scalars())
    return rows, total
