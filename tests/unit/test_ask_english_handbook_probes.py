"""English questions about approaching customers and the key selling factors, the C139 deal-control model, the sales
mindset, sales process management and sales system management are answered in English from the English passages
beside those Chinese sections.

Probe wording written and labelled for this change (before the English passages were added), not taken from the
eval files."""

from __future__ import annotations

import pytest

from tests.utils.ask import assert_answered_in_english_from, assert_cites_only_chinese_passages

# question -> the English passages that may answer it (the first citation must be one of them)
IN_SCOPE_ENGLISH = {
    # approach_and_factors.md
    "What are the eight ways to approach a customer for the first time?": {"approach-eight-methods-en"},
    "What are the six key factors in any sale, and in what order do they come?": {"approach-six-factors-en"},
    # The question names the competitor-got-in-first situation, whose advice passage (the incumbent vendor) leads by
    # design and carries the manual's "local advantage, step by step"; the handbook passage follows it.
    "A competitor has been entrenched at this account for years. How do I break in?": {
        "approach-entrenched-competitor-en",
        "objections-incumbent-en",
    },
    "What are the five steps of interactive selling?": {"approach-interactive-selling-en"},
    # The dragon method's data-gathering passage says the same (and leads for the Chinese question too).
    "What background information should I gather about a customer before I start?": {
        "approach-factor-collect-en",
        "dragon-collect-data-en",
    },
    # c139.md
    "What is the C139 model used for?": {"c139-purpose-en"},
    "Which three questions does C139 answer about a deal?": {"c139-purpose-en"},
    "In C139, what is the first element and why does the coach's score matter?": {"c139-elements-en"},
    # sales_mindset.md
    "What is Art Mortell's seven-step plan for success?": {"mindset-seven-step-plan-en"},
    "How do I score the 21-trait self-test for salespeople?": {"mindset-21-traits-en"},
    "What are Goldman Sachs's fourteen business principles?": {"mindset-goldman-principles-en"},
    # sales_process_management.md
    "What are the three success criteria for managing a sales process?": {"process-success-criteria-en"},
    "How should I grade customers into key, potential, ordinary and ignore?": {"process-customer-grading-en"},
    "Which key control points should a sales manager keep an eye on?": {"process-control-points-en"},
    "What makes a good process, with visible inputs and outputs?": {"process-definition-en"},
    # sales_system_management.md
    "What are the five parts of a sales system?": {"system-components-en"},
    "Why do so many companies have no sales system at all?": {"system-why-missing-en"},
    "What three tables does a first-line sales manager need?": {"system-three-tables-en"},
    "What are the benefits of a sales funnel table for forecasting?": {"system-funnel-table-en"},
    "Should we buy a CRM first when building a sales system?": {"system-how-to-build-en"},
}


@pytest.mark.parametrize("question, passages", IN_SCOPE_ENGLISH.items())
def test_an_english_question_on_these_handbook_topics_is_answered_from_the_english_passage(
    question: str, passages: set[str]
) -> None:
    assert_answered_in_english_from(question, passages)


@pytest.mark.parametrize(
    "question",
    ["接近客户有哪八种方法", "C139 模型回答哪三个问题", "销售体系由哪五部分组成", "客户管理金三角是什么"],
)
def test_a_chinese_question_on_these_topics_still_cites_only_chinese_passages(question: str) -> None:
    assert_cites_only_chinese_passages(question)
