"""Deal flows driven through the API in tests: scripted runs (step id, probe or not, the rep's answer) and the realistic scripts several test modules play."""

from __future__ import annotations

from typing import Any

from app.flows.definitions import get_flow
from app.models import Role
from tests.utils.factories import auth_headers, make_user

Script = list[tuple[str, bool, Any]]  # (step id the coach asks, whether it is a probe, the rep's answer)


def ask(step_id: str, answer: Any) -> tuple[str, bool, Any]:
    return step_id, False, answer


def probe(step_id: str, answer: Any) -> tuple[str, bool, Any]:
    return step_id, True, answer


def start(client, headers, flow_id: str, **body) -> tuple[int, dict]:
    response = client.post(f"/api/flows/{flow_id}/runs", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["run_id"], response.json()["step"]


DEAL_STEPS = ("account", "amount")  # answered from the deal already when a run starts on one


def play(client, headers, run_id: int, first_step: dict, script: Script) -> dict:
    """Answer the script step by step, checking the coach asks exactly these questions; returns the last reply."""
    step, reply = first_step, {}
    for index, (step_id, is_probe, answer) in enumerate(script):
        if step_id in DEAL_STEPS and not is_probe and step is not None and step["id"] != step_id:
            continue  # a run started on a deal has these answered from the deal already
        assert step is not None, f"the flow ended before script line {index} ({step_id})"
        assert (step["id"], step["probe"]) == (step_id, is_probe), f"line {index}: coach asked {step}"
        response = client.post(f"/api/flow-runs/{run_id}/answers", json={"answer": answer}, headers=headers)
        assert response.status_code == 200, f"line {index} ({step_id}): {response.text}"
        reply = response.json()
        step = reply.get("step")
    assert reply.get("done") is True, f"the flow still asks {step}"
    return reply


def run_flow(client, headers, flow_id: str, script: Script, **body) -> dict:
    run_id, step = start(client, headers, flow_id, **body)
    reply = play(client, headers, run_id, step, script)
    reply["run_id"] = run_id
    return reply


SPIN_SCRIPT: Script = [
    ask("account", "华东精工汽车零部件有限公司，生产副总李建国"),
    ask("industry", "manufacturing_erp"),
    ask("first_meeting", "no"),
    ask("last_commitment", "上次李总答应把三个工厂的生产计划表发给我，已经收到了。"),
    ask("situation_known", "用金蝶K3"),
    probe("situation_known", "三个工厂共1200人，K3用了八年，去年新上了MES但和ERP没有打通。"),
    ask("situation_questions", ["目前各厂的生产计划是怎么排的？", "MES和ERP之间现在靠什么同步数据？"]),
    ask("suspected_problems", ["月底对账要三天，数据经常对不上"]),
    probe("suspected_problems", "插单多的时候交期经常延误"),
    ask("problem_questions", "现在月底对账最耗时的是哪个环节？"),
    ask("implications", ["对账拖延导致集团报表晚出、考核扣分", "交期延误被主机厂按合同罚款"]),
    ask("implication_questions", "交期延误被主机厂罚过款吗？一年大概多少？"),
    ask("need_payoffs", "月底对账从三天缩短到半天\n准时交付率提到98%"),
    ask("need_payoff_questions", ["如果对账当天就能完成，对您的团队意味着什么？"]),
    ask("commitment", "meet_decision_maker"),
]


DRAGON_SCRIPT: Script = [
    ask("account", "华东精工 ERP 升级项目"),
    ask("markers_reached", ["dragon.step.customer_analysis", "dragon.step.build_trust"]),
    ask("key_people.name", "李建国"),
    ask("key_people.role", "org.role.decision_maker"),
    ask("key_people.relation", "dragon.relation.dating"),
    ask("key_people.relation_evidence", "还行"),
    probe("key_people.relation_evidence", "上周接受邀请去参观了我们在苏州的样板工厂，还一起吃了饭。"),
    ask("key_people.more", "yes"),
    ask("key_people.name", "王芳"),
    ask("key_people.role", "org.role.evaluator"),
    ask("key_people.relation", "dragon.relation.trust"),
    ask("key_people.relation_evidence", "她主动把竞争对手的报价区间告诉了我。"),
    ask("key_people.more", "no"),
    ask("opp_is_real", "yes"),
    ask("opp_is_real_evidence", "李总在11月的经营会上说明年一季度必须上线，预算已批。"),
    ask("opp_can_solve", "yes"),
    ask("opp_can_solve_evidence", "同行业三家客户用我们的方案解决了同样的对账问题。"),
    ask("opp_can_win", "partly"),
    ask("opp_can_win_evidence", "用友也在跟，但王芳倾向我们的方案，评估小组还没定。"),
    ask("opp_worth_it", "unknown"),  # no evidence question after "don't know"
]


STAKEHOLDER_SCRIPT: Script = [
    ask("account", "华东精工 ERP 升级项目"),
    ask("stakeholders.name", "李建国"),
    ask("stakeholders.title", "生产副总"),
    ask("stakeholders.role", "org.role.decision_maker"),
    ask("stakeholders.maslow", "fivedim.maslow.esteem"),
    ask("stakeholders.change", "fivedim.change.pragmatist"),
    ask("stakeholders.focus", "fivedim.focus.business"),
    ask("stakeholders.closeness", "fivedim.closeness.few"),
    ask("stakeholders.attitude", "fivedim.attitude.neutral"),
    ask("stakeholders.attitude_evidence", "会上只听不表态，说要先看投入产出再决定。"),
    ask("stakeholders.more", "yes"),
    ask("stakeholders.name", "赵强"),
    ask("stakeholders.title", "信息部经理"),
    ask("stakeholders.role", "org.role.evaluator"),
    ask("stakeholders.maslow", "fivedim.maslow.safety"),
    ask("stakeholders.change", "fivedim.change.conservative"),
    ask("stakeholders.focus", "fivedim.focus.technical"),
    ask("stakeholders.closeness", "fivedim.closeness.deep"),
    ask("stakeholders.attitude", "fivedim.attitude.opponent"),
    ask("stakeholders.attitude_evidence", "不清楚"),
    probe("stakeholders.attitude_evidence", "他两次在评估会上替用友说话，还要求我们提供源代码。"),
    ask("stakeholders.backs_competitor", "用友，之前和他们合作过财务系统"),
    ask("stakeholders.more", "no"),
]


def fivek_script(
    amount: Any,
    power: str,
    problem: tuple[str, str | None],
    vision: tuple[str, str | None],
    value: tuple[str, str | None],
    control: str,
) -> Script:
    """The 5K questions; a side is asked only once the way to the decision maker is open (power l3+)."""
    script = [ask("account", "华东精工 ERP 升级项目"), ask("amount", amount), ask("power_level", power)]
    for key, (level, side) in (("problem", problem), ("vision", vision), ("value", value)):
        script.append(ask(f"{key}_level", level))
        if side is not None:
            script.append(ask(f"{key}_side", side))
    script.append(ask("control_level", control))
    return script


# Decision maker reached: every m10, m25 and m50 criterion is met, m75 needs control l5.
FIVEK_AT_M50 = fivek_script(
    "85万",
    "fivek.power.l4",
    ("fivek.problem.l5", "decision_maker"),
    ("fivek.vision.l3", "decision_maker"),
    ("fivek.value.l2", "decision_maker"),
    "fivek.control.l4",
)


# Only the contact so far (no side questions): m10 met, m25 needs power l3.
FIVEK_AT_M10 = fivek_script(
    "",
    "fivek.power.l2",
    ("fivek.problem.l5", None),
    ("fivek.vision.l3", None),
    ("fivek.value.l1", None),
    "fivek.control.l1",
)


OPPORTUNITY_SCRIPT: Script = [
    ask("account", "华东精工 ERP 升级"),
    ask("is_real", "yes"),
    ask("is_real_evidence", "李总说过"),
    probe("is_real_evidence", "11月20日李总在项目启动会上宣布300万预算已经批下来。"),
    ask("can_solve", "yes"),
    ask("can_solve_evidence", "三家同行客户已上线，对账时间都降到了一天以内。"),
    ask("can_win", "partly"),
    ask("can_win_evidence", "王芳支持我们，但赵强倾向用友，评估小组还没定。"),
    ask("worth_it", "yes"),
    ask("worth_it_evidence", "合同额约300万，毛利35%，还能做成华东汽配行业的样板。"),
]


def create(client, headers, **fields) -> dict:
    response = client.post("/api/opportunities", json=fields, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def stage(pipeline: dict, milestone_id: str) -> dict:
    return next(s for s in pipeline["stages"] if s["milestone_id"] == milestone_id)


SCRIPTED = get_flow("spin_call_plan").step_index()["situation_known"].probe


def thin_answer_reply(client, session) -> tuple[dict, int, dict]:
    """Start a SPIN call plan and give the situation question a thin answer; returns (reply, run id, headers)."""
    headers = auth_headers(client, make_user(session, Role.rep, team="A组"))
    run_id = client.post("/api/flows/spin_call_plan/runs", json={}, headers=headers).json()["run_id"]
    for value in BEFORE_SITUATION:
        assert (
            client.post(f"/api/flow-runs/{run_id}/answers", json={"answer": value}, headers=headers).status_code == 200
        )
    response = client.post(f"/api/flow-runs/{run_id}/answers", json={"answer": THIN_ANSWER}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json(), run_id, headers


BEFORE_SITUATION = ["华东精工汽车零部件，生产副总李建国", "manufacturing_erp", "yes"]


THIN_ANSWER = "用金蝶K3"
LLM_PROBE = "您提到他们在用金蝶K3：用了几年、多少人在用、最近组织上有什么变化？"  # the loopback model's probe


def prepared_deal(client, headers, *, plan: bool = True) -> int:
    """A deal with a stakeholder map and, with `plan`, a SPIN call plan and a 摧龙六式 diagnosis; its id."""
    deal = client.post("/api/opportunities", json={"account": "华东精工", "name": "ERP 升级"}, headers=headers).json()
    run_flow(client, headers, "stakeholder_map", STAKEHOLDER_SCRIPT, opportunity_id=deal["id"])
    if plan:
        run_flow(client, headers, "spin_call_plan", SPIN_SCRIPT, opportunity_id=deal["id"])
        run_flow(client, headers, "dragon_diagnosis", DRAGON_SCRIPT, opportunity_id=deal["id"])
    return deal["id"]
