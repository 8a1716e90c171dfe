"""turn comments and notices: a review may comment on one line of the transcript (review.turn_id); a rep's
notifications are read up to user.notices_seen_at

The user column is added in place (copying the user table under SQLite's foreign keys would cascade-delete
what users own); the review table, which nothing references, is copied to gain its foreign key.

Revision ID: 9a4b6e2d1c37
Revises: 3f8d1c5a7e21
Create Date: 2026-12-07 06:23:33.673642
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "9a4b6e2d1c37"
down_revision: str | None = "3f8d1c5a7e21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(sa.Column("turn_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_review_turn_id_turn", "turn", ["turn_id"], ["id"], ondelete="CASCADE")
    op.add_column("user", sa.Column("notices_seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    op.drop_column("user", "notices_seen_at")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_constraint("fk_review_turn_id_turn", type_="foreignkey")
        batch_op.drop_column("turn_id")
