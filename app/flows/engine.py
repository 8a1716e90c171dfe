"""The question-flow engine: walks a flow definition step by step, validates answers, probes thin ones.

Usage:
    state, view = start("stakeholder_map")
    outcome = answer(state, "王总")        # -> Outcome(step=next StepView) or Outcome(done=True, result=...)
    view = back(state)                     # one step back
The state is a plain JSON-serialisable pydantic model (store `state.model_dump(mode="json")`).
`answer` and `back` update the given state in place and also return it (Outcome.state); on
`AnswerError` the state is left unchanged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from app.errors import AppError
from app.flows import results
from app.flows.definitions import (
    FlowDefinition,
    GroupDef,
    StepDef,
    get_flow,
    meaningful_chars,
    resolve_options,
)
from app.i18n import Lang
from app.playbook.texts import PLAYBOOKS_DIR, Texts, load_texts

logger = logging.getLogger(__name__)

MORE_STEP_ID = "more"  # the closing "add another?" question of a repeated group


class EngineTexts(Texts):
    """playbooks/flows/texts/engine.yaml: what the engine says (parts) and the words it reads in answers."""

    more_aliases: dict[str, Literal["yes", "no"]] = Field(min_length=1)  # short replies to "add another?"
    number_units: dict[str, int] = Field(min_length=1)  # a number's last character -> its multiplier

    @field_validator("number_units")
    @classmethod
    def _one_character(cls, units: dict[str, int]) -> dict[str, int]:
        if bad := [unit for unit in units if len(unit) != 1]:
            raise ValueError(f"number units are single characters, not {bad}")
        return units


TEXTS = load_texts(PLAYBOOKS_DIR / "flows" / "texts" / "engine.yaml", EngineTexts)
_MORE_OPTIONS = [("yes", *TEXTS.part("more.yes")), ("no", *TEXTS.part("more.no"))]


class AnswerError(AppError):
    """An answer the current step cannot accept (422); carries the message in both languages.

    `detail` (and `str()`) is the English message until `in_language` picks the run's language for `detail` (the
    service does, as it knows which language the run speaks)."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(422, "invalid_answer", message_en)
        self.message_zh = message_zh
        self.message_en = message_en

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang == "en" else self.message_zh

    def in_language(self, lang: str) -> AnswerError:
        """This error with `detail` in `lang`."""
        self.detail = self.message(lang)
        return self


class Position(BaseModel):
    """Where a run is: item index, and inside a repeated group the instance and the step index.

    For a group, `inner == len(group.steps)` is its closing "add another?" question.
    """

    item: int = 0
    instance: int = 0
    inner: int = 0


class FlowRunState(BaseModel):
    """Everything needed to resume a run; JSON-serialisable."""

    flow_id: str
    lang: Lang = "zh"
    answers: dict[str, Any] = Field(default_factory=dict, description="top-level step id -> answer")
    groups: dict[str, list[dict[str, Any]]] = Field(
        default_factory=dict, description="group id -> one answers dict per repeat instance"
    )
    position: Position | None = Field(default_factory=Position, description="None once done")
    history: list[Position] = Field(default_factory=list, description="positions answered, for back")
    probes_used: dict[str, int] = Field(default_factory=dict, description="answer key -> probes asked")
    probing: bool = False
    probe_text: str | None = None
    done: bool = False


class OptionView(BaseModel):
    id: str
    label: str


class Progress(BaseModel):
    index: int
    total_estimate: int


class StepView(BaseModel):
    """One question as the API shows it, in one language."""

    id: str
    prompt: str
    type: str
    options: list[OptionView] = Field(default_factory=list)
    hint: str | None = None
    probe: bool = False
    progress: Progress


class Outcome(BaseModel):
    """What `answer` returns: the next question, or done with the flow's result model."""

    state: FlowRunState
    done: bool = False
    step: StepView | None = None
    result: Any = None


@dataclass(frozen=True)
class ProbeRequest:
    """What a probe writer (e.g. an LLM) gets to phrase a follow-up question."""

    flow_id: str
    step_id: str
    prompt: str
    answer: Any
    scripted_probe: str
    lang: str


ProbeWriter = Callable[[ProbeRequest], str | None]


# ---------------------------------------------------------------------------
# Public API


def start(
    flow_id: str, lang: Lang = "zh", *, flow: FlowDefinition | None = None, playbook: Any | None = None
) -> tuple[FlowRunState, StepView]:
    """Begin a run of a flow; returns the fresh state and the first question."""
    flow = flow or get_flow(flow_id)
    state = FlowRunState(flow_id=flow.id, lang=lang)
    state.position = _first_active_from(flow, state, Position())
    if state.position is None:
        raise ValueError(f"flow {flow.id!r} has no step to ask")
    return state, _view(flow, state, state.position, lang, playbook)


def current_view(
    state: FlowRunState, lang: Lang | None = None, *, flow: FlowDefinition | None = None, playbook: Any | None = None
) -> StepView | None:
    """The question waiting for an answer (the probe if one is pending); None when done."""
    flow = flow or get_flow(state.flow_id)
    if state.done or state.position is None:
        return None
    return _view(flow, state, state.position, lang or state.lang, playbook, probe_text=state.probe_text)


def answer(
    state: FlowRunState,
    raw_answer: Any,
    *,
    lang: Lang | None = None,
    probe_writer: ProbeWriter | None = None,
    flow: FlowDefinition | None = None,
    playbook: Any | None = None,
) -> Outcome:
    """Accept an answer to the current question and move on.

    Raises AnswerError for a wrong type, an unknown option, a number out of range or a
    missing required answer. A thin answer to a step with a `probe` is kept and the same
    step comes back once more (`probe: true`); the reply to a probe is added to it (an
    empty reply means "nothing to add").
    """
    flow = flow or get_flow(state.flow_id)
    lang = lang or state.lang
    if state.done or state.position is None:
        raise AnswerError(*TEXTS.part("error.finished"))
    work = state.model_copy(deep=True)
    position = work.position
    assert position is not None
    item = flow.items[position.item]

    if isinstance(item, GroupDef) and position.inner == len(item.steps):
        alias = TEXTS.more_aliases.get(raw_answer.strip().lower()) if isinstance(raw_answer, str) else None
        add_another = (alias or _parse_choice(raw_answer, _MORE_OPTIONS)) == "yes"
        work.history.append(position)
        if add_another:
            instances = work.groups.setdefault(item.group, [])
            while len(instances) < position.instance + 1:
                instances.append({})  # every step of the instance was skipped
            instances.append({})
            next_position = Position(item=position.item, instance=position.instance + 1, inner=0)
        else:
            next_position = Position(item=position.item + 1)
        return _finish_move(flow, state, work, _first_active_from(flow, work, next_position), lang, playbook)

    step = _step_at(flow, position)
    assert step is not None
    options = resolve_options(step, _playbook_if_needed(step, playbook))
    key = _answer_key(flow, position)
    if work.probing:
        addition = _parse_probe_reply(step, raw_answer)
        value = _combine(step, _get_answer(work, flow, position), addition)
    else:
        value = _parse_answer(step, raw_answer, options)
    _set_answer(work, flow, position, value)

    probe = step.probe
    # An optional question left empty is a choice, not a thin answer.
    worth_probing = (
        probe is not None and value not in (None, "", []) and work.probes_used.get(key, 0) < probe.max_probes
    )
    if probe is not None and worth_probing and probe.is_thin(value):
        work.probes_used[key] = work.probes_used.get(key, 0) + 1
        work.probing = True
        work.probe_text = _probe_text(flow, work, step, value, lang, probe_writer)
        _copy_into(state, work)
        view = _view(flow, state, position, lang, playbook, probe_text=state.probe_text)
        return Outcome(state=state, step=view)

    work.probing = False
    work.probe_text = None
    work.history.append(position)
    return _finish_move(flow, state, work, _next_after_step(flow, work, position), lang, playbook)


def back(
    state: FlowRunState, lang: Lang | None = None, *, flow: FlowDefinition | None = None, playbook: Any | None = None
) -> StepView:
    """Return to the previous question (its old answer is cleared); AnswerError at the first one."""
    flow = flow or get_flow(state.flow_id)
    if not state.history:
        raise AnswerError(*TEXTS.part("error.first_question"))
    work = state.model_copy(deep=True)
    if work.position is not None and work.probing:
        _clear_answer(work, flow, work.position)  # drop the thin answer waiting for its probe
    previous = work.history.pop()
    previous_item = flow.items[previous.item]
    if isinstance(previous_item, GroupDef) and previous.inner == len(previous_item.steps):
        instances = work.groups.get(previous_item.group, [])
        # "add another = yes" created an instance; going back above it removes it again.
        if len(instances) > previous.instance + 1:
            instances.pop()
    else:
        _clear_answer(work, flow, previous)
        work.probes_used.pop(_answer_key(flow, previous), None)
    work.position = previous
    work.probing = False
    work.probe_text = None
    work.done = False
    _copy_into(state, work)
    return _view(flow, state, previous, lang or state.lang, playbook)


# ---------------------------------------------------------------------------
# Navigation


def _step_at(flow: FlowDefinition, position: Position) -> StepDef | None:
    """The step at a position; None for a group's closing question."""
    item = flow.items[position.item]
    if isinstance(item, StepDef):
        return item
    if position.inner < len(item.steps):
        return item.steps[position.inner]
    return None


def _answer_key(flow: FlowDefinition, position: Position) -> str:
    item = flow.items[position.item]
    if isinstance(item, StepDef):
        return item.id
    inner_id = item.steps[position.inner].id if position.inner < len(item.steps) else MORE_STEP_ID
    return f"{item.group}[{position.instance}].{inner_id}"


def _lookup(state: FlowRunState, name: str, group: GroupDef | None, instance: int) -> Any:
    """An earlier answer by step id: the same group instance first, then the top level."""
    if group is not None:
        instances = state.groups.get(group.group, [])
        if instance < len(instances) and name in instances[instance]:
            return instances[instance][name]
    return state.answers.get(name)


def _is_active(flow: FlowDefinition, state: FlowRunState, position: Position) -> bool:
    step = _step_at(flow, position)
    if step is None or step.when is None:
        return True
    item = flow.items[position.item]
    group = item if isinstance(item, GroupDef) else None
    value = _lookup(state, step.when.step, group, position.instance)
    condition = step.when
    values = value if isinstance(value, list) else [value]
    if condition.equals is not None:
        return condition.equals in values
    if condition.not_equals is not None:
        return condition.not_equals not in values
    if condition.in_ is not None:
        return any(v in condition.in_ for v in values)
    return bool(value not in (None, "", [])) == bool(condition.not_empty)


def _first_active_from(flow: FlowDefinition, state: FlowRunState, position: Position) -> Position | None:
    """The first position at or after `position` whose step should be asked; None at the end."""
    pos = position.model_copy()
    while pos.item < len(flow.items):
        item = flow.items[pos.item]
        if isinstance(item, StepDef):
            if _is_active(flow, state, pos):
                return pos
            pos = Position(item=pos.item + 1)
            continue
        if pos.inner < len(item.steps):
            if _is_active(flow, state, pos):
                return pos
            pos = Position(item=pos.item, instance=pos.instance, inner=pos.inner + 1)
            continue
        # Closing question, unless the group is full.
        if pos.instance + 1 < item.max_instances:
            return pos
        pos = Position(item=pos.item + 1)
    return None


def _next_after_step(flow: FlowDefinition, state: FlowRunState, position: Position) -> Position | None:
    item = flow.items[position.item]
    if isinstance(item, StepDef):
        return _first_active_from(flow, state, Position(item=position.item + 1))
    return _first_active_from(
        flow, state, Position(item=position.item, instance=position.instance, inner=position.inner + 1)
    )


def _estimate_remaining(flow: FlowDefinition, state: FlowRunState, position: Position) -> int:
    """Questions left including the current one, assuming no further group instances."""
    count = 0
    pos: Position | None = position
    while pos is not None:
        count += 1
        item = flow.items[pos.item]
        if isinstance(item, GroupDef) and pos.inner == len(item.steps):
            pos = _first_active_from(flow, state, Position(item=pos.item + 1))
        else:
            pos = _next_after_step(flow, state, pos)
    return count


def _finish_move(
    flow: FlowDefinition,
    state: FlowRunState,
    work: FlowRunState,
    next_position: Position | None,
    lang: Lang,
    playbook: Any | None,
) -> Outcome:
    work.position = next_position
    if next_position is None:
        result = results.compute_result(flow.id, work.answers, work.groups, playbook=playbook)
        work.done = True
        _copy_into(state, work)
        return Outcome(state=state, done=True, result=result)
    _copy_into(state, work)
    return Outcome(state=state, step=_view(flow, state, next_position, lang, playbook))


def _copy_into(target: FlowRunState, source: FlowRunState) -> None:
    for name in FlowRunState.model_fields:
        setattr(target, name, getattr(source, name))


# ---------------------------------------------------------------------------
# Answers


def _get_answer(state: FlowRunState, flow: FlowDefinition, position: Position) -> Any:
    item = flow.items[position.item]
    if isinstance(item, StepDef):
        return state.answers.get(item.id)
    instances = state.groups.get(item.group, [])
    if position.instance < len(instances):
        return instances[position.instance].get(item.steps[position.inner].id)
    return None


def _set_answer(state: FlowRunState, flow: FlowDefinition, position: Position, value: Any) -> None:
    item = flow.items[position.item]
    if isinstance(item, StepDef):
        state.answers[item.id] = value
        return
    instances = state.groups.setdefault(item.group, [])
    while len(instances) <= position.instance:
        instances.append({})
    instances[position.instance][item.steps[position.inner].id] = value


def _clear_answer(state: FlowRunState, flow: FlowDefinition, position: Position) -> None:
    item = flow.items[position.item]
    if isinstance(item, StepDef):
        state.answers.pop(item.id, None)
        return
    instances = state.groups.get(item.group, [])
    if position.inner < len(item.steps) and position.instance < len(instances):
        instances[position.instance].pop(item.steps[position.inner].id, None)


def _is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, list) and not raw)


def _parse_answer(step: StepDef, raw: Any, options: list[tuple[str, str, str]]) -> Any:
    rules = step.validation
    if _is_empty(raw):
        if rules.required:
            raise AnswerError(*TEXTS.part("error.required"))
        return [] if step.type in ("list", "multi_choice") else None
    if step.type == "text":
        return _parse_text(step, raw)
    if step.type == "number":
        return _parse_number(step, raw)
    if step.type == "choice":
        return _parse_choice(raw, options)
    if step.type == "multi_choice":
        chosen = [_parse_choice(part, options) for part in _split_multi(raw)]
        chosen = list(dict.fromkeys(chosen))
        _check_item_count(step, chosen)
        return chosen
    items = _split_list(raw)
    _check_item_count(step, items)
    return items


def _parse_text(step: StepDef, raw: Any) -> str:
    if not isinstance(raw, str):
        raise AnswerError(*TEXTS.part("error.text_needed"))
    text = raw.strip()
    min_chars = step.validation.min_chars
    if min_chars and len(text) < min_chars:
        raise AnswerError(*TEXTS.part("error.too_short", min_chars=min_chars))
    return text


def _parse_number(step: StepDef, raw: Any) -> float | int:
    if isinstance(raw, bool):
        raise AnswerError(*TEXTS.part("error.number_needed"))
    if isinstance(raw, (int, float)):
        number: float | int = raw
    elif isinstance(raw, str):
        text = raw.strip().replace(",", "").replace("，", "").replace(" ", "").removesuffix("元")
        multiplier = 1
        if text and text[-1] in TEXTS.number_units:
            multiplier = TEXTS.number_units[text[-1]]
            text = text[:-1]
        try:
            number = float(text) * multiplier
        except ValueError:
            raise AnswerError(*TEXTS.part("error.number_format")) from None
    else:
        raise AnswerError(*TEXTS.part("error.number_needed"))
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    low, high = step.validation.min, step.validation.max
    if low is not None and number < low:
        raise AnswerError(*TEXTS.part("error.number_too_small", low=f"{low:g}"))
    if high is not None and number > high:
        raise AnswerError(*TEXTS.part("error.number_too_large", high=f"{high:g}"))
    return number


def _parse_choice(raw: Any, options: list[tuple[str, str, str]]) -> str:
    """An option id from its id, its label (either language) or its 1-based number."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise AnswerError(*TEXTS.part("error.pick_one"))
    text = str(raw).strip()
    for option_id, label_zh, label_en in options:
        if text == option_id or text == label_zh or text.lower() == label_en.lower():
            return option_id
    if text.isdigit() and 1 <= int(text) <= len(options):
        return options[int(text) - 1][0]
    separator_zh, separator_en = TEXTS.part("list_separator")
    choices_zh = separator_zh.join(label_zh for _, label_zh, _ in options)
    choices_en = separator_en.join(label_en for _, _, label_en in options)
    raise AnswerError(*TEXTS.part("error.not_an_option", text=text, choices_zh=choices_zh, choices_en=choices_en))


def _split_multi(raw: Any) -> list[Any]:
    if isinstance(raw, list):
        return raw
    if isinstance(raw, str):
        return [part for part in re.split(r"[,，、;；\n]", raw) if part.strip()]
    raise AnswerError(*TEXTS.part("error.pick_some"))


def _split_list(raw: Any) -> list[str]:
    """A list answer: a JSON list, or text split on new lines / semicolons (or 、 if nothing else)."""
    if isinstance(raw, list):
        if not all(isinstance(entry, str) for entry in raw):
            raise AnswerError(*TEXTS.part("error.list_items_text"))
        parts = raw
    elif isinstance(raw, str):
        parts = re.split(r"[\n;；]", raw)
        if len([p for p in parts if p.strip()]) == 1 and "、" in raw:
            parts = raw.split("、")
    else:
        raise AnswerError(*TEXTS.part("error.list_needed"))
    return [part.strip() for part in parts if part.strip()]


def _check_item_count(step: StepDef, items: list[Any]) -> None:
    rules = step.validation
    if rules.required and not items:
        raise AnswerError(*TEXTS.part("error.required"))
    if rules.min_items and len(items) < rules.min_items:
        raise AnswerError(*TEXTS.part("error.too_few_items", count=rules.min_items))
    if rules.max_items and len(items) > rules.max_items:
        raise AnswerError(*TEXTS.part("error.too_many_items", count=rules.max_items))


def _parse_probe_reply(step: StepDef, raw: Any) -> Any:
    """A reply to a probe is lenient: empty means nothing to add."""
    if _is_empty(raw):
        return None
    if step.type == "list":
        return _split_list(raw)
    if not isinstance(raw, str):
        raise AnswerError(*TEXTS.part("error.probe_text"))
    return raw.strip()


def _combine(step: StepDef, previous: Any, addition: Any) -> Any:
    """Add a probe reply to the first answer; a first answer that was only vague words is replaced."""
    if addition is None:
        return previous
    if step.type == "list":
        return list(previous or []) + list(addition)
    # "还行吧" keeps at most one character besides vague words: nothing worth keeping.
    if not previous or (step.probe is not None and meaningful_chars(previous, step.probe.vague_words) <= 1):
        return addition
    return f"{previous}；{addition}"


# ---------------------------------------------------------------------------
# Probes


def _probe_text(
    flow: FlowDefinition, state: FlowRunState, step: StepDef, value: Any, lang: Lang, writer: ProbeWriter | None
) -> str:
    assert step.probe is not None
    scripted = step.probe.text_en if lang == "en" else step.probe.text_zh
    if writer is None:
        return scripted
    request = ProbeRequest(
        flow_id=flow.id,
        step_id=step.id,
        prompt=step.prompt_en if lang == "en" else step.prompt_zh,
        answer=value,
        scripted_probe=scripted,
        lang=lang,
    )
    try:
        written = writer(request)
    except Exception:  # an LLM hiccup must not break the flow: fall back to the script
        logger.warning("probe writer failed for %s.%s; using the scripted probe", flow.id, step.id, exc_info=True)
        return scripted
    return written.strip() if written and written.strip() else scripted


# ---------------------------------------------------------------------------
# Views


def _playbook_if_needed(step: StepDef, playbook: Any | None) -> Any | None:
    if step.options_from is None or playbook is not None:
        return playbook
    from app.playbook import get_playbook

    return get_playbook()


def _view(
    flow: FlowDefinition,
    state: FlowRunState,
    position: Position,
    lang: Lang,
    playbook: Any | None,
    probe_text: str | None = None,
) -> StepView:
    item = flow.items[position.item]
    step = _step_at(flow, position)
    progress = Progress(
        index=len(state.history) + 1,
        total_estimate=len(state.history) + _estimate_remaining(flow, state, position),
    )
    if step is None:
        assert isinstance(item, GroupDef)
        prompt = item.more_prompt_en if lang == "en" else item.more_prompt_zh
        options = [OptionView(id=i, label=en if lang == "en" else zh) for i, zh, en in _MORE_OPTIONS]
        return StepView(
            id=f"{item.group}.{MORE_STEP_ID}", prompt=prompt, type="choice", options=options, progress=progress
        )

    prompt = step.prompt_en if lang == "en" else step.prompt_zh
    step_id = step.id
    if isinstance(item, GroupDef):
        label = item.label_en if lang == "en" else item.label_zh
        prompt = f"{label} #{position.instance + 1} · {prompt}"
        step_id = f"{item.group}.{step.id}"
    if probe_text:
        prompt = probe_text
    options = [
        OptionView(id=option_id, label=label_en if lang == "en" else label_zh)
        for option_id, label_zh, label_en in resolve_options(step, _playbook_if_needed(step, playbook))
    ]
    hint = step.hint_en if lang == "en" else step.hint_zh
    return StepView(
        id=step_id, prompt=prompt, type=step.type, options=options, hint=hint, probe=bool(probe_text), progress=progress
    )
