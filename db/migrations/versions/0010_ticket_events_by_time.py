"""ticket events by time

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from alembic import op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_ticket_events_at', 'ticket_events', ['at', 'to_state', 'ticket_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_ticket_events_at', table_name='ticket_events')
