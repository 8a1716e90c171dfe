"""English questions about the buying cycle, the five-dimension model, organisation analysis, communication styles and
CES are answered in English from the English passages beside those Chinese sections; small talk and other
out-of-scope lines, in either language, are declined in one line instead of answered with playbook text.

Probe wording written and labelled for this change (before the passages and the decline data were added), not taken
from the eval files."""

from __future__ import annotations

import pytest

from app.config import Settings
from app.knowledge.service import ask_playbook
from app.knowledge.tokenize import mostly_chinese
from tests.utils.ask import assert_answered_in_english_from, assert_cites_only_chinese_passages

# question -> the English passages that may answer it (the first citation must be one of them)
IN_SCOPE_ENGLISH = {
    # buying cycle and buying signals
    "What are the six stages of the problem-centred buying cycle?": {"buying-cycle-en"},
    "How can I tell from body language that a customer is ready to buy?": {"buying-signals-en"},
    "Which verbal buying signals should I listen for in a meeting?": {"buying-signals-en"},
    "What does PCSS stand for and how does it match the buying stages?": {"buying-pcss-en"},
    # the five-dimension model
    "What are the five dimensions of the five-dimension model?": {"fivedim-overview-en"},
    "How should I handle a stakeholder whose dominant need is safety?": {"fivedim-maslow-safety-en"},
    "What does a pragmatist want when the company goes through change?": {"fivedim-change-en"},
    "What does an opponent do in the attitude-to-us dimension?": {
        "fivedim-attitude-opponent-en",
        "fivedim-attitude-en",
    },
    # organisation analysis
    "What five decisions does the decision level make in a purchase?": {"org-level-decision-en"},
    "What does the designer do in a customer's purchase?": {"org-role-designer-en"},
    "What are the three dimensions for analysing a customer's organisation?": {"org-overview-en"},
    # communication styles
    "How do I communicate with an analytical customer?": {"styles-analytical-en", "deals-analytical-buyer-en"},
    "What is the best way to deal with an amiable buyer?": {"styles-amiable-en"},
    # CES
    "What is Customer Engagement Selling?": {"ces-overview-en"},
    "What are the nine measures of a Top Sales in CES?": {"ces-topsales-en"},
    "Which seven steps make up the CES seven-step sales method?": {"ces-seven-steps-en"},
}

CHIT_CHAT_ENGLISH = [
    "How has your day been so far?",
    "Got any good jokes for me?",
    "Is it going to be sunny in Shanghai tomorrow?",
    "What did you have for breakfast?",
    "Do you like music?",
    "What's your favourite colour?",
    "Can you recommend a good series to binge this weekend?",
    "Who do you think will win the NBA finals?",
    "I'm so tired today, can we just chat for a bit?",
    "What time is it in New York right now?",
    "Are you a robot or a real person?",
    "How old are you?",
    "Any tips for my holiday in Japan?",
    "What's the meaning of life?",
    "Say something funny to cheer me up",
    "How cold will it get tonight?",
    "Which is better, cats or dogs?",
    "What should I watch on Netflix tonight?",
]

CHIT_CHAT_CHINESE = [
    "今天过得怎么样？",
    "你吃饭了吗",
    "明天北京冷不冷",
    "给我讲个有意思的事",
    "你是机器人吗",
    "最近有什么好看的剧",
    "猫和狗哪个好养",
    "昨晚的球谁赢了",
    "心情不好，陪我说说话",
    "现在几点了",
    "推荐一首好听的歌",
]


@pytest.mark.parametrize("question, passages", IN_SCOPE_ENGLISH.items())
def test_an_english_question_on_these_topics_is_answered_from_the_english_passage(
    question: str, passages: set[str]
) -> None:
    assert_answered_in_english_from(question, passages)


@pytest.mark.parametrize("question", [*CHIT_CHAT_ENGLISH, *CHIT_CHAT_CHINESE])
def test_small_talk_is_declined_in_one_line(question: str) -> None:
    result = ask_playbook(question, Settings(), None)
    assert result.declined and not result.covered, (question, result.answer)
    assert result.citations == []
    assert mostly_chinese(result.answer) == (question in CHIT_CHAT_CHINESE), result.answer


@pytest.mark.parametrize(
    "question",
    ["反对者一般会干些什么？", "分析型的客户怎么打交道", "决策层在采购里决定哪几件事", "CES 的销售七步法是哪七步"],
)
def test_a_chinese_answer_adds_no_english_passage_whose_chinese_twin_exists(question: str) -> None:
    assert_cites_only_chinese_passages(question)
