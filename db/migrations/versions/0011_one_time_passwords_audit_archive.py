"""one-time passwords; the audit rows a restore undid (恢复前)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild), so the staff table keeps its no-delete trigger.
    op.add_column('staff', sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(),
                                     nullable=False))
    op.create_table('audit_archive',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('restore_id', sa.Integer(), nullable=False),
    sa.Column('original_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('staff_name', sa.String(length=50), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('entity', sa.String(length=30), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('before', sa.Text(), nullable=True),
    sa.Column('after', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['restore_id'], ['audit_log.id'], name=op.f('fk_audit_archive_restore_id_audit_log')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_archive'))
    )
    with op.batch_alter_table('audit_archive', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_archive_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_archive_restore_id'), ['restore_id'], unique=False)
    op.execute("CREATE TRIGGER IF NOT EXISTS no_delete_audit_archive BEFORE DELETE ON audit_archive "
               "BEGIN SELECT RAISE(ABORT, 'audit_archive: records are never deleted'); END")
    op.execute("CREATE TRIGGER IF NOT EXISTS no_update_audit_archive BEFORE UPDATE ON audit_archive "
               "BEGIN SELECT RAISE(ABORT, 'audit_archive: entries are never changed'); END")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS no_update_audit_archive")
    op.execute("DROP TRIGGER IF EXISTS no_delete_audit_archive")
    with op.batch_alter_table('audit_archive', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_archive_restore_id'))
        batch_op.drop_index(batch_op.f('ix_audit_archive_at'))
    op.drop_table('audit_archive')
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
    op.execute("CREATE TRIGGER IF NOT EXISTS no_delete_staff BEFORE DELETE ON staff "
               "BEGIN SELECT RAISE(ABORT, 'staff: records are never deleted'); END")
