"""A new, empty database on a PostgreSQL server, dropped afterwards: for the benchmark
and the tests (tests/support/postgres.py)."""
from __future__ import annotations

import contextlib
import uuid
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url


@contextlib.contextmanager
def temporary_postgres_database(admin_url: str, prefix: str) -> Iterator[URL]:
    """Create `<prefix>_<random>` through `admin_url`, yield its URL, then close every
    connection to it (ours and the servers') and drop it. Raises OperationalError when
    the server cannot be reached."""
    from bot.db import get_engine

    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except Exception:
        admin.dispose()
        raise
    url = make_url(admin_url).set(database=name)
    try:
        yield url
    finally:
        get_engine(url.render_as_string(hide_password=False)).dispose()
        with admin.connect() as connection:
            connection.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                {"name": name})
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
