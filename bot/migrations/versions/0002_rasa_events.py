"""Rasa's tracker store table (`events`), so that the whole schema exists before any
Rasa instance starts. Rasa's SQLTrackerStore creates it too, only when absent, with
this same layout (Rasa 3.6, rasa.core.tracker_store.SQLTrackerStore.SQLEvent); an
existing table is left as it is.

Revision ID: 0002
Revises: 0001
Created: 2026-11-21
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "events" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=255), nullable=False),
        sa.Column("type_name", sa.String(length=255), nullable=False),
        sa.Column("timestamp", sa.Float(), nullable=True),
        sa.Column("intent_name", sa.String(length=255), nullable=True),
        sa.Column("action_name", sa.String(length=255), nullable=True),
        sa.Column("data", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_events_sender_id", "events", ["sender_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_events_sender_id", table_name="events")
    op.drop_table("events")
