"""The team documents page: a manager uploads, sees, re-indexes and deletes; reps may not; uploads stay text."""

import re

from app.models import Role
from tests.utils.documents import blank_pdf
from tests.utils.factories import csrf_from, make_user, web_login


def open_page(client, session, role=Role.manager, team="A组"):
    web_login(client, make_user(session, role, team=team).username)
    return client.get("/knowledge/documents")


def test_manager_uploads_lists_reindexes_and_deletes(client, session):
    page = open_page(client, session)
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text
    text = "## 星河 CRM\n星河 CRM 支持离线同步。<script>alert(1)</script>\n".encode()
    response = client.post(
        "/knowledge/documents",
        data={"csrf_token": csrf_from(page.text), "title": "星河手册"},
        files={"file": ("xinghe.md", text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    listed = client.get("/knowledge/documents").text
    assert "星河手册" in listed and "已上传" in listed
    document_id = re.search(r'data-document-id="(\d+)"', listed).group(1)

    panel = client.get(f"/ask/passages/team-{document_id}-0", headers={"HX-Request": "true"}).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in panel and "<script>alert(1)" not in panel
    assert 'data-origin="team">团队资料<' in panel and "星河手册" in panel

    token = csrf_from(listed)
    assert (
        client.post(
            f"/knowledge/documents/{document_id}/reindex", data={"csrf_token": token}, follow_redirects=False
        ).status_code
        == 303
    )
    assert (
        client.post(
            f"/knowledge/documents/{document_id}/delete", data={"csrf_token": token}, follow_redirects=False
        ).status_code
        == 303
    )
    assert "data-document-id" not in client.get("/knowledge/documents").text


def test_scanned_pdf_shows_a_readable_error(client, session):
    page = open_page(client, session)
    response = client.post(
        "/knowledge/documents", data={"csrf_token": csrf_from(page.text)}, files={"file": ("scan.pdf", blank_pdf())}
    )
    assert response.status_code == 422 and "OCR" in response.text and 'id="knowledge-error"' in response.text


def test_reps_may_not_manage_documents(client, session):
    assert open_page(client, session, Role.rep).status_code == 403


def test_another_teams_document_cannot_be_deleted(client, session):
    page = open_page(client, session)
    client.post(
        "/knowledge/documents", data={"csrf_token": csrf_from(page.text)}, files={"file": ("a.txt", "甲".encode())}
    )
    document_id = re.search(r'data-document-id="(\d+)"', client.get("/knowledge/documents").text).group(1)
    client.post("/logout", data={"csrf_token": csrf_from(page.text)})
    other = open_page(client, session, team="B组")
    response = client.post(
        f"/knowledge/documents/{document_id}/delete",
        data={"csrf_token": csrf_from(other.text)},
        headers={"accept": "text/html"},
    )
    assert response.status_code == 404
