"""Ask reads questions as reps type them: typos repaired against the knowledge base's words, colloquial synonyms
from playbooks/ask/query_words.yaml, a calibrated bar for advice in a sales question, and passage languages."""

from __future__ import annotations

import re

import pytest

from app.knowledge import answer_offline, get_index
from app.knowledge.answer import chunk_language
from app.knowledge.chunks import Chunk
from app.knowledge.sources import AskDataError, load_query_words
from app.knowledge.tokenize import in_sales_context, mostly_chinese, query_term_groups


def test_a_chinese_typo_is_read_as_the_knowledge_base_word_one_character_away():
    index = get_index()
    assert "考虑" in index.corrections("考滤")
    assert "拜访" in index.corrections("拜方")
    assert index.corrections("考虑") == []  # a word the knowledge base uses is never "repaired"
    assert index.corrections("搬家") == []  # a real word jieba knows is not a typo, even if the playbook lacks it


def test_an_english_typo_is_repaired_by_one_letter():
    index = get_index()
    assert "objection" in {word[:9] for word in index.corrections("objction")}


def test_a_typo_question_finds_the_same_passage_as_the_spelled_one():
    index = get_index()
    right = answer_offline("客户总说再考虑考虑", index)
    typo = answer_offline("客户总说再考滤考滤", index)
    assert typo.covered and [c.id for c in typo.citations][:1] == [c.id for c in right.citations][:1]


def test_synonyms_come_from_the_data_file():
    groups = dict((group[0], group) for group in query_term_groups("客户一直压价"))
    assert set(load_query_words().synonyms["压价"]) <= set(groups["压价"])


def test_sales_context_is_a_word_of_the_data_file():
    assert in_sales_context("客户说我们不放心")
    assert in_sales_context("the prospect went silent")
    assert not in_sales_context("公司搬家了怎么办")


def test_advice_in_a_sales_question_needs_less_of_the_wording_but_off_topic_stays_uncovered():
    index = get_index()
    sales = answer_offline("有个客户内部的人一直反对我们，怎么办", index)
    assert sales.covered and sales.citations[0].id == "people-hostile-stakeholder"
    for question in ("公司差旅费报销的标准是多少？", "下周三有哪些会议室空着？"):
        assert not answer_offline(question, index).covered, question


def test_an_english_passage_quoting_a_chinese_term_stays_english():
    assert not mostly_chinese("Get an introduction: one of the manual's eight ways (接近客户的方法).")
    assert mostly_chinese("先问清比较对象 (compare with what)")
    chunk = Chunk(id="x", title="t", source="s", file="f", text="Ask why (为什么) before you answer the objection.")
    assert chunk_language(chunk) == "en"


def test_bad_query_words_file_names_the_field(tmp_path):
    (tmp_path / "query_words.yaml").write_text("synonyms: {}\n", encoding="utf-8")
    with pytest.raises(AskDataError, match=r"query_words.yaml: invalid query words\n  field sales_context"):
        load_query_words.__wrapped__(tmp_path)


def _how_to(chunk_id: str, title: str, lead: str, steps: list[str]) -> Chunk:
    body = "要点：" + lead + "\n" + "\n".join(f"{n}. {step}" for n, step in enumerate(steps, start=1))
    return Chunk(id=chunk_id, title=title, source="lit.objection_practice", file="t.md", text=body)


def _filler() -> list[Chunk]:
    """Twenty unrelated passages, so that the words of the passages under test are rare."""
    return [
        Chunk(id=f"f{n}", title=f"其他{n}", source="s", file="t.md", text=f"关于拜访和提问的第{n}段说明。")
        for n in range(20)
    ]


def test_a_situation_with_two_sides_gets_a_step_for_the_second_side():
    from app.knowledge import KnowledgeIndex

    price = _how_to(
        "price",
        "客户嫌贵",
        "客户嫌贵时先问清和什么比，再谈价值。",
        ["客户嫌贵时先问比较对象和预算。", "把价值算成客户的数字。", "让步要换回承诺。"],
    )
    rival = _how_to(
        "rival",
        "竞争对手抢单",
        "竞争对手介入时不要攻击对手。",
        ["问清客户的评估标准。", "把竞争对手的弱项变成评估标准。", "约一次试点对比。"],
    )
    index = KnowledgeIndex.build([price, rival, *_filler()])
    answer = answer_offline("客户嫌贵，竞争对手还在评估标准上做文章，价值怎么讲", index)
    first, second = (c.id for c in answer.citations[:2])  # one passage answers, the other adds a step
    assert {first, second} == {"price", "rival"}
    extra = "客户嫌贵" if second == "price" else "评估标准"
    heading = "客户嫌贵" if second == "price" else "竞争对手抢单"
    assert f"另外（{heading}）：" in answer.answer and extra in answer.answer.split("另外")[1]


def test_a_long_situation_ending_in_which_stage_is_not_a_definition_question():
    from app.knowledge.answer import asks_for_definition

    assert asks_for_definition("摧龙六式有哪几步")
    assert not asks_for_definition(
        "客户已经立项，预算批了，技术负责人见过，分管副总还没见，竞品也在跟，这单算到哪一步了"
    )


def test_the_second_side_comes_from_the_passage_closest_to_the_question():
    """A step naming two leftover words of a passage that barely matches loses to one naming one leftover word of a
    passage the question is mostly about."""
    from app.knowledge import KnowledgeIndex

    tender = _how_to(
        "tender",
        "招标文件像是为对手写的",
        "招标文件像是为对手写的，先判断要不要投。",
        ["招标文件的参数对照我方产品逐条看。", "问清招标文件是谁写的。", "决定投还是不投。"],
    )
    rival = _how_to(
        "rival",
        "竞争对手抢单",
        "竞争对手抢单时，不要攻击竞争对手，先看清竞争对手的打法。",
        ["竞争对手降价时先问客户的评估标准。", "把竞争对手的弱项变成标准，竞争对手的降价不必跟。", "约一次试点对比。"],
    )
    gifts = _how_to(
        "gifts",
        "礼品与回扣",
        "礼品往来守住底线。",
        ["节日礼品按公司规定办。", "对方暗示回扣要拒绝。", "和季度指标无关的承诺不要给。"],
    )
    index = KnowledgeIndex.build([tender, rival, gifts, *_filler()])
    answer = answer_offline("招标文件像是为竞争对手写的，竞争对手还在降价冲季度指标，怎么办", index)
    cited = [citation.id for citation in answer.citations]
    assert cited[:2] == ["tender", "rival"], (cited, answer.answer)


@pytest.mark.parametrize(
    "question",
    [
        "How do I ask an implication question?",
        "怎么自然地问暗示性问题？",
        "客户说价格太贵怎么办？",
        "What should I ask in a first meeting?",
    ],
)
def test_numbered_lines_of_a_trimmed_passage_count_one_two_three(question):
    """A passage trimmed to the lines that fit the question keeps its numbered list counting without gaps."""
    text = answer_offline(question, get_index()).answer
    for block in text.split("\n\n"):
        numbers = [int(m.group(1)) for line in block.splitlines() if (m := re.match(r"(\d+)\. ", line))]
        runs: list[list[int]] = []
        for number in numbers:
            if number == 1 or not runs:
                runs.append([])
            runs[-1].append(number)
        assert all(run == list(range(1, len(run) + 1)) for run in runs), text
