"""Ask leads with the question's main point: probes written for issue 21 by the `askmain` helper, labelled with the
expected main point before any change (new wording, not taken from the eval files).

A rep describes a situation and then asks one thing ("…要不要直接降价？", "…Should I just wait?", "…这样算推进吗"):
the answer's opening (its lead sentence, or for a reference passage the first line after the header) must name
that point, not a neighbouring topic the description also touches. Each probe lists word groups; the opening must
hold one word of every group (case-insensitive)."""

from __future__ import annotations

import pytest

from app.config import Settings
from app.knowledge.service import ask_playbook
from tests.utils.ask import opening

# question -> groups of words; the opening names one word of each group
MAIN_POINT: dict[str, list[list[str]]] = {
    # zh: an objection, then the asked point
    "客户采购说别家便宜两成，让我们跟价，我该不该马上降价？": [["降价"]],
    "报价发过去客户回了句'我们内部再研究研究'，接下来该怎么跟": [["顾虑"]],
    "评估小组里有个技术负责人老唱反调，明显偏向另一家，这人怎么对付": [["反对"]],
    "客户的信息部长总跟我们对着干，评审会上处处挑刺，咋办": [["反对"]],
    "打陌生电话约客户，开口说啥？这通电话的目标是什么": [["见面", "约见"]],
    "客户让我先把方案发邮箱，说看完再联系。这样算推进了吗": [["推进"], ["拖延"]],
    "沟通风格一共分几类？": [["分析型"], ["进取型"]],
    "科长说没问题，但老板一直不签字，我该怎么办": [["领导", "决策者"]],
    "内线被调到别的部门了，这单咋办": [["支持", "内线"]],
    "对接人满口答应，说没问题没问题，可一到要定的时候就不吭声": [["承诺", "表态"]],
    "客户说等明年合同到期了再联系我，我就这么干等着吗": [["干等", "不要等", "别等"]],
    "客户说现在用的系统挺好的，用SPIN我该先问啥": [["难点问题"]],
    "这个客户啥都要数据，一个细节能抠半天，怎么跟他打交道": [["分析型", "数据"]],
    "POC都做完两个月了，客户也不提采购，怎么推": [["试点", "POC"]],
    "我这单连对方谁拍板都不知道，怎么找": [["拍板", "决策"]],
    "经济型买家和技术型买家有什么区别": [["经济"], ["技术"]],
    # en
    "Buyer said they'll circle back when their vendor contract renews next spring. Should I just wait?": [
        ["don't just wait", "do not just wait", "not just wait"]
    ],
    "The IT manager keeps trashing our proposal in every review and pushes the other vendor. How do I handle him?": [
        ["oppose"]
    ],
    "Client said 'looks great, email me the deck and we'll discuss internally'. Is that an advance?": [
        ["advance"],
        ["continuation"],
    ],
    "What's the difference between an economic buyer and a technical buyer?": [["economic"], ["technical"]],
    "how many social styles are there": [["analytical"], ["driver"]],
    "Purchasing wants 10% off or they go with the other bid. Do I cut the price?": [["price"], ["trade", "terms"]],
    "My only contact retired last week and nobody answers. How do I save the deal?": [["supporter", "champion"]],
    "First cold call to a CFO tomorrow, what should the goal of the call be?": [["meeting"]],
    "Customer says we cost twice what the other quote is. Should I match their price?": [["price"], ["value"]],
    "We keep having nice meetings but nothing happens after. What am I doing wrong?": [
        ["next step", "advance", "commitment"]
    ],
}


@pytest.mark.parametrize("question", list(MAIN_POINT))
def test_the_opening_names_the_questions_main_point(question: str) -> None:
    result = ask_playbook(question, Settings(), None)
    assert result.covered and not result.declined, result.answer
    lead = opening(result.answer).lower()
    missing = [group for group in MAIN_POINT[question] if not any(word.lower() in lead for word in group)]
    assert not missing, f"{question}\n-> {result.answer}"


def test_the_opening_of_a_reference_answer_is_its_first_line_after_the_header() -> None:
    assert opening("根据销售手册（A › B）：\n- 第一句\n- 第二句") == "- 第一句"
    assert opening("根据销售手册（A › B）：\n- 分四种：\n  1. 甲\n  2. 乙\n- 另一点") == "- 分四种：\n  1. 甲\n  2. 乙"
    assert opening("先别降价。\n1. 问清比较对象") == "先别降价。"


def test_a_two_sided_question_also_gets_the_other_named_situations_lead() -> None:
    answer = ask_playbook("下周第一次见这个客户的老板，聊些啥？这次拜访的目标怎么定", Settings(), None).answer
    assert "推进" in opening(answer), answer
    assert "另外（第一次拜访" in answer, answer


def test_a_step_sharing_one_word_with_the_question_is_not_added_as_a_neighbouring_topic() -> None:
    answer = ask_playbook(
        "Our buyer loves to chat about the big picture and never opens the files I send. How do I sell to her?",
        Settings(),
        None,
    ).answer
    assert "Also (" not in answer, answer
