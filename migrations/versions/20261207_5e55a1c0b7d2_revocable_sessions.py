"""revocable sessions: user.session_version

A session cookie or bearer token carries the version it was issued under; raising the version (logout, password
change, deactivation) ends them all. Existing users start at 0; sessions issued before this carry no version and end.

Revision ID: 5e55a1c0b7d2
Revises: eba07e34c772
Create Date: 2026-12-07 06:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5e55a1c0b7d2"
down_revision: str | None = "eba07e34c772"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# In place, not as a batch copy: on SQLite with foreign keys on, copying the user table would cascade-delete every
# row that references a user (deals, drills, role-plays); adding and dropping one column needs no copy.
def upgrade() -> None:
    op.add_column("user", sa.Column("session_version", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    op.drop_column("user", "session_version")
