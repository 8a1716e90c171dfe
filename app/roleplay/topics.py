"""Topic matching for the scripted buyer: how strongly a rep's words touch a hidden fact, in Chinese or English.

A fact's vocabulary is its YAML topic keywords plus the content words of its own text (jieba tokens
from app/knowledge/tokenize.py), widened by a small table of concepts that reps name in different
words ("关账" and "月结", "outflow" and "流失"). Keywords are matched as before (substring for
Chinese, word start for latin, with regular English inflections: "worry" also finds "worried");
the other words count by how well they tell apart the facts that compete for the same kind of
question (the facts of one SPIN category): a concept that only one of them has weighs 1, one that
three of them share weighs 1/3. Plain words of the fact's text are noisier than curated concepts
and weigh half that, so one stray noun ("医院") is not a topic.

English: the facts' texts are Chinese, so an English question meets a fact through the fact's
`topics.en` keywords (and their stemmed words) and through the English surface forms of CONCEPTS,
which carry the same concept name as the Chinese words of the fact's text.

Usage:
    index = topic_index(scenario)
    match = index.match(fact, index.terms("财务月底关账顺利吗？"), "财务月底关账顺利吗？")
    match.on_topic, match.score
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import lazy_pinyin

from app.knowledge.tokenize import is_chinese, stem_english, tokenize, word_frequency
from app.roleplay.scenarios import Fact, Scenario, load_scenarios

# One keyword hit weighs as much as two fully specific content words.
KEYWORD_WEIGHT = 2.0
# A keyword that n facts of the scenario mention (in their text or keywords) weighs KEYWORD_WEIGHT / n, so a
# common word (时间, 客户, 数据, 成本) cannot hijack a topic; a clear hit needs this much keyword weight.
SPECIFIC_KEYWORD_SCORE = 0.6
# A question is on a fact's topic with one keyword, or content words worth at least this much.
MIN_TERM_SCORE = 1.0
# A keyword that the public scenario card already names (the company's size, its context, the deal) weighs this share.
CARD_WORD_SHARE = 0.5
# A keyword that is a common word of everyday Chinese (jieba's dictionary frequency at least COMMON_WORD_FREQUENCY:
# 时间, 系统, 活动, 学生, 领导) weighs this share: it names no topic on its own ("时间上怎么安排？").
COMMON_WORD_FREQUENCY = 15000
COMMON_WORD_SHARE = 0.25
# Weight of a plain word (a jieba token of the fact's text or keywords) against a concept.
PLAIN_WORD_SHARE = 0.5
# A keyword that the texts of more than DOMAIN_WORD_SCENARIOS of the product's scenarios contain (plan, team, 客户,
# 成本) belongs to every sales conversation rather than to this buyer's business: found in n scenarios, it weighs
# DOMAIN_WORD_SCENARIOS / n (4 of 8: 0.75, all eight: 0.375). Only keywords: a fact's plain words and concepts keep
# their weight, since a word common across the product ("data") may still be what sets one fact of this buyer apart
# (tried on the tune sets: weighing those too lost the wind farm's SCADA-data questions).
DOMAIN_WORD_SCENARIOS = 3


def domain_share(scenarios_using: int) -> float:
    return min(1.0, DOMAIN_WORD_SCENARIOS / max(scenarios_using, 1))


# Concepts reps name in many ways: canonical name -> surface forms (Chinese substrings, latin word
# starts). A text that contains any surface form also carries the canonical name as a term, on the
# question side and the fact side alike, so the two meet whichever words each uses.
CONCEPTS: dict[str, tuple[str, ...]] = {
    # systems, data, finance
    "系统": ("系统", "软件", "工具", "system", "software", "tool", "platform"),
    "手工": (
        "手工",
        "人工",
        "手写",
        "纸质",
        "manual",
        "by hand",
        "on paper",
        "paper-based",
        "handwrit",
        "spreadsheet",
        "excel",
    ),
    "对账": (
        "对账",
        "对不上",
        "对得上",
        "对不齐",
        "对得齐",
        "账实",
        "reconcil",
        "mismatch",
        "discrepanc",
        "don't match",
        "do not match",
        "doesn't match",
        "line up",
    ),
    "月结": (
        "月结",
        "结账",
        "关账",
        "月底",
        "month-end",
        "month end",
        "closing the books",
        "close the books",
        "monthly close",
        "books closed",
    ),
    "报表": ("报表", "经营数据", "看数", "report", "management numbers", "management figures"),
    "历史": ("历史", "histor"),
    "库存": ("库存", "存货", "inventory", "stock", "warehouse", "on the shelf", "on hand"),
    "备件": ("备件", "备品", "配件", "spare", "replacement part"),
    "资金": (
        "资金",
        "现金",
        "利息",
        "capital",
        "cash",
        "in interest",
        "interest cost",
        "interest payment",
        "interest rate",
        "interest expense",
        "interest charge",
        "funds",
        "fund",
        "tied up",
        "financing",
    ),
    "成本": ("成本", "费用", "花费", "多花", "花多少", "cost", "spend", "expense", "fees", "expensive"),
    "损失": ("损失", "少赚", "lose", "lost", "loss", "losses", "losing"),
    "收入": ("收入", "营收", "revenue", "income"),
    "利润": ("利润", "毛利", "赚钱", "赚没赚", "margin", "profit", "bottom line", "earnings"),
    # quality, export, selection
    "追溯": ("追溯", "溯源", "trace", "tracing", "genealogy"),
    "审核": ("审核", "来审", "审计", "验厂", "audit"),
    "订单": ("订单", "份额", "丢单", "转单", "order"),
    "出口": (
        "出口",
        "海外",
        "国外",
        "欧美",
        "export",
        "overseas",
        "abroad",
        "foreign",
        "international",
        "europe",
        "eu",
    ),
    "延期": (
        "延期",
        "拖期",
        "返工",
        "推倒重来",
        "delay",
        "rework",
        "overrun",
        "slip",
        "slipped",
        "redo",
        "redone",
        "re-do",
        "behind schedule",
    ),
    "案例": (
        "案例",
        "样板",
        "参考客户",
        "现场",
        "reference",
        "case stud",
        "site visit",
        "similar compan",
        "similar size",
        "success stor",
    ),
    "决策": (
        "拍板",
        "决定",
        "决策",
        "decision",
        "decide",
        "final say",
        "final word",
        "sign off",
        "signs off",
        "sign-off",
    ),
    "咨询": ("咨询", "顾问", "consult", "advisory firm"),
    # people and workload
    "加班": (
        "加班",
        "下班",
        "熬夜",
        "熬到",
        "很晚",
        "按时走",
        "准点",
        "overtime",
        "stay late",
        "late nights",
        "staying late",
        "working late",
        "after hours",
        "after their shift",
        "after the shift",
        "after shift",
        "home on time",
        "leave on time",
        "midnight",
    ),
    "离职": (
        "离职",
        "辞职",
        "留不住",
        "留得住",
        "稳得住",
        "调岗",
        "turnover",
        "quit",
        "retention",
        "retain",
        "resign",
        "quitting",
        "transfer out",
    ),
    "压力": (
        "压力",
        "担心",
        "顾虑",
        "操心",
        "worry",
        "pressure",
        "concern",
        "worri",
        "stress",
        "afraid",
        "anxi",
        "nervous",
    ),
    "效率": ("效率", "产能", "人均", "productiv", "efficien", "output", "per head", "per person"),
    # customers and sales
    "高端": (
        "高端",
        "高净值",
        "大客户",
        "wealthy",
        "wealthier",
        "high-value",
        "high net",
        "high-net",
        "affluent",
        "hnw",
        "premium client",
        "premium customer",
        "private banking",
    ),
    "流失": (
        "流失",
        "挖走",
        "流出",
        "外流",
        "转走",
        "抢走",
        "churn",
        "attrition",
        "outflow",
        "money elsewhere",
        "funds out",
        "money away",
        "money out",
        "funds away",
        "moving money",
        "moved money",
        "move money",
        "walked",
        "walk away",
        "defect",
    ),
    "全貌": (
        "全貌",
        "全景",
        "完整情况",
        "看全",
        "whole story",
        "full picture",
        "whole relationship",
        "360",
        "complete view",
        "complete picture",
        "single view",
        "full view",
        "whole view",
        "full profile",
        "complete profile",
    ),
    "预警": (
        "预警",
        "提醒",
        "告警",
        "报警",
        "提前发现",
        "提前知道",
        "alert",
        "warning",
        "alarm",
        "warned",
        "notif",
        "remind",
        "heads-up",
        "heads up",
    ),
    "手机": ("手机", "移动", "mobile", "phone", "smartphone", "handheld", "tablet"),
    "指标": ("指标", "任务", "目标", "考核", "kpi", "target", "quota", "goal", "objective"),
    "跟进": (
        "跟进",
        "跟上",
        "联系客户",
        "follow up",
        "follow-up",
        "following up",
        "followed up",
        "follows up",
        "get in touch",
        "reach out",
        "contact the client",
        "contact the customer",
        "call the client",
        "call the customer",
    ),
    # operations and networks
    "故障": (
        "故障",
        "坏了",
        "出问题",
        "断网",
        "掉线",
        "宕机",
        "断过",
        "failure",
        "fail",
        "breakdown",
        "outage",
        "fault",
        "break down",
        "breaks down",
        "broke down",
        "broken",
        "malfunction",
        "goes down",
        "went down",
        "go down",
        "offline",
        "disconnect",
        "connection drop",
    ),
    "停机": (
        "停机",
        "停运",
        "停产",
        "停多久",
        "停几天",
        "停了多久",
        "停多长",
        "趴窝",
        "downtime",
        "standstill",
        "stand still",
        "stands still",
        "out of service",
    ),
    "检修": (
        "检修",
        "维修",
        "保养",
        "定检",
        "巡检",
        "点检",
        "定期检查",
        "maintenance",
        "repair",
        "servicing",
        "serviced",
        "overhaul",
        "upkeep",
    ),
    "定位": (
        "定位",
        "排查",
        "找到原因",
        "找原因",
        "troubleshoot",
        "locate",
        "diagnos",
        "pinpoint",
        "root cause",
        "track down",
        "fault-finding",
        "fault finding",
        "find the fault",
    ),
    "安全": ("安全", "等保", "泄露", "security", "breach", "leak", "cyber", "hack", "safety"),
    "检查": ("检查", "达标", "过关", "扣分", "inspection", "pass the", "inspect", "compliance check"),
    "排名": ("排名", "排位", "ranking", "rank", "ranked", "league table"),
    "投诉": ("投诉", "意见", "抱怨", "complain", "hotline", "grievance"),
    "大屏": (
        "大屏",
        "一目了然",
        "dashboard",
        "one screen",
        "big screen",
        "single screen",
        "video wall",
        "control room",
    ),
    "运维": ("运维", "外包", "operations", "outsourc", "contractor", "ops"),
    "规划": (
        "规划",
        "三年行动",
        "重点任务",
        "重点工作",
        "plan",
        "priorit",
        "roadmap",
        "programme",
        "agenda",
        "three-year",
    ),
    "示范": ("示范", "标杆", "样板", "showcase", "flagship", "model project", "benchmark", "lighthouse", "role model"),
    # logistics
    "空驶": (
        "空驶",
        "空车",
        "空跑",
        "空着跑",
        "空载",
        "回程",
        "配上货",
        "配货",
        "empty",
        "backhaul",
        "return trip",
        "deadhead",
        "unloaded",
        "without a load",
        "no load",
        "return leg",
        "return journe",
    ),
    "在途": (
        "在途",
        "货到哪",
        "到哪了",
        "查货",
        "跟踪",
        "可视",
        "看得见",
        "tracking",
        "visib",
        "where their goods",
        "track",
        "whereabouts",
        "where the goods",
        "where their shipment",
        "where the shipment",
        "where their cargo",
        "where their load",
        "shipment status",
    ),
    "调度": ("调度", "派车", "老师傅", "派活", "派单", "排车", "dispatch", "allocat"),
    "招标": ("招标", "投标", "续约", "tender", "renewal", "renew", "bid", "bidding", "rebid", "re-bid"),
    "油费": ("油钱", "油费", "燃油", "过路费", "路费", "fuel", "toll", "diesel"),
    # retail
    "会员": ("会员", "积分", "member", "loyalty", "points"),
    "活跃": (
        "活跃",
        "买得勤",
        "常来",
        "复购",
        "回头客",
        "不怎么来",
        "沉睡",
        "睡着",
        "active",
        "repeat",
        "dormant",
        "inactive",
        "lapsed",
        "gone quiet",
        "regular",
        "repurchas",
        "buy again",
        "come back and buy",
    ),
    "促销": (
        "促销",
        "大促",
        "活动",
        "打折",
        "折扣",
        "promotion",
        "campaign",
        "discount",
        "promo",
        "markdown",
        "mark-down",
        "price cut",
    ),
    "优惠券": ("优惠券", "发券", "优惠", "coupon", "voucher"),
    "客流": ("客流", "进店", "foot traffic", "footfall", "traffic", "store visits", "walk-in"),
    # schools and hospitals
    "排课": ("排课", "课表", "课程安排", "timetabl", "schedul", "course plan"),
    "调课": (
        "调课",
        "撞课",
        "冲突",
        "clash",
        "reschedul",
        "conflict",
        "double-book",
        "double book",
        "class change",
        "change class",
        "swap class",
    ),
    "成绩": (
        "成绩",
        "分数",
        "补考",
        "grade",
        "marks",
        "mark",
        "scores",
        "exam result",
        "resit",
        "re-sit",
        "make-up exam",
        "transcript",
    ),
    "评估": ("评估", "评审", "复审", "evaluation", "accredit", "assess"),
    "给药": ("给药", "发药", "用药", "给错药", "核对", "medication", "drug", "medicin", "dose", "dosage"),
    "差错": ("差错", "出错", "给错", "险情", "mistake", "near miss", "error", "close call", "wrong"),
    "记录": (
        "记录",
        "文书",
        "补录",
        "手写",
        "paperwork",
        "record",
        "documentation",
        "charting",
        "chart",
        "write up",
        "writing up",
        "write-up",
        "nursing notes",
    ),
    "扫码": ("扫码", "扫一下", "腕带", "床旁", "床边", "scan", "wristband", "bedside", "barcode"),
    # wind farms
    "风机": ("风机", "机组", "turbine"),
    "大部件": (
        "大部件",
        "大件",
        "齿轮箱",
        "主轴",
        "gearbox",
        "main bearing",
        "major component",
        "big component",
        "main shaft",
        "main-shaft",
        "large component",
        "key component",
    ),
    "建模": ("建模", "模型", "modelling", "model", "analytics", "analys", "analyz"),
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
    year years last next month week day days many much long take make get gets see like one all any more most
    also just still now actually tend think know want need lot lots kind thing things way well good sure
    happen happens going come came give told say says thank thanks mr ms mrs director
    """.split()
)
# English words are compared as tokenize() gives them, lightly stemmed ("currently" -> "current").
GENERIC_TERMS = GENERIC_TERMS | {stem_english(word) for word in GENERIC_TERMS if word.isascii()}

_NUMERAL_ONLY = re.compile(r"^[0-9零一二三四五六七八九十百千万亿两几多余个半来]+[年月天个次户台人家种位]?$")


_VOWELS = "aeiou"


def _inflected(word: str) -> str:
    """A regex for the last English word of a keyword with its regular inflections where the stem changes:
    worry -> worries, worried; leave -> leaving; scan -> scanned, scanning (other endings just follow)."""
    last = word[-1]
    if last == "e":
        return re.escape(word[:-1]) + "(?:e|ing)"
    if last == "y" and len(word) > 2 and word[-2] not in _VOWELS:
        return re.escape(word[:-1]) + "(?:y|i)"
    if len(word) <= 4 and last not in _VOWELS + "wxy" and len(word) >= 2 and word[-2] in _VOWELS:
        return re.escape(word) + f"(?:{last}(?=ed|ing))?"
    return re.escape(word)


@lru_cache(maxsize=4096)
def _latin_word(word: str) -> re.Pattern[str]:
    # Latin keywords must start a word ("his" must not match "this"); short ones (HIS, AUM, ERP) must
    # also end it, save for a plain inflection ("fail" matches "fails", "failed", "failing"); longer
    # ones may go on as a prefix ("optimis" matches "optimise"). The last word may change its stem
    # ("worry" matches "worried", "leave" matches "leaving", see _inflected).
    head, space, tail = word.rpartition(" ")
    stem = re.escape(head + space) + _inflected(tail) if tail.isalpha() else re.escape(word)
    end = r"(?:s|es|ed|ing)?(?![a-z0-9])" if len(word) <= 4 else ""
    return re.compile(r"(?<![a-z0-9])" + stem + end)


# A word as the matcher tests it: (a substring that every match of the lowercased word contains, the
# word-start pattern for latin words or None for Chinese). The cheap substring test goes first.
Probe = tuple[str, re.Pattern[str] | None]
_LATIN_CHAR = re.compile(r"[a-z0-9]")


@lru_cache(maxsize=4096)
def _probe(word: str) -> Probe:
    word = word.lower()
    if not word.isascii():
        return word, None
    # "worry" and "leave" lose their last letter when inflected (worried, leaving): probe without it
    return (word[:-1] if word[-1] in "ey" and len(word) > 1 else word), _latin_word(word)


def _found(lowered_text: str, probe: Probe) -> bool:
    substring, pattern = probe
    return substring in lowered_text and (pattern is None or pattern.search(lowered_text) is not None)


def contains(lowered_text: str, word: str) -> bool:
    """Keyword test on lowercased text: substring for Chinese, word-start match for latin keywords."""
    return bool(word) and _found(lowered_text, _probe(word))


def mentions(text: str, words: list[str] | tuple[str, ...]) -> bool:
    """True when the text mentions any of the words (see contains)."""
    lowered = text.lower()
    return any(contains(lowered, word) for word in words)


# The surface forms of CONCEPTS by script, as (concept name, probe).
def _surface_table(latin: bool) -> tuple[tuple[str, Probe], ...]:
    return tuple(
        (name, _probe(surface))
        for name, surfaces in CONCEPTS.items()
        for surface in surfaces
        if surface and surface.isascii() == latin
    )


_CJK_SURFACES = _surface_table(latin=False)
_LATIN_SURFACES = _surface_table(latin=True)


def concept_names(lowered_text: str) -> set[str]:
    """The CONCEPTS a lowercased text names with any of their surface forms."""
    return set(_concept_surfaces(lowered_text))


def _concept_surfaces(lowered_text: str) -> dict[str, str]:
    """The CONCEPTS a lowercased text names, each with the first of its surface forms found there."""
    found: dict[str, str] = {}
    tables = []
    if is_chinese(lowered_text):
        tables.append(_CJK_SURFACES)
    if _LATIN_CHAR.search(lowered_text):
        tables.append(_LATIN_SURFACES)
    for table in tables:
        for name, probe in table:
            if name not in found and _found(lowered_text, probe):
                found[name] = probe[0]
    return found


def _said_by_concept(token: str, surfaces: set[str]) -> bool:
    """The token is the very word a concept was found by ("plan" and the concept 规划 it names): one word is one
    piece of evidence, so it counts once, as the concept."""
    if token.isascii():
        return any(
            surface.startswith(token) or token.startswith(surface)
            for surface in surfaces
            if surface.isascii() and " " not in surface
        )
    return False  # a Chinese token is often narrower than its concept (补录 against 记录): both count


def content_terms(text: str) -> frozenset[str]:
    """The words of a text that can tell facts apart: jieba content tokens and concept names (a token that is the
    surface form a concept was found by counts as that concept only)."""
    concepts = _concept_surfaces(text.lower())
    surfaces = set(concepts.values())
    terms = {
        token
        for token in tokenize(text)
        if token not in GENERIC_TERMS
        and not _NUMERAL_ONLY.match(token)
        and len(token) >= 2
        and not _said_by_concept(token, surfaces)
    }
    terms.update(concepts)
    return frozenset(terms - GENERIC_TERMS)


@dataclass(frozen=True)
class TopicMatch:
    """How a rep's text touches one fact: keyword hits (the longest one named) and weighted shared words."""

    keyword: str = ""
    keyword_hits: int = 0
    term_score: float = 0.0
    keyword_score: float = -1.0  # keyword hits weighed by how specific each keyword is (-1: unweighted)
    card_hits: int = (
        0  # keywords that the card's size line says too: they name the fact only when nothing else is named
    )

    @property
    def on_topic(self) -> bool:
        return self.keyword_hits > 0 or self.term_score >= MIN_TERM_SCORE

    @property
    def card_only(self) -> bool:
        """Named only by words of the public card (the fleet, the turbines): a fallback when nothing else is named."""
        return self.card_hits > 0 and not self.on_topic

    @property
    def specific(self) -> bool:
        """A clear hit: at least one keyword that few of the scenario's facts share (not a common word)."""
        return self.keyword_hits > 0 and (self.keyword_score < 0 or self.keyword_score >= SPECIFIC_KEYWORD_SCORE)

    @property
    def score(self) -> float:
        if not self.on_topic:
            return 0.0
        keywords = self.keyword_score if self.keyword_score >= 0 else KEYWORD_WEIGHT * self.keyword_hits
        return keywords + self.term_score


class TopicIndex:
    """The vocabulary of every fact of one scenario, with each word weighted by how specific it is."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.fact_terms: dict[str, frozenset[str]] = {}
        self.term_weights: dict[str, dict[str, float]] = {}  # fact id -> its terms' weights
        # fact id -> its keywords as written, each with its probe (see _probe)
        self.keywords: dict[str, tuple[tuple[str, Probe], ...]] = {
            fact.id: tuple((word, _probe(word)) for word in fact.topics.all() if word) for fact in scenario.all_facts()
        }
        self._fact_texts = [
            " ".join([fact.text, getattr(fact, "text_en", None) or "", *fact.topics.all()]).lower()
            for fact in scenario.all_facts()
        ]
        self._keyword_weights: dict[str, float] = {}
        own = _domain_document(scenario)[1]
        self._generic_words: dict[str, bool] = {}
        self._strays_for: tuple[frozenset[str] | None, bool] = (None, False)
        self._domain = [own] + [text for scenario_id, text in _domain_documents() if scenario_id != scenario.id]
        company = scenario.company
        self._card_text = " ".join(
            [company.size, company.size_en, company.context, company.context_en]
            + [scenario.deal_context, scenario.deal_context_en]
        ).lower()
        self._size_text = " ".join([company.size, company.size_en]).lower()
        self._all_keywords = tuple({word: probe for words in self.keywords.values() for word, probe in words}.items())
        self._found_for: str | None = None
        self._sounds: dict[tuple[str, ...], str] | None = None  # pinyin -> the one vocabulary word that sounds so
        self._vocabulary_zh: frozenset[str] = frozenset()
        self._vocabulary: frozenset[str] | None = None
        self._found: list[str] = []
        for facts in scenario.facts.by_category().values():
            for fact in facts:
                words = {fact.text, getattr(fact, "text_en", None) or "", *fact.topics.all()} - {""}
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

    def _scenarios_using_word(self, word: str) -> int:
        """How many of the product's scenarios' texts contain the keyword (this one included; at least 1)."""
        probe = _probe(word)
        return max(1, sum(1 for text in self._domain if _found(text, probe)))

    def correct_typos(self, text: str) -> str:
        """English words of five letters or more that are one edit (insert, delete, change, swap) away from exactly
        one word of this scenario's vocabulary are read as that word: "maintanance", "colect", "seperate". Chinese
        typos of pinyin input are homophones: a run of two to four characters that sounds like exactly one word of
        the scenario's vocabulary and keeps its first character is read as that word ("系同" 系统, "补路" 补录)."""
        if _CJK_RUN.search(text):
            text = self._correct_homophones(text)
        if not _LATIN_CHAR.search(text.lower()):
            return text
        if self._vocabulary is None:
            words: set[str] = set()
            for text_of_fact in self._fact_texts:
                words.update(_LATIN_WORDS.findall(text_of_fact))
            for surfaces in CONCEPTS.values():
                for surface in surfaces:
                    words.update(_LATIN_WORDS.findall(surface.lower()))
            self._vocabulary = frozenset(word for word in words if len(word) >= 4)
        vocabulary = self._vocabulary

        def fix(match: re.Match[str]) -> str:
            word = match.group(0)
            lowered = word.lower()
            if not 5 <= len(lowered) <= 16 or lowered in vocabulary:
                return word
            found = {meant for meant in _one_edit(lowered) & vocabulary if _slip(lowered, meant)}
            return next(iter(found)) if len(found) == 1 else word

        return _LATIN_WORDS.sub(fix, text)

    def _correct_homophones(self, text: str) -> str:
        if self._sounds is None:
            words: set[str] = set()
            for fact in self.scenario.all_facts():
                words.update(word for word in fact.topics.zh if _CJK_WORD.fullmatch(word))
                words.update(token for token in tokenize(fact.text) if _CJK_WORD.fullmatch(token))
            for surfaces in CONCEPTS.values():
                words.update(surface for surface in surfaces if _CJK_WORD.fullmatch(surface))
            by_sound: dict[tuple[str, ...], set[str]] = {}
            for word in words - GENERIC_TERMS:
                by_sound.setdefault(tuple(lazy_pinyin(word)), set()).add(word)
            self._sounds = {key: next(iter(found)) for key, found in by_sound.items() if len(found) == 1}
            self._vocabulary_zh = frozenset(words)
        sounds, known = self._sounds, self._vocabulary_zh
        if not sounds:
            return text
        chars = list(text)
        # one syllable per character ("?" for each one that is not Chinese; pypinyin accepts a list from `errors`)
        syllables = lazy_pinyin(text, errors=lambda run: ["?"] * len(run))  # type: ignore[arg-type,return-value]
        if len(syllables) != len(chars):
            return text
        start = 0
        while start < len(chars):
            for size in (4, 3, 2):
                window = "".join(chars[start : start + size])
                if len(window) < size or not _CJK_WORD.fullmatch(window) or window in known:
                    continue
                meant = sounds.get(tuple(syllables[start : start + size]))
                # a common word of its own ("实施" next to the vocabulary's "实时") is meant, not mistyped
                if (
                    meant is not None
                    and meant[0] == window[0]
                    and not _contains_known(text, meant)
                    and word_frequency(window) < max(word_frequency(meant), 1)
                ):
                    chars[start : start + size] = list(meant)
                    start += size - 1
                    break
            start += 1
        return "".join(chars)

    def terms(self, text: str) -> frozenset[str]:
        """The content terms of a rep's text (compute once per turn, pass to match)."""
        return content_terms(text)

    def keyword_weight(self, word: str) -> float:
        """KEYWORD_WEIGHT shared out over the facts whose text or keywords contain the word; halved for a word of the
        public scenario card (company size and context, the deal): every rep knows it, so naming it asks little."""
        weight = self._keyword_weights.get(word)
        if weight is None:
            probe = _probe(word)
            users = sum(1 for text in self._fact_texts if _found(text, probe)) or 1
            given = CARD_WORD_SHARE if _found(self._card_text, probe) else 1.0
            common = COMMON_WORD_SHARE if is_common_word(word) else 1.0
            domain = domain_share(self._scenarios_using_word(word))
            weight = self._keyword_weights[word] = KEYWORD_WEIGHT * given * common * domain / users
        return weight

    def match(self, fact: Fact, text_terms: frozenset[str], text: str) -> TopicMatch:
        lowered = text.lower()
        keywords = [word for word, probe in self.keywords[fact.id] if _found(lowered, probe)]
        # A keyword inside a longer keyword found in the same text ("客户" in "客户经理") is not a hit of its own.
        found = self.found_keywords(lowered)
        keywords = [
            word
            for word in keywords
            if not any(len(other) > len(word) and word.lower() in other.lower() for other in found)
        ]
        weights = self.term_weights[fact.id]
        shared = sorted(text_terms & self.fact_terms[fact.id])  # sorted: the same float sum in every process
        # A keyword the public card already says (the fleet, the turbines, the wards) weighs in, but is no hit alone.
        hits = [word for word in keywords if not self.on_card(word)]
        # Evidence made only of words that most of the product's scenarios use (plan, time, phone, spend, data), in a
        # question that also names things this buyer's texts never mention (holidays, kids, an office move, trade
        # fairs), is a question about those things: no match. English only: jieba splits colloquial Chinese into
        # many tokens no fact uses ("流失严重吗？"), so in Chinese the test took real questions away (tune sets).
        if (
            (keywords or shared)
            and not is_chinese(text)
            and all(self._generic(word) for word in [*keywords, *shared])
            and self._strays(text_terms)
        ):
            return TopicMatch()
        return TopicMatch(
            keyword=max(hits or keywords, key=len, default=""),
            keyword_hits=len(hits),
            card_hits=len(keywords) - len(hits),
            term_score=round(sum(weights[term] for term in shared), 4),
            keyword_score=round(sum(self.keyword_weight(word) for word in sorted(set(keywords))), 4),
        )

    def _generic(self, word: str) -> bool:
        """A word that more than DOMAIN_WORD_SCENARIOS of the product's scenarios use (a concept: by any surface)."""
        cached = self._generic_words.get(word)
        if cached is None:
            surfaces = CONCEPTS.get(word, (word,))
            count = sum(1 for text in self._domain if any(_found(text, _probe(surface)) for surface in surfaces))
            cached = self._generic_words[word] = count > DOMAIN_WORD_SCENARIOS
        return cached

    def _strays(self, text_terms: frozenset[str]) -> bool:
        """The text names things the scenario never speaks of (words absent from its facts and card)."""
        if self._strays_for[0] != text_terms:
            own = self._domain[0]
            self._strays_for = (
                text_terms,
                any(not _found(own, _probe(term)) for term in text_terms if term not in CONCEPTS),
            )
        return self._strays_for[1]

    def on_card(self, word: str) -> bool:
        """The public card's size line (what every rep reads first: trucks, turbines, wards) contains the word."""
        return _found(self._size_text, _probe(word))

    def found_keywords(self, lowered: str) -> list[str]:
        """Every keyword of the scenario's facts that the lowercased text contains (cached per text)."""
        if self._found_for != lowered:
            self._found_for = lowered
            self._found = [word for word, probe in self._all_keywords if _found(lowered, probe)]
        return self._found


@lru_cache(maxsize=4096)
def is_common_word(word: str) -> bool:
    """A Chinese word so frequent in everyday language that it cannot tell topics apart (see COMMON_WORD_FREQUENCY)."""
    return is_chinese(word) and word_frequency(word) >= COMMON_WORD_FREQUENCY


_LATIN_WORDS = re.compile(r"[A-Za-z]+")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]")
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2,4}")


def _contains_known(text: str, word: str) -> bool:
    """The text already spells the word right somewhere (then a look-alike run is another word, not a typo)."""
    return word in text


_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Letters next to each other on a QWERTY keyboard (a finger slipping to a neighbour key).
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOUR_KEYS: dict[str, set[str]] = {}
for _upper, _lower in zip(_KEYBOARD_ROWS, _KEYBOARD_ROWS[1:], strict=False):
    for _i, _key in enumerate(_upper):
        for _other in _lower[max(0, _i - 1) : _i + 1]:
            _NEIGHBOUR_KEYS.setdefault(_key, set()).add(_other)
            _NEIGHBOUR_KEYS.setdefault(_other, set()).add(_key)
for _row in _KEYBOARD_ROWS:
    for _left, _right in zip(_row, _row[1:], strict=False):
        _NEIGHBOUR_KEYS.setdefault(_left, set()).add(_right)
        _NEIGHBOUR_KEYS.setdefault(_right, set()).add(_left)


def _slip(typed: str, meant: str) -> bool:
    """Whether one edit from the meant word to the typed one is a plausible typo: a letter left out, doubled or
    swapped, or changed into a neighbouring key or another vowel ("seperate"). Another consonant in its place is
    another word: "football" is not a misspelt "footfall", nor "fairs" of "fails"."""
    if len(typed) != len(meant):
        return True
    diffs = [index for index, (a, b) in enumerate(zip(typed, meant, strict=True)) if a != b]
    if len(diffs) != 1:
        return True  # a swap of two neighbours
    a, b = typed[diffs[0]], meant[diffs[0]]
    return (a in _VOWELS and b in _VOWELS) or b in _NEIGHBOUR_KEYS.get(a, set())


@lru_cache(maxsize=8192)
def _one_edit(word: str) -> frozenset[str]:
    """Every string one edit away from a word (Norvig's spelling corrector)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {left + right[1:] for left, right in splits if right}
    swaps = {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    changes = {left + letter + right[1:] for left, right in splits if right for letter in _LETTERS}
    inserts = {left + letter + right for left, right in splits for letter in _LETTERS}
    return frozenset(deletes | swaps | changes | inserts)


# One scenario as a document of the product's domain: (id, its lowercased texts).
DomainDocument = tuple[str, str]


def _domain_document(scenario: Scenario) -> DomainDocument:
    """Everything a scenario says about its buyer's business: the facts (text, English text, keywords) and the card."""
    company = scenario.company
    pieces = [company.size, company.size_en, company.context, company.context_en]
    pieces += [scenario.deal_context, scenario.deal_context_en, scenario.our_offering, scenario.our_offering_en]
    for fact in scenario.all_facts():
        pieces += [fact.text, getattr(fact, "text_en", None) or "", *fact.topics.all()]
    return scenario.id, " ".join(piece for piece in pieces if piece).lower()


@lru_cache(maxsize=1)
def _domain_documents() -> tuple[DomainDocument, ...]:
    """The product's scenarios as documents, to tell a buyer's own words from words every sales call uses."""
    return tuple(_domain_document(scenario) for scenario in load_scenarios().values())


_INDEXES: dict[str, tuple[Scenario, TopicIndex]] = {}


def topic_index(scenario: Scenario) -> TopicIndex:
    """The topic index of a scenario, built once per scenario (rebuilt if the scenario object changes)."""
    cached = _INDEXES.get(scenario.id)
    if cached is None or cached[0] != scenario:
        cached = (scenario, TopicIndex(scenario))
        _INDEXES[scenario.id] = cached
    return cached[1]


__all__ = ["CONCEPTS", "TopicIndex", "TopicMatch", "contains", "content_terms", "mentions", "topic_index"]
