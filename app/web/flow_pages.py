"""Question-flow pages: pick a flow, answer it as a chat, see the result (exported by the notes pages)."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from markupsafe import Markup
from pydantic import ValidationError
from sqlmodel import Session, col, select

from app.deps import SessionDep, enforce_daily_limit, enforce_rate_limit
from app.flows import service
from app.flows.definitions import list_flows
from app.flows.engine import AnswerError, StepView, current_view
from app.flows.llm_probe import probe_writer_for
from app.flows.service import AnswerIn
from app.i18n import Lang, get_lang, translate
from app.models import FlowRun, Opportunity, User
from app.pipeline import add_opportunity
from app.web import charts
from app.web.pipeline_pages import opportunity_from_form
from app.web.security import CsrfChecked, WebUser
from app.web.templating import render, templates

router = APIRouter(include_in_schema=False)

RECENT_RUNS = 20


def fivek_chart(result: dict[str, Any], lang: str) -> Markup:
    """The five 5K scores as bars out of 20 (used by the run page and the notes page)."""
    scores = list(reversed(result["scores"]))  # horizontal bars are drawn bottom-up; keep the table's order
    names = [score["dimension"]["name_en" if lang == "en" else "name_zh"] for score in scores]
    label = translate("flows.fivek.points", lang)
    return charts.bars(
        names, {label: [score["points"] for score in scores]}, max_value=20, horizontal=True, compact=True
    )


# Result partials (flows/result_*.html) are also included by the notes page, which only passes `note`.
templates.env.globals["fivek_chart"] = fivek_chart


def _lang(request: Request) -> Lang:
    return "en" if get_lang(request) == "en" else "zh"


def _own_opportunities(session: Session, user: User) -> list[Opportunity]:
    query = select(Opportunity).where(Opportunity.owner_id == user.id)
    return list(session.exec(query.order_by(col(Opportunity.updated_at).desc())))


def _picker(request: Request, session: Session, user: User, status_code: int = 200, **context: Any):
    runs = session.exec(
        select(FlowRun)
        .where(FlowRun.owner_id == user.id)
        .order_by(col(FlowRun.updated_at).desc(), col(FlowRun.id).desc())
        .limit(RECENT_RUNS)
    ).all()
    # What each run is about, in the rep's own words (the answer to the first, "which account?" question).
    subjects = {run.id: str(service.load_record(run).engine.answers.get("account") or "") for run in runs}
    values = {
        "flows": list_flows(),
        "flow_titles": {flow.id: flow for flow in list_flows()},
        "opportunities": _own_opportunities(session, user),
        "runs": runs,
        "subjects": subjects,
        "selected_opportunity": None,
        "error": None,
        "form": {},
    }
    values.update(context)
    return render(request, "flows/index.html", values, status_code=status_code)


@router.get("/flows")
def flows_page(request: Request, session: SessionDep, user: WebUser, opportunity_id: int | None = None):
    """Pick a flow, and optionally the deal it is for; your recent runs."""
    return _picker(request, session, user, selected_opportunity=opportunity_id)


@router.post("/flows/start", dependencies=[CsrfChecked])
def start_flow(
    request: Request,
    session: SessionDep,
    user: WebUser,
    flow_id: Annotated[str, Form(max_length=60)],
    opportunity_id: Annotated[str, Form(max_length=20)] = "",
    new_account: Annotated[str, Form(max_length=500)] = "",
    new_name: Annotated[str, Form(max_length=500)] = "",
    new_amount: Annotated[str, Form(max_length=40)] = "",
    new_expected_close: Annotated[str, Form(max_length=20)] = "",
):
    """Start a run; a filled-in new deal is created first and the run attached to it."""
    attach_to = int(opportunity_id) if opportunity_id.isdigit() else None
    if new_account.strip():
        try:
            created = opportunity_from_form(new_account, new_name, new_amount, new_expected_close)
        except ValidationError:
            form = {
                "new_account": new_account,
                "new_name": new_name,
                "new_amount": new_amount,
                "new_expected_close": new_expected_close,
            }
            return _picker(
                request,
                session,
                user,
                status_code=422,
                form=form,
                error=translate("flows.new_opportunity.invalid", get_lang(request)),
            )
        enforce_daily_limit(request, "rate_limit_deals_daily", user)
        attach_to = add_opportunity(session, user, created).id
    enforce_daily_limit(request, "rate_limit_flow_runs_daily", user)
    run, _ = service.start_run(session, user, flow_id, attach_to, _lang(request))
    return RedirectResponse(f"/flows/runs/{run.id}#now", status_code=303)


def _run_page(
    request: Request,
    session: Session,
    user: User,
    run: FlowRun,
    status_code: int = 200,
    error: str | None = None,
    draft: str = "",
):
    lang = _lang(request)
    record = service.load_record(run)
    flow = service.flow_or_404(run.flow_id)
    note = service.run_note(session, run)
    opportunity = session.get(Opportunity, run.opportunity_id) if run.opportunity_id else None
    step = current_view(record.engine, lang, flow=flow) if run.status != "done" else None
    step_def = flow.step_index().get(step.id) if step is not None else None
    context = {
        "run": run,
        "flow": flow,
        "transcript": record.transcript,
        "step": step,
        "note": note,
        "result": note.data["result"] if note is not None else None,
        "opportunity": opportunity,
        "is_owner": run.owner_id == user.id,
        "error": error,
        "draft": draft or _prefill(step, opportunity),
        "can_go_back": bool(record.engine.history),
        "optional": step_def is not None and not step_def.validation.required,
    }
    return render(request, "flows/run.html", context, status_code=status_code)


def _prefill(step: StepView | None, opportunity: Opportunity | None) -> str:
    """The deal's own facts are the likely answers to the account and amount questions (e.g. after going back)."""
    if step is None or opportunity is None:
        return ""
    return service.deal_answer(step, opportunity) or ""


@router.get("/flows/runs/{run_id}")
def run_page(run_id: int, request: Request, session: SessionDep, user: WebUser):
    """The run as a chat with the coach; the result once it is done."""
    return _run_page(request, session, user, service.readable_run(session, user, run_id))


@router.post("/flows/runs/{run_id}/answer", dependencies=[CsrfChecked])
def post_answer(
    run_id: int,
    request: Request,
    session: SessionDep,
    user: WebUser,
    answer: Annotated[list[str] | None, Form()] = None,
    skip: Annotated[str, Form(max_length=1)] = "",
):
    """Answer the waiting question (ticked checkboxes arrive as several `answer` values; `skip` sends none)."""
    enforce_rate_limit(request, "rate_limit_turns", f"user:{user.id}")  # one budget with the API
    run = service.writable_run(session, user, run_id)
    lang = _lang(request)
    asked = current_view(service.load_record(run).engine, lang) if run.status == "active" else None
    raw: Any = None if skip else answer or None
    if raw is not None and not (asked is not None and asked.type == "multi_choice"):
        raw = raw[0]
    try:
        raw = AnswerIn.model_validate({"answer": raw}).answer  # the API's size limits
    except ValidationError:
        return _run_page(request, session, user, run, status_code=422, error=translate("flows.answer.too_long", lang))
    probe_writer = probe_writer_for(request.app.state.chat_model, service.flow_or_404(run.flow_id))
    try:
        service.submit_answer(session, run, raw, lang, probe_writer)
    except AnswerError as error:
        draft = raw if isinstance(raw, str) else ""
        return _run_page(request, session, user, run, status_code=422, error=error.message(lang), draft=draft)
    return RedirectResponse(f"/flows/runs/{run_id}#now", status_code=303)


@router.post("/flows/runs/{run_id}/back", dependencies=[CsrfChecked])
def post_back(run_id: int, request: Request, session: SessionDep, user: WebUser):
    """One question back."""
    run = service.writable_run(session, user, run_id)
    try:
        service.go_back(session, run, _lang(request))
    except AnswerError as error:
        return _run_page(request, session, user, run, status_code=422, error=error.message(_lang(request)))
    return RedirectResponse(f"/flows/runs/{run_id}#now", status_code=303)


@router.post("/flows/runs/{run_id}/pause", dependencies=[CsrfChecked])
def post_pause(run_id: int, session: SessionDep, user: WebUser):
    """Put the run aside."""
    service.pause_run(session, service.writable_run(session, user, run_id))
    return RedirectResponse(f"/flows/runs/{run_id}", status_code=303)


@router.post("/flows/runs/{run_id}/resume", dependencies=[CsrfChecked])
def post_resume(run_id: int, request: Request, session: SessionDep, user: WebUser):
    """Carry on where the run stopped."""
    service.resume_run(session, service.writable_run(session, user, run_id), _lang(request))
    return RedirectResponse(f"/flows/runs/{run_id}#now", status_code=303)
