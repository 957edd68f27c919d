"""The schema's Alembic migrations, on SQLite and on the local PostgreSQL server: they
make exactly the tables bot.db describes, Rasa's tracker store works on them, a database
made before migrations is brought up to date with its rows, and several processes
starting at once migrate once."""
import datetime as dt
import multiprocessing

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.db import Base, Escalation, get_engine, init_db, session_scope
from bot.schema import (alembic_config, current_revision, forget_migrated, head_revision,
                        include_object, migrate)
from tests.support.postgres import temporary_database

EXPECTED_TABLES = set(Base.metadata.tables) | {"events", "alembic_version"}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'schema.db'}"
        return
    with temporary_database("assistant_schema") as url:
        yield url.render_as_string(hide_password=False)


def schema_differences(engine) -> list:
    """What autogenerate would change: the models and the migrations disagree."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "include_object": include_object, "compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_a_new_database_gets_every_table_at_the_newest_revision(empty_database):
    engine = init_db(empty_database)
    assert set(sa.inspect(engine).get_table_names()) == EXPECTED_TABLES
    assert current_revision(engine) == head_revision() == "0002"
    assert schema_differences(engine) == []


def test_rasa_tracker_store_works_on_the_migrated_events_table(empty_database):
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    import asyncio

    init_db(empty_database)
    store = SQLTrackerStore(Domain.empty(), host=empty_database)
    tracker = DialogueStateTracker("patient-1", [])
    tracker.update(UserUttered("does it hurt?", {"name": "pain", "confidence": 0.9}))
    asyncio.run(store.save(tracker))
    again = asyncio.run(store.retrieve("patient-1"))
    assert again.latest_message.text == "does it hurt?"
    store.engine.dispose()


def test_downgrade_to_nothing_and_up_again(empty_database):
    engine = init_db(empty_database)
    with engine.connect() as connection:
        command.downgrade(alembic_config(connection), "base")
        connection.commit()
    assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
    forget_migrated(engine)
    migrate(engine)
    assert set(sa.inspect(engine).get_table_names()) == EXPECTED_TABLES


LEGACY_ESCALATIONS = """CREATE TABLE escalations (
    id INTEGER PRIMARY KEY, conversation_id VARCHAR(255) NOT NULL, kind VARCHAR(20) NOT NULL,
    message TEXT NOT NULL, symptoms JSON NOT NULL, severity VARCHAR(20),
    status VARCHAR(20) NOT NULL, created_at TIMESTAMP NOT NULL)"""


def test_a_database_made_before_migrations_is_completed_and_keeps_its_rows(empty_database):
    """As an early version left it: only an escalations table, without the columns added
    since (source_key, input_channel, reported_at, acknowledged_*, closed_*, note)."""
    engine = get_engine(empty_database)
    with engine.begin() as connection:
        connection.execute(sa.text(LEGACY_ESCALATIONS))
        connection.execute(sa.text(
            "INSERT INTO escalations (id, conversation_id, kind, message, symptoms, severity, "
            "status, created_at) VALUES (1, 'c1', 'red_flag', 'bleeding', '[\"bleeding\"]', "
            "'emergency', 'open', :at)"), {"at": dt.datetime(2026, 1, 2, 3, 4)})
    init_db(empty_database)
    assert current_revision(engine) == head_revision()
    assert set(sa.inspect(engine).get_table_names()) == EXPECTED_TABLES
    with session_scope(empty_database) as session:
        row = session.get(Escalation, 1)
        assert (row.message, row.severity, row.note) == ("bleeding", "emergency", None)
        row.note = "called back"  # the new column works
    with session_scope(empty_database) as session:
        assert session.get(Escalation, 1).note == "called back"


def test_an_existing_rasa_events_table_is_left_as_it_is(empty_database):
    engine = get_engine(empty_database)
    with engine.begin() as connection:
        connection.execute(sa.text(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
            "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
            "action_name VARCHAR(255), data TEXT)"))
        connection.execute(sa.text(
            "INSERT INTO events (id, sender_id, type_name, data) VALUES (7, 's', 'user', '{}')"))
    init_db(empty_database)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT sender_id FROM events WHERE id = 7")).scalar() == "s"


def _migrate_in_a_new_process(url, results):
    from bot.db import get_engine as engine_for
    from bot.schema import current_revision as revision_of
    from bot.schema import migrate as migrate_database

    try:
        engine = engine_for(url)
        migrate_database(engine)
        results.put(revision_of(engine))
    except Exception as error:  # reported to the test
        results.put(f"error: {error}")


def test_processes_starting_at_once_migrate_once(empty_database):
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    processes = [context.Process(target=_migrate_in_a_new_process, args=(empty_database, results))
                 for _ in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
    outcomes = [results.get(timeout=5) for _ in processes]
    assert outcomes == [head_revision()] * 4
    engine = get_engine(empty_database)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM alembic_version")).scalar() == 1
