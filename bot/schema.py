"""The database schema, kept by Alembic's migrations (bot/migrations).

`migrate(url)` brings any database to the newest revision: a new one gets every table
(ours and Rasa's `events`), one made by a version before migrations (tables created
with create_all) is completed and stamped at the baseline first, then upgraded. Several
processes may start at once (Rasa instances, action servers, the staff app, a setup
job): on PostgreSQL an advisory lock, on SQLite a file lock, lets one migrate while the
others wait, then find nothing to do.

After changing bot/db.py, add a revision:
    .venv/bin/alembic revision --autogenerate -m "what changed"
and check it (docs/deploy.md, "Upgrades").
"""
from __future__ import annotations

import contextlib
import fcntl
import threading
from pathlib import Path
from typing import Iterator, Optional, Set

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy import text as sql_text
from sqlalchemy.engine import Connection, Engine

from bot.settings import PROJECT_ROOT

MIGRATIONS_DIR = PROJECT_ROOT / "bot" / "migrations"
BASELINE = "0001"
ADVISORY_LOCK_KEY = 0x50524E41  # any fixed number: "PRNA"

RASA_TABLES = {"events"}  # created by revision 0002, described by Rasa, not by bot.db

_migrated: Set[str] = set()
_process_lock = threading.Lock()


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """What autogenerate compares: everything but Rasa's tables and their parts."""
    if type_ == "table" and name in RASA_TABLES:
        return False
    if type_ in ("index", "column") and getattr(obj, "table", None) is not None \
            and obj.table.name in RASA_TABLES:
        return False
    return True


def alembic_config(connection: Optional[Connection] = None, url: Optional[str] = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    if url is not None:
        config.attributes["url"] = url
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> Optional[str]:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine) -> None:
    """Bring the database of `engine` to the newest revision (once per process)."""
    key = str(engine.url)
    if key in _migrated:
        return
    with _process_lock, _database_lock(engine) as connection:
        if key in _migrated:
            return
        if _made_before_migrations(connection):
            _complete_legacy_tables(connection)
            command.stamp(alembic_config(connection), BASELINE)
        command.upgrade(alembic_config(connection), "head")
        if connection.in_transaction():
            connection.commit()
        _migrated.add(key)


def forget_migrated(engine: Engine) -> None:
    """For tests that drop and recreate a database under the same URL."""
    _migrated.discard(str(engine.url))


@contextlib.contextmanager
def _database_lock(engine: Engine) -> Iterator[Connection]:
    """A connection holding the migration lock of this database."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sql_text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
            connection.commit()
            try:
                yield connection
            finally:
                if connection.in_transaction():
                    connection.rollback()
                connection.execute(sql_text("SELECT pg_advisory_unlock(:key)"),
                                   {"key": ADVISORY_LOCK_KEY})
                connection.commit()
        elif engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
            lock_path = Path(engine.url.database + ".migrate-lock")
            with open(lock_path, "a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    yield connection
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
        else:
            yield connection


def _made_before_migrations(connection: Connection) -> bool:
    from bot.db import Base

    tables = set(inspect(connection).get_table_names())
    return "alembic_version" not in tables and bool(tables & set(Base.metadata.tables))


def _complete_legacy_tables(connection: Connection) -> None:
    """A database of a version before migrations: create its missing tables, and add the
    columns (all nullable) and indexes added since, so that it matches the baseline."""
    from bot.db import Base

    Base.metadata.create_all(connection)
    existing = set(inspect(connection).get_table_names())
    for table in Base.metadata.sorted_tables:
        if table.name not in existing:
            continue
        present = {c["name"] for c in inspect(connection).get_columns(table.name)}
        for column in table.columns:
            if column.name in present:
                continue
            if not column.nullable:
                raise RuntimeError(f"Table {table.name} lacks required column {column.name}")
            kind = column.type.compile(dialect=connection.dialect)
            connection.execute(sql_text(
                f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}"))
        for index in table.indexes:
            index.create(connection, checkfirst=True)
    connection.commit()
