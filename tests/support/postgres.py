"""A new, empty database on the local PostgreSQL server for one test (or module), dropped
afterwards. Skipped where no server runs, but not in CI: CI machines run PostgreSQL."""
import contextlib
import os
from typing import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL

from bot.loadtest.databases import temporary_postgres_database

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@contextlib.contextmanager
def temporary_database(prefix: str) -> Iterator[URL]:
    try:
        database = temporary_postgres_database(ADMIN_URL, prefix)
        url = database.__enter__()
    except sa.exc.OperationalError as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL at {ADMIN_URL}: {str(error).splitlines()[0]}")
    try:
        yield url
    finally:
        database.__exit__(None, None, None)
