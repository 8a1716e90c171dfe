"""drill corrections: cancel a drill, choose whether team drills reach newcomers, per-rep due date and extra
attempts, and the audit trail of every change (drill_change)

Existing drills keep reaching newcomers (server default true), as before. Columns are added and dropped in
place, never by copying a table: under SQLite's foreign keys, dropping the old copy of a parent table would
cascade-delete its children (assignments, reviews).

Revision ID: 3f8d1c5a7e21
Revises: 7c1e2a9d4b10
Create Date: 2026-12-07 06:09:42.890162
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "3f8d1c5a7e21"
down_revision: str | None = "7c1e2a9d4b10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "drill_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("drill_id", sa.Integer(), nullable=False),
        sa.Column("changed_by", sa.Integer(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["assignee_id"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["changed_by"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["drill_id"], ["drill.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("drill_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_drill_change_changed_by"), ["changed_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_drill_change_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_drill_change_drill_id"), ["drill_id"], unique=False)

    op.add_column("drill", sa.Column("include_newcomers", sa.Boolean(), server_default="1", nullable=False))
    op.add_column("drill", sa.Column("cancelled_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))

    op.add_column("drill_assignment", sa.Column("due", sa.Date(), nullable=True))
    op.add_column("drill_assignment", sa.Column("extra_attempts", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    op.drop_column("drill_assignment", "extra_attempts")
    op.drop_column("drill_assignment", "due")

    op.drop_column("drill", "cancelled_at")
    op.drop_column("drill", "include_newcomers")

    with op.batch_alter_table("drill_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_drill_change_drill_id"))
        batch_op.drop_index(batch_op.f("ix_drill_change_created_at"))
        batch_op.drop_index(batch_op.f("ix_drill_change_changed_by"))

    op.drop_table("drill_change")
