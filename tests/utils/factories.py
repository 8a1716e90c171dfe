"""Test factories: one `make_*` for every table, bearer headers for the API, web sign-in.

Each factory stores one row with sensible defaults, takes any column as a keyword override, creates the parents it
needs when none is given as an object (`owner=rep`) or an id (`owner_id=rep.id`) (a user, a team, a drill, a
role-play...), commits, and returns the refreshed row.
`FACTORIES` maps every table to its factory; tests/unit/test_factories.py fails when a table has none.
"""

import re
from collections.abc import Callable, Iterable
from datetime import timedelta
from itertools import count
from typing import Any, TypeVar

from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from app.accounts import create_user
from app.models import (
    CoachingNote,
    Drill,
    DrillAssignment,
    DrillChange,
    FlowRun,
    KnowledgeChunk,
    KnowledgeDocument,
    LlmUsage,
    Opportunity,
    PendingAsk,
    Review,
    Role,
    RolePlay,
    RolePlayStatus,
    Team,
    TeamManager,
    TeamScenario,
    TeamScenarioVersion,
    Turn,
    User,
)
from app.models.common import require_id, team_today, utcnow
from tests.utils.scenario_library import builtin_content

PASSWORD = "test-password-1"
SCENARIO = "mfg_vitamin_erp"  # a built-in scenario: the default for role-plays and drills
_serial = count(1)

Row = TypeVar("Row", bound=SQLModel)


def _link(fields: dict[str, Any], key: str, parent: SQLModel | None, make: Callable[[], SQLModel]) -> None:
    """Point the foreign key `key` at `parent` when given; else keep an id passed as `key=`; else make a parent."""
    if parent is not None:
        fields[key] = require_id(parent)
    elif key not in fields:
        fields[key] = require_id(make())


def _save(session: Session, row: Row) -> Row:
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


# --- people and teams ----------------------------------------------------------------------------------------


def make_user(
    session: Session, role: Role | str = Role.rep, team: str | None = None, username: str | None = None
) -> User:
    """A user through the accounts service (a hashed password, `team` joined as a rep or led as a manager)."""
    role = Role(role)
    return create_user(session, username or f"{role.value}{next(_serial)}", PASSWORD, role, team)


def make_team(session: Session, **fields: Any) -> Team:
    fields.setdefault("name", f"组{next(_serial)}")
    return _save(session, Team(**fields))


def make_team_manager(
    session: Session, team: Team | None = None, manager: User | None = None, **fields: Any
) -> TeamManager:
    """`manager` (a new manager by default) leads `team` (a new team by default)."""
    _link(fields, "team_id", team, lambda: make_team(session))
    _link(fields, "user_id", manager, lambda: make_user(session, Role.manager))
    return _save(session, TeamManager(**fields))


def make_pending_ask(session: Session, user: User | None = None, **fields: Any) -> PendingAsk:
    _link(fields, "user_id", user, lambda: make_user(session))
    fields.setdefault("id", f"ask{next(_serial):029d}")
    fields.setdefault("question", "维生素客户的批次追溯怎么讲？")
    return _save(session, PendingAsk(**fields))


def make_llm_usage(session: Session, user: User | None = None, **fields: Any) -> LlmUsage:
    _link(fields, "user_id", user, lambda: make_user(session))
    fields.setdefault("day", team_today())
    fields.setdefault("tokens", 100)
    return _save(session, LlmUsage(**fields))


# --- deals, flows and notes -----------------------------------------------------------------------------------


def make_opportunity(session: Session, owner: User | None = None, **fields: Any) -> Opportunity:
    _link(fields, "owner_id", owner, lambda: make_user(session))
    fields.setdefault("account", f"客户{next(_serial)}")
    return _save(session, Opportunity(**fields))


def make_note(session: Session, owner: User | None = None, **fields: Any) -> CoachingNote:
    """A coaching note (a role-play's by default; tests/utils/notes.py has a flow note with a real result)."""
    _link(fields, "owner_id", owner, lambda: make_user(session))
    fields.setdefault("kind", "roleplay")
    fields.setdefault("source_id", SCENARIO)
    fields.setdefault("title", "维生素 ERP 拜访")
    return _save(session, CoachingNote(**fields))


def make_flow_run(session: Session, owner: User | None = None, **fields: Any) -> FlowRun:
    _link(fields, "owner_id", owner, lambda: make_user(session))
    fields.setdefault("flow_id", "spin_call_plan")
    return _save(session, FlowRun(**fields))


# --- drills and role-plays ------------------------------------------------------------------------------------


def make_drill(session: Session, manager: User | None = None, assign: Iterable[User] = (), **fields: Any) -> Drill:
    """A drill due in three days set by `manager` (a new manager by default), assigned to each user of `assign`."""
    _link(fields, "created_by", manager, lambda: make_user(session, Role.manager))
    fields.setdefault("scenario_id", SCENARIO)
    fields.setdefault("due", team_today() + timedelta(days=3))
    fields.setdefault("pass_score", 60)
    drill = _save(session, Drill(**fields))
    for user in assign:
        make_drill_assignment(session, drill, user)
    return drill


def make_drill_assignment(
    session: Session, drill: Drill | None = None, user: User | None = None, **fields: Any
) -> DrillAssignment:
    _link(fields, "drill_id", drill, lambda: make_drill(session))
    _link(fields, "user_id", user, lambda: make_user(session))
    return _save(session, DrillAssignment(**fields))


def make_drill_change(
    session: Session, drill: Drill | None = None, changed_by: User | None = None, **fields: Any
) -> DrillChange:
    """A correction of `drill` (a new one by default), by its author unless `changed_by` is given."""
    _link(fields, "drill_id", drill, lambda: make_drill(session))
    _link(
        fields, "changed_by", changed_by, lambda: session.get(User, session.get(Drill, fields["drill_id"]).created_by)
    )
    fields.setdefault("changes", {"pass_score": ["60", "70"]})
    return _save(session, DrillChange(**fields))


def make_roleplay(
    session: Session,
    owner: User | None = None,
    drill: Drill | None = None,
    finished: bool = False,
    **fields: Any,
) -> RolePlay:
    """A role-play as the service leaves it: active, or `finished=True` (finished now unless `finished_at` is given;
    pass `score` for the coach's total). On `drill`, it is an attempt at that drill's scenario."""
    _link(fields, "owner_id", owner, lambda: make_user(session))
    if drill is not None:
        fields.setdefault("drill_id", drill.id)
        fields.setdefault("scenario_id", drill.scenario_id)
    fields.setdefault("scenario_id", SCENARIO)
    if finished:
        fields.setdefault("status", RolePlayStatus.finished)
        fields.setdefault("finished_at", utcnow())
    return _save(session, RolePlay(**fields))


def make_turn(session: Session, roleplay: RolePlay | None = None, **fields: Any) -> Turn:
    """The rep's next line in `roleplay` (a new role-play by default); `seq` follows the last turn stored."""
    _link(fields, "roleplay_id", roleplay, lambda: make_roleplay(session))
    if "seq" not in fields:
        stored = select(func.count()).select_from(Turn).where(Turn.roleplay_id == fields["roleplay_id"])
        fields["seq"] = session.exec(stored).one()
    fields.setdefault("speaker", "rep")
    fields.setdefault("text", "目前贵公司在现有系统方面是怎么安排的？")
    return _save(session, Turn(**fields))


def make_review(
    session: Session, roleplay: RolePlay | None = None, reviewer: User | None = None, **fields: Any
) -> Review:
    """A manager's review of `roleplay` (a new finished one by default), with a comment unless one is given."""
    _link(fields, "roleplay_id", roleplay, lambda: make_roleplay(session, finished=True, score=60))
    _link(fields, "reviewer_id", reviewer, lambda: make_user(session, Role.manager))
    fields.setdefault("comment", "开场清楚，追问还不够")
    return _save(session, Review(**fields))


# --- team documents and scenarios -----------------------------------------------------------------------------


def make_document(
    session: Session, team: Team | None = None, uploaded_by: User | None = None, **fields: Any
) -> KnowledgeDocument:
    """A team's uploaded Markdown document (stored as extracted text; no chunks: see `make_chunk`); no uploader
    unless `uploaded_by` is given."""
    _link(fields, "team_id", team, lambda: make_team(session))
    if uploaded_by is not None:
        fields["uploaded_by"] = require_id(uploaded_by)
    fields.setdefault("title", "产品说明")
    fields.setdefault("filename", "product.md")
    fields.setdefault("kind", "md")
    fields.setdefault("text", "# 产品说明\n\n波次拣货把拣货路径缩短约 30%。\n")
    fields.setdefault("size_bytes", len(fields["text"].encode("utf-8")))
    return _save(session, KnowledgeDocument(**fields))


def make_chunk(session: Session, document: KnowledgeDocument | None = None, **fields: Any) -> KnowledgeChunk:
    """A section of `document` (a new one by default): its whole title and text unless given."""
    _link(fields, "document_id", document, lambda: make_document(session))
    stored = session.get(KnowledgeDocument, fields["document_id"])
    fields.setdefault("position", 0)
    fields.setdefault("title", stored.title)
    fields.setdefault("text", stored.text)
    return _save(session, KnowledgeChunk(**fields))


def make_team_scenario(
    session: Session, team: Team | None = None, created_by: User | None = None, **fields: Any
) -> TeamScenario:
    """A team scenario's row alone (a draft, version 1); `make_team_scenario_version` stores its content.
    Scenarios stored through the library service: tests/utils/scenario_library.py."""
    _link(fields, "team_id", team, lambda: make_team(session))
    if created_by is not None:
        fields["created_by"] = require_id(created_by)
    fields.setdefault("title_zh", builtin_content()["title_zh"])
    return _save(session, TeamScenario(**fields))


def make_team_scenario_version(
    session: Session, scenario: TeamScenario | None = None, **fields: Any
) -> TeamScenarioVersion:
    """The content of `scenario` (a new one by default) at its latest version: a built-in scenario's unless given."""
    _link(fields, "scenario_id", scenario, lambda: make_team_scenario(session))
    stored = session.get(TeamScenario, fields["scenario_id"])
    fields.setdefault("version", stored.version)
    fields.setdefault("data", builtin_content())
    fields.setdefault("created_by", stored.created_by)
    return _save(session, TeamScenarioVersion(**fields))


# Every table's factory, called with the session alone (tests/unit/test_factories.py checks none is missing).
FACTORIES: dict[type[SQLModel], Callable[[Session], SQLModel]] = {
    CoachingNote: make_note,
    Drill: make_drill,
    DrillAssignment: make_drill_assignment,
    DrillChange: make_drill_change,
    FlowRun: make_flow_run,
    KnowledgeChunk: make_chunk,
    KnowledgeDocument: make_document,
    LlmUsage: make_llm_usage,
    Opportunity: make_opportunity,
    PendingAsk: make_pending_ask,
    Review: make_review,
    RolePlay: make_roleplay,
    Team: make_team,
    TeamManager: make_team_manager,
    TeamScenario: make_team_scenario,
    TeamScenarioVersion: make_team_scenario_version,
    Turn: make_turn,
    User: make_user,
}


# --- signing in -----------------------------------------------------------------------------------------------


def auth_headers(client: TestClient, user: User | str, password: str = PASSWORD) -> dict[str, str]:
    username = user if isinstance(user, str) else user.username
    response = client.post("/api/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def web_login(client: TestClient, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a browser would (CSRF token from the page)."""

    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303, response.text


def csrf_from(html: str) -> str:

    return re.search(r'"X-CSRF-Token": "([^"]+)"', html).group(1)


def north_and_south(session: Session) -> dict[str, User]:
    """Two teams, each with its manager and one rep: the pages' tests' world."""
    return {
        "manager": make_user(session, Role.manager, team="华北一组", username="mgr_north"),
        "rep": make_user(session, Role.rep, team="华北一组", username="rep_north"),
        "other_manager": make_user(session, Role.manager, team="华南一组", username="mgr_south"),
        "other_rep": make_user(session, Role.rep, team="华南一组", username="rep_south"),
    }
