"""Draft from material: the editor asks the model (JSON mode) for a draft scenario, validates it and shows it
in the form to edit; a failed or invalid answer falls back to the template."""

from __future__ import annotations

import re

from app.models import Role
from tests.utils.factories import make_user, web_login
from tests.utils.fake_llm import Action
from tests.utils.scenario_library import DRAFT


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_a_model_draft_fills_the_editor(llm_client, session, fake_llm):
    manager = make_user(session, Role.manager, team="A组")
    web_login(llm_client, manager.username)
    token = _token(llm_client.get("/scenarios").text)
    fake_llm.actions.append(Action(json=DRAFT))
    page = llm_client.post(
        "/scenarios/draft", data={"material": "我们给连锁药店做会员营销系统，客户是营运总监。", "csrf_token": token}
    )
    assert page.status_code == 200, page.text[:300]
    assert "连锁药店会员系统" in page.text and "林峰" in page.text and 'id="scenario-form"' in page.text
    request = fake_llm.requests[-1]
    assert request["response_format"]["type"] == "json_object"
    assert "JSON" in request["messages"][0]["content"] and "max_tokens" in request or "max_completion_tokens" in request


def test_an_invalid_draft_falls_back_to_the_template(llm_client, session, fake_llm):
    manager = make_user(session, Role.manager, team="A组")
    web_login(llm_client, manager.username)
    token = _token(llm_client.get("/scenarios").text)
    fake_llm.actions.append(Action(json={"title_zh": "缺了几乎所有字段"}))
    page = llm_client.post("/scenarios/draft", data={"material": "随便一段足够长的资料文字。", "csrf_token": token})
    assert page.status_code == 422 and 'id="scenario-form"' in page.text
