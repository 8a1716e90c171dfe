# ruff: noqa: F811 - `people` is the shared fixture imported from the team documents API tests
"""The scenario editor draws on the team's documents: a picker lists the manager's team documents, a document's
key sentences (offline extraction) come back to copy into the form, and a draft can start from a document; other
teams' documents answer 404 and reps 403."""

from __future__ import annotations

import re

import pytest

from app.knowledge.key_sentences import key_sentences, sentences
from app.models import Role
from tests.utils.documents import WMS_PRODUCT_MD as PRODUCT_MD
from tests.utils.documents import two_teams
from tests.utils.factories import auth_headers, make_user, web_login


@pytest.fixture
def people(session):
    return two_teams(session)


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def upload(client, user) -> int:
    response = client.post(
        "/api/knowledge/documents",
        files={"file": ("wms.md", PRODUCT_MD.encode())},
        headers=auth_headers(client, user),
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_key_sentences_are_the_specific_facts_in_document_order():
    facts = key_sentences(PRODUCT_MD, limit=4)
    assert facts == [  # the pleasantry (我们很高兴为您服务) is the least specific sentence and is left out
        "云仓 WMS 是我们的仓储管理系统。",
        "波次拣货把拣货路径缩短约 30%。",
        "支持 RFID 和 PDA 扫码，盘点误差低于 0.5%。",
        "与主流 ERP 对接，标准实施周期六周。",
    ]
    assert "我们很高兴为您服务。" in sentences(PRODUCT_MD)
    assert all("#" not in line and "欢迎" not in line for line in sentences(PRODUCT_MD))  # headings, fragments


def test_the_editor_picker_lists_team_documents_and_returns_key_sentences(client, people):
    document_id = upload(client, people["manager"])
    web_login(client, people["manager"].username)
    editor = client.get("/scenarios/new").text
    assert 'id="team-documents"' in editor and "/static/scenario_docs.js" in editor
    picker = client.get("/scenarios/team-documents")
    assert picker.status_code == 200 and f'value="{document_id}"' in picker.text
    assert 'id="draft-from-document"' not in picker.text  # drafting a whole scenario needs a model
    facts = client.get("/scenarios/document-facts", params={"document_id": document_id})
    assert facts.status_code == 200
    assert "波次拣货把拣货路径缩短约 30%。" in facts.text and 'id="insert-document-facts"' in facts.text


def test_other_teams_documents_are_not_found_and_reps_may_not_pick(client, people):
    document_id = upload(client, people["manager"])
    web_login(client, people["other_manager"].username)
    assert client.get("/scenarios/document-facts", params={"document_id": document_id}).status_code == 404
    assert f'value="{document_id}"' not in client.get("/scenarios/team-documents").text
    token = _token(client.get("/scenarios/new").text)
    draft = client.post("/scenarios/draft-from-document", data={"document_id": document_id, "csrf_token": token})
    assert draft.status_code == 404
    client.cookies.clear()
    web_login(client, people["rep"].username)
    assert client.get("/scenarios/document-facts", params={"document_id": document_id}).status_code == 403


def test_offline_a_draft_from_a_document_fills_our_offering_with_its_key_sentences(client, people):
    document_id = upload(client, people["manager"])
    web_login(client, people["manager"].username)
    token = _token(client.get("/scenarios/new").text)
    page = client.post("/scenarios/draft-from-document", data={"document_id": document_id, "csrf_token": token})
    assert page.status_code == 200 and 'id="scenario-form"' in page.text
    offering = re.search(r'<textarea name="our_offering"[^>]*>([^<]*)</textarea>', page.text).group(1)
    assert "盘点误差低于 0.5%" in offering and "欢迎咨询" not in offering


def test_with_a_model_the_document_feeds_the_draft_from_material_path(llm_client, session, fake_llm):
    from tests.utils.fake_llm import Action
    from tests.utils.scenario_library import DRAFT

    manager = make_user(session, Role.manager, team="A组")
    document_id = upload(llm_client, manager)
    web_login(llm_client, manager.username)
    picker = llm_client.get("/scenarios/team-documents").text
    assert 'id="draft-from-document"' in picker  # offered only with a model
    token = _token(llm_client.get("/scenarios/new").text)
    fake_llm.actions.append(Action(json=DRAFT))
    page = llm_client.post("/scenarios/draft-from-document", data={"document_id": document_id, "csrf_token": token})
    assert page.status_code == 200 and DRAFT["title_zh"] in page.text
    assert "波次拣货" in fake_llm.requests[-1]["messages"][-1]["content"]  # the document is the material
