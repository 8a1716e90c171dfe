"""The coach on demand: SPIN label for any single utterance."""

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field, field_validator

from app.coaching.llm_spin import classify_spin_llm
from app.coaching.spin import SpinLabel, classify_spin, label_name, spin_playbook_id
from app.deps import rate_limited
from app.llm.resilience import skip_reason

router = APIRouter(prefix="/coach", tags=["coach"])


class SpinRequest(BaseModel):
    text: str = Field(min_length=1, max_length=2000)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text must not be blank")
        return value


class LlmOpinion(BaseModel):
    label: SpinLabel
    confidence: float


class SpinOut(BaseModel):
    label: SpinLabel  # the offline classifier's label: the same one role-play turns are scored with
    confidence: float
    name_zh: str
    name_en: str
    element_id: str | None
    cues: list[str]
    is_question: bool
    is_pitch: bool
    asks_commitment: bool
    llm: LlmOpinion | None = None  # a second opinion when a model is configured and answered validly


@router.post("/spin", dependencies=[Depends(rate_limited("rate_limit_turns"))])
async def spin(body: SpinRequest, request: Request) -> SpinOut:
    """Which SPIN question type an utterance is, with the cue words; the model adds a second opinion if configured."""
    result = classify_spin(body.text)
    chat_model = request.app.state.chat_model
    # The pre-check reads today's budget in a worker thread; skipped (circuit open, budget used) means no opinion.
    ask_model = chat_model is not None and await run_in_threadpool(skip_reason, chat_model) is None
    verdict = await classify_spin_llm(chat_model, body.text) if ask_model else None
    return SpinOut(
        label=result.label,
        confidence=result.confidence,
        name_zh=label_name(result.label, "zh"),
        name_en=label_name(result.label, "en"),
        element_id=spin_playbook_id(result.label),
        cues=result.cues,
        is_question=result.is_question,
        is_pitch=result.is_pitch,
        asks_commitment=result.asks_commitment,
        llm=LlmOpinion(label=verdict.label, confidence=verdict.confidence) if verdict else None,
    )
