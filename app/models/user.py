"""Users, roles and teams: who may see and do what."""

from datetime import datetime
from enum import StrEnum

from pydantic import field_validator
from sqlalchemy import false
from sqlmodel import Field, SQLModel

from app.models.common import created_at_field


class Role(StrEnum):
    rep = "rep"
    manager = "manager"
    admin = "admin"


class Team(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True, index=True)
    created_at: datetime = created_at_field()


class TeamManager(SQLModel, table=True):
    """A manager leads one or more teams."""

    __tablename__ = "team_manager"
    team_id: int = Field(foreign_key="team.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")


class UserBase(SQLModel):
    username: str = Field(min_length=2, max_length=40, unique=True, index=True)
    display_name: str = Field(default="", max_length=80)

    @field_validator("username")
    @classmethod
    def _username_chars(cls, value: str) -> str:
        if not value.replace("_", "").replace("-", "").replace(".", "").isalnum():
            raise ValueError("username may contain letters, digits, '-', '_' and '.' only")
        return value


class User(UserBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = Field(max_length=255)
    role: Role = Field(default=Role.rep, max_length=16)
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True, ondelete="SET NULL")
    is_active: bool = True
    # Sessions and tokens carry the version they were issued under; raising it (logout, password change,
    # deactivation) ends every one of them at once.
    session_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # Set by an admin's or manager's password reset (and CSV import): the user must choose a new one first.
    must_change_password: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    notices_seen_at: datetime | None = None  # the rep marked their home's notifications read up to here
    created_at: datetime = created_at_field()


class UserPublic(UserBase):
    id: int
    role: Role
    team_id: int | None
    is_active: bool = True
    must_change_password: bool = False
