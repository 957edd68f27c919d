"""Escalations are spooled by the tracker store as Rasa saves a turn, and stored by the
relay once the database can be reached: none is lost, none is stored twice."""
import asyncio
import json
import os
import time

import sqlalchemy
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from bot.db import Escalation, EscalationDelivery, session_scope
from bot.escalation_relay import drain_spool, relay_once
from bot.escalation_spool import EscalationSpool
from bot.escalations import escalation_from_message, report_for_message
from bot.notifier import Notifiers
from bot.tracker_store import EscalationRecordingTrackerStore

UNREACHABLE = "postgresql://nobody@127.0.0.1:1/none"
RED_FLAG = {"intent": {"name": "red_flag_emergency", "confidence": 1.0},
            "red_flag": {"escalate": True, "severity": "emergency", "symptoms": ["fluid_leak"]}}


def report(conversation="c1", message_id="m1", text="my waters went", parse=RED_FLAG,
           timestamp=1_700_000_000.0):
    return report_for_message(conversation, message_id, text, parse, "rest", timestamp)


# ------------------------------------------------------------------ what escalates

def test_reports_come_from_the_safety_decision_in_the_parse_data():
    assert escalation_from_message(RED_FLAG)["severity"] == "emergency"
    # a wrong intent with the detector's decision still escalates
    wrong = {"intent": {"name": "greeting"}, "red_flag": {"escalate": True, "severity": "urgent",
                                                          "symptoms": ["spotting"]}}
    assert escalation_from_message(wrong) == {"kind": "red_flag", "symptoms": ["spotting"],
                                              "severity": "urgent"}
    assert escalation_from_message({"intent": {"name": "human_handoff"}})["kind"] == "handoff"
    assert escalation_from_message({"intent": {"name": "results"}, "red_flag": {"escalate": False}}) is None
    assert escalation_from_message({}) is None


def test_report_is_keyed_by_conversation_and_message():
    r = report()
    assert r["source_key"] == "c1:m1" and r["kind"] == "red_flag"
    assert r["reported_at"].startswith("2023-11-14T22:13:20")
    assert report(parse={"intent": {"name": "results"}}) is None


# ------------------------------------------------------------------ the spool

def test_spool_keeps_one_file_per_message_and_hands_each_out_once(tmp_path):
    spool = EscalationSpool(tmp_path)
    spool.put(report())
    spool.put(report())  # the same turn saved twice
    spool.put(report(message_id="m2"))
    assert spool.count() == 2
    claimed = list(spool.claim())
    assert sorted(r["source_key"] for _, r in claimed) == ["c1:m1", "c1:m2"]
    assert list(spool.claim()) == []  # claimed files are not handed out again
    spool.release(claimed[0][0])
    spool.done(claimed[1][0])
    assert [r["source_key"] for _, r in spool.claim()] == [claimed[0][1]["source_key"]]


def test_stale_claims_come_back_and_unreadable_files_are_kept_aside(tmp_path):
    spool = EscalationSpool(tmp_path)
    spool.put(report())
    (path, _), = list(spool.claim())
    old = time.time() - 3600
    os.utime(path, (old, old))
    assert spool.count() == 1  # a relay died holding it
    (tmp_path / "broken.json").write_text("{not json")
    keys = [r["source_key"] for _, r in spool.claim()]
    assert keys == ["c1:m1"]
    assert (tmp_path / "broken.bad").exists()


# ------------------------------------------------------------------ the relay

def _rows(db_url):
    with session_scope(db_url) as session:
        return [(e.source_key, e.kind, e.severity, e.symptoms, e.status)
                for e in session.execute(select(Escalation).order_by(Escalation.id)).scalars()]


def test_relay_stores_each_report_once_with_its_deliveries(tmp_path, db_url):
    from bot.db import init_db

    init_db(db_url)
    spool = EscalationSpool(tmp_path / "spool")
    spool.put(report())
    assert drain_spool(spool, ["webhook", "email"], db_url) == 1
    spool.put(report())  # spooled again after it was stored (e.g. a re-saved tracker)
    assert drain_spool(spool, ["webhook", "email"], db_url) == 0
    assert _rows(db_url) == [("c1:m1", "red_flag", "emergency", ["fluid_leak"], "open")]
    assert spool.count() == 0
    with session_scope(db_url) as session:
        channels = sorted(d.channel for d in session.execute(select(EscalationDelivery)).scalars())
    assert channels == ["email", "webhook"]


def test_reports_wait_in_the_spool_while_the_database_is_down(tmp_path, db_url):
    from bot.db import init_db

    spool = EscalationSpool(tmp_path / "spool")
    spool.put(report())
    spool.put(report(message_id="m2", text="can I talk to a nurse",
                     parse={"intent": {"name": "human_handoff"}}, timestamp=1_700_000_060.0))
    outcome = relay_once(spool, Notifiers(), UNREACHABLE)
    assert (outcome.stored, outcome.waiting_in_spool) == (0, 2)
    init_db(db_url)
    outcome = relay_once(spool, Notifiers(), db_url)
    assert (outcome.stored, outcome.waiting_in_spool) == (2, 0)
    assert [r[:2] for r in _rows(db_url)] == [("c1:m1", "red_flag"), ("c1:m2", "handoff")]


# ------------------------------------------------------------------ the tracker store

def _tracker(sender, text, parse, message_id):
    tracker = DialogueStateTracker(sender, slots=[])
    tracker.update(UserUttered(text, parse_data={**parse, "text": text},
                               input_channel="rest", message_id=message_id))
    return tracker


def test_tracker_store_spools_escalations_as_the_turn_is_saved(tmp_path, db_url):
    store = EscalationRecordingTrackerStore(domain=Domain.empty(), host=db_url,
                                            spool_dir=str(tmp_path / "spool"), relay=False)
    asyncio.run(store.save(_tracker("c9", "my waters went", RED_FLAG, "m1")))
    asyncio.run(store.save(_tracker("c9", "when are results ready",
                                    {"intent": {"name": "results", "confidence": 0.9}}, "m2")))
    files = list((tmp_path / "spool").glob("*.json"))
    assert len(files) == 1
    spooled = json.loads(files[0].read_text())
    assert (spooled["source_key"], spooled["severity"], spooled["input_channel"]) == (
        "c9:m1", "emergency", "rest")
    assert asyncio.run(store.retrieve("c9")) is not None  # the turn itself is stored as usual


def test_escalation_survives_a_database_outage_during_the_turn(tmp_path, db_url):
    """Rasa wraps the store in FailSafeTrackerStore: with the database down the turn
    goes on in memory, and the spooled escalation is stored once the database is back."""
    from bot.db import init_db

    store = EscalationRecordingTrackerStore(domain=Domain.empty(), host=db_url,
                                            spool_dir=str(tmp_path / "spool"), relay=False)
    store.engine.dispose()
    store.engine = sqlalchemy.create_engine(UNREACHABLE)  # the database server is gone
    store.sessionmaker = sessionmaker(bind=store.engine)
    failsafe = FailSafeTrackerStore(store)
    asyncio.run(failsafe.save(_tracker("c10", "bleeding like a period", RED_FLAG, "m1")))
    spool = EscalationSpool(tmp_path / "spool")
    assert spool.count() == 1
    init_db(db_url)
    assert relay_once(spool, Notifiers(), db_url).stored == 1
    assert _rows(db_url)[0][0] == "c10:m1"


def test_message_without_an_escalation_is_not_spooled(tmp_path, db_url):
    store = EscalationRecordingTrackerStore(domain=Domain.empty(), host=db_url,
                                            spool_dir=str(tmp_path / "spool"), relay=False)
    asyncio.run(store.save(DialogueStateTracker("c11", slots=[])))  # no user message yet
    assert not (tmp_path / "spool").exists() or not list((tmp_path / "spool").iterdir())


def test_spool_directory_can_be_set_in_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ESCALATION_SPOOL_DIR", str(tmp_path / "elsewhere"))
    EscalationSpool().put(report())
    assert len(list((tmp_path / "elsewhere").glob("*.json"))) == 1


def test_a_database_from_the_previous_version_is_brought_up_to_date(tmp_path, db_url):
    """Escalations must not wait in the spool forever because an older install's table
    lacks the new columns."""
    from bot.db import get_engine, init_db

    with get_engine(db_url).begin() as connection:
        connection.execute(sqlalchemy.text(
            "CREATE TABLE escalations (id INTEGER PRIMARY KEY, conversation_id VARCHAR(255) NOT NULL,"
            " kind VARCHAR(20) NOT NULL, message TEXT NOT NULL, symptoms JSON NOT NULL,"
            " severity VARCHAR(20), status VARCHAR(20) NOT NULL, created_at DATETIME NOT NULL)"))
    init_db(db_url)
    spool = EscalationSpool(tmp_path / "spool")
    spool.put(report())
    spool.put(report())
    assert relay_once(spool, Notifiers(), db_url).stored == 1
    spool.put(report())
    assert relay_once(spool, Notifiers(), db_url).stored == 0  # the unique index holds
    assert _rows(db_url) == [("c1:m1", "red_flag", "emergency", ["fluid_leak"], "open")]


def test_a_malformed_report_is_set_aside_and_the_rest_are_stored(tmp_path, db_url):
    from bot.db import init_db

    init_db(db_url)
    spool = EscalationSpool(tmp_path / "spool")
    spool.put({"source_key": "c1:broken", "reported_at": "2023-01-01T00:00:00"})  # no kind, no text
    spool.put(report())
    assert relay_once(spool, Notifiers(), db_url).stored == 1
    assert len(list((tmp_path / "spool").glob("*.bad"))) == 1
    assert spool.count() == 0


def test_the_relay_thread_stores_what_is_spooled(tmp_path, db_url):
    from bot.escalation_relay import EscalationRelay

    spool = EscalationSpool(tmp_path / "spool")
    relay = EscalationRelay(spool, Notifiers(), db_url, interval=0.2)
    assert relay.run_once().waiting_in_spool == 0
    relay.start()
    try:
        spool.put(report())
        relay.kick()
        deadline = time.monotonic() + 10
        while not _rows(db_url) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        relay.stop()
    assert [r[0] for r in _rows(db_url)] == ["c1:m1"]


def test_a_reply_that_told_the_patient_to_escalate_is_recorded(tmp_path, db_url):
    """A follow-up ("it's still happening") escalates through the bot's reply, not the
    parse data: the tracker store records it from what the patient was told."""
    from rasa.shared.core.events import BotUttered

    store = EscalationRecordingTrackerStore(domain=Domain.empty(), host=db_url,
                                            spool_dir=str(tmp_path / "spool"), relay=False)
    tracker = _tracker("c12", "it's still happening",
                       {"intent": {"name": "nlu_fallback", "confidence": 0.2}}, "m7")
    tracker.update(BotUttered("Please call now", data={"custom": {
        "topic": "red_flag", "escalate": True, "severity": "emergency"}}))
    report = store.spool_escalation(tracker)
    assert (report["source_key"], report["severity"], report["kind"]) == ("c12:m7", "emergency", "red_flag")
    calm = _tracker("c13", "thanks", {"intent": {"name": "thanks"}}, "m8")
    calm.update(BotUttered("You're welcome", data={"custom": {"topic": "thanks", "escalate": False}}))
    assert store.spool_escalation(calm) is None
