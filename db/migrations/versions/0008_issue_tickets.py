"""issue tickets

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

NO_DELETE = ("inspection_rounds", "inspection_checks", "tickets")
APPEND_ONLY = ("ticket_events",)


def upgrade() -> None:
    op.create_table('inspection_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['staff.id'], name=op.f('fk_inspection_rounds_created_by_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_rounds'))
    )
    op.create_table('inspection_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('building_id', sa.Integer(), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=True),
    sa.Column('checked_by', sa.String(length=50), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['building_id'], ['buildings.id'], name=op.f('fk_inspection_checks_building_id_buildings')),
    sa.ForeignKeyConstraint(['round_id'], ['inspection_rounds.id'], name=op.f('fk_inspection_checks_round_id_inspection_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_checks')),
    sa.UniqueConstraint('round_id', 'building_id', name='round_building')
    )
    op.create_table('tickets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=10), nullable=False),
    sa.Column('priority', sa.String(length=4), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('building_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('handed_to', sa.String(length=100), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('satisfaction', sa.String(length=10), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=True),
    sa.Column('check_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("state IN ('已受理', '处理中', '现场办结', '已转办', '已办结', '已回访')", name=op.f('ck_tickets_state')),
    sa.ForeignKeyConstraint(['building_id'], ['buildings.id'], name=op.f('fk_tickets_building_id_buildings')),
    sa.ForeignKeyConstraint(['check_id'], ['inspection_checks.id'], name=op.f('fk_tickets_check_id_inspection_checks')),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_tickets_matter_id_matters')),
    sa.ForeignKeyConstraint(['recorded_by'], ['staff.id'], name=op.f('fk_tickets_recorded_by_staff')),
    sa.ForeignKeyConstraint(['reporter_id'], ['residents.id'], name=op.f('fk_tickets_reporter_id_residents')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_tickets_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tickets'))
    )
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tickets_accepted_at'), ['accepted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_tickets_building_id'), ['building_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tickets_check_id'), ['check_id'], unique=False)
        batch_op.create_index('ix_tickets_follow_up', ['closed_at'], unique=False, sqlite_where=sa.text("state IN ('现场办结', '已办结')"))
        batch_op.create_index(batch_op.f('ix_tickets_matter_id'), ['matter_id'], unique=False)
        batch_op.create_index('ix_tickets_open_due', ['due_on'], unique=False, sqlite_where=sa.text('closed_at IS NULL'))
        batch_op.create_index(batch_op.f('ix_tickets_reporter_id'), ['reporter_id'], unique=False)

    op.create_table('ticket_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('from_state', sa.String(length=10), nullable=False),
    sa.Column('to_state', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('to_whom', sa.String(length=100), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_ticket_events_staff_id_staff')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_events_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_events'))
    )
    with op.batch_alter_table('ticket_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_events_ticket_id'), ['ticket_id'], unique=False)

    for table in NO_DELETE + APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER IF NOT EXISTS no_delete_{table} BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table}: records are never deleted'); END"
        )
    for table in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER IF NOT EXISTS no_update_{table} BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table}: entries are never changed'); END"
        )


def downgrade() -> None:
    for table in NO_DELETE + APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS no_delete_{table}")
    for table in APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS no_update_{table}")
    with op.batch_alter_table('ticket_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_events_ticket_id'))

    op.drop_table('ticket_events')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tickets_reporter_id'))
        batch_op.drop_index('ix_tickets_open_due', sqlite_where=sa.text('closed_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_tickets_matter_id'))
        batch_op.drop_index('ix_tickets_follow_up', sqlite_where=sa.text("state IN ('现场办结', '已办结')"))
        batch_op.drop_index(batch_op.f('ix_tickets_check_id'))
        batch_op.drop_index(batch_op.f('ix_tickets_building_id'))
        batch_op.drop_index(batch_op.f('ix_tickets_accepted_at'))

    op.drop_table('tickets')
    op.drop_table('inspection_checks')
    op.drop_table('inspection_rounds')
