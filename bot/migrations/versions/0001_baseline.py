"""Baseline: the tables of bot.db as they were when migrations began (answers,
escalations and their deliveries, staff users, audit log, message labels, conversation
summaries). A database created by an earlier version with create_all is brought to this
state and stamped by bot.schema.migrate.

Revision ID: 0001
Revises: -
Created: 2026-11-21 14:07:59.553932
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('topic', sa.String(length=50), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('week_min', sa.Integer(), nullable=True),
    sa.Column('week_max', sa.Integer(), nullable=True),
    sa.Column('severity', sa.String(length=20), nullable=True),
    sa.Column('jurisdiction', sa.String(length=10), nullable=True),
    sa.Column('quick_replies', sa.JSON(), nullable=True),
    sa.Column('reviewed_by', sa.String(length=200), nullable=False),
    sa.Column('reviewed_on', sa.Date(), nullable=False),
    sa.Column('review_due', sa.Date(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('loaded_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key', 'version', name='uq_answer_key_version')
    )
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answers_is_current'), ['is_current'], unique=False)
        batch_op.create_index(batch_op.f('ix_answers_key'), ['key'], unique=False)
        batch_op.create_index(batch_op.f('ix_answers_topic'), ['topic'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('target', sa.String(length=300), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_username'), ['username'], unique=False)

    op.create_table('conversation_summaries',
    sa.Column('sender_id', sa.String(length=255), nullable=False),
    sa.Column('channel', sa.String(length=50), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('last_at', sa.DateTime(), nullable=True),
    sa.Column('user_messages', sa.Integer(), nullable=False),
    sa.Column('topics', sa.Text(), nullable=False),
    sa.Column('escalated', sa.Boolean(), nullable=False),
    sa.Column('severity', sa.String(length=20), nullable=True),
    sa.Column('fallbacks', sa.Integer(), nullable=False),
    sa.Column('min_confidence', sa.Float(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('sender_id')
    )
    with op.batch_alter_table('conversation_summaries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_summaries_escalated'), ['escalated'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_summaries_last_at'), ['last_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_summaries_started_at'), ['started_at'], unique=False)

    op.create_table('conversation_summary_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_event_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('escalations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_key', sa.String(length=300), nullable=True),
    sa.Column('conversation_id', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('symptoms', sa.JSON(), nullable=False),
    sa.Column('severity', sa.String(length=20), nullable=True),
    sa.Column('input_channel', sa.String(length=50), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reported_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('acknowledged_by', sa.String(length=200), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by', sa.String(length=200), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalations_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_status'), ['status'], unique=False)
        batch_op.create_index('uq_escalations_source_key', ['source_key'], unique=True)

    op.create_table('message_labels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.String(length=255), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('predicted_topic', sa.String(length=50), nullable=True),
    sa.Column('correct_topic', sa.String(length=50), nullable=True),
    sa.Column('missed_red_flag', sa.Boolean(), nullable=False),
    sa.Column('severity', sa.String(length=20), nullable=True),
    sa.Column('labelled_by', sa.String(length=100), nullable=False),
    sa.Column('labelled_at', sa.DateTime(), nullable=False),
    sa.Column('exported_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sender_id', 'event_id', name='uq_label_message')
    )
    with op.batch_alter_table('message_labels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_labels_sender_id'), ['sender_id'], unique=False)

    op.create_table('staff_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    op.create_table('escalation_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('escalation_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('delivered_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('escalation_id', 'channel', name='uq_delivery_channel')
    )
    with op.batch_alter_table('escalation_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalation_deliveries_escalation_id'), ['escalation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalation_deliveries_status'), ['status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('escalation_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_escalation_deliveries_status'))
        batch_op.drop_index(batch_op.f('ix_escalation_deliveries_escalation_id'))

    op.drop_table('escalation_deliveries')
    op.drop_table('staff_users')
    with op.batch_alter_table('message_labels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_labels_sender_id'))

    op.drop_table('message_labels')
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_index('uq_escalations_source_key')
        batch_op.drop_index(batch_op.f('ix_escalations_status'))
        batch_op.drop_index(batch_op.f('ix_escalations_created_at'))
        batch_op.drop_index(batch_op.f('ix_escalations_conversation_id'))

    op.drop_table('escalations')
    op.drop_table('conversation_summary_progress')
    with op.batch_alter_table('conversation_summaries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_summaries_started_at'))
        batch_op.drop_index(batch_op.f('ix_conversation_summaries_last_at'))
        batch_op.drop_index(batch_op.f('ix_conversation_summaries_escalated'))

    op.drop_table('conversation_summaries')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_username'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))
        batch_op.drop_index(batch_op.f('ix_audit_log_action'))

    op.drop_table('audit_log')
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answers_topic'))
        batch_op.drop_index(batch_op.f('ix_answers_key'))
        batch_op.drop_index(batch_op.f('ix_answers_is_current'))

    op.drop_table('answers')
