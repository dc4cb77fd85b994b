"""volunteer teams, activities, attendance

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

NO_DELETE = ("volunteer_teams", "team_members", "activities", "attendances")


def upgrade() -> None:
    op.create_table('volunteer_teams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['leader_id'], ['residents.id'], name=op.f('fk_volunteer_teams_leader_id_residents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_teams')),
    sa.UniqueConstraint('name', name=op.f('uq_volunteer_teams_name'))
    )
    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('organiser', sa.String(length=50), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('planned_headcount', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('points_cap', sa.Integer(), nullable=True),
    sa.Column('visited_id', sa.Integer(), nullable=True),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_activities_ends_after_start')),
    sa.ForeignKeyConstraint(['created_by'], ['staff.id'], name=op.f('fk_activities_created_by_staff')),
    sa.ForeignKeyConstraint(['team_id'], ['volunteer_teams.id'], name=op.f('fk_activities_team_id_volunteer_teams')),
    sa.ForeignKeyConstraint(['visited_id'], ['residents.id'], name=op.f('fk_activities_visited_id_residents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_visited_id'), ['visited_id'], unique=False)

    op.create_table('team_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('joined_on', sa.Date(), nullable=False),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_team_members_resident_id_residents')),
    sa.ForeignKeyConstraint(['team_id'], ['volunteer_teams.id'], name=op.f('fk_team_members_team_id_volunteer_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_members')),
    sa.UniqueConstraint('team_id', 'resident_id', name='team_resident')
    )
    with op.batch_alter_table('team_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_members_resident_id'), ['resident_id'], unique=False)

    op.create_table('attendances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('signed_in_at', sa.DateTime(), nullable=True),
    sa.Column('signed_out_at', sa.DateTime(), nullable=True),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('adjust_reason', sa.Text(), nullable=False),
    sa.Column('withdrawn', sa.Boolean(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_attendances_activity_id_activities')),
    sa.ForeignKeyConstraint(['entry_id'], ['point_entries.id'], name=op.f('fk_attendances_entry_id_point_entries')),
    sa.ForeignKeyConstraint(['recorded_by'], ['staff.id'], name=op.f('fk_attendances_recorded_by_staff')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_attendances_resident_id_residents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendances')),
    sa.UniqueConstraint('activity_id', 'resident_id', name='activity_resident')
    )
    with op.batch_alter_table('attendances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendances_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index('ix_attendances_activity_figures', ['activity_id', 'withdrawn', 'resident_id', 'minutes'], unique=False)
    for table in NO_DELETE:
        op.execute(
            f"CREATE TRIGGER IF NOT EXISTS no_delete_{table} BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table}: records are never deleted'); END"
        )


def downgrade() -> None:
    for table in NO_DELETE:
        op.execute(f"DROP TRIGGER IF EXISTS no_delete_{table}")
    with op.batch_alter_table('attendances', schema=None) as batch_op:
        batch_op.drop_index('ix_attendances_activity_figures')
        batch_op.drop_index(batch_op.f('ix_attendances_resident_id'))

    op.drop_table('attendances')
    with op.batch_alter_table('team_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_members_resident_id'))

    op.drop_table('team_members')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_visited_id'))
        batch_op.drop_index(batch_op.f('ix_activities_team_id'))
        batch_op.drop_index(batch_op.f('ix_activities_starts_at'))

    op.drop_table('activities')
    op.drop_table('volunteer_teams')
