"""Every question flow run to the end through the API with realistic answers; results checked against the playbook."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.flows.definitions import FLOW_IDS
from app.flows.notes import RESULT_MODELS
from app.models import CoachingNote, FlowRun, Role
from app.playbook import get_playbook
from tests.utils.factories import auth_headers, make_user
from tests.utils.flows import (
    DRAGON_SCRIPT,
    FIVEK_AT_M10,
    FIVEK_AT_M50,
    OPPORTUNITY_SCRIPT,
    SPIN_SCRIPT,
    STAKEHOLDER_SCRIPT,
    ask,
    run_flow,
    start,
)

# ---------------------------------------------------------------------------
# Realistic runs (an auto-parts maker replacing its ERP)


def points(level_id: str, side: str = "contact") -> int:
    """A level's points straight from the 5K tables of the playbook."""
    level = get_playbook().element(level_id)
    if level.points is not None:
        return level.points
    return level.points_decision_maker if side == "decision_maker" else level.points_contact


# ---------------------------------------------------------------------------
# The catalogue


def test_flows_are_listed_with_titles_and_step_counts(client, headers):
    response = client.get("/api/flows", headers=headers)
    assert response.status_code == 200
    flows = response.json()
    assert [flow["id"] for flow in flows] == list(FLOW_IDS)
    fivek = next(flow for flow in flows if flow["id"] == "fivek_intensity")
    assert fivek["title_zh"] == "5K 销售强度评分" and fivek["title_en"] == "5K sales-intensity score"
    assert fivek["description_zh"] and fivek["step_count"] == 10


def test_unknown_flow_is_404(client, headers):
    assert client.post("/api/flows/no_such_flow/runs", json={}, headers=headers).status_code == 404


# ---------------------------------------------------------------------------
# Full runs


def test_spin_call_plan_to_the_end(client, headers, session):
    reply = run_flow(client, headers, "spin_call_plan", SPIN_SCRIPT)
    result = reply["result"]
    groups = {group["spin_type"]: group for group in result["groups"]}
    assert list(groups) == ["spin.situation", "spin.problem", "spin.implication", "spin.need_payoff"]
    assert groups["spin.situation"]["own_questions"] == [
        "目前各厂的生产计划是怎么排的？",
        "MES和ERP之间现在靠什么同步数据？",
    ]
    # The probe reply was added to the thin first answer.
    assert groups["spin.problem"]["basis"] == ["月底对账要三天，数据经常对不上", "插单多的时候交期经常延误"]
    assert groups["spin.need_payoff"]["basis"] == ["月底对账从三天缩短到半天", "准时交付率提到98%"]
    # Suggested questions: built from the rep's own problems plus the playbook's manufacturing examples.
    problem_examples = get_playbook().element("spin.problem").examples["manufacturing_erp"].zh[:3]
    assert any("月底对账要三天" in q for q in groups["spin.problem"]["suggested_questions"])
    assert set(problem_examples) <= set(groups["spin.problem"]["suggested_questions"])
    assert result["commitment"]["id"] == "meet_decision_maker" and result["first_meeting"] is False
    assert result["last_commitment"].startswith("上次李总答应")

    note = session.get(CoachingNote, reply["note_id"])
    assert note.kind == "flow" and note.source_id == "spin_call_plan"
    assert note.title == "SPIN 拜访提问计划 · 华东精工汽车零部件有限公司，生产副总李建国"
    assert note.data["flow_id"] == "spin_call_plan" and note.data["opportunity_id"] is None
    assert note.data["result"] == result
    assert set(note.data["cited_ids"]) >= {"spin.situation", "spin.problem", "spin.implication", "spin.need_payoff"}
    run = session.get(FlowRun, reply["run_id"])
    assert run.status == "done" and run.note_id == note.id


def test_dragon_diagnosis_to_the_end(client, headers):
    result = run_flow(client, headers, "dragon_diagnosis", DRAGON_SCRIPT)["result"]
    playbook = get_playbook()
    # The first step whose end marker is not reached: 挖掘需求, the third of six.
    assert result["current_step"]["id"] == "dragon.step.uncover_needs" and result["current_step_order"] == 3
    assert result["end_marker_zh"] == playbook.element("dragon.step.uncover_needs").end_marker.zh
    people = {person["name"]: person for person in result["people"]}
    assert people["李建国"]["relation"]["id"] == "dragon.relation.dating"
    assert people["李建国"]["next_relation"]["id"] == "dragon.relation.trust"
    assert people["李建国"]["relation_evidence"].startswith("上周接受邀请")  # "还行" was replaced by the probe reply
    assert people["王芳"]["role"]["id"] == "org.role.evaluator"
    answers = {row["question"]["id"]: row["answer"] for row in result["opportunity"]}
    assert answers == {
        "dragon.opportunity.is_real": "yes",
        "dragon.opportunity.can_solve": "yes",
        "dragon.opportunity.can_win": "partly",
        "dragon.opportunity.worth_it": "unknown",
    }
    gap_cites = {cite for gap in result["gaps"] for cite in gap["cites"]}
    # Decision maker still at "约会" in 挖掘需求; nobody at "同盟"; two opportunity questions open.
    assert any("决策者李建国" in gap["zh"] for gap in result["gaps"])
    assert {
        "dragon.relation.dating",
        "dragon.relation.alliance",
        "dragon.opportunity.can_win",
        "dragon.opportunity.worth_it",
    } <= gap_cites
    assert "dragon.opportunity.is_real" not in gap_cites
    first_move = playbook.element("dragon.step.uncover_needs").moves[0]
    assert result["next_actions"][0]["cites"] == [first_move.id]


def test_stakeholder_map_to_the_end(client, headers):
    result = run_flow(client, headers, "stakeholder_map", STAKEHOLDER_SCRIPT)["result"]
    rows = {row["name"]: row for row in result["rows"]}
    assert rows["李建国"]["title"] == "生产副总" and rows["李建国"]["closeness"]["id"] == "fivedim.closeness.few"
    assert rows["赵强"]["attitude"]["id"] == "fivedim.attitude.opponent"
    assert rows["赵强"]["backs_competitor"] == "用友，之前和他们合作过财务系统"
    assert all(row["actions"] for row in result["rows"])
    risks = {risk["code"]: risk for risk in result["risks"]}
    # No coach; the decision maker barely in touch; an opponent with deep ties; nobody on our side.
    assert set(risks) == {"no_coach", "decision_maker_unreached", "opponent_close_ties", "no_support"}
    assert risks["decision_maker_unreached"]["people"] == ["李建国"]
    assert risks["opponent_close_ties"]["people"] == ["赵强"]


def test_fivek_gives_the_documented_total_milestone_and_forecast(client, headers, session):
    opportunity = client.post(
        "/api/opportunities", json={"account": "华东精工", "name": "ERP 升级", "amount": 850000}, headers=headers
    ).json()
    reply = run_flow(client, headers, "fivek_intensity", FIVEK_AT_M50, opportunity_id=opportunity["id"])
    result = reply["result"]
    expected = {
        "power": points("fivek.power.l4"),
        "problem": points("fivek.problem.l5", "decision_maker"),
        "vision": points("fivek.vision.l3", "decision_maker"),
        "value": points("fivek.value.l2", "decision_maker"),
        "control": points("fivek.control.l4"),
    }
    assert expected == {"power": 10, "problem": 20, "vision": 20, "value": 12, "control": 14}  # the 002 tables
    assert {s["dimension"]["id"].split(".")[1]: s["points"] for s in result["scores"]} == expected
    assert result["total"] == 76
    assert result["milestone"]["id"] == "milestone.m50" and result["probability"] == 50
    assert result["amount"] == 850000 and result["weighted_forecast"] == 425000
    assert result["next_milestone"]["id"] == "milestone.m75"

    note = session.get(CoachingNote, reply["note_id"])
    assert note.score == 76 and note.data["opportunity_id"] == opportunity["id"]
    detail = client.get(f"/api/opportunities/{opportunity['id']}", headers=headers).json()
    assert (detail["milestone_id"], detail["probability"]) == ("milestone.m50", 50)
    assert detail["latest_fivek"]["total"] == 76

    # A later 5K run sets the milestone again, even when it is lower.
    later = run_flow(client, headers, "fivek_intensity", FIVEK_AT_M10, opportunity_id=opportunity["id"])["result"]
    assert (
        later["total"]
        == (
            points("fivek.power.l2")
            + points("fivek.problem.l5")
            + points("fivek.vision.l3")
            + points("fivek.value.l1")
            + points("fivek.control.l1")
        )
        == 29
    )
    # The deal's amount answered the amount question (the rep is not asked again for what the deal says).
    assert later["milestone"]["id"] == "milestone.m10" and later["amount"] == 850000
    detail = client.get(f"/api/opportunities/{opportunity['id']}", headers=headers).json()
    assert (detail["milestone_id"], detail["probability"]) == ("milestone.m10", 10)
    assert detail["latest_fivek"]["total"] == 29
    assert [run["flow_id"] for run in detail["runs"]] == ["fivek_intensity", "fivek_intensity"]


def test_other_flows_do_not_move_the_milestone(client, headers):
    opportunity = client.post("/api/opportunities", json={"account": "华东精工"}, headers=headers).json()
    run_flow(client, headers, "opportunity_check", OPPORTUNITY_SCRIPT, opportunity_id=opportunity["id"])
    detail = client.get(f"/api/opportunities/{opportunity['id']}", headers=headers).json()
    assert detail["milestone_id"] is None and detail["latest_fivek"] is None
    assert [run["status"] for run in detail["runs"]] == ["done"]


def test_opportunity_check_go_with_conditions(client, headers):
    result = run_flow(client, headers, "opportunity_check", OPPORTUNITY_SCRIPT)["result"]
    assert result["verdict"] == "go_with_conditions"
    assert [c["cites"] for c in result["conditions"]] == [["dragon.opportunity.can_win"]]
    assert {row["question"]["id"]: row["answer"] for row in result["questions"]}[
        "dragon.opportunity.can_win"
    ] == "partly"
    assert result["questions"][0]["evidence"] == "李总说过；11月20日李总在项目启动会上宣布300万预算已经批下来。"


def test_opportunity_check_no_go_when_there_is_no_budget(client, headers):
    script = [
        ask("account", "苏州某电子厂 MES"),
        ask("is_real", "no"),
        ask("is_real_evidence", "客户采购经理明确说今年没有预算，只是先了解一下。"),
        ask("can_solve", "yes"),
        ask("can_solve_evidence", "同类电子厂已经上线我们的 MES，效果客户也认可。"),
        ask("can_win", "unknown"),
        ask("can_win_plan", ""),  # optional: nothing planned yet
        ask("worth_it", "no"),
        ask("worth_it_evidence", "合同额不到十万，实施要投入两个顾问三个月。"),
    ]
    result = run_flow(client, headers, "opportunity_check", script)["result"]
    assert result["verdict"] == "no_go"
    assert {reason["cites"][0] for reason in result["reasons"]} == {
        "dragon.opportunity.is_real",
        "dragon.opportunity.worth_it",
    }


@pytest.mark.parametrize("flow_id", FLOW_IDS)
def test_every_note_validates_against_its_result_schema(client, headers, session, flow_id):
    scripts = {
        "spin_call_plan": SPIN_SCRIPT,
        "dragon_diagnosis": DRAGON_SCRIPT,
        "stakeholder_map": STAKEHOLDER_SCRIPT,
        "fivek_intensity": FIVEK_AT_M50,
        "opportunity_check": OPPORTUNITY_SCRIPT,
    }
    reply = run_flow(client, headers, flow_id, scripts[flow_id])
    note = session.get(CoachingNote, reply["note_id"])
    typed = RESULT_MODELS[flow_id].model_validate(note.data["result"])
    assert sorted(c.id for c in typed.citations) == sorted(note.data["cited_ids"])
    assert note.data["cited_ids"], "every note cites the playbook"


# ---------------------------------------------------------------------------
# Reading, going back, pausing


def test_run_detail_shows_step_answers_and_chat(client, headers):
    run_id, _ = start(client, headers, "opportunity_check")
    client.post(f"/api/flow-runs/{run_id}/answers", json={"answer": "华东精工 ERP 升级"}, headers=headers)
    client.post(f"/api/flow-runs/{run_id}/answers", json={"answer": "yes"}, headers=headers)
    detail = client.get(f"/api/flow-runs/{run_id}", headers=headers).json()
    assert detail["status"] == "active" and detail["step"]["id"] == "is_real_evidence"
    assert detail["answers"] == {"account": "华东精工 ERP 升级", "is_real": "yes"}
    chat = [(entry["speaker"], entry["text"]) for entry in detail["transcript"]]
    assert chat[1] == ("rep", "华东精工 ERP 升级")
    assert chat[3] == ("rep", "是")  # the option's label, not its id
    assert chat[-1][0] == "coach" and chat[-1][1] == detail["step"]["prompt"]
    assert detail["result"] is None


def test_back_returns_to_the_previous_question_and_clears_it(client, headers):
    run_id, _ = start(client, headers, "opportunity_check")
    client.post(f"/api/flow-runs/{run_id}/answers", json={"answer": "华东精工"}, headers=headers)
    client.post(f"/api/flow-runs/{run_id}/answers", json={"answer": "unknown"}, headers=headers)
    response = client.post(f"/api/flow-runs/{run_id}/back", headers=headers)
    assert response.status_code == 200 and response.json()["step"]["id"] == "is_real"
    detail = client.get(f"/api/flow-runs/{run_id}", headers=headers).json()
    assert detail["answers"] == {"account": "华东精工"}
    assert [entry["step_id"] for entry in detail["transcript"]] == ["account", "account", "is_real"]
    client.post(f"/api/flow-runs/{run_id}/back", headers=headers)
    first = client.post(f"/api/flow-runs/{run_id}/back", headers=headers)
    assert first.status_code == 422 and first.json()["detail"] == "已经是第一个问题，无法后退。"


def test_pause_and_resume(client, headers):
    run_id, _ = start(client, headers, "fivek_intensity")
    client.post(f"/api/flow-runs/{run_id}/answers", json={"answer": "华东精工"}, headers=headers)
    assert client.post(f"/api/flow-runs/{run_id}/pause", headers=headers).json() == {"status": "paused"}
    assert client.get(f"/api/flow-runs/{run_id}", headers=headers).json()["status"] == "paused"
    blocked = client.post(f"/api/flow-runs/{run_id}/answers", json={"answer": "100万"}, headers=headers)
    assert blocked.status_code == 409 and "resume" in blocked.json()["detail"]
    assert client.post(f"/api/flow-runs/{run_id}/pause", headers=headers).status_code == 409

    resumed = client.post(f"/api/flow-runs/{run_id}/resume", headers=headers)
    assert resumed.status_code == 200
    assert resumed.json()["status"] == "active" and resumed.json()["step"]["id"] == "amount"
    assert client.post(f"/api/flow-runs/{run_id}/resume", headers=headers).status_code == 409
    answered = client.post(f"/api/flow-runs/{run_id}/answers", json={"answer": "100万"}, headers=headers)
    assert answered.status_code == 200 and answered.json()["step"]["id"] == "power_level"
    assert client.get(f"/api/flow-runs/{run_id}", headers=headers).json()["answers"]["amount"] == 1_000_000


def test_a_finished_run_takes_no_more_answers(client, headers):
    reply = run_flow(client, headers, "fivek_intensity", FIVEK_AT_M10)
    run_id = reply["run_id"]
    for action in ("answers", "pause", "back"):
        response = client.post(f"/api/flow-runs/{run_id}/{action}", json={"answer": "x"}, headers=headers)
        assert response.status_code == 409, action
    detail = client.get(f"/api/flow-runs/{run_id}", headers=headers).json()
    assert detail["status"] == "done" and detail["step"] is None and detail["result"]["total"] == 29


def test_own_runs_listed_and_filtered_by_status(client, headers, session):
    active, _ = start(client, headers, "spin_call_plan")
    paused, _ = start(client, headers, "dragon_diagnosis")
    client.post(f"/api/flow-runs/{paused}/pause", headers=headers)
    done = run_flow(client, headers, "fivek_intensity", FIVEK_AT_M10)["run_id"]
    someone_else = make_user(session, Role.rep, team="A组")
    start(client, auth_headers(client, someone_else), "spin_call_plan")

    every = client.get("/api/flow-runs", headers=headers).json()
    assert sorted(run["id"] for run in every) == sorted([active, paused, done])
    for status, run_id in (("active", active), ("paused", paused), ("done", done)):
        assert [run["id"] for run in client.get(f"/api/flow-runs?status={status}", headers=headers).json()] == [run_id]
    assert client.get("/api/flow-runs?status=finished", headers=headers).status_code == 422
    assert len(client.get("/api/flow-runs?limit=2", headers=headers).json()) == 2
    assert client.get("/api/flow-runs?limit=101", headers=headers).status_code == 422
    only_dragon = client.get("/api/flow-runs?flow_id=dragon_diagnosis", headers=headers).json()
    assert [run["id"] for run in only_dragon] == [paused]


def test_a_run_starts_only_on_your_own_opportunity(client, headers, session):
    colleague = make_user(session, Role.rep, team="A组")
    theirs = client.post("/api/opportunities", json={"account": "别人的客户"}, headers=auth_headers(client, colleague))
    response = client.post(
        "/api/flows/fivek_intensity/runs", json={"opportunity_id": theirs.json()["id"]}, headers=headers
    )
    assert response.status_code == 404
    assert (
        client.post("/api/flows/fivek_intensity/runs", json={"opportunity_id": 99999}, headers=headers).status_code
        == 404
    )
    assert session.exec(select(FlowRun)).all() == []


# ---------------------------------------------------------------------------
# Bad answers: 422 with the engine's message in the run's language


SPIN_UP_TO_SITUATION_QUESTIONS = [
    "华东精工",
    "manufacturing_erp",
    "yes",
    "三个工厂共1200人，K3用了八年，没有和MES打通。",
]


@pytest.mark.parametrize(
    "flow_id, before, bad, message",
    [
        ("fivek_intensity", [], "", "这个问题必须回答。"),
        ("fivek_intensity", [], "华", "回答太短，至少写 2 个字。"),
        ("fivek_intensity", ["华东精工"], "很多", "请填写一个数字（例如 120 或 120万）。"),
        ("fivek_intensity", ["华东精工"], -5, "数字不能小于 0。"),
        ("fivek_intensity", ["华东精工", "85万"], "fivek.power.l9", "「fivek.power.l9」不是可选项。"),
        ("fivek_intensity", ["华东精工", "85万"], True, "请选择一个选项。"),
        ("spin_call_plan", SPIN_UP_TO_SITUATION_QUESTIONS, ["目前的排产方式？"] * 9, "最多 8 项。"),
    ],
)
def test_invalid_answers_are_422_with_a_clear_message(client, headers, flow_id, before, bad, message):
    run_id, _ = start(client, headers, flow_id)
    for value in before:
        assert (
            client.post(f"/api/flow-runs/{run_id}/answers", json={"answer": value}, headers=headers).status_code == 200
        )
    asked = client.get(f"/api/flow-runs/{run_id}", headers=headers).json()
    response = client.post(f"/api/flow-runs/{run_id}/answers", json={"answer": bad}, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(message)
    after = client.get(f"/api/flow-runs/{run_id}", headers=headers).json()
    assert after["step"] == asked["step"] and after["answers"] == asked["answers"], "a rejected answer changes nothing"


def test_messages_follow_the_run_language(client, headers):
    run_id, step = start(client, headers, "fivek_intensity", lang="en")
    assert step["prompt"] == "Which account and opportunity?"
    response = client.post(f"/api/flow-runs/{run_id}/answers", json={"answer": ""}, headers=headers)
    assert response.status_code == 422 and response.json()["detail"] == "This question needs an answer."


@pytest.mark.parametrize("bad", ["长" * 2001, ["一项"] * 51, {"text": "华东精工"}, ["好", {"x": 1}]])
def test_answer_size_and_shape_limits(client, headers, bad):
    run_id, _ = start(client, headers, "spin_call_plan")
    response = client.post(f"/api/flow-runs/{run_id}/answers", json={"answer": bad}, headers=headers)
    assert response.status_code == 422
    assert client.get(f"/api/flow-runs/{run_id}", headers=headers).json()["answers"] == {}


def test_answer_of_exactly_the_limit_is_accepted(client, headers):
    run_id, _ = start(client, headers, "spin_call_plan")
    response = client.post(f"/api/flow-runs/{run_id}/answers", json={"answer": "长" * 2000}, headers=headers)
    assert response.status_code == 200 and response.json()["step"]["id"] == "industry"
