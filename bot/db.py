"""Database models (curated answers, escalations) and the engine factory.

No engine is created at import time: call `get_engine()` / `session_scope()`.
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, Optional

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import declarative_base, sessionmaker

from bot.settings import database_url

Base = declarative_base()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Answer(Base):
    """One version of a curated answer. A changed answer gets a new row; old rows stay."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("key", "version", name="uq_answer_key_version"),)

    id = Column(Integer, primary_key=True)
    key = Column(String(100), nullable=False, index=True)
    topic = Column(String(50), nullable=False, index=True)
    version = Column(Integer, nullable=False)
    is_current = Column(Boolean, nullable=False, default=True, index=True)
    text = Column(Text, nullable=False)
    sources = Column(JSON, nullable=False)
    week_min = Column(Integer)
    week_max = Column(Integer)
    severity = Column(String(20))
    jurisdiction = Column(String(10))  # null: serves every jurisdiction
    quick_replies = Column(JSON)  # questions offered as buttons; null: none
    reviewed_by = Column(String(200), nullable=False)
    reviewed_on = Column(Date, nullable=False)
    review_due = Column(Date, nullable=False)
    content_hash = Column(String(64), nullable=False)
    loaded_at = Column(DateTime, nullable=False, default=utcnow)

    @property
    def answer_id(self) -> str:
        return f"{self.key}@v{self.version}"


class Escalation(Base):
    """A red flag or a request for a person, recorded for clinic staff.

    Written from the escalation spool (bot.escalation_spool) by the relay; `source_key`
    (conversation and message id) makes a second copy of the same report a no-op.
    Status: open -> acknowledged -> resolved. An open or acknowledged handoff keeps the
    bot from answering over staff in that conversation.
    """

    __tablename__ = "escalations"
    __table_args__ = (Index("uq_escalations_source_key", "source_key", unique=True),)

    id = Column(Integer, primary_key=True)
    source_key = Column(String(300))
    conversation_id = Column(String(255), nullable=False, index=True)
    kind = Column(String(20), nullable=False)  # red_flag | handoff
    message = Column(Text, nullable=False)
    symptoms = Column(JSON, nullable=False, default=list)
    severity = Column(String(20))
    input_channel = Column(String(50))
    status = Column(String(20), nullable=False, default="open", index=True)
    reported_at = Column(DateTime, default=utcnow)
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    acknowledged_by = Column(String(200))
    acknowledged_at = Column(DateTime)
    closed_by = Column(String(200))
    closed_at = Column(DateTime)
    note = Column(Text)  # staff's note (the staff app)

    def as_dict(self) -> dict:
        return {
            "id": self.id, "kind": self.kind, "severity": self.severity,
            "symptoms": list(self.symptoms or []), "conversation_id": self.conversation_id,
            "message": self.message, "input_channel": self.input_channel,
            "status": self.status,
            "reported_at": self.reported_at.isoformat() + "Z" if self.reported_at else None,
        }


class EscalationDelivery(Base):
    """One notification of one escalation to the clinic (webhook or e-mail), with its attempts."""

    __tablename__ = "escalation_deliveries"
    __table_args__ = (UniqueConstraint("escalation_id", "channel", name="uq_delivery_channel"),)

    id = Column(Integer, primary_key=True)
    escalation_id = Column(Integer, ForeignKey("escalations.id"), nullable=False, index=True)
    channel = Column(String(20), nullable=False)  # webhook | email
    status = Column(String(20), nullable=False, default="pending", index=True)
    # pending -> sending -> delivered, or back to pending with a later next_attempt_at,
    # or failed after the last attempt.
    attempts = Column(Integer, nullable=False, default=0)
    last_error = Column(Text)
    next_attempt_at = Column(DateTime, nullable=False, default=utcnow)
    claimed_at = Column(DateTime)
    delivered_at = Column(DateTime)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class StaffUser(Base):
    """A clinic staff account of the staff app (bot.staff). Role: reviewer or admin."""

    __tablename__ = "staff_users"

    id = Column(Integer, primary_key=True)
    username = Column(String(100), nullable=False, unique=True)
    password_hash = Column(String(255), nullable=False)  # Argon2id (bot.staff.passwords)
    role = Column(String(20), nullable=False, default="reviewer")
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    last_login_at = Column(DateTime)


class AuditEntry(Base):
    """Who on the staff did what with patients' data, and when (transcript views,
    exports, escalation changes, labels, accounts). Only admins read it."""

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, default=utcnow, index=True)
    username = Column(String(100), nullable=False, index=True)
    action = Column(String(50), nullable=False, index=True)
    target = Column(String(300))  # e.g. the conversation's sender id
    detail = Column(Text)


class MessageLabel(Base):
    """A reviewer's correction of one user message: its right topic, or a red flag the
    assistant missed. `make export-training` writes them out as NLU data and safety cases."""

    __tablename__ = "message_labels"
    __table_args__ = (UniqueConstraint("sender_id", "event_id", name="uq_label_message"),)

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(255), nullable=False, index=True)
    event_id = Column(Integer, nullable=False)  # Rasa's events.id of the user message
    text = Column(Text, nullable=False)         # as stored (redacted)
    predicted_topic = Column(String(50))
    correct_topic = Column(String(50))          # null for a missed red flag only
    missed_red_flag = Column(Boolean, nullable=False, default=False)
    severity = Column(String(20))               # of the missed red flag
    labelled_by = Column(String(100), nullable=False)
    labelled_at = Column(DateTime, nullable=False, default=utcnow)
    exported_at = Column(DateTime)


class ConversationSummary(Base):
    """One row per conversation, kept up to date from Rasa's events table by the staff
    app (bot.staff.summaries), so its list and filters stay fast with many conversations."""

    __tablename__ = "conversation_summaries"

    sender_id = Column(String(255), primary_key=True)
    channel = Column(String(50))
    started_at = Column(DateTime, index=True)
    last_at = Column(DateTime, index=True)
    user_messages = Column(Integer, nullable=False, default=0)
    topics = Column(Text, nullable=False, default="")      # " pain results " (space-separated)
    escalated = Column(Boolean, nullable=False, default=False, index=True)
    severity = Column(String(20))                           # the highest: emergency, urgent
    fallbacks = Column(Integer, nullable=False, default=0)
    min_confidence = Column(Float)                          # of the model's answers
    search_text = Column(Text, nullable=False, default="")  # the user messages, lower case


class SummaryProgress(Base):
    """How far the summaries have read Rasa's events table (its last events.id)."""

    __tablename__ = "conversation_summary_progress"

    id = Column(Integer, primary_key=True)
    last_event_id = Column(Integer, nullable=False, default=0)


_engines: Dict[str, Engine] = {}


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # Several processes (Rasa, the action server, the CLI) share one file.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def get_engine(url: Optional[str] = None) -> Engine:
    """One engine per URL for the life of the process, created on first use."""
    url = url or database_url()
    if url not in _engines:
        if url.startswith("sqlite:///"):
            Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True, pool_pre_ping=True)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        _engines[url] = engine
    return _engines[url]


def init_db(url: Optional[str] = None) -> Engine:
    """The engine of a database whose schema is up to date: Alembic's migrations
    (bot.schema, bot/migrations) run once per process and database."""
    from bot.schema import migrate

    engine = get_engine(url)
    migrate(engine)
    return engine


@contextmanager
def session_scope(url: Optional[str] = None) -> Iterator:
    """A session that commits on success and rolls back on error."""
    session = sessionmaker(bind=get_engine(url), future=True, expire_on_commit=False)()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()
