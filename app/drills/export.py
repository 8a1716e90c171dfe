"""Drill results as CSV for Excel: one row per drill and rep, UTF-8 with a BOM so Chinese names show."""

from sqlmodel import Session, select

from app.csv_export import csv_text
from app.drills.analytics import results_by_drill, scope_drills, scope_reps
from app.drills.results import load_attempts, scenario_titles
from app.models import RolePlay, Team, User
from app.i18n import translate

COLUMNS = ("drill_id", "scenario", "team", "due", "pass_score", "attempts_allowed", "username", "display_name",
           "rep_team", "attempts", "best_score", "passed", "status")


def results_csv(session: Session, viewer: User, team_id: int | None, lang: str = "zh") -> str | None:
    """The CSV text for the viewer's teams (or one of them), headers in `lang`; None when `team_id` is not theirs."""
    reps = scope_reps(session, viewer, team_id)
    if reps is None:
        return None
    rep_ids = [rep.id for rep in reps]
    drills = scope_drills(session, rep_ids)
    attempts = load_attempts(session, RolePlay.owner_id.in_(rep_ids), RolePlay.drill_id.is_not(None)) \
        if rep_ids else []
    teams = {team.id: team.name for team in session.exec(select(Team))}
    rep_team = {rep.id: teams.get(rep.team_id, "") for rep in reps}

    def label(key: str) -> str:
        return translate(key, lang)

    rows: list[list[object]] = [[label(f"team.csv.{column}") for column in COLUMNS]]
    for drill, results in results_by_drill(session, drills, reps, attempts):
        title_zh, title_en = scenario_titles(session, drill.scenario_id)
        for result in results:
            rows.append([
                drill.id, title_zh if lang == "zh" else title_en, teams.get(drill.team_id, ""), drill.due.isoformat(),
                drill.pass_score, drill.attempts_allowed or "", result.username, result.display_name,
                rep_team[result.user_id], result.attempts, "" if result.best_score is None else result.best_score,
                label("team.csv.yes") if result.passed else label("team.csv.no"),
                label(f"drills.status.{result.status}"),
            ])
    return csv_text(rows, bom=True)
