"""API shapes for drills, attempts and reviews: what managers send and what every role reads back."""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from app.models import CoachingNotePublic

Username = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class DrillStatus(StrEnum):
    """Where one rep stands on one drill."""

    assigned = "assigned"  # no attempt yet
    in_progress = "in_progress"  # started, not passed, attempts left, not overdue
    passed = "passed"  # an attempt reached the pass score
    failed = "failed"  # every allowed attempt used without a pass
    overdue = "overdue"  # the due date has passed without a pass
    cancelled = "cancelled"  # the manager cancelled the drill before this rep passed


class DrillCreate(BaseModel):
    """A manager's new drill; the owner, team membership and scores are never taken from the input."""

    model_config = ConfigDict(extra="forbid")

    scenario_id: str = Field(min_length=1, max_length=80)
    team: str | None = Field(default=None, max_length=80)
    assignees: list[Username] | None = Field(default=None, max_length=200)
    due: date
    pass_score: int = Field(ge=0, le=100)
    attempts: int | None = Field(default=None, ge=1, le=50)
    note: str = Field(default="", max_length=2000)
    include_newcomers: bool = True  # a team drill also reaches reps who join the team while it is open

    @model_validator(mode="after")
    def _someone_to_assign(self) -> "DrillCreate":
        if not self.team and not self.assignees:
            raise ValueError("give a team, assignees, or both")
        return self


class DrillCreated(BaseModel):
    id: int


class DrillUpdate(BaseModel):
    """A correction of a drill; only the fields sent change. `attempts: null` means unlimited."""

    model_config = ConfigDict(extra="forbid")

    due: date | None = None
    pass_score: int | None = Field(default=None, ge=0, le=100)
    attempts: int | None = Field(default=None, ge=1, le=50)
    note: str | None = Field(default=None, max_length=2000)
    include_newcomers: bool | None = None
    cancelled: bool | None = None


class AssignmentUpdate(BaseModel):
    """One rep's own due date (null: back to the drill's) and attempts on top of the drill's."""

    model_config = ConfigDict(extra="forbid")

    due: date | None = None
    extra_attempts: int | None = Field(default=None, ge=0, le=50)


class DrillChangePublic(BaseModel):
    id: int
    changed_by: int
    changed_by_name: str
    assignee_id: int | None
    assignee_name: str | None
    changes: dict[str, list[str]]  # field -> [before, after]
    created_at: datetime


class ReviewCreate(BaseModel):
    """A manager's comment on an attempt, optionally overriding the coach's score (then with a reason);
    with `turn_id`, a comment on that line of the transcript (no override)."""

    model_config = ConfigDict(extra="forbid")

    comment: str = Field(default="", max_length=4000)
    override_score: int | None = Field(default=None, ge=0, le=100)
    reason: str = Field(default="", max_length=1000)
    turn_id: int | None = Field(default=None, ge=1, le=2**31 - 1)

    @model_validator(mode="after")
    def _complete(self) -> "ReviewCreate":
        # Error types name the problem for the pages, which word it in the reader's language.
        if self.override_score is not None and not self.reason.strip():
            raise PydanticCustomError("reason_required", "a reason is required when overriding the score")
        if self.override_score is None and not self.comment.strip():
            raise PydanticCustomError("review_empty", "a review needs a comment or an override score")
        if self.turn_id is not None and self.override_score is not None:
            raise PydanticCustomError("turn_override", "a comment on one line cannot override the score")
        return self


class ReviewPublic(BaseModel):
    id: int
    roleplay_id: int
    reviewer_id: int
    reviewer_name: str
    comment: str
    override_score: int | None
    reason: str
    created_at: datetime
    turn_id: int | None = None  # a comment on this line of the transcript


class AttemptPublic(BaseModel):
    """One role-play attempt with both scores: the coach's and, when a manager overrode it, the override."""

    id: int
    owner_id: int
    scenario_id: str
    drill_id: int | None
    status: str
    coach_score: int | None
    override_score: int | None  # the latest override, if any
    score: int | None  # effective: the latest override, else the coach's score
    created_at: datetime
    finished_at: datetime | None
    reviews: list[ReviewPublic]


class AttemptReviews(BaseModel):
    roleplay_id: int
    coach_score: int | None
    score: int | None
    reviews: list[ReviewPublic]


class CoachingNoteReviewed(CoachingNotePublic):
    """A coaching note with, for a role-play, its effective score (latest override, else the coach's) and reviews."""

    effective_score: int | None = None
    reviews: list[ReviewPublic] = []


class Notice(BaseModel):
    """One line of a rep's notification area: a review of their attempt, a new drill, a drill due soon."""

    kind: str  # "review" | "drill" | "due_soon"
    at: datetime | date
    new: bool
    link: str
    who: str = ""  # the reviewer or the drill's creator
    scenario_id: str = ""
    score: int | None = None  # a review's override
    text: str = ""  # a review's comment


class AssigneeResult(BaseModel):
    user_id: int
    username: str
    display_name: str
    attempts: int
    attempts_left: int | None  # None: unlimited
    best_score: int | None
    passed: bool
    status: DrillStatus
    due: date | None = None  # this rep's due date (the drill's, or their extension)
    extended: bool = False  # the due date is this rep's own extension
    attempts_allowed: int | None = None  # the drill's plus this rep's extra attempts; None: unlimited
    extra_attempts: int = 0


class DrillPublic(BaseModel):
    id: int
    scenario_id: str
    scenario_title_zh: str
    scenario_title_en: str
    team_id: int | None
    team_name: str | None
    created_by: int
    due: date
    pass_score: int
    attempts_allowed: int | None
    note: str
    created_at: datetime
    assignees: int  # among those the caller may see
    passed: int
    mine: AssigneeResult | None  # the caller's own standing when the drill is assigned to them
    include_newcomers: bool = True
    cancelled_at: datetime | None = None


class DrillDetail(DrillPublic):
    results: list[AssigneeResult]
    attempts: list[AttemptPublic]
    changes: list[DrillChangePublic] = []  # every correction, oldest first


# --- team analytics ------------------------------------------------------------------------------


class TeamRef(BaseModel):
    id: int
    name: str


class RepSummary(BaseModel):
    """One rep's finished role-plays (drills and free practice) in numbers."""

    user_id: int
    username: str
    display_name: str
    team_name: str | None
    attempts: int
    average_score: float | None  # effective scores
    fivek: dict[str, float]  # mean 5K points per dimension, 0..20
    skills: dict[str, float]  # mean scorecard component per skill, 0..100
    spin_mix: dict[str, float]  # share of the rep's turns per SPIN label (S, P, I, N, other)
    questions: int  # turns counted in spin_mix


class DrillPassRate(BaseModel):
    drill_id: int
    scenario_id: str
    scenario_title_zh: str
    scenario_title_en: str
    due: date
    pass_score: int
    assignees: int
    passed: int
    pass_rate: float | None  # passed / assignees
    statuses: dict[DrillStatus, int]


class WeakSkill(BaseModel):
    """A skill the team scores lowest on, and where to practise it."""

    skill: str  # scorecard component
    element_id: str  # the playbook element it trains
    element_name_zh: str
    element_name_en: str
    average: float  # 0..100
    scenario_id: str | None  # the training scenario the team has practised least
    scenario_ids: list[str]  # every scenario that trains it
    drill_ids: list[int]  # the team's drills on those scenarios


class Agreement(BaseModel):
    """Coach vs manager on attempts that have both a coach score and a (latest) override."""

    pairs: int
    mean_abs_diff: float | None
    within_10_share: float | None  # share of pairs at most 10 points apart


class WeekSummary(BaseModel):
    week: str  # ISO week, e.g. 2026-W10
    attempts: int
    average_score: float | None
    fivek: dict[str, float]
    spin_mix: dict[str, float]


class TrendPoint(BaseModel):
    label: str  # a Beijing date (2026-03-02) or an ISO week (2026-W10)
    attempts: int
    skills: dict[str, float]  # the team's average per scorecard skill, 0-100; a skill nobody showed is absent


class SkillTrend(BaseModel):
    """Each scorecard skill over time for the reps covered, within the dashboard's date range."""

    unit: Literal["day", "week"]
    points: list[TrendPoint]


class TeamDashboard(BaseModel):
    teams: list[TeamRef]
    team_id: int | None
    attempts: int
    average_score: float | None
    assignments: int  # drill assignments of these reps
    passed: int
    pass_rate: float | None  # passed / assignments
    reps: list[RepSummary]
    drills: list[DrillPassRate]
    weakest_skills: list[WeakSkill]
    agreement: Agreement
    weeks: list[WeekSummary]
    skill_trend: SkillTrend


class ProgressPoint(BaseModel):
    roleplay_id: int
    scenario_id: str
    drill_id: int | None
    finished_at: datetime | None
    coach_score: int | None
    score: int | None
    skills: dict[str, float]  # 0..100 per scorecard component
    fivek: dict[str, float]  # 0..20 per dimension


class RepProgress(BaseModel):
    user_id: int
    username: str
    display_name: str
    skills: list[str]
    attempts: list[ProgressPoint]
