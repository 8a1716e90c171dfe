"""English definition questions about the handbook's methods (5K, milestones, the dragon method, SPIN, relationship
stages) are answered from the English passage written beside each Chinese section; Chinese questions keep the Chinese
one. Probe wording written for this change, not taken from the eval files."""

from __future__ import annotations

import pytest

from app.config import Settings
from app.knowledge import get_index
from app.knowledge.answer import chunk_language
from app.knowledge.service import ask_playbook
from app.knowledge.tokenize import mostly_chinese

ENGLISH_DEFINITIONS = {
    "What are the five Ks in the 5K closing formula?": "fivek-formula-en",
    "What points does the value score give when the customer validates the value?": "fivek-value-en",
    "What has to happen before a deal counts as 50 percent?": "milestone-m50-en",
    "Which six steps make up the dragon method?": "dragon-steps-overview-en",
    "What is a need-payoff question?": "spin-need-payoff-en",
    "What happens at the dating stage of a customer relationship?": "relationship-dating-en",
}
CHINESE_DEFINITIONS = {
    "5K 成交公式是什么？": "fivek-formula",
    "需求-效益问题是什么": "spin-need-payoff",
}


@pytest.mark.parametrize("question, passage", [*ENGLISH_DEFINITIONS.items(), *CHINESE_DEFINITIONS.items()])
def test_a_definition_question_is_answered_in_its_own_language(question: str, passage: str) -> None:
    result = ask_playbook(question, Settings(), None)
    assert result.covered, (question, result.answer)
    assert result.citations[0].id == passage, (question, [citation.id for citation in result.citations])
    assert mostly_chinese(result.answer) == (question in CHINESE_DEFINITIONS), result.answer


def test_an_english_passage_sits_beside_its_chinese_section_with_the_same_source() -> None:
    chunks = {chunk.id: chunk for chunk in get_index().chunks}
    for chunk_id, chunk in chunks.items():
        original = chunks.get(chunk_id.removesuffix("-en"))
        if not chunk_id.endswith("-en") or original is None:
            continue
        assert chunk_language(chunk) == "en" and chunk_language(original) == "zh", chunk_id
        assert (chunk.file, chunk.source) == (original.file, original.source), chunk_id
