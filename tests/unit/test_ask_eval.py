"""Offline evaluation of "Ask the playbook": fact coverage of answers and top-3 retrieval hits."""

from __future__ import annotations

import pytest

from app.knowledge import answer_offline, get_index
from tests.utils.ask import load_golden

MIN_FACT_COVERAGE = 0.90
MIN_TOP3_HIT_RATE = 0.95


@pytest.fixture(scope="module")
def golden() -> list[dict]:
    return load_golden()


def test_golden_set_shape(golden: list[dict]) -> None:
    in_scope = [row for row in golden if not row.get("out_of_scope")]
    assert len(in_scope) >= 70
    assert sum(row["lang"] == "en" for row in in_scope) >= 12
    assert sum(bool(row.get("out_of_scope")) for row in golden) >= 5
    assert len({row["id"] for row in golden}) == len(golden)
    known_ids = set(get_index().ids())
    for row in in_scope:
        assert row["must_contain"] and row["relevant_ids"], row["id"]
        assert set(row["relevant_ids"]) <= known_ids, row["id"]


def fact_coverage_and_misses(golden: list[dict]) -> tuple[float, list[str]]:
    """Share of must_contain facts (case-insensitive) present in the offline answers."""
    index = get_index()
    found = total = 0
    misses: list[str] = []
    for row in golden:
        if row.get("out_of_scope"):
            continue
        answer = answer_offline(row["question"], index).answer.lower()
        for fact in row["must_contain"]:
            total += 1
            if fact.lower() in answer:
                found += 1
            else:
                misses.append(f"{row['id']}: {fact}")
    return found / total, misses


def top3_hit_rate_and_misses(golden: list[dict]) -> tuple[float, list[str]]:
    """Share of questions with at least one relevant chunk id among the top 3 results.

    A section's English passage (`<id>-en`, written beside the Chinese one) counts as that section."""
    index = get_index()
    in_scope = [row for row in golden if not row.get("out_of_scope")]
    misses = []
    for row in in_scope:
        top_ids = [chunk.id.removesuffix("-en") for chunk, _ in index.search(row["question"], 3)]
        if not set(top_ids) & set(row["relevant_ids"]):
            misses.append(f"{row['id']}: got {top_ids}")
    return 1 - len(misses) / len(in_scope), misses


def test_offline_fact_coverage(golden: list[dict]) -> None:
    coverage, misses = fact_coverage_and_misses(golden)
    print(f"\noffline fact coverage: {coverage:.1%} (missing: {misses})")
    assert coverage >= MIN_FACT_COVERAGE, misses


def test_top3_retrieval_hit_rate(golden: list[dict]) -> None:
    hit_rate, misses = top3_hit_rate_and_misses(golden)
    print(f"\ntop-3 retrieval hit rate: {hit_rate:.1%} (misses: {misses})")
    assert hit_rate >= MIN_TOP3_HIT_RATE, misses


def test_out_of_scope_questions_are_declined(golden: list[dict]) -> None:
    index = get_index()
    for row in golden:
        if not row.get("out_of_scope"):
            continue
        answer = answer_offline(row["question"], index)
        assert not answer.covered and answer.citations == [], row["id"]
        expected = "没有涉及" if row["lang"] == "zh" else "does not cover"
        assert expected in answer.answer, row["id"]


def test_in_scope_answers_cite_a_relevant_chunk(golden: list[dict]) -> None:
    index = get_index()
    uncited = [
        row["id"]
        for row in golden
        if not row.get("out_of_scope") and not answer_offline(row["question"], index).citations
    ]
    # Every in-scope question must at least get an answer with citations.
    assert not uncited, uncited
