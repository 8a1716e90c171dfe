"""API shapes for people and teams: what admins and managers send, what they read back."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.models import Role
from app.models.common import MAX_DB_INTEGER

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Password = Annotated[str, StringConstraints(min_length=8, max_length=256)]
Id = Annotated[int, Field(ge=1, le=MAX_DB_INTEGER)]


class UserCreate(BaseModel):
    """A new account. Without a password a one-time password is generated and returned once."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=2, max_length=40)
    display_name: str = Field(default="", max_length=80)
    role: Role = Role.rep
    team_id: Id | None = None
    password: Password | None = None


class UserUpdate(BaseModel):
    """Fields an admin may change (a manager: display name, team among theirs, active)."""

    model_config = ConfigDict(extra="forbid")

    display_name: str | None = Field(default=None, max_length=80)
    role: Role | None = None
    team_id: Id | None = None
    is_active: bool | None = None


class UserRow(BaseModel):
    id: int
    username: str
    display_name: str
    role: Role
    team_id: int | None
    team_name: str | None
    leads: list[str] = []
    is_active: bool
    must_change_password: bool


class UserCreated(UserRow):
    one_time_password: str | None = None


class OneTimePassword(BaseModel):
    user_id: int
    one_time_password: str


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(max_length=256)
    new_password: Password


class TeamCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    manager_ids: list[Id] = Field(default_factory=list, max_length=50)


class TeamUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    manager_ids: list[Id] | None = Field(default=None, max_length=50)


class TeamRow(BaseModel):
    id: int
    name: str
    managers: list[UserRow]
    members: int


class ImportRowReport(BaseModel):
    """One CSV line: what it would create, or why it cannot (`errors` are message codes with their values)."""

    line: int
    username: str
    role: str
    team: str
    errors: list[dict[str, str]] = []
    user_id: int | None = None
    one_time_password: str | None = None


class ImportReport(BaseModel):
    created: int
    rows: list[ImportRowReport]
