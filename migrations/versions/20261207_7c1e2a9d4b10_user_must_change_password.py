"""user.must_change_password: a reset or imported password is one-time, changed at first sign-in

Existing users keep the password they chose (server default false). The column is added in place: copying
the user table under SQLite's foreign keys would cascade-delete everything users own.

Revision ID: 7c1e2a9d4b10
Revises: 9a1d3c6e4f20
Create Date: 2026-12-07 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7c1e2a9d4b10"
down_revision: str | None = "9a1d3c6e4f20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("user", sa.Column("must_change_password", sa.Boolean(), server_default="0", nullable=False))


def downgrade() -> None:
    op.drop_column("user", "must_change_password")
