"""Role-play pages: scenario picker, the chat with the coach sidebar, the scorecard."""

import logging
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.sse import EventSourceResponse, ServerSentEvent
from markupsafe import escape
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.coaching.reader import reader_rep
from app.coaching.spin import SPIN_LABELS
from app.db import release_connection
from app.deps import SessionDep, enforce_daily_limit, enforce_rate_limit
from app.drills.reviews import attempt_public
from app.i18n import get_lang, translate
from app.models import RolePlay, RolePlayStatus, Turn, TurnStatus, User
from app.models.common import require_id
from app.playbook import get_playbook
from app.playbook.vocabulary import FIVEK_DIMENSIONS as FIVEK
from app.roleplay import service
from app.roleplay.access import MAX_TURN_CHARS, own_rep_turn_for_stream, own_roleplay, visible_roleplay
from app.roleplay.feedback import TurnFeedback, summarize_state
from app.roleplay.rubric import get_rubric
from app.roleplay.scenarios import CATEGORIES, DIFFICULTIES
from app.roleplay.scripted_buyer import localized
from app.roleplay.service import DoneEvent, FeedbackEvent, RolePlayError, TokenEvent, TurnResult
from app.scenarios import repository
from app.scenarios.rehearsal import rehearsal_deal
from app.web import charts
from app.web.errors import localized_message
from app.web.security import CsrfChecked, WebUser, is_manager
from app.web.templating import local_time, render, templates

router = APIRouter(include_in_schema=False)
logger = logging.getLogger(__name__)


# --- helpers ------------------------------------------------------------------------------------------


def element_namer(lang: str) -> Callable[[str], str]:
    """A template helper: the playbook element's name in the page language (the id if unknown)."""
    playbook = get_playbook()

    def name(element_id: str) -> str:
        try:
            element = playbook.element(element_id)
        except KeyError:
            return element_id
        return element.name_en if lang == "en" else element.name_zh

    return name


def page_context(request: Request) -> dict[str, Any]:
    """Helpers every role-play template uses: element names, scenario titles and industries in the page language."""
    lang = get_lang(request)

    def industry(value: str) -> str:
        key = "roleplay.industry." + value.lower().replace(" / ", "_").replace(" ", "_")
        text = translate(key, lang)
        return value if text == key else text  # an industry without a UI string shows as written

    return {
        "name": element_namer(lang),
        "rubric": get_rubric().public_view(lang),
        "categories": CATEGORIES,
        "spin_labels": SPIN_LABELS,
        "industry": industry,
        "title_of": lambda scenario: scenario.title_en if lang == "en" else scenario.title_zh,
    }


def fragment(request: Request, template: str, context: dict[str, Any]) -> str:
    """A partial template rendered to a string (for SSE events), with the same helpers as full pages."""
    lang = get_lang(request)
    values = {"lang": lang, "t": lambda key, **kw: translate(key, lang, **kw), **page_context(request), **context}
    return templates.get_template(template).render(values)


def chat_parts(session: Session, roleplay: RolePlay) -> dict[str, Any]:
    """What the chat page and its fragments show: turns with their feedback, the state, the latest tip."""
    turns = service.transcript(session, require_id(roleplay))
    scenario = service.scenario_of(session, roleplay.scenario_id)
    feedback = {
        require_id(turn): TurnFeedback.model_validate(turn.feedback)
        for turn in turns
        if turn.speaker == "rep" and turn.feedback
    }
    latest = feedback[max(feedback)] if feedback else None
    pending = next((turn for turn in turns if turn.speaker == "rep" and turn.status == TurnStatus.pending), None)
    # A reply's notice (model failed, stream cut) is kept in the feedback of the rep turn it answers.
    rep_by_seq = {turn.seq: require_id(turn) for turn in turns if turn.speaker == "rep"}
    reply_notices = {
        turn.id: feedback[rep_by_seq[turn.seq - 1]].notice
        for turn in turns
        if turn.speaker == "buyer" and rep_by_seq.get(turn.seq - 1) in feedback
    }
    state = service.state_of(roleplay)
    return {
        "roleplay": roleplay,
        "scenario": scenario,
        "turns": turns,
        "feedback": feedback,
        "latest": latest,
        "summary": summarize_state(scenario, state),
        "pending": pending,
        "reply_notices": reply_notices,
        "brief": scenario_brief(scenario, state.lang),
    }


def scenario_brief(scenario, lang: str) -> dict[str, Any]:
    """The scenario card the rep keeps in view during the call: goal and background, in the session's language."""
    return {
        "company": localized(scenario.company, "name", lang),
        "size": localized(scenario.company, "size", lang),
        "context": localized(scenario.company, "context", lang),
        "deal_context": localized(scenario, "deal_context", lang),
        "offering": localized(scenario, "our_offering", lang),
        "criteria": (getattr(scenario, "decision_criteria_en", None) or scenario.decision_criteria)
        if lang == "en"
        else scenario.decision_criteria,
        "commitment_kind": scenario.success.commitment.kind,
    }


def error_fragment(request: Request, message: str, status_code: int) -> HTMLResponse:
    # roleplay.js lets htmx swap these statuses into the error line instead of dropping them.
    body = fragment(request, "roleplay/_error.html", {"message": message})
    return HTMLResponse(body, status_code=status_code, headers={"HX-Retarget": "#chat-error", "HX-Reswap": "innerHTML"})


def web_rep_turn(roleplay_id: int, turn: Annotated[int, Query(ge=1)], session: SessionDep, user: WebUser) -> Turn:
    """Dependency: the page stream's turn, of the signed-in user's own session (the stream runs on its own sessions)."""
    rep_turn = own_rep_turn_for_stream(session, user, roleplay_id, turn)
    release_connection(session)
    return rep_turn


# --- picker and start ---------------------------------------------------------------------------------


@router.get("/roleplay")
def picker(request: Request, session: SessionDep, user: WebUser):
    """Scenario cards to start from, and the rep's recent sessions."""
    scenarios = sorted(repository.playable_list(session, user), key=lambda s: (DIFFICULTIES.index(s.difficulty), s.id))
    recent = session.exec(
        select(RolePlay)
        .where(RolePlay.owner_id == user.id)
        .order_by(col(RolePlay.created_at).desc(), col(RolePlay.id).desc())
        .limit(10)
    ).all()
    all_scenarios = repository.scenarios_by_id(session, {r.scenario_id for r in recent})
    return render(
        request,
        "roleplay/picker.html",
        {**page_context(request), "scenarios": scenarios, "recent": recent, "all_scenarios": all_scenarios},
    )


@router.post("/roleplay/start", dependencies=[CsrfChecked])
def start(
    request: Request,
    session: SessionDep,
    user: WebUser,
    scenario_id: Annotated[str | None, Form(max_length=80)] = None,
    drill_id: Annotated[int | None, Form(ge=1)] = None,
):
    """Start a session (on a scenario, or on a drill's scenario) and open the chat."""
    engine_name = "offline" if request.app.state.chat_model is None else "llm"
    enforce_daily_limit(request, "rate_limit_roleplays_daily", user)
    roleplay = service.start_roleplay(session, user, scenario_id or None, drill_id, engine_name, lang=get_lang(request))
    return RedirectResponse(f"/roleplay/{roleplay.id}", status_code=status.HTTP_303_SEE_OTHER)


# --- the chat -----------------------------------------------------------------------------------------


@router.get("/roleplay/{roleplay_id}")
def chat(roleplay_id: int, request: Request, session: SessionDep, user: WebUser):
    """The conversation with the buyer and the coach sidebar; read-only for the rep's manager."""
    roleplay = visible_roleplay(session, user, roleplay_id)
    parts = chat_parts(session, roleplay)
    owner = session.get(User, roleplay.owner_id)
    reviews = review_parts(session, user, roleplay)
    return render(
        request,
        "roleplay/chat.html",
        {
            **page_context(request),
            **parts,
            **reviews,
            "is_owner": roleplay.owner_id == user.id,
            "owner_name": (owner.display_name or owner.username) if owner else "",
            "reader_rep": reader_rep(user, owner),
            # the reviewer came to review: the whole-call form (comment, score override and reason) starts open
            "review_open": reviews["can_review"],
            "max_chars": MAX_TURN_CHARS,
        },
    )


def review_parts(session: Session, user: User, roleplay: RolePlay) -> dict[str, Any]:
    """The attempt with its reviews, the line comments by turn, and whether the viewer may review (their rep's)."""
    attempt = attempt_public(session, roleplay)
    by_turn: dict[int, list] = {}
    for review in attempt.reviews:
        if review.turn_id is not None:
            by_turn.setdefault(review.turn_id, []).append(review)
    return {
        "attempt": attempt,
        "turn_comments": by_turn,
        "when": local_time,
        "can_review": is_manager(user) and roleplay.owner_id != user.id,
    }


@router.post("/roleplay/{roleplay_id}/messages", dependencies=[CsrfChecked])
def post_message(
    roleplay_id: int,
    request: Request,
    session: SessionDep,
    user: WebUser,
    text: Annotated[str, Form(max_length=4 * MAX_TURN_CHARS)] = "",
    client_id: Annotated[str | None, Form(max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")] = None,
):
    """Store the rep's message; the fragment shows it and opens the stream of the buyer's reply."""
    lang = get_lang(request)
    roleplay = own_roleplay(session, user, roleplay_id)
    text = text.strip()
    if not text or len(text) > MAX_TURN_CHARS:
        return error_fragment(request, translate("roleplay.chat.invalid", lang, max_chars=MAX_TURN_CHARS), 422)
    try:
        enforce_rate_limit(request, "rate_limit_turns", f"user:{user.id}")  # one budget with the API
    except HTTPException as error:
        limited = error_fragment(request, translate("roleplay.chat.rate_limited", lang), error.status_code)
        limited.headers.update(error.headers or {})  # Retry-After
        return limited
    try:
        turn = service.submit_rep_turn(session, roleplay, text, client_id)
    except RolePlayError as error:
        return error_fragment(request, localized_message(error.status, error.detail, lang), error.status)
    return HTMLResponse(fragment(request, "roleplay/_exchange.html", {"roleplay": roleplay, "turn": turn}))


@router.get("/roleplay/{roleplay_id}/stream", response_class=EventSourceResponse)
async def stream(
    roleplay_id: int, request: Request, rep_turn: Annotated[Turn, Depends(web_rep_turn)]
) -> AsyncIterator[ServerSentEvent]:
    """The buyer's reply for the chat page as HTML fragments: `token` text, `feedback` (sidebar), `done` (bubble)."""
    engine = request.app.state.engine
    try:
        async for event in service.run_turn(
            engine,
            request.app.state.chat_model,
            roleplay_id,
            require_id(rep_turn),
            understand=request.app.state.settings.roleplay_llm_understanding,
        ):
            if isinstance(event, TokenEvent):
                yield ServerSentEvent(event="token", raw_data=str(escape(event.text)))
            elif isinstance(event, FeedbackEvent):
                html = await run_in_threadpool(_feedback_html, request, engine, roleplay_id, event.result)
                yield ServerSentEvent(event="feedback", raw_data=html)
            elif isinstance(event, DoneEvent):
                html = fragment(
                    request,
                    "roleplay/_buyer.html",
                    {
                        "text": event.result.reply,
                        "status": event.result.reply_status,
                        "notice": event.result.feedback.notice,
                    },
                )
                yield ServerSentEvent(event="done", raw_data=html)
    except Exception as error:  # the stream has started: end it with a readable bubble, never a broken stream
        if not isinstance(error, RolePlayError):
            logger.exception("role-play page stream failed (session %s, turn %s)", roleplay_id, rep_turn.id)
        message = (
            localized_message(error.status, error.detail, get_lang(request))
            if isinstance(error, RolePlayError)
            else translate("roleplay.chat.reply_failed", get_lang(request))
        )
        html = fragment(request, "roleplay/_buyer.html", {"text": message, "status": "failed", "notice": None})
        yield ServerSentEvent(event="done", raw_data=html)


def _feedback_html(request: Request, engine: Engine, roleplay_id: int, result: TurnResult) -> str:
    with Session(engine) as session:
        roleplay = session.get(RolePlay, roleplay_id)
        if roleplay is None:  # deleted while the reply streamed: no sidebar to show
            return ""
        parts = chat_parts(session, roleplay)
    return fragment(request, "roleplay/_feedback.html", {**parts, "result": result, "is_owner": True})


@router.post("/roleplay/{roleplay_id}/finish", dependencies=[CsrfChecked])
def finish(roleplay_id: int, request: Request, session: SessionDep, user: WebUser):
    """End the call: score it, store the note, show the scorecard."""
    roleplay = own_roleplay(session, user, roleplay_id)
    # a RolePlayError is an AppError: the app shows its page
    service.finish_roleplay(session, roleplay, request.app.state.chat_model)
    return RedirectResponse(f"/roleplay/{roleplay_id}/scorecard", status_code=status.HTTP_303_SEE_OTHER)


# --- the scorecard ------------------------------------------------------------------------------------


@router.get("/roleplay/{roleplay_id}/scorecard")
def scorecard(roleplay_id: int, request: Request, session: SessionDep, user: WebUser):
    """The finished call's scorecard with the 5K radar and SPIN chart, and the coaching note."""
    roleplay = visible_roleplay(session, user, roleplay_id)
    if roleplay.status != RolePlayStatus.finished:
        return RedirectResponse(f"/roleplay/{roleplay_id}", status_code=status.HTTP_303_SEE_OTHER)
    result = service.finish_roleplay(session, roleplay)  # finished: returns the stored scorecard and note
    card = result.scorecard
    scenario = service.scenario_of(session, roleplay.scenario_id)
    lang = get_lang(request)
    name = element_namer(lang)
    radar = charts.radar(
        [name(f"fivek.{dimension}") for dimension in FIVEK],
        {translate("roleplay.score.this_call", lang): [card["intensity"]["points"][d] for d in FIVEK]},
        max_value=20,
    )
    spin_names = [translate("roleplay.spin.other", lang) if label == "other" else label for label in SPIN_LABELS]
    spin_bars = charts.bars(
        spin_names,
        {translate("roleplay.score.questions", lang): [card["spin_counts"].get(label, 0) for label in SPIN_LABELS]},
        counts=True,
        compact=True,
    )
    next_scenario = repository.get_scenario(session, card.get("suggested_next_scenario") or "")
    owner = session.get(User, roleplay.owner_id)
    return render(
        request,
        "roleplay/scorecard.html",
        {
            **page_context(request),
            "roleplay": roleplay,
            "scenario": scenario,
            "card": card,
            "note_id": result.note_id,
            "radar": radar,
            "spin_bars": spin_bars,
            "next_scenario": next_scenario,
            "is_owner": roleplay.owner_id == user.id,
            "owner": owner,
            "reader_rep": reader_rep(user, owner),
            **review_parts(session, user, roleplay),
            "rehearsal": rehearsal_deal(session, roleplay.scenario_id),
        },
    )
