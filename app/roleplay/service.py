"""The role-play session service: start, take a turn (JSON or streamed), finish; the one place a turn's data flow lives.

One turn (DESIGN.md): the rep's message is stored and committed before the buyer is asked → SPIN
classification → the scripted engine updates the deterministic state (it alone decides what is
revealed) → the buyer's words: the scripted text offline, or the model's wording of it (llm_buyer),
streamed → the reply is stored as complete, partial or failed, together with the new state and the
feedback → the feedback goes to the coach sidebar. The JSON endpoint and both SSE streams run the
same two steps, `prepare_turn` (blocking: a worker thread; the JSON endpoint's `submit_and_prepare`
stores the message in the same trip) and `answer_turn` (async: the model's words, then the one write);
a turn that was already answered is replayed from the database, never asked twice.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any, cast

from anyio import to_thread
from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel
from sqlalchemy import CursorResult, Engine, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.coaching.llm_spin import classify_spin_llm
from app.coaching.spin import SpinResult
from app.db import release_connection
from app.drills.rules import DrillNotAvailable, check_attempt_allowed
from app.errors import AppError
from app.knowledge.team_docs import stated_team_facts
from app.llm.resilience import ModelSkipped, skip_reason
from app.models import CoachingNote, RolePlay, RolePlayStatus, Turn, TurnStatus, User
from app.models.common import require_id, utcnow
from app.roleplay.feedback import (
    LlmSpinOpinion,
    NoticeCode,
    ReplySource,
    StateSummary,
    TurnFeedback,
    build_feedback,
    notice,
    summarize_state,
)
from app.roleplay.llm_buyer import HISTORY_TURNS, BuyerBrief, LlmReply
from app.roleplay.llm_understanding import read_turn
from app.roleplay.notes import note_data, note_title
from app.roleplay.rewrites import model_rewrites, with_rewrites
from app.roleplay.scenarios import Scenario
from app.roleplay.scorecard import build_scorecard
from app.roleplay.scripted_buyer import BuyerTurn, ScriptedBuyer, Understanding, understand
from app.roleplay.spin_reading import read_spin
from app.roleplay.state import SessionState, count_words
from app.scenarios import repository

SECOND_OPINION_TIMEOUT_S = 10.0  # the optional LLM SPIN label must not hold the feedback back for long


class RolePlayError(AppError):
    """A request the session cannot accept; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(status, "roleplay", detail)


class TurnResult(BaseModel):
    """One answered rep turn: the buyer's reply, the coach's feedback and the state after it."""

    turn_id: int
    seq: int
    text: str
    reply: str
    reply_status: TurnStatus
    feedback: TurnFeedback
    state: StateSummary


@dataclass(frozen=True)
class TokenEvent:
    text: str


@dataclass(frozen=True)
class FeedbackEvent:
    result: TurnResult


@dataclass(frozen=True)
class DoneEvent:
    """The final word: `result.reply` is what was stored (a regenerated reply replaces the streamed tokens)."""

    result: TurnResult


TurnEvent = TokenEvent | FeedbackEvent | DoneEvent


@dataclass(frozen=True)
class FinishResult:
    scorecard: dict[str, Any]
    note_id: int


# --- reading ------------------------------------------------------------------------------------------


def scenario_of(session: Session, scenario_id: str) -> Scenario:
    """The scenario a stored session or drill names (its version kept), through the scenario repository."""
    scenario = repository.get_scenario(session, scenario_id)
    if scenario is None:
        raise RolePlayError(422, f"unknown scenario_id {scenario_id!r}")
    return scenario


def state_of(roleplay: RolePlay) -> SessionState:
    return SessionState.model_validate(roleplay.state)


def transcript(session: Session, roleplay_id: int) -> list[Turn]:
    return list(session.exec(select(Turn).where(Turn.roleplay_id == roleplay_id).order_by(col(Turn.seq))))


# --- start --------------------------------------------------------------------------------------------


def start_roleplay(
    session: Session, owner: User, scenario_id: str | None, drill_id: int | None, engine_name: str, lang: str = "zh"
) -> RolePlay:
    """A new session with the buyer's opening line as turn 0; a drill attempt is checked against its rules.

    `lang` ("zh" | "en") is the language the buyer speaks for the whole session (stored in its state)."""
    if drill_id is not None:
        try:
            drill = check_attempt_allowed(session, owner, drill_id)
        except DrillNotAvailable as error:
            raise RolePlayError(error.status, str(error)) from None
        if scenario_id is not None and not repository.same_scenario(scenario_id, drill.scenario_id):
            raise RolePlayError(422, f"drill {drill_id} is on scenario {drill.scenario_id!r}, not {scenario_id!r}")
        scenario = scenario_of(session, drill.scenario_id)
    elif scenario_id is None:
        raise RolePlayError(422, "scenario_id is required")
    else:  # a built-in, or a team scenario the rep may see, pinned to its current version
        playable = repository.playable(session, owner, scenario_id)
        if playable is None:
            raise RolePlayError(422, f"unknown scenario_id {scenario_id!r}")
        scenario = playable
    opening = ScriptedBuyer(scenario).opening(SessionState.start(scenario, lang))
    roleplay = RolePlay(
        owner_id=require_id(owner),
        scenario_id=scenario.id,
        drill_id=drill_id,
        engine=engine_name,
        state=opening.state.model_dump(mode="json"),
    )
    session.add(roleplay)
    session.flush()
    session.add(Turn(roleplay_id=require_id(roleplay), seq=0, speaker="buyer", text=opening.text))
    session.commit()
    session.refresh(roleplay)
    return roleplay


# --- a turn: store the rep's message ---------------------------------------------------------------------


def submit_rep_turn(session: Session, roleplay: RolePlay, text: str, client_id: str | None) -> Turn:
    """Store the rep's message (committed) before anyone asks the buyer; the same client_id returns the stored turn."""
    roleplay_id = require_id(roleplay)
    if client_id is not None:
        existing = _turn_by_client_id(session, roleplay_id, client_id)
        if existing is not None:
            return existing
    if roleplay.status == RolePlayStatus.finished:
        raise RolePlayError(409, "this session is finished; start a new one")
    if state_of(roleplay).finished:
        raise RolePlayError(409, "the buyer has ended the call; finish the session to see the scorecard")
    # A message waiting for the buyer's reply is always the last one: none is taken while one waits.
    last = session.exec(  # the columns only: loading the turn (its feedback JSON) is not needed to decide
        select(Turn.id, Turn.seq, Turn.speaker, Turn.status)
        .where(Turn.roleplay_id == roleplay.id)
        .order_by(col(Turn.seq).desc())
        .limit(1)
    ).first()
    last_id, last_seq, last_speaker, last_status = last if last is not None else (None, 0, None, None)
    if last_speaker == "rep" and last_status == TurnStatus.pending:
        same = session.get(Turn, last_id) if client_id is not None else None
        if same is not None and same.client_id == client_id:
            return same  # the same message sent twice at once: the copy that lost gets it
        raise RolePlayError(
            409,
            f"message {last_id} is still waiting for the buyer's reply: "
            f"GET /api/roleplays/{roleplay.id}/stream?turn={last_id}",
        )
    turn = Turn(
        roleplay_id=roleplay_id,
        seq=last_seq + 1,
        speaker="rep",
        text=text,
        status=TurnStatus.pending,
        client_id=client_id,
    )
    try:  # an INSERT, not the unit of work: the turn object keeps what was written, id included
        turn.id = session.execute(
            insert(Turn).values(turn.model_dump(exclude={"id"})).returning(col(Turn.id))
        ).scalar_one()
    except IntegrityError:  # a concurrent request took this seq, or the same client_id won the race
        session.rollback()
        existing = _turn_by_client_id(session, roleplay_id, client_id) if client_id else None
        if existing is None:
            raise RolePlayError(409, "another message was sent at the same moment; reload the session") from None
        return existing
    session.commit()
    return turn


def _turn_by_client_id(session: Session, roleplay_id: int, client_id: str) -> Turn | None:
    return session.exec(select(Turn).where(Turn.roleplay_id == roleplay_id, Turn.client_id == client_id)).first()


# --- a turn: the buyer's reply --------------------------------------------------------------------------


@dataclass(frozen=True)
class TurnPlan:
    """What the deterministic engines decided for one rep turn, before the buyer's words are produced."""

    roleplay_id: int
    rep_turn_id: int
    rep_seq: int
    rep_text: str
    scenario: Scenario
    spin: SpinResult
    buyer: BuyerTurn  # the scripted reply and the new state
    feedback: TurnFeedback
    history: list[tuple[str, str]]  # earlier messages, for the model only
    model_skipped: NoticeCode | None = None  # why the model is not asked this turn (circuit open, budget used)
    state_before: SessionState | None = None  # the state the turn was decided from (a model's reading redecides it)
    seller_facts: tuple[str, ...] = ()  # the team documents' product facts the rep has stated (model only)

    def brief(self) -> BuyerBrief:
        return BuyerBrief(
            scenario=self.scenario,
            state=self.buyer.state,
            say_now=self.buyer.text,
            history=self.history,
            rep_text=self.rep_text,
            seller_facts=self.seller_facts,
        )


@dataclass(frozen=True)
class Reply:
    text: str
    status: TurnStatus
    source: ReplySource
    skipped: NoticeCode | None = None  # why the model was not asked (circuit open, budget used)


async def run_turn(
    engine: Engine,
    chat_model: BaseChatModel | None,
    roleplay_id: int,
    rep_turn_id: int,
    *,
    second_opinion: bool = False,
    understand: bool = False,
) -> AsyncIterator[TurnEvent]:
    """Answer one stored rep turn: token pieces as the buyer speaks, then the feedback, then done."""
    prepared = await to_thread.run_sync(prepare_turn, engine, chat_model, roleplay_id, rep_turn_id)
    async for event in answer_turn(engine, chat_model, prepared, second_opinion=second_opinion, understand=understand):
        yield event


async def answer_turn(
    engine: Engine,
    chat_model: BaseChatModel | None,
    prepared: TurnPlan | TurnResult,
    *,
    second_opinion: bool = False,
    stream: bool = True,
    understand: bool = False,
) -> AsyncIterator[TurnEvent]:
    """The buyer's words for a prepared turn (streamed), then the one write that stores them with the new state.

    `second_opinion` also asks the model for its SPIN label (LLM mode only). It is opt-in because it is a
    second model call per turn; the offline label stays the one the state and the scorecard use.
    `stream=False` asks the model for the whole reply in one response (LlmReply.whole), for callers that
    show it at once. `understand` lets the model read the rep's turn first (llm_understanding); the state then
    decides from that reading, or from the offline one when the model's fails.
    """
    if isinstance(prepared, TurnResult):
        yield TokenEvent(prepared.reply)
        yield FeedbackEvent(prepared)
        yield DoneEvent(prepared)
        return
    plan = prepared
    opinion: LlmSpinOpinion | None = None
    if chat_model is None:
        reply = Reply(plan.buyer.text, TurnStatus.complete, "scripted")
        yield TokenEvent(reply.text)
    elif plan.model_skipped is not None:
        reply = Reply(plan.buyer.text, TurnStatus.complete, "scripted_fallback", skipped=plan.model_skipped)
        yield TokenEvent(reply.text)
    else:
        if understand:
            plan = await _understood(chat_model, plan)
        worded = LlmReply(chat_model, plan.brief())
        if stream:
            async for piece in worded.stream():
                if piece:
                    yield TokenEvent(piece)
        else:
            yield TokenEvent(await worded.whole())
        reply = Reply(worded.text, TurnStatus(worded.status), worded.source)
        if second_opinion:
            opinion = await _second_opinion(chat_model, plan)
    result = await to_thread.run_sync(_record, engine, plan, reply, opinion)
    yield FeedbackEvent(result)
    yield DoneEvent(result)


async def take_turn(
    engine: Engine,
    chat_model: BaseChatModel | None,
    prepared: TurnPlan | TurnResult,
    *,
    second_opinion: bool = False,
    understand: bool = False,
) -> TurnResult:
    """`answer_turn` for callers that want the whole answer at once: the model is not asked to stream either."""
    async for event in answer_turn(
        engine, chat_model, prepared, second_opinion=second_opinion, stream=False, understand=understand
    ):
        if isinstance(event, DoneEvent):
            return event.result
    raise RuntimeError("answer_turn ended without a result")


def prepare_turn(
    engine: Engine, chat_model: BaseChatModel | None, roleplay_id: int, rep_turn_id: int
) -> TurnPlan | TurnResult:
    """Classify the rep's turn and let the scripted engine decide the new state (reads only; blocking).

    A turn answered already comes back as its stored result. In LLM mode this is also where the model's
    availability is checked (circuit, today's budget: a read), so the async part that follows never waits
    on the database before it calls the model.
    """
    # Before the session below: the budget read takes a connection of its own, and holding one while waiting
    # for another is how a burst of turns would drain the pool.
    skipped = skip_reason(chat_model)
    with Session(engine) as session:
        roleplay = session.get(RolePlay, roleplay_id)
        rep_turn = session.get(Turn, rep_turn_id)
        if roleplay is None or rep_turn is None or rep_turn.roleplay_id != roleplay_id or rep_turn.speaker != "rep":
            raise RolePlayError(404, "turn not found")
        if rep_turn.status != TurnStatus.pending:
            return _stored_result(session, roleplay, rep_turn)
        use_model = chat_model is not None and skipped is None
        history = _history(session, rep_turn) if use_model else []
        facts = _seller_facts(session, roleplay.owner_id, history, rep_turn.text) if use_model else ()
        return _plan(scenario_of(session, roleplay.scenario_id), state_of(roleplay), rep_turn, history, skipped, facts)


def submit_and_prepare(
    session: Session,
    engine: Engine,
    chat_model: BaseChatModel | None,
    roleplay: RolePlay,
    text: str,
    client_id: str | None,
) -> TurnPlan | TurnResult:
    """`submit_rep_turn`, then `prepare_turn`, on the caller's session (blocking: one worker-thread trip).

    A message still waiting for its reply is planned from the session state read while storing it (until the
    message is answered nothing else changes that state), so neither is read twice; the connection is let go
    before the budget read, as in prepare_turn.
    """
    scenario, state = scenario_of(session, roleplay.scenario_id), state_of(roleplay)  # before the commit expires them
    owner_id = roleplay.owner_id
    rep_turn = submit_rep_turn(session, roleplay, text, client_id)
    release_connection(session)  # before the budget read; the session opens again for the history only
    if rep_turn.status != TurnStatus.pending:  # sent before and answered already
        return prepare_turn(engine, chat_model, rep_turn.roleplay_id, require_id(rep_turn))
    skipped = skip_reason(chat_model)
    use_model = chat_model is not None and skipped is None
    history = _history(session, rep_turn) if use_model else []
    facts = _seller_facts(session, owner_id, history, rep_turn.text) if use_model else ()
    release_connection(session)  # not held while the model answers
    return _plan(scenario, state, rep_turn, history, skipped, facts)


def _history(session: Session, rep_turn: Turn) -> list[tuple[str, str]]:
    """The messages before the rep's, oldest first: only the model needs them."""
    earlier = session.exec(
        select(Turn.speaker, Turn.text)
        .where(Turn.roleplay_id == rep_turn.roleplay_id, Turn.seq < rep_turn.seq)
        .order_by(col(Turn.seq).desc())
        .limit(HISTORY_TURNS)
    ).all()
    return [(speaker, text) for speaker, text in reversed(earlier)]


def _seller_facts(session: Session, owner_id: int, history: list[tuple[str, str]], rep_text: str) -> tuple[str, ...]:
    """The rep's team's product facts (its documents' sentences) the rep has stated so far: the model may react."""
    owner = session.get(User, owner_id)
    rep_texts = [text for speaker, text in history if speaker == "rep"] + [rep_text]
    return tuple(stated_team_facts(session, owner.team_id if owner else None, rep_texts))


def decide_turn(
    scenario: Scenario, state: SessionState, rep_text: str, understood: Understanding | None = None
) -> tuple[SpinResult, BuyerTurn, TurnFeedback]:
    """The deterministic part of a turn: classify, let the scripted engine decide the new state, build the feedback.

    `understood` is a model's reading of the turn (LLM mode); without it the buyer reads the turn offline.
    """
    spin = read_spin(scenario, rep_text)
    if understood is not None:  # the label and flags the state decided on are the ones the rep sees and stores
        spin = replace(
            spin,
            label=understood.label,
            is_pitch=understood.is_pitch,
            asks_commitment=understood.asks_commitment,
            cues=[],
        )
    buyer = ScriptedBuyer(scenario).reply(state, rep_text, spin, understood)
    feedback = build_feedback(scenario, spin, buyer, rep_text)
    if understood is not None:
        feedback = feedback.model_copy(update={"understood_by": understood.source})
    return spin, buyer, feedback


def _plan(
    scenario: Scenario,
    state: SessionState,
    rep_turn: Turn,
    history: list[tuple[str, str]],
    skipped: ModelSkipped | None,
    seller_facts: tuple[str, ...] = (),
) -> TurnPlan:
    spin, buyer, feedback = decide_turn(scenario, state, rep_turn.text)
    return TurnPlan(
        roleplay_id=rep_turn.roleplay_id,
        rep_turn_id=require_id(rep_turn),
        rep_seq=rep_turn.seq,
        rep_text=rep_turn.text,
        scenario=scenario,
        spin=spin,
        buyer=buyer,
        feedback=feedback,
        history=history,
        model_skipped=skipped.code if skipped else None,
        state_before=state,
        seller_facts=seller_facts,
    )


async def _understood(chat_model: BaseChatModel, plan: TurnPlan) -> TurnPlan:
    """LLM mode: the model reads the rep's turn and the state decides again from that reading; on any failure of
    the model the plan decided from the offline reading stands (feedback.understood_by says which)."""
    before = plan.state_before
    if before is None:
        return plan
    offline = understand(plan.scenario, before, plan.rep_text, plan.spin)
    reading = await read_turn(chat_model, plan.scenario, before, plan.rep_text, plan.history, offline)
    if reading is None:
        return plan
    spin, buyer, feedback = await to_thread.run_sync(decide_turn, plan.scenario, before, plan.rep_text, reading)
    return replace(plan, spin=spin, buyer=buyer, feedback=feedback)


async def _second_opinion(chat_model: BaseChatModel, plan: TurnPlan) -> LlmSpinOpinion | None:
    try:
        verdict = await asyncio.wait_for(classify_spin_llm(chat_model, plan.rep_text), SECOND_OPINION_TIMEOUT_S)
    except TimeoutError:
        return None
    if verdict is None:
        return None
    return LlmSpinOpinion(label=verdict.label, confidence=verdict.confidence, agrees=verdict.label == plan.spin.label)


def _record(engine: Engine, plan: TurnPlan, reply: Reply, opinion: LlmSpinOpinion | None) -> TurnResult:
    """Store the reply, the new state and the feedback in one transaction; the first writer of a turn wins."""
    feedback = plan.feedback.model_copy(
        update={
            "reply_source": reply.source,
            "llm_spin": opinion,
            "notice": notice(reply.skipped)
            if reply.skipped
            else notice("model_failed")
            if reply.status == TurnStatus.failed
            else notice("reply_cut")
            if reply.status == TurnStatus.partial
            else None,
        }
    )
    # Talk ratio counts the words the buyer actually said, which the model may have phrased differently.
    state = plan.buyer.state.model_copy(
        update={"buyer_words": plan.buyer.state.buyer_words + count_words(reply.text) - count_words(plan.buyer.text)}
    )
    with Session(engine) as session:
        # Claim the rep's turn (still pending) so that a second stream of the same turn cannot answer it twice.
        claimed = session.execute(
            update(Turn)
            .where(col(Turn.id) == plan.rep_turn_id, col(Turn.status) == TurnStatus.pending)
            .values(status=TurnStatus.complete, spin=plan.spin.label, feedback=feedback.model_dump(mode="json"))
            .returning(col(Turn.id))
            .execution_options(synchronize_session=False)  # no Turn is loaded in this session
        ).first()
        if claimed is None:  # answered meanwhile by another stream of the same turn, or the session ended
            session.rollback()
            roleplay, rep_turn = session.get(RolePlay, plan.roleplay_id), session.get(Turn, plan.rep_turn_id)
            if roleplay is None or rep_turn is None:
                raise RolePlayError(404, "this session is gone")
            return _stored_result(session, roleplay, rep_turn)
        session.execute(
            insert(Turn).values(
                roleplay_id=plan.roleplay_id,
                seq=plan.rep_seq + 1,
                speaker="buyer",
                text=reply.text,
                status=reply.status,
            )
        )
        session.execute(
            update(RolePlay)
            .where(col(RolePlay.id) == plan.roleplay_id)
            .values(state=state.model_dump(mode="json"))
            .execution_options(synchronize_session=False)
        )
        session.commit()
    return TurnResult(
        turn_id=plan.rep_turn_id,
        seq=plan.rep_seq,
        text=plan.rep_text,
        reply=reply.text,
        reply_status=reply.status,
        feedback=feedback,
        state=summarize_state(plan.scenario, state),
    )


def _stored_result(session: Session, roleplay: RolePlay, rep_turn: Turn) -> TurnResult:
    reply = session.exec(select(Turn).where(Turn.roleplay_id == roleplay.id, Turn.seq == rep_turn.seq + 1)).first()
    if reply is None:
        raise RolePlayError(409, "this message was never answered: the session was finished first")
    return TurnResult(
        turn_id=rep_turn.id,
        seq=rep_turn.seq,
        text=rep_turn.text,
        reply=reply.text,
        reply_status=reply.status,
        feedback=TurnFeedback.model_validate(rep_turn.feedback),
        state=summarize_state(scenario_of(session, roleplay.scenario_id), state_of(roleplay)),
    )


# --- finish -------------------------------------------------------------------------------------------


def next_scenario_choices(
    session: Session, roleplay: RolePlay, scenario: Scenario
) -> tuple[dict[str, Scenario], frozenset[str]]:
    """What "next scenario" may suggest to this rep: the built-ins and their team's published scenarios (no drafts,
    no one's private rehearsals), minus the one just played under any version; and which of them are the team's."""
    owner = session.get(User, roleplay.owner_id)
    teams = {owner.team_id} if owner is not None and owner.team_id is not None else set()
    played = repository.scenario_key(scenario.id)
    choices = {key: other for key, other in repository.scenarios_for_teams(session, teams).items() if key != played}
    return choices, frozenset(key for key in choices if repository.parse_team_ref(key) is not None)


def finish_roleplay(session: Session, roleplay: RolePlay, chat_model: BaseChatModel | None = None) -> FinishResult:
    """Score the call and store its coaching note; finishing again returns the same scorecard and note.

    With a chat model the weakest turns' rewrites are the model's (app.roleplay.rewrites), asked before the
    session is claimed so no write lock is held while the model writes; they are used only if the final
    scorecard quotes the same turns. The scores never depend on the model."""
    if roleplay.status == RolePlayStatus.finished:
        return _finished(session, roleplay)
    scenario = scenario_of(session, roleplay.scenario_id)
    rewrites = None
    if chat_model is not None:
        rep_texts = _rep_texts(session, roleplay)
        draft = build_scorecard(scenario, state_of(roleplay), rep_texts=rep_texts)
        rewrites = model_rewrites(chat_model, scenario, state_of(roleplay), draft, rep_texts)
    finished_at = utcnow()
    claimed = cast(  # an UPDATE's result is a CursorResult (with rowcount); Session.execute is typed wider
        "CursorResult[Any]",
        session.execute(
            update(RolePlay)
            .where(col(RolePlay.id) == roleplay.id, col(RolePlay.status) == RolePlayStatus.active)
            .values(status=RolePlayStatus.finished, finished_at=finished_at)
        ),
    )
    if claimed.rowcount != 1:  # a concurrent finish won; return its result
        session.rollback()
        session.refresh(roleplay)
        return _finished(session, roleplay)
    scenarios, team_own = next_scenario_choices(session, roleplay, scenario)
    scorecard = build_scorecard(
        scenario, state_of(roleplay), scenarios, rep_texts=_rep_texts(session, roleplay), preferred=team_own
    )
    scorecard = with_rewrites(scorecard, rewrites, state_of(roleplay).lang)
    note = CoachingNote(
        owner_id=roleplay.owner_id,
        kind="roleplay",
        source_id=scenario.id,
        title=note_title(scenario),
        score=scorecard.total,
        data=note_data(require_id(roleplay), scenario, scorecard),
    )
    session.add(note)
    session.flush()
    session.execute(
        update(RolePlay).where(col(RolePlay.id) == roleplay.id).values(score=scorecard.total, note_id=note.id)
    )
    # A message still waiting for its reply will never get one now.
    session.execute(
        update(Turn)
        .where(col(Turn.roleplay_id) == roleplay.id, col(Turn.status) == TurnStatus.pending)
        .values(status=TurnStatus.failed)
    )
    session.commit()
    session.refresh(roleplay)
    return FinishResult(scorecard=note.data["scorecard"], note_id=require_id(note))


def _rep_texts(session: Session, roleplay: RolePlay) -> list[str]:
    return [
        turn.text
        for turn in transcript(session, require_id(roleplay))
        if turn.speaker == "rep" and turn.status == TurnStatus.complete
    ]


def _finished(session: Session, roleplay: RolePlay) -> FinishResult:
    note = session.get(CoachingNote, roleplay.note_id) if roleplay.note_id else None
    if note is None:
        raise RolePlayError(409, "this session was finished but its note is gone")
    return FinishResult(scorecard=note.data["scorecard"], note_id=require_id(note))
