"""points supermarket

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

NO_DELETE = ("merchants", "shop_items")
APPEND_ONLY = ("stock_moves", "redemptions", "redemption_lines", "redemption_cancellations", "vouchers",
               "voucher_handovers")


def upgrade() -> None:
    op.create_table('merchants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('contact', sa.String(length=30), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('services', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merchants')),
    sa.UniqueConstraint('name', name=op.f('uq_merchants_name'))
    )
    op.create_table('shop_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('unit', sa.String(length=10), nullable=False),
    sa.Column('price', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('merchant_id', sa.Integer(), nullable=True),
    sa.Column('monthly_quota', sa.Integer(), nullable=True),
    sa.Column('low_stock', sa.Integer(), nullable=True),
    sa.Column('photo', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('goods', 'service')", name=op.f('ck_shop_items_kind')),
    sa.CheckConstraint('price > 0', name=op.f('ck_shop_items_price_positive')),
    sa.ForeignKeyConstraint(['merchant_id'], ['merchants.id'], name=op.f('fk_shop_items_merchant_id_merchants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_items')),
    sa.UniqueConstraint('name', name=op.f('uq_shop_items_name'))
    )
    op.create_table('vouchers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('stars', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('issued_by', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_vouchers_household_id_households')),
    sa.ForeignKeyConstraint(['issued_by'], ['staff.id'], name=op.f('fk_vouchers_issued_by_staff')),
    sa.ForeignKeyConstraint(['period'], ['star_periods.period'], name=op.f('fk_vouchers_period_star_periods')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vouchers')),
    sa.UniqueConstraint('period', 'household_id', name='period_household')
    )
    op.create_table('voucher_handovers',
    sa.Column('voucher_id', sa.Integer(), nullable=False),
    sa.Column('receiver', sa.String(length=50), nullable=False),
    sa.Column('handed_by', sa.Integer(), nullable=False),
    sa.Column('handed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['handed_by'], ['staff.id'], name=op.f('fk_voucher_handovers_handed_by_staff')),
    sa.ForeignKeyConstraint(['voucher_id'], ['vouchers.id'], name=op.f('fk_voucher_handovers_voucher_id_vouchers')),
    sa.PrimaryKeyConstraint('voucher_id', name=op.f('pk_voucher_handovers'))
    )
    op.create_table('redemptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('redeemed_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['point_entries.id'], name=op.f('fk_redemptions_entry_id_point_entries')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_redemptions_household_id_households')),
    sa.ForeignKeyConstraint(['recorded_by'], ['staff.id'], name=op.f('fk_redemptions_recorded_by_staff')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_redemptions_resident_id_residents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redemptions'))
    )
    with op.batch_alter_table('redemptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_redemptions_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_redemptions_redeemed_at'), ['redeemed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_redemptions_resident_id'), ['resident_id'], unique=False)

    op.create_table('redemption_cancellations',
    sa.Column('redemption_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('cancelled_by', sa.Integer(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cancelled_by'], ['staff.id'], name=op.f('fk_redemption_cancellations_cancelled_by_staff')),
    sa.ForeignKeyConstraint(['entry_id'], ['point_entries.id'], name=op.f('fk_redemption_cancellations_entry_id_point_entries')),
    sa.ForeignKeyConstraint(['redemption_id'], ['redemptions.id'], name=op.f('fk_redemption_cancellations_redemption_id_redemptions')),
    sa.PrimaryKeyConstraint('redemption_id', name=op.f('pk_redemption_cancellations'))
    )
    op.create_table('redemption_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('redemption_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('price', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_redemption_lines_quantity_positive')),
    sa.ForeignKeyConstraint(['item_id'], ['shop_items.id'], name=op.f('fk_redemption_lines_item_id_shop_items')),
    sa.ForeignKeyConstraint(['redemption_id'], ['redemptions.id'], name=op.f('fk_redemption_lines_redemption_id_redemptions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redemption_lines'))
    )
    with op.batch_alter_table('redemption_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_redemption_lines_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_redemption_lines_redemption_id'), ['redemption_id'], unique=False)

    op.create_table('stock_moves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('donor', sa.String(length=100), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('redemption_id', sa.Integer(), nullable=True),
    sa.Column('moved_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('in', 'out', 'adjust', 'write_off', 'cancel')", name=op.f('ck_stock_moves_kind')),
    sa.CheckConstraint('quantity <> 0', name=op.f('ck_stock_moves_quantity_not_zero')),
    sa.ForeignKeyConstraint(['item_id'], ['shop_items.id'], name=op.f('fk_stock_moves_item_id_shop_items')),
    sa.ForeignKeyConstraint(['recorded_by'], ['staff.id'], name=op.f('fk_stock_moves_recorded_by_staff')),
    sa.ForeignKeyConstraint(['redemption_id'], ['redemptions.id'], name=op.f('fk_stock_moves_redemption_id_redemptions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_moves'))
    )
    with op.batch_alter_table('stock_moves', schema=None) as batch_op:
        batch_op.create_index('ix_stock_moves_item', ['item_id', 'moved_at', 'quantity'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_moves_redemption_id'), ['redemption_id'], unique=False)
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
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS stock_moves_not_below_zero BEFORE INSERT ON stock_moves "
        "WHEN (SELECT COALESCE(SUM(quantity), 0) FROM stock_moves WHERE item_id = NEW.item_id) + NEW.quantity < 0 "
        "BEGIN SELECT RAISE(ABORT, 'stock_moves: stock would go below zero'); END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS stock_moves_not_below_zero")
    for table in NO_DELETE + APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS no_delete_{table}")
    for table in APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS no_update_{table}")
    with op.batch_alter_table('stock_moves', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_moves_redemption_id'))
        batch_op.drop_index('ix_stock_moves_item')

    op.drop_table('stock_moves')
    with op.batch_alter_table('redemption_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_redemption_lines_redemption_id'))
        batch_op.drop_index(batch_op.f('ix_redemption_lines_item_id'))

    op.drop_table('redemption_lines')
    op.drop_table('redemption_cancellations')
    with op.batch_alter_table('redemptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_redemptions_resident_id'))
        batch_op.drop_index(batch_op.f('ix_redemptions_redeemed_at'))
        batch_op.drop_index(batch_op.f('ix_redemptions_household_id'))

    op.drop_table('redemptions')
    op.drop_table('voucher_handovers')
    op.drop_table('vouchers')
    op.drop_table('shop_items')
    op.drop_table('merchants')
