"""household liaison (党员联户) and residents' care tags (关怀标签)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

GUARDED = ("buildings", "units", "households", "residents", "staff")


def _restore_guards() -> None:
    # Batch mode rebuilds a table, which drops its triggers: put them back.
    for table in GUARDED:
        op.execute(
            f"CREATE TRIGGER IF NOT EXISTS no_delete_{table} BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table}: records are never deleted'); END"
        )


def upgrade() -> None:
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.add_column(sa.Column("liaison_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_households_liaison_id_residents", "residents", ["liaison_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_households_liaison_id"), ["liaison_id"], unique=False)
    with op.batch_alter_table("residents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("care_tags", sa.String(length=100), nullable=False, server_default="")
        )
    _restore_guards()


def downgrade() -> None:
    with op.batch_alter_table("residents", schema=None) as batch_op:
        batch_op.drop_column("care_tags")
    with op.batch_alter_table("households", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_households_liaison_id"))
        batch_op.drop_constraint("fk_households_liaison_id_residents", type_="foreignkey")
        batch_op.drop_column("liaison_id")
    _restore_guards()
