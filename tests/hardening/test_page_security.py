"""Pages: model and user text is escaped wherever it is shown; every response has the security headers and CSP."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.middleware import SECURITY_HEADERS
from app.models import Role
from app.web import ask_pages, drill_pages, flow_pages, notes_pages, pages, pipeline_pages, roleplay_pages, team_pages
from tests.utils.factories import auth_headers, make_user, web_login
from tests.utils.fake_llm import Action, llm_mode

BUYER_SCRIPT = "<script>alert('buyer')</script><img src=x onerror=alert(2)>嗯，您说的系统问题我们确实有。"
REP_SCRIPT = "<script>alert('rep')</script>目前贵公司在现有系统方面是怎么安排的？"
ANSWER_SCRIPT = "<script>alert('ask')</script>SPIN 是四类提问。"
PAGE_MODULES = (pages, roleplay_pages, notes_pages, ask_pages, flow_pages, pipeline_pages, drill_pages, team_pages)


def assert_escaped(html: str, payload: str, where: str) -> None:
    raw = payload.split(">")[0] + ">"  # e.g. <script>
    assert raw + "alert" not in html, f"{where}: {raw!r} reached the page unescaped"
    assert "&lt;script&gt;alert(" in html, f"{where}: the text is not on the page at all (the test proves nothing)"


def page_scripts_are_files(html: str) -> list[str]:
    """Inline scripts would need 'unsafe-inline' in the CSP: every <script> must load a file from /static."""
    return [tag for tag in re.findall(r"<script\b[^>]*>", html) if not re.search(r'\bsrc="/static/', tag)]


@pytest.fixture
def llm_world(make_settings, engine, session, fake_llm):
    settings = make_settings(**llm_mode(fake_llm))
    app = create_app(settings, engine)
    rep = make_user(session, Role.rep, team="A组")
    manager = make_user(session, Role.manager, team="A组")
    with TestClient(app) as rep_client, TestClient(app) as manager_client:
        web_login(rep_client, rep.username)
        web_login(manager_client, manager.username)
        yield {
            "rep": rep,
            "rep_client": rep_client,
            "manager_client": manager_client,
            "api": auth_headers(rep_client, rep),
        }


def test_model_and_rep_text_is_escaped_on_every_page_that_shows_it(llm_world, fake_llm):
    client, api = llm_world["rep_client"], llm_world["api"]
    fake_llm.queue(BUYER_SCRIPT, Action(json={"label": "S", "confidence": 0.8}))
    roleplay_id = client.post("/api/roleplays", json={"scenario_id": "mfg_vitamin_erp"}, headers=api).json()["id"]
    turn = client.post(f"/api/roleplays/{roleplay_id}/turns", json={"text": REP_SCRIPT}, headers=api).json()
    assert turn["reply"] == BUYER_SCRIPT, "the model's reply is stored as it came (escaping is the page's job)"

    chat = client.get(f"/roleplay/{roleplay_id}").text
    assert_escaped(chat, BUYER_SCRIPT, "role-play chat (buyer)")
    assert "&lt;script&gt;alert(&#39;rep&#39;)" in chat, "the rep's own text is escaped too"
    manager_view = llm_world["manager_client"].get(f"/roleplay/{roleplay_id}").text
    assert_escaped(manager_view, BUYER_SCRIPT, "role-play transcript (manager)")


def test_a_model_answer_on_the_ask_page_is_escaped(llm_world, fake_llm):
    def grounded_script(body: dict) -> Action:
        cited = re.findall(r'<passage id="([^"]+)"', body["messages"][0]["content"])
        return Action(json={"answer": ANSWER_SCRIPT, "cited_ids": cited[:1], "covered": True})

    fake_llm.responder = grounded_script
    client = llm_world["rep_client"]
    page = client.get("/ask").text
    token = re.search(r'"X-CSRF-Token": "([^"]+)"', page).group(1)
    answer = client.post("/ask", data={"question": "什么是SPIN？", "csrf_token": token})
    assert answer.status_code == 200, answer.text[:300]
    assert_escaped(answer.text, ANSWER_SCRIPT, "ask page (no-script answer)")


def test_user_names_are_escaped_in_team_charts(client, session):
    hostile = make_user(session, Role.rep, team="A组")
    hostile.display_name = "<script>alert('name')</script>"
    session.add(hostile)
    session.commit()
    rep_headers = auth_headers(client, hostile)
    started = client.post("/api/roleplays", json={"scenario_id": "mfg_vitamin_erp"}, headers=rep_headers)
    roleplay_id = started.json()["id"]
    client.post(f"/api/roleplays/{roleplay_id}/turns", json={"text": REP_SCRIPT}, headers=rep_headers)
    client.post(f"/api/roleplays/{roleplay_id}/finish", headers=rep_headers)
    manager = make_user(session, Role.manager, team="A组")
    web_login(client, manager.username)
    shown = 0
    for url in ("/team", f"/team/reps/{hostile.id}"):
        html = client.get(url).text
        assert "<script>alert('name')" not in html, f"{url}: a display name reached the page unescaped"
        shown += html.count("&lt;script&gt;alert(")
    assert shown, "the display name is shown (escaped) somewhere, or this test proves nothing"


def page_urls(ids: dict[str, str]) -> list[str]:
    """Every GET page, path parameters filled from `ids` (unknown ones with 1: a 404 page needs headers too)."""
    urls = []
    for module in PAGE_MODULES:
        for route in module.router.routes:
            if "GET" in route.methods:
                urls.append(re.sub(r"\{(\w+)\}", lambda match: ids.get(match.group(1), "1"), route.path))
    return urls


def test_every_page_and_response_has_the_security_headers(llm_world, fake_llm):
    client, api = llm_world["rep_client"], llm_world["api"]
    roleplay_id = client.post("/api/roleplays", json={"scenario_id": "mfg_vitamin_erp"}, headers=api).json()["id"]
    client.post(f"/api/roleplays/{roleplay_id}/turns", json={"text": REP_SCRIPT}, headers=api)
    note_id = client.post(f"/api/roleplays/{roleplay_id}/finish", headers=api).json()["note_id"]
    run_id = client.post("/api/flows/opportunity_check/runs", json={}, headers=api).json()["run_id"]
    ids = {
        "roleplay_id": str(roleplay_id),
        "note_id": str(note_id),
        "run_id": str(run_id),
        "code": "en",
        "user_id": str(llm_world["rep"].id),
        "chunk_id": "spin-overview",
        "fmt": "md",
        "ask_id": "none",
    }
    urls = page_urls(ids) + ["/no-such-page", "/static/app.js", "/api/health", "/api/me", "/login"]
    missing, inline = {}, {}
    for who in ("rep_client", "manager_client"):
        for url in urls:
            response = llm_world[who].get(url, follow_redirects=False, headers={"Accept": "text/html"})
            absent = [name for name, value in SECURITY_HEADERS.items() if response.headers.get(name) != value]
            if absent:
                missing[f"{who} {url} ({response.status_code})"] = absent
            if "text/html" in response.headers.get("content-type", ""):
                if scripts := page_scripts_are_files(response.text):
                    inline[url] = scripts
    assert len(urls) > 25, urls
    assert not missing, f"responses without security headers: {missing}"
    assert not inline, f"inline scripts (the CSP blocks them): {inline}"
    assert "script-src 'self'" in SECURITY_HEADERS["content-security-policy"]
    assert "unsafe-inline" not in SECURITY_HEADERS["content-security-policy"].split("script-src")[1].split(";")[0]
