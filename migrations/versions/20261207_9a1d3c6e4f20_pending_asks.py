"""pending streamed asks in the database

A question posted for a streamed answer waits here until its stream is opened, so any worker process (or host)
can open it; before, it waited in the memory of the process that took the POST.

Revision ID: 9a1d3c6e4f20
Revises: 5e55a1c0b7d2
Create Date: 2026-12-07 06:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "9a1d3c6e4f20"
down_revision: str | None = "5e55a1c0b7d2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_ask",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("question", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pending_ask", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pending_ask_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_pending_ask_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pending_ask", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_ask_user_id"))
        batch_op.drop_index(batch_op.f("ix_pending_ask_created_at"))
    op.drop_table("pending_ask")
