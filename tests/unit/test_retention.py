"""Conversations are deleted after the retention period (escalations staff have not
resolved are kept) or on request (everything of one conversation, spool files too), on
SQLite and, when a local server is running, PostgreSQL."""
import asyncio
import datetime as dt
import time
import uuid

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import func, select

from bot.db import Escalation, EscalationDelivery, get_engine, init_db, session_scope, utcnow
from bot.escalation_spool import EscalationSpool
from bot.escalations import report_for_message
from bot.privacy import retention
from bot.privacy.retention import (ConversationTable, erase_conversation, parse_retention,
                                   purge_older_than, retention_days)
from bot.tracker_store import EscalationRecordingTrackerStore
from tests.support.postgres import temporary_database

DAY = 86400


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, db_url):
    """A fresh database: a SQLite file, or a new database on the local PostgreSQL server."""
    if request.param == "sqlite":
        yield db_url
        return
    with temporary_database("assistant_retention") as url:
        yield url.render_as_string(hide_password=False)


def write_conversation(store, sender, days_ago):
    """A user message and the bot's reply, `days_ago` days ago, through Rasa's tracker store."""
    tracker = asyncio.run(store.retrieve(sender)) or DialogueStateTracker(sender, slots=[])
    when = time.time() - days_ago * DAY
    tracker.update(UserUttered("does it hurt?", {"name": "pain", "confidence": 0.9},
                               timestamp=when, message_id=uuid.uuid4().hex))
    tracker.update(ActionExecuted("action_answer", timestamp=when))
    tracker.update(BotUttered("Most people feel pressure.", timestamp=when))
    asyncio.run(store.save(tracker))


def add_escalation(url, sender, status, days_ago, channels=("webhook",)):
    with session_scope(url) as session:
        row = Escalation(source_key=f"{sender}:{uuid.uuid4().hex}", conversation_id=sender,
                         kind="red_flag", message="bleeding", symptoms=["bleeding"],
                         severity="emergency", status=status,
                         reported_at=utcnow() - dt.timedelta(days=days_ago),
                         created_at=utcnow() - dt.timedelta(days=days_ago))
        session.add(row)
        session.flush()
        for channel in channels:
            session.add(EscalationDelivery(escalation_id=row.id, channel=channel,
                                           status="delivered"))


def counts(url, sender):
    with session_scope(url) as session:
        events = session.execute(sa.text("SELECT count(*) FROM events WHERE sender_id = :s"),
                                 {"s": sender}).scalar_one()
        escalations = sorted(session.execute(select(Escalation.status).where(
            Escalation.conversation_id == sender)).scalars())
        deliveries = session.execute(
            select(func.count()).select_from(EscalationDelivery).join(
                Escalation, Escalation.id == EscalationDelivery.escalation_id)
            .where(Escalation.conversation_id == sender)).scalar_one()
    return events, escalations, deliveries


@pytest.fixture
def store(url, tmp_path):
    init_db(url)
    store = EscalationRecordingTrackerStore(domain=Domain.empty(), host=url,
                                            spool_dir=str(tmp_path / "spool"), relay=False)
    yield store
    store.engine.dispose()


def test_purge_deletes_old_conversations_and_keeps_what_staff_have_not_finished(url, store):
    write_conversation(store, "old", days_ago=400)
    write_conversation(store, "came-back", days_ago=400)
    write_conversation(store, "came-back", days_ago=3)
    write_conversation(store, "recent", days_ago=10)
    write_conversation(store, "old-escalated", days_ago=500)
    add_escalation(url, "old-escalated", "resolved", days_ago=500, channels=("webhook", "email"))
    add_escalation(url, "old-escalated", "acknowledged", days_ago=500)
    add_escalation(url, "old-escalated", "open", days_ago=499)
    add_escalation(url, "escalation-only", "resolved", days_ago=600)
    add_escalation(url, "recent", "resolved", days_ago=10)

    report = purge_older_than(365, url=url)

    assert sorted(report.senders) == ["escalation-only", "old", "old-escalated"]
    assert counts(url, "old") == (0, [], 0)
    assert counts(url, "old-escalated") == (0, ["acknowledged", "open"], 2)
    assert counts(url, "escalation-only") == (0, [], 0)
    assert counts(url, "came-back")[0] == 6  # both visits kept: the last one is recent
    assert counts(url, "recent")[1:] == (["resolved"], 1)
    assert report.rows["escalations"] == 2 and report.rows["escalation_deliveries"] == 3
    assert report.rows["events"] > 0
    assert report.open_escalations_kept == 2
    assert "kept 2 open or acknowledged escalations" in report.describe()
    # run again: nothing more to delete; the unresolved escalations are still reported
    again = purge_older_than(365, url=url)
    assert again.rows.get("events", 0) == 0 and again.open_escalations_kept == 2


def test_purge_needs_at_least_a_day(db_url):
    with pytest.raises(ValueError):
        purge_older_than(0, url=db_url)


def test_purge_of_a_new_database_deletes_nothing(db_url):
    report = purge_older_than(30, url=db_url)
    assert report.senders == [] and report.describe() == "0 conversations: deleted nothing"


def test_erase_deletes_everything_of_one_conversation(url, store, tmp_path):
    write_conversation(store, "patient-a", days_ago=1)
    write_conversation(store, "patient-b", days_ago=1)
    add_escalation(url, "patient-a", "open", days_ago=1, channels=("webhook", "email"))
    add_escalation(url, "patient-a", "resolved", days_ago=1)
    add_escalation(url, "patient-b", "open", days_ago=1)
    spool = EscalationSpool(tmp_path / "spool")
    red_flag = {"intent": {"name": "red_flag_emergency"},
                "red_flag": {"escalate": True, "severity": "emergency"}}
    waiting = spool.put(report_for_message("patient-a", "m9", "bleeding", red_flag))
    claimed = spool.put(report_for_message("patient-a", "m10", "bleeding", red_flag))
    claimed.rename(claimed.with_suffix(".claimed"))
    (tmp_path / "spool" / "broken.bad").write_text('{"conversation_id": "patient-a", ')
    other = spool.put(report_for_message("patient-b", "m1", "bleeding", red_flag))

    report = erase_conversation("patient-a", url=url, spool=spool)

    assert counts(url, "patient-a") == (0, [], 0)
    assert counts(url, "patient-b") == (3, ["open"], 1)
    assert report.senders == ["patient-a"] and report.open_escalations_kept == 0
    assert report.rows["escalations"] == 2 and report.rows["escalation_deliveries"] == 3
    assert report.spool_files == 3
    assert not waiting.exists() and other.exists()
    assert sorted(p.name for p in (tmp_path / "spool").iterdir()) == [other.name]


def test_another_conversation_table_is_one_line(url, store, monkeypatch, tmp_path):
    """E.g. staff labels that reference messages by sender: listed, they go with the rest."""
    with get_engine(url).begin() as connection:
        connection.execute(sa.text("CREATE TABLE notes (id INTEGER PRIMARY KEY, "
                                   "sender VARCHAR(255) NOT NULL, note TEXT)"))
        connection.execute(sa.text("INSERT INTO notes (id, sender, note) VALUES "
                                   "(1, 'old', 'a'), (2, 'new', 'b'), (3, 'erased', 'c')"))
    monkeypatch.setattr(retention, "CONVERSATION_TABLES",
                        retention.CONVERSATION_TABLES + (ConversationTable("notes", "sender"),))
    write_conversation(store, "old", days_ago=400)
    write_conversation(store, "new", days_ago=1)
    assert purge_older_than(365, url=url).rows["notes"] == 1
    erased = erase_conversation("erased", url=url, spool=EscalationSpool(tmp_path / "spool"))
    assert erased.rows["notes"] == 1
    with get_engine(url).connect() as connection:
        assert connection.execute(sa.text("SELECT sender FROM notes")).scalars().all() == ["new"]


# ------------------------------------------------------------------ the setting

def test_retention_days_from_the_environment_or_clinic_yml(tmp_path, monkeypatch):
    config = tmp_path / "clinic.yml"
    config.write_text("retention_days: 90\n")
    monkeypatch.delenv("RETENTION_DAYS", raising=False)
    assert retention_days(config) == 90
    monkeypatch.setenv("RETENTION_DAYS", "30")
    assert retention_days(config) == 30
    monkeypatch.setenv("RETENTION_DAYS", "off")
    assert retention_days(config) is None
    monkeypatch.delenv("RETENTION_DAYS")
    config.write_text("clinic_name: x\n")
    assert retention_days(config) == 365
    config.write_text("retention_days: off\n")  # YAML reads this as false
    assert retention_days(config) is None


def test_the_shipped_clinic_yml_keeps_conversations_a_year(monkeypatch):
    monkeypatch.delenv("RETENTION_DAYS", raising=False)
    monkeypatch.delenv("CLINIC_CONFIG", raising=False)
    assert retention_days() == 365


@pytest.mark.parametrize("value, days", [("0", None), (0, None), ("never", None), (False, None),
                                         ("", 365), (None, 365), (" 180 ", 180), (7, 7)])
def test_retention_values(value, days):
    assert parse_retention(value) == days


@pytest.mark.parametrize("value", ["-1", "a year", "12.5"])
def test_bad_retention_values_are_refused(value):
    with pytest.raises(ValueError, match="number of days or off"):
        parse_retention(value)
