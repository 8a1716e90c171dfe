"""Demo data for a first run: one team, its manager, two reps and an admin (idempotent)."""

from dataclasses import dataclass

from sqlmodel import Session, select

from app.accounts import create_user
from app.models import Role, User

DEMO_TEAM = "华东销售一组"


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: Role
    display_name: str
    team: str | None


DEMO_USERS = (
    DemoUser("manager", "manager-demo-2026", Role.manager, "王经理", DEMO_TEAM),
    DemoUser("rep1", "rep1-demo-2026", Role.rep, "李明", DEMO_TEAM),
    DemoUser("rep2", "rep2-demo-2026", Role.rep, "张伟", DEMO_TEAM),
    DemoUser("admin", "admin-demo-2026", Role.admin, "管理员", None),
)


def seed_demo(session: Session) -> list[DemoUser]:
    """Create the demo users that are missing; returns the ones created."""
    created = []
    for demo in DEMO_USERS:
        if session.exec(select(User).where(User.username == demo.username)).first() is None:
            create_user(session, demo.username, demo.password, demo.role, demo.team, demo.display_name)
            created.append(demo)
    return created
