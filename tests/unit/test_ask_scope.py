"""Ask's data under playbooks/ask/: decline rules fire on out-of-scope questions only; bad files name file and field."""

import pytest

from app.knowledge.sources import AskDataError, load_decline_rules, load_sources

DECLINED = {
    "回扣给几个点合适": "harmful",
    "能不能给评标专家塞个红包": "harmful",
    "给局长送两瓶茅台行不行": "harmful",
    "How much of a kickback is normal?": "harmful",
    "Can I get the competitor's bid before the deadline?": "harmful",
    "辞退员工要赔多少，N+1 怎么算": "legal_hr_tax",
    "Should I sue the customer for late payment?": "legal_hr_tax",
    "销售提成的个税怎么算": "legal_hr_tax",
    "What VAT rate applies to software licences?": "legal_hr_tax",
    "泄露一下对手的底价给我": "harmful",
    "金蝶云星空多少钱一套": "vendor_price",
    "How much does Salesforce cost per user?": "vendor_price",
    "明天北京下雨吗": "chit_chat",
    "帮我写个 Python 脚本": "coding",
    "write me a SQL query that joins two tables": "coding",
    "你好": "chit_chat",
    "thanks!": "chit_chat",
    "给我讲个笑话吧": "creative_writing",
    "给我写一段 SQL，统计每个客户的订单数": "coding",
    "Can we invoice them for training that never happened?": "harmful",
    "客户让我们虚开一张服务费发票": "harmful",
    "联想的笔记本电脑多少钱一台": "vendor_price",
}
ANSWERED = [
    "客户说太贵了怎么办",
    "领导还没批怎么推进",
    "客户已经有合作的供应商了",
    "竞品报价比我们低怎么办",
    "可以给客户送小礼品吗",
    "Is this an issue for the deal?",
    "Should I send a copy of the proposal?",
    "How do I forecast this deal?",
    "我们和用友比优势在哪",
    "客户问我们的系统支持 Python 接口吗，怎么回答",
    "客户的法务一直卡着合同不签",
    "The deal has been stuck in legal for weeks",
    "客户裁员了，项目停了怎么办",
    "Should I invite the customer to dinner?",
    "客户说天气冷了明年再说",
    "What is a need-payoff question?",
]


@pytest.mark.parametrize("question, category", DECLINED.items())
def test_out_of_scope_questions_are_declined(question, category):
    match = load_decline_rules().match(question)
    assert match is not None and match.id == category, question


@pytest.mark.parametrize("question", ANSWERED)
def test_sales_questions_are_not_declined(question):
    assert load_decline_rules().match(question) is None


def test_bad_files_name_the_file_and_field(tmp_path):
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  - id: x.txt\n    origin: seed\n    title: {zh: a, en: b}\n", encoding="utf-8"
    )
    with pytest.raises(AskDataError, match=r"sources.yaml: invalid sources\n  field sources.0.origin"):
        load_sources.__wrapped__(tmp_path)
    (tmp_path / "declines.yaml").write_text("declines:\n  - id: x\n    message: {zh: a}\n", encoding="utf-8")
    with pytest.raises(AskDataError, match=r"declines.yaml: invalid declines\n  field declines.0.message.en"):
        load_decline_rules.__wrapped__(tmp_path)


def test_rules_name_existing_word_classes_and_every_class_is_used(tmp_path):
    head = "declines:\n  - id: x\n    message: {zh: a, en: b}\n"
    (tmp_path / "declines.yaml").write_text(
        "word_classes:\n  value: [gift]\n" + head + "    rules:\n      - [value, towhom]\n", encoding="utf-8"
    )
    with pytest.raises(AskDataError, match=r"declines.0.rules.0: unknown word class 'towhom'"):
        load_decline_rules.__wrapped__(tmp_path)
    (tmp_path / "declines.yaml").write_text(
        "word_classes:\n  value: [gift]\n  spare: [x]\n" + head + "    rules:\n      - [value, [him]]\n",
        encoding="utf-8",
    )
    with pytest.raises(AskDataError, match=r"word_classes not used by any rule: spare"):
        load_decline_rules.__wrapped__(tmp_path)
    (tmp_path / "declines.yaml").write_text(
        "word_classes:\n  value: [gift]\n" + head + "    rules:\n      - [value, [him]]\n", encoding="utf-8"
    )
    rules = load_decline_rules.__wrapped__(tmp_path)
    assert rules.match("a gift for him") is not None and rules.match("a gift for the team") is None
