"""Alembic's environment: our tables (bot.db) on the assistant's database.

The URL is the one `bot.schema.migrate` passes in (config attribute "url"), otherwise
the assistant's own (DATABASE_URL or var/assistant.db). Rasa's `events` table is created
by a revision of ours but described by Rasa (rasa.core.tracker_store), not by bot.db, so
autogenerate leaves it alone.
"""
from alembic import context
from sqlalchemy import engine_from_config, pool

from bot.db import Base
from bot.schema import include_object
from bot.settings import database_url


def run_migrations() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.attributes.get("url") or database_url()
    engine = engine_from_config({"sqlalchemy.url": url}, prefix="sqlalchemy.",
                                poolclass=pool.NullPool, future=True)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      include_object=include_object, compare_type=True,
                      render_as_batch=connection.dialect.name == "sqlite",
                      transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=context.config.attributes.get("url") or database_url(),
                      target_metadata=Base.metadata, include_object=include_object,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations()
