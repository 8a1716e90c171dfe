"""Situations (playbooks/ask/situations.yaml): valid data naming real passages, matched on the question's text."""

from __future__ import annotations

import pytest

from app.knowledge import get_index
from app.knowledge.answer import answer_offline
from app.knowledge.sources import AskDataError, load_situations


def test_every_situation_names_existing_passages_in_both_languages() -> None:
    known = set(get_index().ids())
    for situation in load_situations().situations:
        assert set(situation.passages) <= known, (situation.id, set(situation.passages) - known)
        # a Chinese passage and an English one, so a question in either language finds its answer
        assert any(not passage.endswith("-en") for passage in situation.passages), situation.id
        assert any(passage.endswith("-en") for passage in situation.passages), situation.id


def test_a_situation_is_found_across_the_words_jieba_cuts() -> None:
    """原地踏步 shares no word with the stuck-deal advice; the situation still names it."""
    rules = load_situations()
    assert "deals-stuck" in rules.passages("项目推了大半年还在原地踏步")
    assert rules.passages("公司年会节目怎么准备") == frozenset()


def test_a_definition_question_is_not_turned_into_advice() -> None:
    """第一次见客户有哪些接近的方法 names a first meeting but asks for the manual's list of approaches."""
    answer = answer_offline("第一次见客户有哪些接近的方法？", get_index())
    assert answer.citations[0].id == "approach-eight-methods"


def test_bad_situations_name_the_file_and_field(tmp_path) -> None:
    (tmp_path / "situations.yaml").write_text("situations:\n  - id: x\n    passages: [a]\n", encoding="utf-8")
    with pytest.raises(AskDataError, match=r"situations.yaml: invalid situations\n  field situations.0.rules"):
        load_situations.__wrapped__(tmp_path)
    (tmp_path / "situations.yaml").write_text(
        "situations:\n  - id: x\n    passages: [a]\n    rules: [[[ok], []]]\n", encoding="utf-8"
    )
    with pytest.raises(AskDataError, match=r"situations.0.rules.0: empty group"):
        load_situations.__wrapped__(tmp_path)
