"""How long conversations are kept, and erasing one patient's conversation on request.

- `retention_days()`: the clinic's setting (RETENTION_DAYS, or `retention_days` in clinic.yml;
  365 when unset; 0 or "off" keeps conversations forever).
- `purge_older_than(days)`: deletes the conversations whose last activity (latest event or
  escalation) is older than that: their tracker events and the rows of the other tables in
  CONVERSATION_TABLES, and their escalations that staff have resolved, with the deliveries.
  Escalations still open or acknowledged are kept (staff have not finished them) and counted.
- `erase_conversation(sender_id)`: deletes everything of one conversation, whatever the
  status of its escalations, including reports still waiting in the escalation spool.

Both work on the database of bot.settings.database_url() (SQLite or PostgreSQL), with
SQLAlchemy Core on the tables as they are in the database; a table that does not exist
there is skipped. A purge runs in batches of conversations, one transaction each, so
Rasa's writes are never held up for long, and checks each batch's last activity again
inside its transaction (a patient who came back meanwhile keeps the conversation).
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence

import yaml
from sqlalchemy import MetaData, Table, and_, func, inspect, select
from sqlalchemy.engine import Connection

from bot.db import get_engine, utcnow
from bot.escalation_spool import EscalationSpool
from bot.escalations import OPEN_STATUSES
from bot.settings import CLINIC_CONFIG_PATH

DEFAULT_RETENTION_DAYS = 365
KEEP_FOREVER = ("0", "off", "never", "forever", "false", "no")
BATCH = 500  # conversations per transaction


@dataclass(frozen=True)
class ConversationTable:
    """A table whose rows belong to one conversation, found by its sender id column.
    With `time_column`, its rows count towards the conversation's last activity
    (`unix_time`: the column holds seconds since 1970, as Rasa's events do)."""

    name: str
    sender_column: str
    time_column: Optional[str] = None
    unix_time: bool = False


# Deleted with their conversation, by a purge and by an erasure. Add a table here when it
# stores anything of a conversation. (Escalations are below: a purge keeps open ones.)
CONVERSATION_TABLES = (
    ConversationTable("events", "sender_id", "timestamp", unix_time=True),  # Rasa's trackers
    ConversationTable("message_labels", "sender_id"),  # staff corrections (bot.staff.labels)
    ConversationTable("conversation_summaries", "sender_id"),  # the staff app's list
)
ESCALATIONS = ConversationTable("escalations", "conversation_id", "created_at")
DELIVERIES = "escalation_deliveries"  # rows of an escalation (escalation_id), deleted first


@dataclass
class DeletionReport:
    """What a purge or an erasure deleted."""

    senders: List[str] = field(default_factory=list)  # the conversations it covered
    rows: Dict[str, int] = field(default_factory=dict)  # table -> rows deleted
    open_escalations_kept: int = 0  # open or acknowledged: staff have not resolved them
    spool_files: int = 0  # escalation reports deleted from the spool (erasure)

    def count(self, table: str, rows: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + max(rows, 0)

    def describe(self) -> str:
        """One line for the command line and the logs."""
        deleted = [f"{n} {table}" for table, n in self.rows.items() if n]
        if self.spool_files:
            deleted.append(f"{self.spool_files} spool files")
        line = (f"{_plural(len(self.senders), 'conversation')}: deleted "
                f"{', '.join(deleted) or 'nothing'}")
        if self.open_escalations_kept:
            kept = _plural(self.open_escalations_kept, "open or acknowledged escalation")
            line += f"; kept {kept} until staff resolve them"
        return line


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def parse_retention(value: object, source: str = "RETENTION_DAYS") -> Optional[int]:
    """Days to keep conversations, or None to keep them forever (0, "off", YAML's off)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return DEFAULT_RETENTION_DAYS
    if value is False or str(value).strip().lower() in KEEP_FOREVER:
        return None
    try:
        days = int(str(value).strip())
    except ValueError as error:
        raise ValueError(f"{source} must be a number of days or off, not '{value}'") from error
    if days < 0:
        raise ValueError(f"{source} must be a number of days or off, not {days}")
    return days or None


def retention_days(path: Optional[Path] = None) -> Optional[int]:
    """How many days after its last message a conversation is kept (None: forever), from
    RETENTION_DAYS or `retention_days` in clinic.yml; 365 when neither is set."""
    value = os.environ.get("RETENTION_DAYS", "")
    if value.strip():
        return parse_retention(value)
    path = Path(path or os.environ.get("CLINIC_CONFIG", CLINIC_CONFIG_PATH))
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle) or {}
    return parse_retention(raw.get("retention_days"), f"retention_days in {path}")


def _tables(url: Optional[str]) -> Dict[str, Table]:
    """The conversation tables that exist in the database, as they are there."""
    engine = get_engine(url)
    wanted = [t.name for t in CONVERSATION_TABLES] + [ESCALATIONS.name, DELIVERIES]
    present = set(inspect(engine).get_table_names())
    metadata = MetaData()
    metadata.reflect(bind=engine, only=[name for name in wanted if name in present])
    return dict(metadata.tables)


def _last_activity(connection: Connection, tables: Dict[str, Table],
                   senders: Optional[Sequence[str]] = None) -> Dict[str, dt.datetime]:
    """Each conversation's latest event or escalation (UTC), for all or the given senders."""
    latest: Dict[str, dt.datetime] = {}
    for config in CONVERSATION_TABLES + (ESCALATIONS,):
        table = tables.get(config.name)
        if table is None or config.time_column is None:
            continue
        sender, when = table.c[config.sender_column], table.c[config.time_column]
        query = select(sender, func.max(when)).group_by(sender)
        if senders is not None:
            query = query.where(sender.in_(senders))
        for conversation, last in connection.execute(query):
            if last is None:
                continue
            if config.unix_time:
                last = dt.datetime.fromtimestamp(last, dt.timezone.utc).replace(tzinfo=None)
            if conversation not in latest or last > latest[conversation]:
                latest[conversation] = last
    return latest


def _delete(connection: Connection, tables: Dict[str, Table], senders: List[str],
            report: DeletionReport, keep_open_escalations: bool) -> None:
    """Delete these conversations' rows from every conversation table."""
    for config in CONVERSATION_TABLES:
        table = tables.get(config.name)
        if table is not None:
            result = connection.execute(
                table.delete().where(table.c[config.sender_column].in_(senders)))
            report.count(config.name, result.rowcount)
    escalations = tables.get(ESCALATIONS.name)
    if escalations is not None:
        condition = escalations.c[ESCALATIONS.sender_column].in_(senders)
        if keep_open_escalations:
            report.open_escalations_kept += connection.execute(
                select(func.count()).select_from(escalations)
                .where(condition, escalations.c.status.in_(OPEN_STATUSES))).scalar_one()
            condition = and_(condition, escalations.c.status.notin_(OPEN_STATUSES))
        deliveries = tables.get(DELIVERIES)
        if deliveries is not None:
            result = connection.execute(deliveries.delete().where(
                deliveries.c.escalation_id.in_(select(escalations.c.id).where(condition))))
            report.count(DELIVERIES, result.rowcount)
        report.count(ESCALATIONS.name, connection.execute(
            escalations.delete().where(condition)).rowcount)
    report.senders.extend(senders)


def _batches(items: List[str], size: int = BATCH) -> Iterable[List[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def purge_older_than(days: int, url: Optional[str] = None) -> DeletionReport:
    """Delete the conversations whose last event (or escalation) is more than `days` days
    old, keeping the escalations staff have not resolved (counted in the report)."""
    if days < 1:
        raise ValueError("days must be at least 1 (to keep conversations, set RETENTION_DAYS=off "
                         "and do not purge)")
    cutoff = utcnow() - dt.timedelta(days=days)
    engine = get_engine(url)
    tables = _tables(url)
    report = DeletionReport()
    with engine.connect() as connection:
        stale = sorted(s for s, last in _last_activity(connection, tables).items()
                       if last < cutoff)
    for batch in _batches(stale):
        with engine.begin() as connection:
            still_stale = sorted(s for s, last in _last_activity(connection, tables, batch).items()
                                 if last < cutoff)
            if still_stale:
                _delete(connection, tables, still_stale, report, keep_open_escalations=True)
    return report


def erase_conversation(sender_id: str, url: Optional[str] = None,
                       spool: Optional[EscalationSpool] = None) -> DeletionReport:
    """Delete everything of one conversation: tracker events, escalations whatever their
    status (and deliveries), the other conversation tables' rows, and its reports waiting
    in the escalation spool (`spool`: the configured one by default)."""
    if not sender_id:
        raise ValueError("give the conversation's sender id")
    report = DeletionReport()
    # The spool first: the relay must not store a report after its conversation is gone.
    report.spool_files = (spool or EscalationSpool()).remove_conversation(sender_id)
    tables = _tables(url)
    with get_engine(url).begin() as connection:
        _delete(connection, tables, [sender_id], report, keep_open_escalations=False)
    return report
