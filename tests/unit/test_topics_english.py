"""English topic matching of the scripted buyer: inflected keywords, English concept forms, no stray prefixes."""

from __future__ import annotations

import pytest

from app.roleplay.scenarios import load_scenarios
from app.roleplay.topics import CONCEPTS, GENERIC_TERMS, contains, content_terms, topic_index


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("are you worried about it?", "worry"),
        ("the worries of the team", "worry"),
        ("how many histories", "history"),
        ("is anyone leaving?", "leave"),
        ("we scanned it", "scan"),
        ("they are scanning", "scan"),
        ("two fails a year", "fail"),
        ("it failed twice", "fail"),
        ("the bidding starts", "bid"),
        ("our kpis", "kpi"),
        ("the month ending soon", "month end"),
    ],
)
def test_a_latin_keyword_finds_its_regular_inflections(text: str, word: str) -> None:
    assert contains(text, word)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("this", "his"),
        ("a new planet", "plan"),
        ("the scanner", "scan"),
        ("quite good", "quit"),
        ("the bedside", "bed"),
        ("beta", "eta"),
        ("", "x"),
        ("anything", ""),
    ],
)
def test_a_latin_keyword_still_needs_its_own_word(text: str, word: str) -> None:
    assert not contains(text, word)


def test_english_surface_forms_name_the_same_concepts_as_the_chinese_words() -> None:
    assert {"流失", "高端"} <= content_terms("Are affluent clients moving money elsewhere?")
    assert "流失" in content_terms("高端客户最近有没有被别家挖走？")
    assert "停机" in content_terms("How long does the turbine stand still?")
    assert "跟进" in content_terms("Do the advisers follow up in time?")


def test_common_words_that_merely_start_like_a_concept_name_nothing() -> None:
    terms = content_terms("That is interesting. Could you answer the following?")
    assert not terms & set(CONCEPTS)


def test_english_fillers_are_generic_in_the_form_the_tokenizer_gives_them() -> None:
    assert "current" in GENERIC_TERMS  # "currently", stemmed
    assert not content_terms("How much time do you actually have this year?") - {"time"}


def test_an_english_paraphrase_reaches_the_fact_and_not_its_neighbours() -> None:
    scenario = load_scenarios()["energy_wind_eam"]
    index = topic_index(scenario)
    question = "How much of that sensor history actually gets analysed?"
    terms = index.terms(question)
    on_topic = [fact.id for fact in scenario.facts.problem if index.match(fact, terms, question).on_topic]
    assert on_topic == ["p_no_modelling"]
