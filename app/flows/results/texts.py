"""The sentences flow results are written in, as data: playbooks/flows/results/<flow_id>.yaml.

`messages` are whole sentences in both languages, keyed by the rule's code (the `code` of the Message they
become); `parts` are pieces of them (a name, an aside), "" in a language that leaves the piece out. Both are
str.format templates with named {placeholders} (app/playbook/texts.py). Each flow module loads its file when it
is imported, so a missing file or a broken template stops the app at start-up; tests/unit/test_flow_texts.py
checks that every key a module asks for exists and gets every placeholder it names, and that no text is unused.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field

from app.flows.results.common import Message
from app.playbook.texts import PLAYBOOKS_DIR, Part, Sentence, TextError, Texts, load_texts, placeholders

__all__ = ["FlowTextError", "FlowTexts", "Part", "Sentence", "flow_texts", "placeholders"]

TEXTS_DIR = PLAYBOOKS_DIR / "flows" / "results"


class FlowTextError(TextError):
    """A flow's text file is missing or invalid; the message names the file and the field."""


class FlowTexts(Texts):
    messages: dict[str, Sentence] = Field(default_factory=dict)

    def message(self, code: str, cites: list[str], **values: object) -> Message:
        """The sentence of rule `code` filled in, as the Message the result lists."""
        zh, en = self.messages[code].format(**values)
        return Message(code=code, zh=zh, en=en, cites=cites)


@lru_cache
def flow_texts(flow_id: str) -> FlowTexts:
    return load_texts(TEXTS_DIR / f"{flow_id}.yaml", FlowTexts, FlowTextError)
