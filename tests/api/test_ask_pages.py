"""The 问手册 page with its session cookie: form, no-script answer, streamed answer, passages, CSRF, English UI."""

from __future__ import annotations

import html

import pytest

from app.models import Role
from tests.utils.ask import SIX_STEPS, sse_events, streamed_answer
from tests.utils.factories import csrf_from, make_user, web_login


@pytest.fixture
def page(client, session):
    """The signed-in rep's /ask page (HTML)."""
    web_login(client, make_user(session, Role.rep).username)
    response = client.get("/ask")
    assert response.status_code == 200
    return response.text


def test_page_needs_login(client):
    response = client.get("/ask", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"


def test_page_shows_form_with_chinese_examples(page):
    assert "<h2>问手册</h2>" in page
    assert 'placeholder="例如：摧龙六式有哪六步？"' in page
    assert 'maxlength="1000"' in page and "/ask?q=" in page
    assert '<script src="/static/ask.js"' in page and "<script>" not in page  # CSP: no inline scripts


def test_example_link_prefills_the_question(client, page):
    assert 'value="暗示问题是用来干嘛的？"' in client.get("/ask", params={"q": "暗示问题是用来干嘛的？"}).text


def test_form_post_without_script_renders_the_answer_and_citations(client, page):
    response = client.post("/ask", data={"question": "摧龙六式有哪六步", "csrf_token": csrf_from(page)})
    assert response.status_code == 200
    text = html.unescape(response.text)
    assert all(step in text for step in SIX_STEPS)
    assert 'data-mode="offline"' in response.text and ">离线</span>" in response.text
    assert 'hx-get="/ask/passages/dragon-steps-overview"' in response.text


def test_form_post_needs_csrf(client, page):
    assert client.post("/ask", data={"question": "SPIN 是什么"}).status_code == 403
    assert client.post("/ask/asks", data={"question": "SPIN 是什么"}).status_code == 403


def test_too_long_question_gets_a_readable_422(client, page):
    response = client.post("/ask", data={"question": "问" * 1001, "csrf_token": csrf_from(page)})
    assert response.status_code == 422 and "最多 1000 个字" in response.text
    response = client.post("/ask/asks", data={"question": "  "}, headers={"X-CSRF-Token": csrf_from(page)})
    assert response.status_code == 422 and "最多 1000 个字" in response.json()["detail"]


def test_streamed_answer_through_the_session(client, page):
    started = client.post(
        "/ask/asks",
        data={"question": "What are the four SPIN question types?"},
        headers={"X-CSRF-Token": csrf_from(page)},
    )
    assert started.status_code == 200
    stream_url = started.json()["stream_url"]
    assert stream_url.startswith("/ask/asks/")
    events = sse_events(client.get(stream_url).text)
    assert "暗示问题" in streamed_answer(events)
    assert [name for name, _ in events][-2:] == ["citations", "done"]
    assert client.get(stream_url).status_code == 404  # used once


def test_stream_of_another_user_is_404(client, session, page):
    stream_url = client.post("/ask/asks", data={"question": "SPIN"}, headers={"X-CSRF-Token": csrf_from(page)}).json()[
        "stream_url"
    ]
    client.post("/logout", data={"csrf_token": csrf_from(page)})
    web_login(client, make_user(session, Role.manager).username)
    assert client.get(stream_url).status_code == 404


def test_citation_opens_the_passage_as_panel_and_page(client, page):
    panel = client.get("/ask/passages/spin-overview", headers={"HX-Request": "true"})
    assert panel.status_code == 200 and "<html" not in panel.text
    assert 'id="passage-title">SPIN 提问法 › SPIN 是什么<' in panel.text
    # The source's human title and its origin, never the seed's hash file name; the text is rendered Markdown.
    assert "《大客户销售：SPIN 与五维模型》" in panel.text and "004_090d296c08092e30.txt" not in panel.text
    assert 'data-origin="manual">手册原文<' in panel.text and "<li>" in panel.text
    general = client.get("/ask/passages/objections-price", headers={"HX-Request": "true"}).text
    assert 'data-origin="general">通用方法<' in general and "<strong>" in general
    full = client.get("/ask/passages/spin-overview")
    assert "<html" in full.text and "返回问手册" in full.text
    assert client.get("/ask/passages/no-such-passage", headers={"accept": "text/html"}).status_code == 404


def test_english_ui(client, page):
    client.get("/lang/en", headers={"referer": "http://testserver/ask"})
    english = client.get("/ask").text
    assert "<h2>Ask the playbook</h2>" in english and 'data-mode-offline="Offline"' in english
    assert "问手册</h2>" not in english


def test_answer_text_is_escaped(client, page):
    # The question is echoed into the form; markup in it must stay text.
    response = client.post("/ask", data={"question": "<script>alert(1)</script> SPIN", "csrf_token": csrf_from(page)})
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_not_covered_answer_offers_passages_that_might_help(client, page):
    response = client.post("/ask", data={"question": "客户的IT部门在闹矛盾怎么办", "csrf_token": csrf_from(page)})
    assert response.status_code == 200
    assert "没有涉及" in response.text and "可能有帮助" in response.text
    assert 'id="ask-might-help" hidden' not in response.text and 'id="ask-sources" hidden' in response.text


def test_declined_question_is_one_line_without_sources(client, page):
    response = client.post("/ask", data={"question": "回扣给几个点合适", "csrf_token": csrf_from(page)})
    assert "回扣" in response.text and "合规" in response.text
    assert 'id="ask-sources" hidden' in response.text


def test_examples_carry_their_question_for_the_script(client, page):
    assert 'class="ask-example" data-question="客户说再考虑考虑，怎么办？"' in page


def test_no_script_answer_shows_the_playbooks_bold_as_bold(client, page):
    """The playbook's passages mark key phrases **like this**: the answer shows them bold, not as raw asterisks."""
    response = client.post(
        "/ask", data={"question": "How do I ask an implication question?", "csrf_token": csrf_from(page)}
    )
    answer = response.text.split('id="ask-answer">', 1)[1].split("</div>", 1)[0]
    assert "<strong>Problem first, then consequences</strong>" in answer
    assert "**" not in answer
