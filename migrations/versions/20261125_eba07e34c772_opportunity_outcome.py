"""opportunity outcome: open / won / lost, when it was closed, why it was lost

Existing deals become "open" (server default), as they were.

Revision ID: eba07e34c772
Revises: 440388695b7e
Create Date: 2026-11-25 03:20:10.514216
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "eba07e34c772"
down_revision: str | None = "440388695b7e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=8), server_default="open", nullable=False)
        )
        batch_op.add_column(sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("lost_reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.drop_column("lost_reason")
        batch_op.drop_column("closed_at")
        batch_op.drop_column("outcome")
