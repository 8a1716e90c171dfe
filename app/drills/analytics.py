"""Team analytics from stored attempts: per-rep numbers, drill pass rates, weakest skills, coach/manager agreement, progress."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import ValidationError
from sqlmodel import Session, col, select

from app.auth.policy import can_manage_team, managed_team_ids
from app.coaching.spin import SPIN_LABELS
from app.drills.results import Attempt, assignee_result, by_owner, load_attempts, scenario_titles
from app.drills.schemas import (
    Agreement,
    AssigneeResult,
    DrillPassRate,
    DrillStatus,
    ProgressPoint,
    RepProgress,
    RepSummary,
    SkillTrend,
    TeamDashboard,
    TeamRef,
    TrendPoint,
    WeakSkill,
    WeekSummary,
)
from app.models import CoachingNote, Drill, DrillAssignment, Role, RolePlay, RolePlayStatus, Team, User
from app.models.common import require_id, team_time, team_today
from app.playbook import get_playbook
from app.playbook.vocabulary import FIVEK_DIMENSIONS
from app.roleplay.scenarios import DIFFICULTIES, Scenario
from app.roleplay.scorecard import SKILL_ELEMENT, WEIGHTS, Scorecard
from app.scenarios import repository

SKILLS: tuple[str, ...] = tuple(WEIGHTS)
WEAKEST_SHOWN = 3
DAILY_TREND_DAYS = 31  # practice spanning at most this many days is trended by day, longer by ISO week
AGREEMENT_WITHIN = 10  # points: coach and manager "agree" when this close


@dataclass
class ScoredAttempt:
    """A finished attempt and the scorecard its coaching note holds (None for a note without one)."""

    attempt: Attempt
    scorecard: Scorecard | None

    @property
    def skills(self) -> dict[str, float]:
        if self.scorecard is None:
            return {}
        # A component that did not apply in a call (no objection raised) says nothing about the skill.
        components = self.scorecard.components
        return {skill: components[skill].ratio * 100 for skill in SKILLS if components[skill].applicable}

    @property
    def fivek(self) -> dict[str, float]:
        if self.scorecard is None:
            return {}
        return {dimension: float(self.scorecard.intensity.points.get(dimension, 0)) for dimension in FIVEK_DIMENSIONS}


def _mean(values: Iterable[float], digits: int = 2) -> float | None:
    values = list(values)
    return round(sum(values) / len(values), digits) if values else None


def _mean_by_key(dicts: list[dict[str, float]], keys: Iterable[str]) -> dict[str, float]:
    dicts = [d for d in dicts if d]
    means = {key: _mean(d[key] for d in dicts if key in d) for key in keys}
    return {key: value for key, value in means.items() if value is not None}


def _spin_mix(scored: list[ScoredAttempt]) -> tuple[dict[str, float], int]:
    counts: Counter[str] = Counter()
    for item in scored:
        if item.scorecard is not None:
            counts.update({label: item.scorecard.spin_counts.get(label, 0) for label in SPIN_LABELS})
    total = sum(counts.values())
    return ({label: round(counts[label] / total, 4) for label in SPIN_LABELS} if total else {}), total


def with_scorecards(session: Session, attempts: list[Attempt]) -> list[ScoredAttempt]:
    """Pair finished attempts with the scorecards in their coaching notes."""
    finished = [attempt for attempt in attempts if attempt.finished]
    note_ids = [attempt.roleplay.note_id for attempt in finished if attempt.roleplay.note_id is not None]
    notes = (
        {note.id: note for note in session.exec(select(CoachingNote).where(col(CoachingNote.id).in_(note_ids)))}
        if note_ids
        else {}
    )
    return [ScoredAttempt(attempt, _scorecard(notes.get(attempt.roleplay.note_id))) for attempt in finished]


def _scorecard(note: CoachingNote | None) -> Scorecard | None:
    raw = note.data.get("scorecard") if note is not None else None
    if raw is None:
        return None
    try:
        return Scorecard.model_validate(raw)
    except ValidationError:  # a note written by an older scorecard still counts for its score
        return None


# --- scope -----------------------------------------------------------------------------------------


def viewer_teams(session: Session, viewer: User) -> list[Team]:
    query = select(Team).order_by(Team.name)
    if viewer.role != Role.admin:
        query = query.where(col(Team.id).in_(managed_team_ids(session, viewer)))
    return list(session.exec(query))


def scope_reps(session: Session, viewer: User, team_id: int | None) -> list[User] | None:
    """The reps the dashboard covers: one team, or all the viewer's teams (admins: every rep); None if not theirs."""
    query = select(User).where(User.role == Role.rep).order_by(User.display_name, User.username)
    if team_id is not None:
        if not can_manage_team(session, viewer, team_id):
            return None
        return list(session.exec(query.where(User.team_id == team_id)))
    if viewer.role != Role.admin:
        query = query.where(col(User.team_id).in_(managed_team_ids(session, viewer)))
    return list(session.exec(query))


# --- dashboard -------------------------------------------------------------------------------------


def team_dashboard(
    session: Session, viewer: User, team_id: int | None = None, since: date | None = None, until: date | None = None
) -> TeamDashboard | None:
    """Everything the team page shows, computed from the stored attempts; None if the team is not the viewer's.

    `since`/`until` (Beijing dates, inclusive) limit the practice counted; drill pass rates stay whole."""
    reps = scope_reps(session, viewer, team_id)
    if reps is None:
        return None
    rep_ids = [require_id(rep) for rep in reps]
    attempts = load_attempts(session, col(RolePlay.owner_id).in_(rep_ids)) if rep_ids else []
    scored = [item for item in with_scorecards(session, attempts) if _within(item, since, until)]
    teams = {team.id: team.name for team in session.exec(select(Team))}
    drills = scope_drills(session, rep_ids)
    pass_rates = [
        _pass_rate(session, drill, results) for drill, results in results_by_drill(session, drills, reps, attempts)
    ]
    assignments, passed = sum(rate.assignees for rate in pass_rates), sum(rate.passed for rate in pass_rates)
    return TeamDashboard(
        teams=[TeamRef(id=team.id, name=team.name) for team in viewer_teams(session, viewer)],
        team_id=team_id,
        attempts=len(scored),
        average_score=_mean(item.attempt.score for item in scored if item.attempt.score is not None),
        assignments=assignments,
        passed=passed,
        pass_rate=round(passed / assignments, 4) if assignments else None,
        reps=[
            _rep_summary(rep, teams.get(rep.team_id), [s for s in scored if s.attempt.roleplay.owner_id == rep.id])
            for rep in reps
        ],
        drills=pass_rates,
        weakest_skills=_weakest_skills(
            scored,
            drills,
            repository.scenarios_for_teams(session, {rep.team_id for rep in reps if rep.team_id is not None}),
        ),
        agreement=agreement([item.attempt for item in scored]),
        weeks=_weeks(scored),
        skill_trend=skill_trend(scored),
    )


def _within(item: ScoredAttempt, since: date | None, until: date | None) -> bool:
    moment = item.attempt.roleplay.finished_at or item.attempt.roleplay.created_at
    day = team_time(moment).date()
    return (since is None or day >= since) and (until is None or day <= until)


def _rep_summary(rep: User, team_name: str | None, scored: list[ScoredAttempt]) -> RepSummary:
    spin_mix, questions = _spin_mix(scored)
    return RepSummary(
        user_id=rep.id,
        username=rep.username,
        display_name=rep.display_name or rep.username,
        team_name=team_name,
        attempts=len(scored),
        average_score=_mean(item.attempt.score for item in scored if item.attempt.score is not None),
        fivek=_mean_by_key([item.fivek for item in scored], FIVEK_DIMENSIONS),
        skills=_mean_by_key([item.skills for item in scored], SKILLS),
        spin_mix=spin_mix,
        questions=questions,
    )


def scope_drills(session: Session, rep_ids: list[int]) -> list[Drill]:
    """Drills assigned to any of these reps and not cancelled, latest due first."""
    if not rep_ids:
        return []
    assigned = select(DrillAssignment.drill_id).where(col(DrillAssignment.user_id).in_(rep_ids))
    # Cancelled drills are no longer asked for.
    query = select(Drill).where(col(Drill.id).in_(assigned), col(Drill.cancelled_at).is_(None))
    return list(session.exec(query.order_by(col(Drill.due).desc(), col(Drill.id).desc())))


def results_by_drill(
    session: Session, drills: list[Drill], reps: list[User], attempts: list[Attempt]
) -> list[tuple[Drill, list[AssigneeResult]]]:
    """Each drill with the results of its assignees among `reps`, from already loaded attempts."""
    reps_by_id = {require_id(rep): rep for rep in reps}
    assignees: dict[int, list[DrillAssignment]] = defaultdict(list)
    if drills:
        query = select(DrillAssignment).where(col(DrillAssignment.drill_id).in_([drill.id for drill in drills]))
        for assignment in session.exec(query):
            if assignment.user_id in reps_by_id:
                assignees[assignment.drill_id].append(assignment)
    by_drill: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in attempts:
        if attempt.roleplay.drill_id is not None:
            by_drill[attempt.roleplay.drill_id].append(attempt)
    today = team_today()
    rows = []
    for drill in drills:
        drill_id = require_id(drill)
        grouped = by_owner(by_drill[drill_id])
        rows.append(
            (
                drill,
                [
                    assignee_result(
                        drill, reps_by_id[assignment.user_id], grouped.get(assignment.user_id, []), today, assignment
                    )
                    for assignment in assignees[drill_id]
                ],
            )
        )
    return rows


def _pass_rate(session: Session, drill: Drill, results: list[AssigneeResult]) -> DrillPassRate:
    statuses = Counter(result.status for result in results)
    total, passed = len(results), statuses[DrillStatus.passed]
    title_zh, title_en = scenario_titles(session, drill.scenario_id)
    return DrillPassRate(
        drill_id=drill.id,
        scenario_id=drill.scenario_id,
        scenario_title_zh=title_zh,
        scenario_title_en=title_en,
        due=drill.due,
        pass_score=drill.pass_score,
        assignees=total,
        passed=passed,
        pass_rate=round(passed / total, 4) if total else None,
        statuses={status: statuses[status] for status in DrillStatus},
    )


def _weakest_skills(
    scored: list[ScoredAttempt], drills: list[Drill], scenarios: dict[str, Scenario]
) -> list[WeakSkill]:
    """The team's weakest skills, each with a scenario that trains it (built-in or the team's own, by base id)."""
    averages = _mean_by_key([item.skills for item in scored], SKILLS)
    if not averages:
        return []
    practised = Counter(repository.scenario_key(item.attempt.roleplay.scenario_id) for item in scored)
    playbook = get_playbook()
    weakest = sorted(averages, key=lambda skill: (averages[skill], SKILLS.index(skill)))[:WEAKEST_SHOWN]
    result = []
    for skill in weakest:
        element = playbook.element(SKILL_ELEMENT[skill])
        training = [scenario for scenario in scenarios.values() if element.id in scenario.trains]
        # Fresh practice first: the scenario the team has played least, easier before harder.
        fresh = min(training, key=lambda s: (practised[s.id], DIFFICULTIES.index(s.difficulty), s.id), default=None)
        training_ids = [scenario.id for scenario in training]
        result.append(
            WeakSkill(
                skill=skill,
                element_id=element.id,
                element_name_zh=element.name_zh,
                element_name_en=element.name_en,
                average=averages[skill],
                scenario_id=fresh.id if fresh else None,
                scenario_ids=training_ids,
                drill_ids=[drill.id for drill in drills if repository.scenario_key(drill.scenario_id) in training_ids],
            )
        )
    return result


def agreement(attempts: Iterable[Attempt]) -> Agreement:
    """Mean absolute difference and share within AGREEMENT_WITHIN points, over attempts scored by both."""
    gaps = [
        abs(attempt.override_score - attempt.coach_score)
        for attempt in attempts
        if attempt.finished and attempt.coach_score is not None and attempt.override_score is not None
    ]
    return Agreement(
        pairs=len(gaps),
        mean_abs_diff=_mean(gaps),
        within_10_share=round(sum(gap <= AGREEMENT_WITHIN for gap in gaps) / len(gaps), 4) if gaps else None,
    )


def _finished_local(attempt: Attempt) -> datetime:
    return team_time(attempt.roleplay.finished_at or attempt.roleplay.created_at)


def _weeks(scored: list[ScoredAttempt]) -> list[WeekSummary]:
    weeks: dict[str, list[ScoredAttempt]] = defaultdict(list)
    for item in scored:
        year, week, _ = _finished_local(item.attempt).isocalendar()
        weeks[f"{year}-W{week:02d}"].append(item)
    summaries = []
    for label in sorted(weeks):
        items = weeks[label]
        summaries.append(
            WeekSummary(
                week=label,
                attempts=len(items),
                average_score=_mean(item.attempt.score for item in items if item.attempt.score is not None),
                fivek=_mean_by_key([item.fivek for item in items], FIVEK_DIMENSIONS),
                spin_mix=_spin_mix(items)[0],
            )
        )
    return summaries


def skill_trend(scored: list[ScoredAttempt]) -> SkillTrend:
    """The team's average of every skill per day (or per ISO week when the practice spans more than a month)."""
    days = sorted({_finished_local(item.attempt).date() for item in scored})
    unit = "day" if not days or (days[-1] - days[0]).days < DAILY_TREND_DAYS else "week"

    def bucket(item: ScoredAttempt) -> str:
        moment = _finished_local(item.attempt)
        if unit == "day":
            return moment.date().isoformat()
        year, week, _ = moment.isocalendar()
        return f"{year}-W{week:02d}"

    buckets: dict[str, list[ScoredAttempt]] = defaultdict(list)
    for item in scored:
        buckets[bucket(item)].append(item)
    return SkillTrend(
        unit=unit,
        points=[
            TrendPoint(
                label=label,
                attempts=len(buckets[label]),
                skills=_mean_by_key([item.skills for item in buckets[label]], SKILLS),
            )
            for label in sorted(buckets)
        ],
    )


# --- one rep ---------------------------------------------------------------------------------------


def rep_progress(session: Session, rep: User) -> RepProgress:
    """The rep's finished attempts in time order, with every skill's score, for charts over time."""
    attempts = load_attempts(session, RolePlay.owner_id == rep.id, RolePlay.status == RolePlayStatus.finished)
    scored = sorted(with_scorecards(session, attempts), key=lambda item: _finished_local(item.attempt))
    return RepProgress(
        user_id=rep.id,
        username=rep.username,
        display_name=rep.display_name or rep.username,
        skills=list(SKILLS),
        attempts=[
            ProgressPoint(
                roleplay_id=item.attempt.roleplay.id,
                scenario_id=item.attempt.roleplay.scenario_id,
                drill_id=item.attempt.roleplay.drill_id,
                finished_at=item.attempt.roleplay.finished_at,
                coach_score=item.attempt.coach_score,
                score=item.attempt.score,
                skills={skill: round(value, 2) for skill, value in item.skills.items()},
                fivek=item.fivek,
            )
            for item in scored
        ],
    )
