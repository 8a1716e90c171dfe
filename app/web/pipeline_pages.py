"""The pipeline page: opportunities by milestone as a funnel with the weighted forecast, stalled deals flagged."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session, col, select

from app.auth.policy import visible_user_ids
from app.deps import SessionDep, enforce_daily_limit
from app.flows.definitions import get_flow
from app.flows.service import finished_runs_by_opportunity
from app.i18n import get_lang, translate
from app.models import User
from app.pipeline import (
    NO_MILESTONE,
    OpportunityCreate,
    OutcomeChange,
    Pipeline,
    add_opportunity,
    build_pipeline,
    set_outcome,
    visible_opportunities,
    writable_opportunity,
)
from app.scenarios.rehearsal import deal_rehearsals
from app.web import charts
from app.web.security import CsrfChecked, WebUser, is_manager
from app.web.templating import render

router = APIRouter(include_in_schema=False)


def _people(session: Session, viewer: User) -> list[User]:
    """Whose deals the viewer may filter by: a manager's team members, everyone for admins."""
    visible = visible_user_ids(session, viewer)
    query = select(User).where(User.is_active)
    if visible is not None:
        query = query.where(col(User.id).in_(visible))
    return list(session.exec(query.order_by(User.display_name, User.username)))


def opportunity_from_form(account: str, name: str, amount: str, expected_close: str) -> OpportunityCreate:
    """A new deal from form fields (empty amount = 0, empty date = none); ValidationError when invalid."""
    return OpportunityCreate.model_validate(
        {
            "account": account.strip(),
            "name": name.strip(),
            "amount": amount.strip() or 0,
            "expected_close": expected_close or None,
        }
    )


def _stage_bars(pipeline: Pipeline, lang: str) -> list[tuple[str, float]]:
    """Deals at each stage, as the stage table counts them (a deal counts once, at its own stage)."""

    def label(stage) -> str:
        name = stage.name_en if lang == "en" else stage.name_zh
        return name if stage.milestone_id == NO_MILESTONE else f"{stage.probability}% {name}"

    return [(label(stage), stage.count) for stage in pipeline.stages]


def _page(
    request: Request, session: Session, user: User, owner_id: int | None = None, status_code: int = 200, **context: Any
):
    lang = get_lang(request)
    pipeline = build_pipeline(session, visible_opportunities(session, user, owner_id))
    bars = _stage_bars(pipeline, lang)
    funnel = charts.stages(bars, title=translate("pipeline.chart_title", lang)) if pipeline.deals else None
    people = _people(session, user) if is_manager(user) else [user]
    values = {
        "pipeline": pipeline,
        "funnel": funnel,
        "people": people,
        "owner_id": owner_id,
        "names": {person.id: person.display_name or person.username for person in people},
        "stage_names": {stage.milestone_id: stage for stage in pipeline.stages},
        "error": None,
        "form": {},
        "outcome_error": None,
        "rehearsals": deal_rehearsals(session, user, pipeline.deals),
        "flow_runs": finished_runs_by_opportunity(session, [deal.id for deal in pipeline.deals + pipeline.lost]),
        "flow_title": lambda flow_id: getattr(get_flow(flow_id), "title_en" if lang == "en" else "title_zh"),
    }
    values.update(context)
    return render(request, "pipeline.html", values, status_code=status_code)


@router.get("/pipeline")
def pipeline_page(request: Request, session: SessionDep, user: WebUser, owner_id: int | None = None):
    """Your deals by milestone; a manager sees the team's and can pick one rep."""
    return _page(request, session, user, owner_id)


@router.post("/pipeline/opportunities", dependencies=[CsrfChecked])
def new_opportunity_page(
    request: Request,
    session: SessionDep,
    user: WebUser,
    account: Annotated[str, Form(max_length=500)],
    name: Annotated[str, Form(max_length=500)] = "",
    amount: Annotated[str, Form(max_length=40)] = "",
    expected_close: Annotated[str, Form(max_length=20)] = "",
):
    """Record a new deal of yours."""
    try:
        created = opportunity_from_form(account, name, amount, expected_close)
    except ValidationError:
        form = {"account": account, "name": name, "amount": amount, "expected_close": expected_close}
        return _page(
            request, session, user, status_code=422, form=form, error=translate("pipeline.invalid", get_lang(request))
        )
    enforce_daily_limit(request, "rate_limit_deals_daily", user)
    add_opportunity(session, user, created)
    return RedirectResponse("/pipeline", status_code=303)


@router.post("/pipeline/opportunities/{opportunity_id}/outcome", dependencies=[CsrfChecked])
def outcome_page(
    request: Request,
    session: SessionDep,
    user: WebUser,
    opportunity_id: int,
    outcome: Annotated[str, Form(max_length=8)],
    reason: Annotated[str, Form(max_length=500)] = "",
):
    """Mark a deal of yours won or lost, or reopen it."""
    opportunity = writable_opportunity(session, user, opportunity_id)
    try:
        change = OutcomeChange.model_validate({"outcome": outcome, "reason": reason})
    except ValidationError:
        return _page(
            request,
            session,
            user,
            status_code=422,
            outcome_error=translate("pipeline.outcome.invalid", get_lang(request)),
        )
    set_outcome(session, opportunity, change)
    return RedirectResponse("/pipeline", status_code=303)
