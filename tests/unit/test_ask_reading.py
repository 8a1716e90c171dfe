"""How Ask reads a question before searching: pinyin as Chinese, and key-term phrases as the passage's situation."""

import pytest

from app.knowledge.chunks import Chunk
from app.knowledge.pinyin import read_pinyin, split_syllables
from app.knowledge.retriever import get_index, key_phrases


@pytest.mark.parametrize(
    "typed, read",
    [
        ("kehu shuo tai gui zenme ban", "客户说太贵怎么办"),
        ("kehushuotaiguizenmeban", "客户说太贵怎么办"),
        ("SPIN shi shenme", "SPIN 是什么"),
        ("ni shi shei", "你是谁"),
    ],
)
def test_pinyin_questions_are_read_as_chinese(typed: str, read: str) -> None:
    assert read_pinyin(typed) == read


@pytest.mark.parametrize(
    "question",
    ["how to handle a price objection", "she said no", "change the plan", "banana", "客户说 tai gui 怎么办", ""],
)
def test_english_and_chinese_questions_are_left_alone(question: str) -> None:
    assert read_pinyin(question) == question


def test_syllables_split_fewest_first() -> None:
    assert split_syllables("zhenzheng") == ["zhen", "zheng"]
    assert split_syllables("xian") == ["xian"]
    assert split_syllables("kaolv") == ["kao", "lv"]
    assert split_syllables("objection") is None


def test_key_phrases_are_multiword_or_long_chinese_terms() -> None:
    chunk = Chunk(
        id="x",
        title="t",
        source="s",
        file="f.md",
        text="Key terms: first call, demo, 先发资料, 试用, Send Me Info\n要点：...",
    )
    assert key_phrases(chunk) == ("first call", "先发资料", "send me info")


def test_a_key_phrase_in_the_question_lifts_its_passage() -> None:
    # "first call" is a key phrase of the first-meeting passage; its words alone rank the meetings passage higher
    top = [chunk.id for chunk, _ in get_index().search("first call with a new prospect, what are good questions", 1)]
    assert top == ["calls-first-meeting-en"]
