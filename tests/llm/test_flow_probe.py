"""Follow-up probes for thin flow answers: scripted offline, written by the model when one is configured,
and back to the script whenever the model fails or writes something unusable (loopback model server)."""

import pytest

from app.flows.definitions import get_flow
from app.flows.llm_probe import MAX_PROBE_CHARS
from app.models import Role
from tests.utils.factories import auth_headers, make_user
from tests.utils.fake_llm import Action
from tests.utils.flows import LLM_PROBE, SCRIPTED, THIN_ANSWER, thin_answer_reply


def test_offline_probe_is_the_scripted_one(client, session):
    reply, run_id, headers = thin_answer_reply(client, session)
    assert reply["step"]["id"] == "situation_known" and reply["step"]["probe"] is True
    assert reply["step"]["prompt"] == SCRIPTED.text_zh
    chat = client.get(f"/api/flow-runs/{run_id}", headers=headers).json()["transcript"]
    assert [(e["speaker"], e["probe"]) for e in chat[-2:]] == [("rep", False), ("coach", True)]
    assert chat[-2]["text"] == THIN_ANSWER


def test_the_model_writes_the_probe_from_the_step_and_the_answer(llm_client, session, fake_llm):
    fake_llm.queue(f"“{LLM_PROBE}”")  # wrapping quotes are trimmed
    reply, run_id, headers = thin_answer_reply(llm_client, session)
    assert reply["step"]["probe"] is True and reply["step"]["prompt"] == LLM_PROBE
    assert len(fake_llm.requests) == 1, "only the thin answer calls the model"
    system, rep = fake_llm.requests[0]["messages"]
    assert system["role"] == "system" and rep["role"] == "user"
    step_prompt = get_flow("spin_call_plan").step_index()["situation_known"].prompt_zh
    assert step_prompt in system["content"] and SCRIPTED.text_zh in system["content"]  # bounded by the step's purpose
    assert rep["content"] == THIN_ANSWER and THIN_ANSWER not in system["content"]

    # The rep's reply to the probe is added to the first answer and the flow moves on.
    more = "三个工厂共1200人，K3用了八年，去年上了MES但没和ERP打通。"
    step = llm_client.post(f"/api/flow-runs/{run_id}/answers", json={"answer": more}, headers=headers).json()["step"]
    assert step["id"] == "situation_questions" and step["probe"] is False
    detail = llm_client.get(f"/api/flow-runs/{run_id}", headers=headers).json()
    assert detail["answers"]["situation_known"] == f"{THIN_ANSWER}；{more}"
    assert [e["text"] for e in detail["transcript"] if e["probe"]] == [LLM_PROBE]


@pytest.mark.parametrize(
    "actions",
    [
        [Action(fault="500")] * 3,  # the first call and both retries fail
        [Action(fault="429")] * 3,
        [Action(text="")],
        [Action(text="   ")],
        [Action(text="请再具体说说" * 30)],  # far longer than one question
        [Action(text="Could you be more specific about their current systems?")],  # not in the run's language
    ],
    ids=["500", "429", "empty", "blank", "overlong", "wrong-language"],
)
def test_model_failure_or_unusable_probe_falls_back_to_the_script(llm_client, session, fake_llm, actions):
    fake_llm.queue(*actions)
    reply, _, _ = thin_answer_reply(llm_client, session)
    assert reply["step"]["probe"] is True and reply["step"]["prompt"] == SCRIPTED.text_zh
    assert len(fake_llm.requests) == len(actions)


def test_overlong_limit_is_the_documented_one(llm_client, session, fake_llm):
    fake_llm.queue("问" * MAX_PROBE_CHARS)
    reply, _, _ = thin_answer_reply(llm_client, session)
    assert reply["step"]["prompt"] == "问" * MAX_PROBE_CHARS


def test_english_run_gets_an_english_prompt(llm_client, session, fake_llm):
    headers = auth_headers(llm_client, make_user(session, Role.rep))
    run_id = llm_client.post("/api/flows/opportunity_check/runs", json={"lang": "en"}, headers=headers).json()["run_id"]
    for value in ("Acme Auto Parts ERP", "yes"):
        llm_client.post(f"/api/flow-runs/{run_id}/answers", json={"answer": value}, headers=headers)
    fake_llm.queue("Who told you that, and when?")
    step = llm_client.post(f"/api/flow-runs/{run_id}/answers", json={"answer": "boss said"}, headers=headers).json()[
        "step"
    ]
    assert step == step | {"id": "is_real_evidence", "probe": True, "prompt": "Who told you that, and when?"}
    system = fake_llm.requests[0]["messages"][0]["content"]
    assert system.startswith("You are a B2B sales coach") and "Opportunity check" in system
