"""LLM mode: the buyer's prompt lists the team's product facts (sentences of its documents) the rep has stated, so
the model may react to them; the deterministic state still decides the turn, and other teams' documents never
reach the prompt."""

from __future__ import annotations

from app.knowledge.key_sentences import stated_facts
from app.models import Role
from tests.utils.documents import WMS_PRODUCT_MD as PRODUCT_MD
from tests.utils.factories import auth_headers, make_user
from tests.utils.roleplays import VITAMIN_SCENARIO as SCENARIO
from tests.utils.roleplays import WORDED, start

OTHER_TEAM_MD = "## 冷链\n冷链监控每十秒上报一次温度，断电后电池续航四十八小时。\n"
STATING = "我们的系统支持 RFID 和 PDA 扫码，盘点误差能控制在 0.5% 以内，冷链温度也能每十秒上报。"


def system_prompt(fake_llm) -> str:
    return fake_llm.requests[-1]["messages"][0]["content"]


def say(client, headers, text: str) -> dict:
    roleplay_id = start(client, headers, SCENARIO.id)["id"]
    accepted = client.post(f"/api/roleplays/{roleplay_id}/messages", json={"text": text}, headers=headers)
    assert accepted.status_code == 202, accepted.text
    assert client.get(accepted.json()["stream_url"], headers=headers).status_code == 200
    return accepted.json()


def test_stated_facts_need_most_of_a_sentences_specific_words():
    assert stated_facts([STATING], [PRODUCT_MD]) == ["支持 RFID 和 PDA 扫码，盘点误差低于 0.5%。"]
    assert stated_facts(["您好，想了解一下贵公司的仓库现在怎么管理？"], [PRODUCT_MD]) == []


def test_the_buyer_prompt_lists_the_product_facts_the_rep_stated(llm_client, session, fake_llm):
    manager = make_user(session, Role.manager, team="A组")
    rep = make_user(session, Role.rep, team="A组")
    other = make_user(session, Role.manager, team="B组")
    for user, name, text in ((manager, "wms.md", PRODUCT_MD), (other, "cold.md", OTHER_TEAM_MD)):
        created = llm_client.post(
            "/api/knowledge/documents", files={"file": (name, text.encode())}, headers=auth_headers(llm_client, user)
        )
        assert created.status_code == 201
    headers = auth_headers(llm_client, rep)
    fake_llm.queue(WORDED)
    say(llm_client, headers, "您好，想了解一下贵公司的仓库现在怎么管理？")
    assert "对方介绍过的产品情况" not in system_prompt(fake_llm)  # nothing stated yet
    fake_llm.queue(WORDED)
    say(llm_client, headers, STATING)
    prompt = system_prompt(fake_llm)
    assert "对方介绍过的产品情况" in prompt and "盘点误差低于 0.5%" in prompt
    assert "四十八小时" not in prompt  # team B's document is not the rep's team's
