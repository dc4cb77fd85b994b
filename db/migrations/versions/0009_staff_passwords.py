"""staff passwords

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild), so the staff table keeps its no-delete trigger.
    op.add_column('staff', sa.Column('password_hash', sa.String(length=200), nullable=True))
    op.add_column('staff', sa.Column('failed_logins', sa.Integer(), server_default=sa.text('0'), nullable=False))
    op.add_column('staff', sa.Column('locked_until', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')
        batch_op.drop_column('password_hash')
    op.execute("CREATE TRIGGER IF NOT EXISTS no_delete_staff BEFORE DELETE ON staff "
               "BEGIN SELECT RAISE(ABORT, 'staff: records are never deleted'); END")
