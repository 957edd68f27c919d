"""A new, empty database on the local PostgreSQL server for one test (or module), dropped
afterwards. Skipped where no server runs, but not in CI: CI machines run PostgreSQL."""
import contextlib
import os
import uuid
from typing import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from bot.db import get_engine

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@contextlib.contextmanager
def temporary_database(prefix: str) -> Iterator[URL]:
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        admin.dispose()
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL at {ADMIN_URL}: {str(error).splitlines()[0]}")
    url = make_url(ADMIN_URL).set(database=name)
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
