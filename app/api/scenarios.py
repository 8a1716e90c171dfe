"""Role-play scenarios: the public list for reps, the full scenario for managers."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, status

from app.deps import CurrentUser, not_found
from app.models import Role
from app.roleplay.scenarios import load_scenarios

router = APIRouter(prefix="/scenarios", tags=["scenarios"])

LangQuery = Annotated[Literal["zh", "en"], Query(description="language of the plain text keys; `_en` keys are always there")]


@router.get("")
def list_scenarios(user: CurrentUser, lang: LangQuery = "zh") -> list[dict[str, Any]]:
    """Every scenario as a rep may see it before the call (no hidden facts)."""
    return [scenario.public_view(lang) for scenario in load_scenarios().values()]


@router.get("/{scenario_id}")
def read_scenario(scenario_id: Annotated[str, Path(max_length=80)], user: CurrentUser,
                  full: Annotated[bool, Query(description="hidden facts too (managers and admins)")] = False,
                  lang: LangQuery = "zh") -> dict[str, Any]:
    """One scenario; `full=true` adds the hidden facts, objections and success criteria for managers.

    The full view is the scenario file as validated: every text with its `_en` sibling (facts: `text`, `text_en`).
    """
    scenario = load_scenarios().get(scenario_id)
    if scenario is None:
        raise not_found("scenario")
    if not full:
        return scenario.public_view(lang)
    if user.role not in (Role.manager, Role.admin):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="the full scenario is for managers and admins")
    return scenario.model_dump(mode="json")
