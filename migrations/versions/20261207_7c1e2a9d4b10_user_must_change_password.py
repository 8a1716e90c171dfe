"""user.must_change_password: a reset or imported password is one-time, changed at first sign-in

Existing users keep the password they chose (server default false).

Revision ID: 7c1e2a9d4b10
Revises: eba07e34c772
Create Date: 2026-12-07 06:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '7c1e2a9d4b10'
down_revision: str | None = 'eba07e34c772'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
