"""Offline scripted buyer: a deterministic simulated customer that reveals hidden facts only to well-placed SPIN questions."""

from __future__ import annotations

import hashlib
import re
from typing import Protocol

from pydantic import BaseModel, Field

from app.knowledge.tokenize import is_chinese
from app.roleplay.asks import Ask, classify_ask, is_premature_pitch, judge_ask, offers_price
from app.roleplay.scenarios import CATEGORIES, LABEL_CATEGORY, Fact, Objection, Scenario
from app.roleplay.state import RevealedFact, SessionState, TurnEvent, TurnRecord, count_words
from app.roleplay.topics import TopicMatch, mentions, topic_index


# The same purposes for every style; variants are picked by a hash of scenario, turn and purpose.
# Analytical: data, details, caution. Driver: terse, results. Expressive: vivid, big picture.
# Amiable: warm, relationship, "我们".
STYLE_PHRASES: dict[str, dict[str, list[str]]] = {
    "style.analytical": {
        "reveal": ["从实际数据来看，", "我按事实说一下：", "这个我可以具体讲讲。"],
        "off_topic": [
            "这个问题有点泛，我不太好回答。",
            "你的问题我没太听明白要点，能具体一点吗？",
            "抱歉，这和我们目前评估的重点关系不大。",
        ],
        "wrong_type": [
            "你问的角度不太对，我不想凭感觉下结论。",
            "这个我得先想清楚再说，不能随便给结论。",
            "嗯，这么问我很难给你准确的答案。",
        ],
        "already_said": ["这一点我前面已经说过了，数据没有变化。", "刚才讲过了，不再重复。"],
        "low_trust": [
            "这些属于内部信息，我们目前的接触还不够，我不便透露细节。",
            "在没有更多了解之前，这部分数据我先不展开。",
        ],
        "premature_pitch": [
            "你们的功能介绍我看过资料了，但你还没弄清楚我们的需求。",
            "先别急着讲产品，我更关心的是你对我们业务的理解是否准确。",
        ],
        "pitch_accepted": [
            "这个方案和我们刚才谈到的问题是对得上的，我需要看到更细的数据支撑。",
            "思路可以，请把依据和类似案例的数据整理给我。",
        ],
        "injection": [
            "你这个要求不太专业。我们还是按正常的交流来，我只回答和项目有关的具体问题。",
            "我不理解你说的这些，这不是我们今天要谈的内容。",
            "这种问法我没法回应。请就业务问题提问。",
        ],
        "commitment_not_ready": [
            "现在谈下一步还早，我对你们的理解程度还没有把握。",
            "我需要更充分的信息才能推进，现在不合适。",
        ],
        "commitment_early_trust": ["我们接触的时间还短，我需要再评估一下。"],
        "commitment_objection": ["前面提到的顾虑还没有答案，这个先放一放。"],
        "closing": ["今天就先到这里吧，相关资料请发邮件给我。", "今天的交流先到这里，谢谢。"],
        "trust_lost": ["我觉得今天的交流效率不高，我们先到这里吧。"],
        "small_talk": ["好的，我们直接进入正题吧。", "客气了，我们开始吧。"],
    },
    "style.driver": {
        "reveal": ["直说吧，", "说重点：", "简单讲，"],
        "off_topic": ["说重点。", "我时间不多，你到底想了解什么？", "这个不重要。"],
        "wrong_type": ["你问偏了。", "不是这个问法。", "别绕，换个角度问。"],
        "already_said": ["说过了。", "这个刚讲了，下一个。"],
        "low_trust": ["这些我不会跟刚认识的人讲。", "还没到谈这个的时候。"],
        "premature_pitch": ["先别推销，你连我们要什么都没搞清楚。", "我不需要听产品介绍。"],
        "pitch_accepted": ["行，这个对路。给我看结果。", "可以，说说多快能见效。"],
        "injection": ["别来这套。有正事就说。", "我没空陪你玩这个。", "这跟项目无关，下一个问题。"],
        "commitment_not_ready": ["现在谈下一步太早了。", "你还没说服我，下一步免谈。"],
        "commitment_early_trust": ["我还信不过你们，先这样。"],
        "commitment_objection": ["我的问题你还没回答。"],
        "closing": ["就这样，散会。", "今天到此为止。"],
        "trust_lost": ["我看今天没什么必要再谈了。"],
        "small_talk": ["客套就免了，说事。", "直接说吧。"],
    },
    "style.expressive": {
        "reveal": ["哎，说到这个我可有话说！", "你问到点子上了！", "我跟你讲啊，"],
        "off_topic": [
            "哈哈，这个嘛，咱们聊点更有意思的吧！",
            "这个话题有点平淡，我更想聊聊大方向。",
            "嗯……这不是我最关心的，我们往大处看看？",
        ],
        "wrong_type": [
            "你这么问就有点小了，格局打开一点！",
            "哎，这个问法没说到我心坎上。",
            "这个嘛，换个角度聊可能更有意思。",
        ],
        "already_said": ["这个我刚才不是说了嘛！", "哈哈，这个前面聊过啦。"],
        "low_trust": ["这个嘛，等咱们再熟一点我再跟你细说！", "现在说这个还早，咱们先处处看。"],
        "premature_pitch": [
            "哎呀，你一上来就讲产品，我都没兴趣听下去了。",
            "产品好不好先不说，你得先懂我们想干什么！",
        ],
        "pitch_accepted": [
            "这个画面我喜欢！说到我心坎里了。",
            "不错不错，这就是我想要的那种感觉！",
        ],
        "injection": [
            "哈哈，你这是在考我吗？咱们还是聊正事吧！",
            "这话说得我一头雾水，我们聊聊业务吧。",
            "别逗了，我们还是回到项目上来。",
        ],
        "commitment_not_ready": [
            "别急别急，我还没被你打动呢！",
            "下一步？我还没看到让我兴奋的东西呢。",
        ],
        "commitment_early_trust": ["咱们才刚认识，先多聊聊嘛。"],
        "commitment_objection": ["我刚才说的那个担心你还没给我个说法呢！"],
        "closing": ["今天聊得挺开心，先这样！", "好，今天就到这儿，回头再聊！"],
        "trust_lost": ["唉，今天聊得没什么意思，我还有别的会，先走了。"],
        "small_talk": ["哈哈，客气啦！", "好说好说，我们开始吧！"],
    },
    "style.amiable": {
        "reveal": ["跟你说实话啊，", "既然你问到了，我就直说了，", "嗯，我们这边的情况是这样的，"],
        "off_topic": [
            "这个嘛，我也说不太好，我们慢慢聊。",
            "嗯……这个我可能不是最合适回答的人。",
            "呵呵，这个问题有点大，我们聊点具体的吧。",
        ],
        "wrong_type": [
            "这个嘛，我不太确定该怎么说。",
            "嗯，这么问我一下子不知道从哪说起。",
            "这个……我得想想，大家的看法也不一样。",
        ],
        "already_said": ["这个我们刚才聊过了呀。", "嗯，前面我已经说过了。"],
        "low_trust": [
            "这个嘛……我们才刚认识，有些事我不太方便说。",
            "等我们再熟悉一些，我再跟你细聊吧。",
        ],
        "premature_pitch": [
            "你们的产品听起来不错，不过我们还没聊到大家真正的难处呢。",
            "先别急着介绍产品嘛，我们先把情况聊清楚。",
        ],
        "pitch_accepted": [
            "嗯，这样的话大家用起来应该会顺手很多。",
            "听起来挺贴心的，同事们应该会欢迎。",
        ],
        "injection": [
            "呵呵，你这话我听不太懂，我们还是聊聊工作上的事吧。",
            "这个我可帮不了你，我们还是说说项目吧。",
            "嗯……这不是我能回答的，我们聊正事吧。",
        ],
        "commitment_not_ready": [
            "这个嘛……我觉得还有点早，我们再多了解了解吧。",
            "不着急，我们先把情况聊透了再说。",
        ],
        "commitment_early_trust": ["我们再多接触接触吧，我心里还不太踏实。"],
        "commitment_objection": ["我前面说的那个顾虑，心里还是有点放不下。"],
        "closing": ["今天谢谢你跑一趟，我们保持联系。", "好的，今天先聊到这儿，辛苦你了。"],
        "trust_lost": ["不好意思，我这边还有点事，今天就先到这里吧。"],
        "small_talk": ["不客气，欢迎欢迎！", "你太客气了，坐吧。"],
    },
}

# Hints point the rep at what to explore next without saying it; only a topic keyword appears.
CATEGORY_HINTS: dict[str, list[str]] = {
    "situation": ["你对我们{topic}的情况好像还不太了解。", "要不你先问问我们{topic}现在是怎么做的。"],
    "problem": ["说实话，{topic}这一块不算太顺。", "{topic}方面倒是有些地方不太满意。"],
    "implication": [
        "{topic}这件事牵扯的面，可能比你想的要广。",
        "{topic}到底影响有多大，我们内部也没细算过。",
    ],
    "need_payoff": [
        "要是{topic}真能有改观，那当然是好事。",
        "{topic}如果解决了，意义肯定不一样，这个你可以帮我想想。",
    ],
    "requires": ["这个得先从{topic}说起。", "先把{topic}的情况弄清楚，再谈这个吧。"],
    "done": ["我们的情况你已经了解得差不多了，你看下一步怎么推进？"],
}


def pick(options: list[str], *keys: object) -> str:
    """Choose a variant deterministically from a stable hash of the keys (never random, never hash())."""
    digest = hashlib.sha256("|".join(str(key) for key in keys).encode("utf-8")).digest()
    return options[int.from_bytes(digest[:4], "big") % len(options)]


def style_phrase(style: str, purpose: str, *keys: object) -> str:
    return pick(STYLE_PHRASES[style][purpose], style, purpose, *keys)


def hint(kind: str, topic: str, *keys: object) -> str:
    return pick(CATEGORY_HINTS[kind], kind, *keys).format(topic=topic)


# --- rules of the buyer (trust deltas are on the 0..100 trust scale) ----------------------------

TRUST_REVEAL = 6  # a well-placed SPIN question that uncovers a fact
TRUST_ON_TOPIC = 2  # a relevant SPIN question that uncovers nothing new
TRUST_STYLE_FIT = 2  # the rep talks the way this communication style likes
TRUST_VALUE_PITCH = 4  # presenting value after the need is explicit
TRUST_OBJECTION_HANDLED = 6
TRUST_COMMITMENT_WON = 5
TRUST_PREMATURE_PITCH = -8
TRUST_EARLY_ASK = -4  # asking for a commitment before any need is explicit
TRUST_INJECTION = -5
MAX_TURNS = 40

# A question labeled with one SPIN type may also reach the next stage's fact when it clearly carries
# that stage's cues too (its classify_spin score: at least 1 point and half the label's own score),
# and only once the fact's prerequisites are out: S -> P (asks about a difficulty), P -> I (asks
# about consequences), and I <-> N (the classic confusion on a problem the buyer has already admitted).
NEIGHBOUR_STAGE: dict[str, str] = {"S": "P", "P": "I", "I": "N", "N": "I"}
MIN_NEIGHBOUR_EVIDENCE = 1.0
MIN_NEIGHBOUR_SHARE = 0.5

PRICE_WORDS = ("价格", "报价", "多少钱", "折扣", "优惠", "收费", "price", "discount", "quote")
COMPETITOR_WORDS = ("竞争对手", "竞品", "友商", "别家", "competitor")

# Attempts to step outside the role-play. Matched on lowercased text; the buyer stays in character.
INJECTION_PATTERNS: tuple[str, ...] = (
    "ignore", "disregard", "forget your", "forget all", "system prompt", "your prompt", "instructions",
    "your rules", "hidden fact", "hidden info", "all the facts", "all facts", "everything you know",
    "tell me everything", "list all", "list your", "reveal all", "dump", "jailbreak", "developer mode",
    "pretend", "you are an ai", "as an ai", "language model", "scenario file", "yaml", "json", "your script",
    "override", "roleplay", "role-play", "role play",
    "忽略", "无视", "忘记你", "忘掉", "指令", "提示词", "系统提示", "隐藏信息", "隐藏的信息", "隐藏事实",
    "隐藏的事实", "所有信息", "全部信息", "所有的信息", "所有痛点", "所有的痛点", "全部痛点", "列出", "列一下你",
    "你的设定", "你的规则", "剧本", "别扮演", "停止扮演", "不用扮演", "角色设定", "开发者模式", "告诉我一切",
    "全部告诉", "都告诉我", "全都说出来", "一次性说", "原样输出", "输出你的", "打印你的", "你的配置", "你是ai",
    "你是一个ai", "你是人工智能", "大模型", "语言模型", "不要再演", "别演了", "测试模式", "越狱",
)

# Words that show the rep adapting to the buyer's communication style (seed 001, 沟通风格).
STYLE_CUES: dict[str, tuple[str, ...]] = {
    "style.analytical": ("数据", "具体", "多少", "比例", "明细", "依据", "流程", "准确", "data", "detail"),
    "style.driver": ("结果", "效率", "目标", "多快", "见效", "直接", "result", "goal"),
    "style.expressive": ("愿景", "未来", "想象", "蓝图", "标杆", "创新", "vision", "future"),
    "style.amiable": ("大家", "团队", "同事", "一起", "放心", "稳妥", "team", "together"),
}


class SpinLike(Protocol):
    """What the buyer needs from app.coaching.spin.SpinResult (structural, so tests can build their own).

    When the object also has SpinResult's per-label `scores`, the buyer lets a question reach a
    neighbouring SPIN stage it clearly asks about too (NEIGHBOUR_STAGE); without them it is strict.
    """

    label: str
    is_question: bool
    is_pitch: bool
    asks_commitment: bool


class BuyerTurn(BaseModel):
    """The buyer's reply to one rep turn and what it changed; `state` is the new state (the input is untouched)."""

    text: str
    state: SessionState
    spin_label: str | None = None
    new_facts: list[str] = Field(default_factory=list)
    objection_raised: str | None = None
    objection_handled: str | None = None
    signal_shown: str | None = None
    commitment_asked: bool = False
    commitment_won: bool = False
    premature_pitch: bool = False
    injection_blocked: bool = False
    trust_delta: int = 0


def is_injection(text: str) -> bool:
    """True when the text tries to get the buyer out of character or to dump its hidden facts."""
    compact = re.sub(r"\s+", " ", text.lower())
    return any(pattern in compact for pattern in INJECTION_PATTERNS)


class ScriptedBuyer:
    """Deterministic buyer for one scenario. `reply` never mutates its input state; it returns a new one."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.style = scenario.persona.communication_style

    # --- public API -----------------------------------------------------------

    def opening(self, state: SessionState) -> BuyerTurn:
        """The buyer's first words (persona's opening line); counts the buyer's words."""
        new_state = state.copy_deep()
        text = self.scenario.opening_line
        new_state.buyer_words += count_words(text)
        return BuyerTurn(text=text, state=new_state)

    def reply(self, state: SessionState, rep_text: str, spin: SpinLike) -> BuyerTurn:
        """Answer one rep turn: the buyer's words plus every change to the session state."""
        if state.scenario_id != self.scenario.id:
            raise ValueError(f"state is for scenario {state.scenario_id!r}, buyer is {self.scenario.id!r}")
        new = state.copy_deep()
        if new.finished:
            text = self._phrase("closing", new.turn)
            new.buyer_words += count_words(text)
            return BuyerTurn(text=text, state=new, spin_label=spin.label)

        new.turn += 1
        turn = new.turn
        new.rep_words += count_words(rep_text)
        new.spin_sequence.append(spin.label)
        record = TurnRecord(
            turn=turn,
            spin_label=spin.label,
            is_question=spin.is_question,
            is_pitch=spin.is_pitch,
            asks_commitment=spin.asks_commitment,
        )
        result = BuyerTurn(text="", state=new, spin_label=spin.label)
        parts: list[str] = []
        delta = 0

        if is_injection(rep_text):
            new.injection_attempts += 1
            record.injection = True
            result.injection_blocked = True
            delta += TRUST_INJECTION
            parts.append(self._phrase("injection", turn))
            parts.append(self._hint_next(new, turn))
            return self._finish(new, record, result, parts, delta)

        delta += self._resolve_open_objection(new, rep_text, spin, result, parts)
        ask = classify_ask(self.scenario, rep_text, spin)  # order | advance | continuation | none (app.roleplay.asks)
        asked = ask.kind != "none"
        record.ask_kind = ask.kind

        # An ask for a next step is judged by the commitment rules, not as a product pitch.
        pitching = (spin.is_pitch and not asked) or offers_price(rep_text, spin)
        premature = pitching and is_premature_pitch(self.scenario, new, rep_text)
        record.is_pitch = pitching
        if pitching:
            new.pitches += 1
        if premature:
            new.premature_pitches += 1
            record.premature_pitch = True
            result.premature_pitch = True
            delta += TRUST_PREMATURE_PITCH
            # A repeated early pitch meets the next concern the rep's words touch (price, rival...).
            objection = self._next_objection(new, "premature_pitch") or self._triggered_objection(new, rep_text)
            if objection is not None:
                self._raise(new, objection, result, parts)
            else:
                parts.append(self._phrase("premature_pitch", turn))
        else:
            if pitching:
                delta += TRUST_VALUE_PITCH
                parts.append(self._phrase("pitch_accepted", turn))
            if not (asked and spin.label == "other"):
                delta += self._answer_question(new, rep_text, spin, result, parts, record)
            triggered = self._triggered_objection(new, rep_text)
            if triggered is not None:
                self._raise(new, triggered, result, parts)

        if asked:
            result.commitment_asked = True
            new.commitment_asks += 1
            delta += self._commitment(new, ask, result, parts, delta)
        elif not parts:
            parts.append(self._phrase("small_talk" if not spin.is_question else "off_topic", turn))
            parts.append(self._hint_next(new, turn))

        # Buying signals (seed 002) come once the need is explicit, after a turn that moved the buyer.
        moved = bool(result.new_facts or result.objection_handled or (pitching and not premature))
        if new.need_established() and moved and delta > 0 and not result.commitment_won:
            shown = {event.id for event in new.signals_shown}
            for signal in self.scenario.buying_signals:
                if signal.id not in shown:
                    new.signals_shown.append(TurnEvent(id=signal.id, turn=turn))
                    result.signal_shown = signal.id
                    parts.append(signal.text)
                    break
        return self._finish(new, record, result, parts, delta)

    # --- steps ----------------------------------------------------------------

    def _finish(
        self, new: SessionState, record: TurnRecord, result: BuyerTurn, parts: list[str], delta: int
    ) -> BuyerTurn:
        before = new.trust
        new.trust = max(0, min(100, new.trust + delta))
        result.trust_delta = new.trust - before
        record.trust_delta = result.trust_delta
        record.trust_after = new.trust
        record.revealed = list(result.new_facts)
        new.history.append(record)
        if not new.finished and new.trust == 0:
            new.finished, new.end_reason = True, "trust_lost"
            parts.append(self._phrase("trust_lost", new.turn))
        elif not new.finished and new.turn >= MAX_TURNS:
            new.finished, new.end_reason = True, "max_turns"
            parts.append(self._phrase("closing", new.turn))
        result.text = "".join(part for part in parts if part)
        new.buyer_words += count_words(result.text)
        return result

    def _answer_question(
        self,
        new: SessionState,
        rep_text: str,
        spin: SpinLike,
        result: BuyerTurn,
        parts: list[str],
        record: TurnRecord,
    ) -> int:
        """Reveal at most one fact when the question type and topic fit; otherwise answer and hint."""
        turn = new.turn
        revealed = new.revealed_ids()
        matches = self._topic_matches(rep_text)
        on_topic = [fact for fact in self.scenario.all_facts() if matches[fact.id].on_topic]
        fresh = [fact for fact in on_topic if fact.id not in revealed]
        category = LABEL_CATEGORY.get(spin.label)
        if category is None:
            if not spin.is_pitch and (spin.is_question or on_topic):
                parts.append(self._phrase("off_topic", turn))
                parts.append(self._hint_next(new, turn))
            return 0

        record.style_fit = mentions(rep_text, STYLE_CUES[self.style])
        style_bonus = TRUST_STYLE_FIT if record.style_fit else 0
        right_type = self._candidates(category, matches, revealed)
        neighbour = self._neighbour_category(spin)
        reachable = right_type + (self._candidates(neighbour, matches, revealed) if neighbour else [])
        for fact in reachable:
            if self._requires_met(fact, revealed) and new.trust >= fact.min_trust:
                fact_category = self.scenario.category_of(fact.id)
                new.revealed[fact_category].append(RevealedFact(id=fact.id, turn=turn))
                result.new_facts.append(fact.id)
                parts.append(self._phrase("reveal", turn) + fact.text)
                return TRUST_REVEAL + style_bonus
        own_topic = [fact for fact in right_type if matches[fact.id].on_topic]
        if own_topic:
            fact = own_topic[0]
            missing = [fid for fid in fact.requires if fid not in revealed]
            if missing:
                prerequisite = self.scenario.fact(missing[0])
                parts.append(self._phrase("wrong_type", turn))
                parts.append(self._hint("requires", prerequisite.topics.zh[0], turn))
            else:
                parts.append(self._phrase("low_trust", turn))
            return TRUST_ON_TOPIC + style_bonus
        if fresh:
            fact = fresh[0]
            # The buyer speaks Chinese: echo the rep's own word only when it is Chinese.
            keyword = matches[fact.id].keyword
            topic = keyword if keyword and is_chinese(keyword) else fact.topics.zh[0]
            parts.append(self._phrase("wrong_type", turn))
            parts.append(self._hint(self.scenario.category_of(fact.id), topic, turn))
            return style_bonus
        if on_topic:
            parts.append(self._phrase("already_said", turn))
            parts.append(self._hint_next(new, turn))
            return style_bonus
        parts.append(self._phrase("off_topic", turn))
        parts.append(self._hint_next(new, turn))
        return 0

    def _topic_matches(self, rep_text: str) -> dict[str, TopicMatch]:
        index = topic_index(self.scenario)
        terms = index.terms(rep_text)
        return {fact.id: index.match(fact, terms, rep_text) for fact in self.scenario.all_facts()}

    def _candidates(self, category: str, matches: dict[str, TopicMatch], revealed: set[str]) -> list[Fact]:
        """Unrevealed facts of a category the question is about, the most specific match first.

        A fact's own topic comes before the topic it inherits from the facts it requires: that lets a
        follow-up like "这个问题会带来什么后果" on a problem just uncovered reach the implication built on it.
        """
        ranked = []
        for index, fact in enumerate(getattr(self.scenario.facts, category)):
            if fact.id in revealed:
                continue
            own = matches[fact.id].score
            inherited = max((matches[fid].score for fid in fact.requires), default=0.0)
            if own or inherited:
                ranked.append((-own, -inherited, index, fact))
        return [fact for *_, fact in sorted(ranked, key=lambda item: item[:3])]

    @staticmethod
    def _neighbour_category(spin: SpinLike) -> str | None:
        """The next SPIN stage this question also clearly asks about, if any (see NEIGHBOUR_STAGE)."""
        neighbour = NEIGHBOUR_STAGE.get(spin.label)
        scores = getattr(spin, "scores", None) or {}  # test doubles may carry no scores: strict then
        if neighbour is None:
            return None
        evidence = scores.get(neighbour, 0.0)
        if evidence < max(MIN_NEIGHBOUR_EVIDENCE, MIN_NEIGHBOUR_SHARE * scores.get(spin.label, 0.0)):
            return None
        return LABEL_CATEGORY[neighbour]

    def _resolve_open_objection(
        self, new: SessionState, rep_text: str, spin: SpinLike, result: BuyerTurn, parts: list[str]
    ) -> int:
        """An objection raised on an earlier turn is handled by a question of the right kind or a key word."""
        for objection_id in new.open_objections():
            objection = self.scenario.objection(objection_id)
            raised_on = max(event.turn for event in new.objections_raised if event.id == objection_id)
            if raised_on >= new.turn or spin.is_pitch:
                continue
            by_spin = spin.label in objection.handled_by.spin
            if by_spin or mentions(rep_text, objection.handled_by.keywords):
                new.objections_handled.append(TurnEvent(id=objection_id, turn=new.turn))
                result.objection_handled = objection_id
                parts.append(objection.resolved_text)
                return TRUST_OBJECTION_HANDLED
        return 0

    def _next_objection(self, new: SessionState, trigger: str) -> Objection | None:
        raised = {event.id for event in new.objections_raised}
        for objection in self.scenario.objections:
            if objection.trigger == trigger and objection.id not in raised:
                return objection
        return None

    def _triggered_objection(self, new: SessionState, rep_text: str) -> Objection | None:
        """Price, competitor and topic objections fire the first time the rep brings their subject up."""
        raised = {event.id for event in new.objections_raised}
        for objection in self.scenario.objections:
            if objection.id in raised or objection.trigger == "premature_pitch":
                continue
            words: list[str] = list(objection.keywords)
            if objection.trigger == "price":
                words += PRICE_WORDS
            elif objection.trigger == "competitor":
                words += [*COMPETITOR_WORDS, *self.scenario.competitors]
            if mentions(rep_text, words):
                return objection
        return None

    def _raise(self, new: SessionState, objection: Objection, result: BuyerTurn, parts: list[str]) -> None:
        new.objections_raised.append(TurnEvent(id=objection.id, turn=new.turn))
        result.objection_raised = objection.id
        parts.append(objection.text)

    def _commitment(self, new: SessionState, ask: Ask, result: BuyerTurn, parts: list[str], delta_so_far: int) -> int:
        """Grant the scenario's commitment only when app.roleplay.asks.judge_ask says so; otherwise say what is missing."""
        turn = new.turn
        verdict = judge_ask(self.scenario, new, ask, new.trust + delta_so_far)
        if verdict.reply is not None:  # a continuation, an order, another advance: the buyer's own answer
            parts.append(verdict.reply)
            return TRUST_EARLY_ASK if ask.kind == "order" and not new.need_established() else 0
        if verdict.reason == "not_ready":
            parts.append(self._phrase("commitment_not_ready", turn))
            parts.append(self._hint_next(new, turn))
            return TRUST_EARLY_ASK
        if verdict.reason == "objection_open":
            parts.append(self._phrase("commitment_objection", turn))
            return 0
        if verdict.reason == "missing_facts":
            parts.append(self._phrase("commitment_not_ready", turn))
            parts.append(self._hint_next(new, turn))
            return 0
        if verdict.reason == "low_trust":
            parts.append(self._phrase("commitment_early_trust", turn))
            return 0
        new.commitment_won = True
        new.commitment_turn = turn
        new.finished, new.end_reason = True, "commitment"
        result.commitment_won = True
        parts.append(self.scenario.success.commitment.granted_text)
        return TRUST_COMMITMENT_WON

    # --- helpers --------------------------------------------------------------

    @staticmethod
    def _requires_met(fact: Fact, revealed: set[str]) -> bool:
        return all(required in revealed for required in fact.requires)

    def _next_to_explore(self, new: SessionState) -> tuple[str, Fact] | None:
        revealed = new.revealed_ids()
        for category in CATEGORIES:
            for fact in getattr(self.scenario.facts, category):
                if fact.id not in revealed and self._requires_met(fact, revealed):
                    return category, fact
        return None

    def _hint_next(self, new: SessionState, turn: int) -> str:
        target = self._next_to_explore(new)
        if target is None:
            return self._hint("done", "", turn)
        category, fact = target
        return self._hint(category, fact.topics.zh[0], turn)

    def _phrase(self, purpose: str, turn: int) -> str:
        return style_phrase(self.style, purpose, self.scenario.id, turn)

    def _hint(self, kind: str, topic: str, turn: int) -> str:
        return hint(kind, topic, self.scenario.id, turn)


__all__ = ["BuyerTurn", "ScriptedBuyer", "SpinLike", "is_injection"]
