"""Ask answers in the language the question is written in, not in the language of a term it quotes: an English
question naming 摧龙六式 is English, a Chinese question quoting an English customer is Chinese."""

import pytest

from app.config import Settings
from app.knowledge.service import ask_playbook
from app.knowledge.tokenize import mostly_chinese, question_is_chinese

ENGLISH = [
    "What are the six steps of 摧龙六式?",
    "how does 摧龙六式 step 3 work in practice",
    "Can you explain the 5K 强度 idea in plain English?",
    "What does 约会 mean as a relationship stage?",
    "Is 赢取承诺 the same as asking for the order?",
]
CHINESE = [
    "客户说“we already have a vendor”，我该怎么回？",
    "客户老说 'let me think about it'，怎么办",
    '海外客户发邮件说 "send me some materials"，要不要直接发',
    "SPIN里的N是什么意思",
    "CRM项目POC做完客户就不回了，咋办",
    "客户说we are fine for now怎么回",
]


@pytest.mark.parametrize("question", ENGLISH)
def test_an_english_question_naming_a_chinese_term_is_english(question):
    assert not question_is_chinese(question)


@pytest.mark.parametrize("question", CHINESE)
def test_a_chinese_question_quoting_english_is_chinese(question):
    assert question_is_chinese(question)


@pytest.mark.parametrize("question", ENGLISH[:2])
def test_the_answer_follows_the_question_language(question):
    result = ask_playbook(question, Settings(), None)
    assert result.covered, result.answer
    assert not mostly_chinese(result.answer), result.answer


def test_a_chinese_question_quoting_english_is_answered_in_chinese():
    result = ask_playbook(CHINESE[0], Settings(), None)
    assert mostly_chinese(result.answer), result.answer


# A passage in the other language whose twin in the question's language exists never leads: the twin says the same.
TWINNED = [
    "What's the difference between an analytical and an amiable buyer?",
    "amiable vs analytical customers - how do I tell them apart?",
]


@pytest.mark.parametrize("question", TWINNED)
def test_an_english_question_is_never_answered_from_a_chinese_passage_that_has_an_english_twin(question):
    result = ask_playbook(question, Settings(), None)
    assert result.covered, result.answer
    assert not mostly_chinese(result.answer), result.answer
    assert not any(mostly_chinese(citation.title) for citation in result.citations), [c.title for c in result.citations]
