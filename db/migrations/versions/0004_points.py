"""points: rule catalogue, ledger, reviews, closed months, star ratings, settings

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

APPEND_ONLY = ("point_entries", "point_reviews", "point_months", "star_periods", "star_ratings")


def upgrade() -> None:
    op.create_table('point_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('monthly_cap', sa.Integer(), nullable=True),
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_key', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('monthly_cap IS NULL OR monthly_cap > 0', name=op.f('ck_point_items_cap_positive')),
    sa.CheckConstraint("scope IN ('person', 'household')", name=op.f('ck_point_items_scope')),
    sa.CheckConstraint('points <> 0', name=op.f('ck_point_items_points_not_zero')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_point_items')),
    sa.UniqueConstraint('category', 'name', name='category_name')
    )
    op.create_table('settings',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('point_months',
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('closed_by', sa.Integer(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['closed_by'], ['staff.id'], name=op.f('fk_point_months_closed_by_staff')),
    sa.PrimaryKeyConstraint('month', name=op.f('pk_point_months'))
    )
    op.create_table('star_periods',
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('thresholds', sa.Text(), nullable=False),
    sa.Column('rated_by', sa.Integer(), nullable=False),
    sa.Column('rated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['rated_by'], ['staff.id'], name=op.f('fk_star_periods_rated_by_staff')),
    sa.PrimaryKeyConstraint('period', name=op.f('pk_star_periods'))
    )
    op.create_table('star_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('stars', sa.Integer(), nullable=False),
    sa.Column('voucher', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_star_ratings_household_id_households')),
    sa.ForeignKeyConstraint(['period'], ['star_periods.period'], name=op.f('fk_star_ratings_period_star_periods')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_star_ratings')),
    sa.UniqueConstraint('period', 'household_id', name='period_household')
    )
    with op.batch_alter_table('star_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_star_ratings_household_id'), ['household_id'], unique=False)

    op.create_table('point_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('deed_date', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('deed', 'reversal', 'redemption')", name=op.f('ck_point_entries_kind')),
    sa.CheckConstraint('points <> 0', name=op.f('ck_point_entries_points_not_zero')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_point_entries_household_id_households')),
    sa.ForeignKeyConstraint(['item_id'], ['point_items.id'], name=op.f('fk_point_entries_item_id_point_items')),
    sa.ForeignKeyConstraint(['recorded_by'], ['staff.id'], name=op.f('fk_point_entries_recorded_by_staff')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_point_entries_resident_id_residents')),
    sa.ForeignKeyConstraint(['reverses_id'], ['point_entries.id'], name=op.f('fk_point_entries_reverses_id_point_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_point_entries'))
    )
    with op.batch_alter_table('point_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_point_entries_deed_date'), ['deed_date'], unique=False)
        batch_op.create_index('ix_point_entries_household_points', ['household_id', 'deed_date', 'points'], unique=False)
        batch_op.create_index(batch_op.f('ix_point_entries_item_id'), ['item_id'], unique=False)
        batch_op.create_index('ix_point_entries_resident_points', ['resident_id', 'deed_date', 'points'], unique=False)
        batch_op.create_index('ix_point_entries_reverses_id', ['reverses_id'], unique=False, sqlite_where=sa.text('reverses_id IS NOT NULL'))

    op.create_table('point_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('reviewed_by', sa.Integer(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('deed_date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=10), server_default='deed', nullable=False),
    sa.CheckConstraint("decision IN ('approved', 'rejected')", name=op.f('ck_point_reviews_decision')),
    sa.ForeignKeyConstraint(['entry_id'], ['point_entries.id'], name=op.f('fk_point_reviews_entry_id_point_entries')),
    sa.ForeignKeyConstraint(['reviewed_by'], ['staff.id'], name=op.f('fk_point_reviews_reviewed_by_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_point_reviews')),
    sa.UniqueConstraint('entry_id', name=op.f('uq_point_reviews_entry_id'))
    )
    with op.batch_alter_table('point_reviews', schema=None) as batch_op:
        batch_op.create_index('ix_point_reviews_household', ['decision', 'household_id', 'deed_date', 'points', 'kind'], unique=False)
        batch_op.create_index('ix_point_reviews_resident', ['decision', 'resident_id', 'deed_date', 'points', 'kind'], unique=False)
        batch_op.create_index('ix_point_reviews_deed_date', ['deed_date', 'decision', 'points', 'household_id', 'kind'], unique=False)
    # The database itself keeps the catalogue and refuses to change the ledger.
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS no_delete_point_items BEFORE DELETE ON point_items "
        "BEGIN SELECT RAISE(ABORT, 'point_items: records are never deleted'); END"
    )
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS point_reviews_copy_entry BEFORE INSERT ON point_reviews "
        "WHEN NOT EXISTS (SELECT 1 FROM point_entries e WHERE e.id = NEW.entry_id "
        "AND e.resident_id IS NEW.resident_id AND e.household_id = NEW.household_id "
        "AND e.points = NEW.points AND e.deed_date = NEW.deed_date AND e.kind = NEW.kind) "
        "BEGIN SELECT RAISE(ABORT, 'point_reviews: the copy differs from its entry'); END"
    )
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS point_entries_open_month BEFORE INSERT ON point_entries "
        "WHEN EXISTS (SELECT 1 FROM point_months WHERE month = substr(NEW.deed_date, 1, 7)) "
        "BEGIN SELECT RAISE(ABORT, 'point_entries: the month is closed'); END"
    )
    for table in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER IF NOT EXISTS no_delete_{table} BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table}: records are never deleted'); END"
        )
        op.execute(
            f"CREATE TRIGGER IF NOT EXISTS no_update_{table} BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table}: entries are never changed'); END"
        )


def downgrade() -> None:
    for table in APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS no_delete_{table}")
        op.execute(f"DROP TRIGGER IF EXISTS no_update_{table}")
    op.execute("DROP TRIGGER IF EXISTS no_delete_point_items")
    op.execute("DROP TRIGGER IF EXISTS point_reviews_copy_entry")
    op.execute("DROP TRIGGER IF EXISTS point_entries_open_month")
    with op.batch_alter_table('point_reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_point_reviews_deed_date')
        batch_op.drop_index('ix_point_reviews_resident')
        batch_op.drop_index('ix_point_reviews_household')

    op.drop_table('point_reviews')
    with op.batch_alter_table('point_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_point_entries_reverses_id', sqlite_where=sa.text('reverses_id IS NOT NULL'))
        batch_op.drop_index('ix_point_entries_resident_points')
        batch_op.drop_index(batch_op.f('ix_point_entries_item_id'))
        batch_op.drop_index('ix_point_entries_household_points')
        batch_op.drop_index(batch_op.f('ix_point_entries_deed_date'))

    op.drop_table('point_entries')
    with op.batch_alter_table('star_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_star_ratings_household_id'))

    op.drop_table('star_ratings')
    op.drop_table('star_periods')
    op.drop_table('point_months')
    op.drop_table('settings')
    op.drop_table('point_items')
