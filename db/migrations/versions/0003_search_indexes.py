"""indexes on residents' names and pinyin keys, for search as you type

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain CREATE INDEX: no table is rebuilt, so the no-delete triggers stay.
    op.create_index("ix_residents_name", "residents", ["name"], unique=False)
    op.create_index("ix_residents_name_pinyin", "residents", ["name_pinyin"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_residents_name_pinyin", table_name="residents")
    op.drop_index("ix_residents_name", table_name="residents")
