"""What every flow's result shares: citations, labelled choices, bilingual messages, the result base model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field

from app.flows.definitions import Probe, StepDef, get_flow

Groups = dict[str, list[dict[str, Any]]]  # repeated step groups (people, stakeholders): one answer dict per entry


class Citation(BaseModel):
    """A playbook element a note relies on."""

    id: str
    name_zh: str
    name_en: str
    source: str


class Labeled(BaseModel):
    """A playbook element (or inline option) chosen in an answer."""

    id: str
    name_zh: str
    name_en: str


class Message(BaseModel):
    """A generated sentence in both languages, with the playbook ids behind it.

    `code` names the rule that produced it (e.g. "skipped_step"), so clients and tests need not parse text.
    """

    code: str = ""
    zh: str
    en: str
    cites: list[str] = Field(default_factory=list)


class FlowResult(BaseModel):
    flow_id: str
    account: str
    citations: list[Citation] = Field(default_factory=list)


@dataclass(frozen=True)
class FlowRules:
    """One flow's entry in the registry (app.flows.results.REGISTRY): its result model and the rules computing it."""

    flow_id: str
    model: type[FlowResult]
    compute: Callable[[dict[str, Any], Groups, Any], FlowResult]


class Cites:
    """Collects cited ids in first-use order and turns them into Citations."""

    def __init__(self, playbook: Any) -> None:
        self.playbook = playbook
        self.ids: list[str] = []

    def add(self, *element_ids: str) -> list[str]:
        for element_id in element_ids:
            self.playbook.element(element_id)  # an unknown id is a bug in this module: fail loudly
            if element_id not in self.ids:
                self.ids.append(element_id)
        return list(element_ids)

    def citations(self) -> list[Citation]:
        return [
            Citation(id=e.id, name_zh=e.name_zh, name_en=e.name_en, source=e.source)
            for e in (self.playbook.element(element_id) for element_id in self.ids)
        ]


def labeled(playbook: Any, element_id: str) -> Labeled:
    element = playbook.element(element_id)
    return Labeled(id=element_id, name_zh=element.name_zh, name_en=element.name_en)


def inline_label(step: StepDef, option_id: str | None) -> Labeled | None:
    for option in step.options or []:
        if option.id == option_id:
            return Labeled(id=option.id, name_zh=option.label_zh, name_en=option.label_en)
    return None


def plain_text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def text_items(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str) and item.strip()] if isinstance(value, list) else []


def probe_of(flow_id: str, step_key: str) -> Probe | None:
    return get_flow(flow_id).step_index()[step_key].probe
