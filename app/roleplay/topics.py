"""Topic matching for the scripted buyer: how strongly a rep's words touch a hidden fact, in Chinese or English.

A fact's vocabulary is its YAML topic keywords plus the content words of its own text (jieba tokens
from app/knowledge/tokenize.py), widened by a small table of concepts that reps name in different
words ("关账" and "月结", "outflow" and "流失"). Keywords are matched as before (substring for
Chinese, word start for latin); the other words count by how well they tell apart the facts that
compete for the same kind of question (the facts of one SPIN category): a concept that only one of
them has weighs 1, one that three of them share weighs 1/3. Plain words of the fact's text are
noisier than curated concepts and weigh half that, so one stray noun ("医院") is not a topic.

Usage:
    index = topic_index(scenario)
    match = index.match(fact, index.terms("财务月底关账顺利吗？"), "财务月底关账顺利吗？")
    match.on_topic, match.score
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.knowledge.tokenize import tokenize
from app.roleplay.scenarios import Fact, Scenario

# One keyword hit weighs as much as two fully specific content words.
KEYWORD_WEIGHT = 2.0
# A question is on a fact's topic with one keyword, or content words worth at least this much.
MIN_TERM_SCORE = 1.0
# Weight of a plain word (a jieba token of the fact's text or keywords) against a concept.
PLAIN_WORD_SHARE = 0.5

# Concepts reps name in many ways: canonical name -> surface forms (Chinese substrings, latin word
# starts). A text that contains any surface form also carries the canonical name as a term, on the
# question side and the fact side alike, so the two meet whichever words each uses.
CONCEPTS: dict[str, tuple[str, ...]] = {
    # systems, data, finance
    "系统": ("系统", "软件", "工具", "system", "software", "tool"),
    "对账": ("对账", "对不上", "对得上", "对不齐", "对得齐", "账实", "reconcil"),
    "月结": ("月结", "结账", "关账", "月底", "month-end", "month end", "closing the books"),
    "报表": ("报表", "经营数据", "看数", "reporting", "reports"),
    "库存": ("库存", "存货", "inventory", "stock"),
    "备件": ("备件", "备品", "配件", "spare part", "spares"),
    "资金": ("资金", "现金", "利息", "capital", "cash", "interest"),
    "成本": ("成本", "费用", "花费", "多花", "花多少", "cost", "spend", "expense"),
    "损失": ("损失", "少赚", "lose", "lost", "loss"),
    "利润": ("利润", "毛利", "赚钱", "赚没赚", "margin", "profit"),
    # quality, export, selection
    "追溯": ("追溯", "溯源", "trace"),
    "审核": ("审核", "来审", "审计", "验厂", "audit"),
    "订单": ("订单", "份额", "丢单", "转单", "orders"),
    "出口": ("出口", "海外", "国外", "欧美", "export", "overseas", "abroad"),
    "延期": ("延期", "拖期", "返工", "推倒重来", "delay", "rework", "overrun"),
    "案例": ("案例", "样板", "参考客户", "现场", "reference", "case stud", "site visit"),
    # people and workload
    "加班": ("加班", "下班", "熬夜", "熬到", "很晚", "按时走", "准点", "overtime", "stay late", "late nights"),
    "离职": ("离职", "辞职", "留不住", "留得住", "稳得住", "调岗", "turnover", "quit", "retention"),
    "压力": ("压力", "担心", "顾虑", "操心", "worry", "pressure", "concern"),
    "效率": ("效率", "产能", "人均", "productiv", "efficien"),
    # customers and sales
    "高端": ("高端", "高净值", "大客户", "wealthy", "wealthier", "high-value", "high net"),
    "流失": ("流失", "挖走", "流出", "外流", "转走", "抢走", "churn", "attrition", "outflow", "money elsewhere", "funds out"),
    "全貌": ("全貌", "全景", "完整情况", "看全", "whole story", "full picture", "whole relationship", "360"),
    "预警": ("预警", "提醒", "告警", "报警", "提前发现", "提前知道", "alert", "warning", "alarm"),
    "手机": ("手机", "移动", "mobile", "phone"),
    "指标": ("指标", "任务", "目标", "考核", "kpi", "target", "quota"),
    "跟进": ("跟进", "跟上", "联系客户", "follow"),
    # operations and networks
    "故障": ("故障", "坏了", "出问题", "断网", "掉线", "宕机", "断过", "failure", "fail", "breakdown", "outage"),
    "停机": ("停机", "停运", "停产", "downtime"),
    "检修": ("检修", "维修", "保养", "maintenance", "repair"),
    "定位": ("定位", "排查", "找到原因", "找原因", "troubleshoot", "locate", "diagnos"),
    "安全": ("安全", "等保", "泄露", "security", "breach", "leak"),
    "检查": ("检查", "达标", "过关", "扣分", "inspection", "pass the"),
    "排名": ("排名", "排位", "ranking"),
    "投诉": ("投诉", "意见", "抱怨", "complain"),
    "大屏": ("大屏", "一目了然", "dashboard", "one screen"),
    "运维": ("运维", "外包", "operations", "outsourc"),
    "规划": ("规划", "三年行动", "重点任务", "重点工作", "plan", "priorit"),
    "示范": ("示范", "标杆", "样板", "showcase", "flagship", "model project"),
    # logistics
    "空驶": ("空驶", "空车", "空跑", "空着跑", "空载", "回程", "配上货", "配货", "empty", "backhaul", "return trip"),
    "在途": ("在途", "货到哪", "到哪了", "查货", "跟踪", "可视", "看得见", "tracking", "visib", "where their goods"),
    "调度": ("调度", "派车", "老师傅", "dispatch"),
    "招标": ("招标", "投标", "续约", "tender", "renewal"),
    "油费": ("油钱", "油费", "燃油", "过路费", "路费", "fuel", "toll"),
    # retail
    "会员": ("会员", "积分", "member", "loyalty", "points"),
    "活跃": ("活跃", "买得勤", "常来", "复购", "回头客", "不怎么来", "沉睡", "睡着", "active", "repeat", "dormant"),
    "促销": ("促销", "大促", "活动", "打折", "折扣", "promotion", "campaign", "discount"),
    "优惠券": ("优惠券", "发券", "优惠", "coupon", "voucher"),
    "客流": ("客流", "进店", "foot traffic"),
    # schools and hospitals
    "排课": ("排课", "课表", "课程安排", "timetabl", "schedul"),
    "调课": ("调课", "撞课", "冲突", "clash", "reschedul"),
    "成绩": ("成绩", "分数", "补考", "grade"),
    "评估": ("评估", "评审", "复审", "evaluation", "accreditation"),
    "给药": ("给药", "发药", "用药", "给错药", "核对", "medication", "drug"),
    "差错": ("差错", "出错", "给错", "险情", "mistake", "near miss"),
    "记录": ("记录", "文书", "补录", "手写", "paperwork", "records", "documentation"),
    "扫码": ("扫码", "扫一下", "腕带", "床旁", "床边", "scan", "wristband", "bedside"),
    # wind farms
    "风机": ("风机", "机组", "turbine"),
    "大部件": ("大部件", "大件", "齿轮箱", "主轴", "gearbox", "main bearing", "major component", "big component"),
    "建模": ("建模", "模型", "modelling", "models", "analytics"),
}

# Words that say nothing about which fact is meant: SPIN question words, politeness, time fillers.
GENERIC_TERMS: frozenset[str] = frozenset(
    """
    现在 目前 平时 一般 大概 大约 基本 左右 比如 说实话 实话 实在 具体 这块 那块 方面 事情 情况 现状 问题 困难
    需求 影响 后果 帮助 价值 意义 好处 作用 风险 担心 满意 感觉 觉得 认为 希望 想要 意味着 一直 已经 还是
    公司 贵公司 你们 我们 咱们 他们 大家 自己 领导 同事 时间 时候 今天 今年 明年 去年 每年 一年 每个 每次
    处长 主任 局长 经理 总经理
    直接 简单 重点 了解 请教 确认 介绍 聊聊 说说 讲讲 一下 怎么样 能不能 会不会 是不是 有没有 多大 多久 多少
    how what which who when where why much many does do did have has been your our their the this that with
    about would could should will can help value worth mean impact affect today currently really
    """.split()
)

_NUMERAL_ONLY = re.compile(r"^[0-9零一二三四五六七八九十百千万亿两几多余个半来]+[年月天个次户台人家种位]?$")


@lru_cache(maxsize=4096)
def _latin_word(word: str) -> re.Pattern[str]:
    # Latin keywords must start a word ("his" must not match "this"); short ones (HIS, AUM, ERP) must
    # also end it, longer ones may go on as a prefix ("optimis" matches "optimise").
    end = r"(?![a-z0-9])" if len(word) <= 4 else ""
    return re.compile(r"(?<![a-z0-9])" + re.escape(word) + end)


def contains(lowered_text: str, word: str) -> bool:
    """Keyword test on lowercased text: substring for Chinese, word-start match for latin keywords."""
    word = word.lower()
    if not word:
        return False
    if word.isascii():
        return _latin_word(word).search(lowered_text) is not None
    return word in lowered_text


def mentions(text: str, words: list[str] | tuple[str, ...]) -> bool:
    """True when the text mentions any of the words (see contains)."""
    lowered = text.lower()
    return any(contains(lowered, word) for word in words)


def content_terms(text: str) -> frozenset[str]:
    """The words of a text that can tell facts apart: jieba content tokens and concept names."""
    lowered = text.lower()
    terms = {
        token
        for token in tokenize(text)
        if token not in GENERIC_TERMS and not _NUMERAL_ONLY.match(token) and len(token) >= 2
    }
    terms.update(name for name, surfaces in CONCEPTS.items() if any(contains(lowered, s) for s in surfaces))
    return frozenset(terms - GENERIC_TERMS)


@dataclass(frozen=True)
class TopicMatch:
    """How a rep's text touches one fact: keyword hits (the longest one named) and weighted shared words."""

    keyword: str = ""
    keyword_hits: int = 0
    term_score: float = 0.0

    @property
    def on_topic(self) -> bool:
        return self.keyword_hits > 0 or self.term_score >= MIN_TERM_SCORE

    @property
    def score(self) -> float:
        return KEYWORD_WEIGHT * self.keyword_hits + self.term_score if self.on_topic else 0.0


class TopicIndex:
    """The vocabulary of every fact of one scenario, with each word weighted by how specific it is."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.fact_terms: dict[str, frozenset[str]] = {}
        self.term_weights: dict[str, dict[str, float]] = {}  # fact id -> its terms' weights
        for facts in scenario.facts.by_category().values():
            for fact in facts:
                words = {fact.text, *fact.topics.all()}
                self.fact_terms[fact.id] = frozenset().union(*(content_terms(word) for word in words))
            facts_using: dict[str, int] = {}
            for fact in facts:
                for term in self.fact_terms[fact.id]:
                    facts_using[term] = facts_using.get(term, 0) + 1
            for fact in facts:
                self.term_weights[fact.id] = {
                    term: (1.0 if term in CONCEPTS else PLAIN_WORD_SHARE) / facts_using[term]
                    for term in self.fact_terms[fact.id]
                }

    def terms(self, text: str) -> frozenset[str]:
        """The content terms of a rep's text (compute once per turn, pass to match)."""
        return content_terms(text)

    def match(self, fact: Fact, text_terms: frozenset[str], text: str) -> TopicMatch:
        lowered = text.lower()
        keywords = [word for word in fact.topics.all() if contains(lowered, word)]
        weights = self.term_weights[fact.id]
        shared = sorted(text_terms & self.fact_terms[fact.id])  # sorted: the same float sum in every process
        return TopicMatch(
            keyword=max(keywords, key=len, default=""),
            keyword_hits=len(keywords),
            term_score=round(sum(weights[term] for term in shared), 4),
        )


_INDEXES: dict[str, tuple[Scenario, TopicIndex]] = {}


def topic_index(scenario: Scenario) -> TopicIndex:
    """The topic index of a scenario, built once per scenario (rebuilt if the scenario object changes)."""
    cached = _INDEXES.get(scenario.id)
    if cached is None or cached[0] != scenario:
        cached = (scenario, TopicIndex(scenario))
        _INDEXES[scenario.id] = cached
    return cached[1]


__all__ = ["CONCEPTS", "TopicIndex", "TopicMatch", "contains", "content_terms", "mentions", "topic_index"]
