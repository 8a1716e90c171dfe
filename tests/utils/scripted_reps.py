"""Scripted sales reps for tests: a strong SPIN rep and a weak pitching rep, built from a scenario's own topics."""

from __future__ import annotations

from app.coaching.spin import classify_spin
from app.roleplay.scenarios import Scenario, load_scenarios
from app.roleplay.scripted_buyer import ScriptedBuyer
from app.roleplay.state import SessionState

# One question template per SPIN type; {topic} is the first Chinese topic keyword of a hidden fact.
STRONG_TEMPLATES: dict[str, str] = {
    "situation": "目前贵公司在{topic}方面是怎么安排的？能具体介绍一下吗？",
    "problem": "在{topic}方面，您遇到过哪些困难或者不满意的地方？",
    "implication": "{topic}这件事如果一直这样下去，会带来什么影响和后果？",
    "need_payoff": "如果{topic}能够实现，对您来说意味着什么样的价值？",
}


def strong_rep_lines(scenario: Scenario) -> list[str]:
    """SPIN-ordered questions (all S, then P, I, N, each on one fact's topic), a value summary, then the ask."""
    lines: list[str] = []
    for category, template in STRONG_TEMPLATES.items():
        for fact in getattr(scenario.facts, category):
            lines.append(template.format(topic=fact.topics.zh[0]))
    key_topic = scenario.fact(scenario.success.key_facts[-1]).topics.zh[0]
    lines.append(f"结合您刚才谈到的{key_topic}，我们的方案可以帮您实现这个目标，我们在同类客户有成熟做法。")
    lines.append(f"您看下一步{scenario.success.commitment.ask_zh}，可以吗？")
    return lines


def weak_rep_lines(scenario: Scenario) -> list[str]:
    """Pitches early, asks closed questions, never explores implications, pushes for the deal."""
    first_situation = scenario.facts.situation[0].topics.zh[0]
    first_problem = scenario.facts.problem[0].topics.zh[0]
    rival = scenario.competitors[0] if scenario.competitors else "别家"
    return [
        f"您好，我们的产品功能非常强大，{scenario.our_offering}，很多大客户都在用。",
        f"你们有{first_situation}吗？",
        "我们的产品性价比很高，价格方面也可以给您很大的优惠。",
        f"您对现在的{first_problem}满意吗？",
        f"我们比{rival}强很多，您可以考虑一下我们的产品。",
        "我们的方案肯定能解决你们所有的问题，功能比别人全。",
        "那您看今天能不能先把合同定下来？",
        "我们这个月有促销活动，现在签约最划算。",
    ]


def say(scenario_id: str, lines: list[str], lang: str = "zh", trust: int | None = None):
    """Play the lines through the offline buyer (trust set after the opening if given): (state, turns)."""
    scenario = load_scenarios()[scenario_id]
    buyer = ScriptedBuyer(scenario)
    state = buyer.opening(SessionState.start(scenario, lang)).state
    if trust is not None:
        state = state.model_copy(update={"trust": trust})
    turns = []
    for line in lines:
        turn = buyer.reply(state, line, classify_spin(line))
        turns.append(turn)
        state = turn.state
    return state, turns


def play(scenario: Scenario, lines: list[str]) -> SessionState:
    """The session state after playing the lines through the offline buyer."""
    buyer = ScriptedBuyer(scenario)
    state = buyer.opening(SessionState.start(scenario)).state
    for line in lines:
        state = buyer.reply(state, line, classify_spin(line)).state
    return state
