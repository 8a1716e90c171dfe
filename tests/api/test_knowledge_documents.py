"""A team's own documents in Ask: upload (MD, TXT, PDF, DOCX), list, delete, re-index, team scoping, citations."""

from __future__ import annotations

import io

import docx
import pytest
from sqlalchemy import create_engine

from app.knowledge.documents import MAX_UPLOAD_BYTES
from tests.utils.documents import blank_pdf, two_teams
from tests.utils.factories import auth_headers

PRODUCT_MD = """# 星河 CRM 产品手册

## 星河 CRM 的报价策略
星河 CRM 标准版按坐席收费；三年合同可以赠送一次上门培训。
竞品对比时强调我们的离线同步功能：销售在没有网络的工地上也能录入拜访记录。

## 实施周期
标准实施周期为六周，含数据迁移和两次培训。
"""


def upload(client, headers, name: str, data: bytes, **form) -> object:
    return client.post("/api/knowledge/documents", files={"file": (name, data)}, data=form, headers=headers)


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_heading("星河 CRM 的离线同步", level=1)
    document.add_paragraph("离线同步让销售在工地没有信号时也能录入拜访记录，回到有网络的地方自动上传。")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "同步间隔"
    table.rows[0].cells[1].text = "五分钟"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def people(session):
    return two_teams(session)


@pytest.fixture
def heads(client, people):
    return {name: auth_headers(client, user) for name, user in people.items()}


def test_upload_markdown_then_ask_cites_the_team_document(client, heads):
    response = upload(client, heads["manager"], "product.md", PRODUCT_MD.encode())
    assert response.status_code == 201, response.text
    created = response.json()
    assert set(created) == {"id", "chunks"} and created["chunks"] == 2

    body = client.post("/api/ask", json={"question": "星河 CRM 的离线同步功能有什么用？"}, headers=heads["rep"]).json()
    assert body["covered"] is True
    team_citations = [c for c in body["citations"] if c["source_kind"] == "team"]
    assert team_citations and team_citations[0]["origin"] == "team"
    assert team_citations[0]["source_title"] == "product"
    assert "离线同步" in body["answer"]

    passage_id = team_citations[0]["id"]
    assert client.get(f"/api/knowledge/{passage_id}", headers=heads["rep"]).status_code == 200
    # Another team neither finds it in answers nor opens it.
    other = client.post(
        "/api/ask", json={"question": "星河 CRM 的离线同步功能有什么用？"}, headers=heads["other_rep"]
    ).json()
    assert all(c["source_kind"] == "playbook" for c in other["citations"] + other["might_help"])
    assert client.get(f"/api/knowledge/{passage_id}", headers=heads["other_rep"]).status_code == 404


def test_playbook_and_team_passages_are_cited_together(client, heads):
    notes = "## 我们的价格说明工具\n三年总成本表：列出采购、实施、培训和维护三年的费用，和竞品逐项对比。\n"
    assert upload(client, heads["manager"], "objections.md", notes.encode()).status_code == 201
    body = client.post("/api/ask", json={"question": "客户说太贵了怎么办"}, headers=heads["rep"]).json()
    assert body["covered"] and body["citations"][0]["source_kind"] == "playbook"
    team = client.post("/api/ask", json={"question": "三年总成本表列出哪些费用？"}, headers=heads["rep"]).json()
    assert [c["source_kind"] for c in team["citations"]][:1] == ["team"]


def test_docx_and_txt_are_extracted(client, heads):
    created = upload(client, heads["manager"], "sync.docx", docx_bytes()).json()
    assert created["chunks"] >= 1
    gbk = "星河 CRM 的回款政策：合同签订后三十天内付款。".encode("gb18030")
    assert upload(client, heads["manager"], "money.txt", gbk).status_code == 201
    listed = client.get("/api/knowledge/documents", headers=heads["rep"]).json()
    assert {d["kind"] for d in listed} == {"docx", "txt"}
    body = client.post("/api/ask", json={"question": "同步间隔是多少"}, headers=heads["rep"]).json()
    assert "五分钟" in body["answer"]


def test_scanned_pdf_and_bad_files_get_clear_errors(client, heads):
    scanned = upload(client, heads["manager"], "scan.pdf", blank_pdf())
    assert scanned.status_code == 422 and scanned.json()["code"] == "scanned_pdf"
    assert "OCR" in scanned.json()["detail"]
    wrong = upload(client, heads["manager"], "deck.pptx", b"PK\x03\x04")
    assert wrong.status_code == 422 and wrong.json()["code"] == "unsupported_type"
    broken = upload(client, heads["manager"], "broken.pdf", b"%PDF-1.7 not really")
    assert broken.status_code == 422 and broken.json()["code"] == "unreadable"
    big = upload(client, heads["manager"], "big.txt", b"a" * (MAX_UPLOAD_BYTES + 1))
    assert big.status_code == 413
    assert client.get("/api/knowledge/documents", headers=heads["manager"]).json() == []  # nothing half-stored


def test_only_managers_of_the_team_upload_and_delete(client, heads):
    assert upload(client, heads["rep"], "a.md", b"# x\ntext").status_code == 403
    created = upload(client, heads["manager"], "a.md", PRODUCT_MD.encode()).json()
    assert client.delete(f"/api/knowledge/documents/{created['id']}", headers=heads["other_manager"]).status_code == 404
    assert client.delete(f"/api/knowledge/documents/{created['id']}", headers=heads["rep"]).status_code == 403
    assert client.get("/api/knowledge/documents", headers=heads["other_rep"]).json() == []
    assert client.delete(f"/api/knowledge/documents/{created['id']}", headers=heads["manager"]).status_code == 204
    assert client.get("/api/knowledge/documents", headers=heads["rep"]).json() == []
    body = client.post("/api/ask", json={"question": "星河 CRM 的离线同步功能有什么用？"}, headers=heads["rep"]).json()
    assert all(c["source_kind"] == "playbook" for c in body["citations"])


def test_reindex_rebuilds_the_chunks(client, heads):
    created = upload(client, heads["manager"], "product.md", PRODUCT_MD.encode()).json()
    again = client.post(f"/api/knowledge/documents/{created['id']}/reindex", headers=heads["manager"])
    assert again.status_code == 200 and again.json() == created
    assert (
        client.post(f"/api/knowledge/documents/{created['id']}/reindex", headers=heads["other_manager"]).status_code
        == 404
    )


def test_uploaded_html_is_stored_as_text_and_nul_is_dropped(client, heads):
    data = "## 说明\n<script>alert(1)</script> 星河 CRM 离线\x00同步。\n".encode()
    created = upload(client, heads["manager"], "x.md", data).json()
    passage = client.get(f"/api/knowledge/team-{created['id']}-0", headers=heads["rep"]).json()
    assert "\x00" not in passage["text"] and "<script>" in passage["text"]  # kept as text; pages escape it


def test_the_migration_adds_and_drops_the_document_tables(tmp_path, database_url):
    from alembic import command
    from sqlalchemy import inspect

    from app import migrate

    if not database_url.startswith("sqlite"):
        pytest.skip("downgrading would drop tables of the shared PostgreSQL test database")
    url = f"sqlite:///{tmp_path / 'docs.db'}"
    command.upgrade(migrate.alembic_config(url), "head")
    tables = lambda: set(inspect(create_engine(url)).get_table_names())  # noqa: E731
    assert {"knowledge_document", "knowledge_chunk"} <= tables()
    command.downgrade(migrate.alembic_config(url), "eba07e34c772")
    assert not {"knowledge_document", "knowledge_chunk"} & tables()
