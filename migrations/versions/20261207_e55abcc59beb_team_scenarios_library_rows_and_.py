"""team scenarios: library rows and immutable versions

A team scenario (draft / published / archived) and one row per version of its content; role-plays and
drills name a version by the string id `team_<n>_v<k>`, so no existing table changes.

Revision ID: e55abcc59beb
Revises: 1a251a44bb64
Create Date: 2026-12-07 05:57:30.856767
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "e55abcc59beb"
down_revision: str | None = "1a251a44bb64"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "team_scenario",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("stakeholder", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
        sa.Column("status", sa.Enum("draft", "published", "archived", name="scenariostatus"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title_zh", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["opportunity_id"], ["opportunity.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("team_scenario", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_scenario_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_team_scenario_created_by"), ["created_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_team_scenario_opportunity_id"), ["opportunity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_team_scenario_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_team_scenario_team_id"), ["team_id"], unique=False)

    op.create_table(
        "team_scenario_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["scenario_id"], ["team_scenario.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("scenario_id", "version"),
    )
    with op.batch_alter_table("team_scenario_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_scenario_version_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_team_scenario_version_scenario_id"), ["scenario_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("team_scenario_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_scenario_version_scenario_id"))
        batch_op.drop_index(batch_op.f("ix_team_scenario_version_created_at"))

    op.drop_table("team_scenario_version")
    with op.batch_alter_table("team_scenario", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_scenario_team_id"))
        batch_op.drop_index(batch_op.f("ix_team_scenario_owner_id"))
        batch_op.drop_index(batch_op.f("ix_team_scenario_opportunity_id"))
        batch_op.drop_index(batch_op.f("ix_team_scenario_created_by"))
        batch_op.drop_index(batch_op.f("ix_team_scenario_created_at"))

    op.drop_table("team_scenario")
    sa.Enum(name="scenariostatus").drop(op.get_bind(), checkfirst=True)
