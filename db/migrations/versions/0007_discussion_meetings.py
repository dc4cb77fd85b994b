"""discussion meetings

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

NO_DELETE = ("matters", "meetings", "agenda_items", "meeting_attendees")
APPEND_ONLY = ("matter_events", "decisions", "ballots")


def upgrade() -> None:
    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('held_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('host', sa.String(length=50), nullable=False),
    sa.Column('vote_rule', sa.String(length=10), nullable=False),
    sa.Column('quorum', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("vote_rule IN ('majority', 'two_thirds', 'households')", name=op.f('ck_meetings_vote_rule')),
    sa.ForeignKeyConstraint(['created_by'], ['staff.id'], name=op.f('fk_meetings_created_by_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings'))
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_held_at'), ['held_at'], unique=False)

    op.create_table('matters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('raised_by', sa.Integer(), nullable=False),
    sa.Column('raised_on', sa.Date(), nullable=False),
    sa.Column('building_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('responsible', sa.String(length=100), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("level IN ('邻里小事', '单元琐事', '小区公事', '复杂难事')", name=op.f('ck_matters_level')),
    sa.CheckConstraint("state IN ('待议', '已议', '办理中', '已办结', '已上报')", name=op.f('ck_matters_state')),
    sa.ForeignKeyConstraint(['building_id'], ['buildings.id'], name=op.f('fk_matters_building_id_buildings')),
    sa.ForeignKeyConstraint(['raised_by'], ['residents.id'], name=op.f('fk_matters_raised_by_residents')),
    sa.ForeignKeyConstraint(['recorded_by'], ['staff.id'], name=op.f('fk_matters_recorded_by_staff')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_matters_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matters'))
    )
    with op.batch_alter_table('matters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matters_raised_by'), ['raised_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_matters_raised_on'), ['raised_on'], unique=False)
        batch_op.create_index('ix_matters_state_level', ['state', 'level'], unique=False)

    op.create_table('meeting_attendees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('party', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('withdrawn', sa.Boolean(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_attendees_meeting_id_meetings')),
    sa.ForeignKeyConstraint(['recorded_by'], ['staff.id'], name=op.f('fk_meeting_attendees_recorded_by_staff')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_meeting_attendees_resident_id_residents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_attendees'))
    )
    with op.batch_alter_table('meeting_attendees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_attendees_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_attendees_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index('uq_meeting_attendees_resident', ['meeting_id', 'resident_id'], unique=True, sqlite_where=sa.text('resident_id IS NOT NULL AND withdrawn = 0'))

    op.create_table('agenda_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('withdrawn', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_agenda_items_matter_id_matters')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_agenda_items_meeting_id_meetings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_items')),
    sa.UniqueConstraint('meeting_id', 'matter_id', name='meeting_matter')
    )
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_items_matter_id'), ['matter_id'], unique=False)

    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('resolution', sa.Text(), nullable=False),
    sa.Column('responsible', sa.String(length=100), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('voted', sa.Boolean(), nullable=False),
    sa.Column('by_household', sa.Boolean(), nullable=False),
    sa.Column('votes_for', sa.Integer(), nullable=False),
    sa.Column('votes_against', sa.Integer(), nullable=False),
    sa.Column('votes_abstain', sa.Integer(), nullable=False),
    sa.Column('present', sa.Integer(), nullable=False),
    sa.Column('eligible', sa.Integer(), nullable=True),
    sa.Column('rule', sa.String(length=10), nullable=False),
    sa.Column('quorum', sa.Integer(), nullable=True),
    sa.Column('quorum_met', sa.Boolean(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('correction', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_decisions_matter_id_matters')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_decisions_meeting_id_meetings')),
    sa.ForeignKeyConstraint(['recorded_by'], ['staff.id'], name=op.f('fk_decisions_recorded_by_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_matter_id'), ['matter_id'], unique=False)
        batch_op.create_index('ix_decisions_meeting_matter', ['meeting_id', 'matter_id'], unique=False)

    op.create_table('matter_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('to_whom', sa.String(length=100), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_matter_events_matter_id_matters')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_matter_events_meeting_id_meetings')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_matter_events_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matter_events'))
    )
    with op.batch_alter_table('matter_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matter_events_matter_id'), ['matter_id'], unique=False)

    op.create_table('ballots',
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(length=10), nullable=False),
    sa.CheckConstraint("choice IN ('for', 'against', 'abstain')", name=op.f('ck_ballots_choice')),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_ballots_decision_id_decisions')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_ballots_household_id_households')),
    sa.PrimaryKeyConstraint('decision_id', 'household_id', name=op.f('pk_ballots'))
    )
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
    op.drop_table('ballots')
    with op.batch_alter_table('matter_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matter_events_matter_id'))

    op.drop_table('matter_events')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_decisions_meeting_matter')
        batch_op.drop_index(batch_op.f('ix_decisions_matter_id'))

    op.drop_table('decisions')
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_items_matter_id'))

    op.drop_table('agenda_items')
    with op.batch_alter_table('meeting_attendees', schema=None) as batch_op:
        batch_op.drop_index('uq_meeting_attendees_resident', sqlite_where=sa.text('resident_id IS NOT NULL AND withdrawn = 0'))
        batch_op.drop_index(batch_op.f('ix_meeting_attendees_resident_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_attendees_meeting_id'))

    op.drop_table('meeting_attendees')
    with op.batch_alter_table('matters', schema=None) as batch_op:
        batch_op.drop_index('ix_matters_state_level')
        batch_op.drop_index(batch_op.f('ix_matters_raised_on'))
        batch_op.drop_index(batch_op.f('ix_matters_raised_by'))

    op.drop_table('matters')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meetings_held_at'))

    op.drop_table('meetings')
