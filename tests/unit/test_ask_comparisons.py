"""Comparison questions (playbooks/ask/comparisons.yaml): recognised, split into their two sides, data validated."""

from __future__ import annotations

import pytest

from app.knowledge import get_index
from app.knowledge.answer import TEXTS, answer_offline
from app.knowledge.compare import comparison_sides
from app.knowledge.sources import AskDataError, load_comparisons


@pytest.mark.parametrize(
    ("question", "sides"),
    [
        ("决策者和评估者有什么区别", ("决策者", "评估者有什么")),
        ("友善型的客户和进取型的客户，沟通上有啥不一样", ("友善型的客户", "进取型的客户")),
        (
            "Situation questions vs problem questions: what's the difference?",
            ("Situation questions", "problem questions"),
        ),
        ("How do I tell an advance from a continuation?", ("How do I tell an advance", "a continuation")),
    ],
)
def test_the_two_sides_are_found(question: str, sides: tuple[str, str]) -> None:
    assert comparison_sides(question) == sides


@pytest.mark.parametrize(
    "question",
    [
        "领导和对接人的意见不同怎么办",
        "客户和我们约了下周见面，要准备什么",
        "How do I get the CFO and the CIO in one room?",
    ],
)
def test_a_situation_with_two_people_is_no_comparison(question: str) -> None:
    assert comparison_sides(question) is None


def test_a_method_named_by_its_chapter_is_a_side() -> None:
    """摧龙六式 heads a chapter, not a passage: the chapter's overview answers for it."""
    answer = answer_offline("SPIN和摧龙六式有什么区别", get_index())
    assert [citation.id for citation in answer.citations] == ["spin-overview", "dragon-steps-overview"]


def test_sides_no_heading_names_are_answered_as_any_question() -> None:
    """我们 names no passage: the question goes the usual way, not side by side."""
    answer = answer_offline("我们和竞争对手有什么区别，客户问起来怎么说？", get_index())
    assert not answer.answer.startswith(TEXTS.label("compare_lead", "zh"))
    assert "deals-competitor-comparison" in [citation.id for citation in answer.citations]


def test_a_bad_marker_names_the_file_and_field(tmp_path) -> None:
    (tmp_path / "comparisons.yaml").write_text("markers: ['区别(']\njoiners: [和]\n", encoding="utf-8")
    with pytest.raises(AskDataError, match=r"comparisons.yaml: markers.0"):
        load_comparisons.__wrapped__(tmp_path)
