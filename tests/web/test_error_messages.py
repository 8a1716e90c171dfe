"""Errors in the user's language: 404/403/422 pages, the chat's error line and JSON `message` (detail unchanged)."""

import re
from pathlib import Path

import pytest

from app.i18n import messages
from app.models import Role
from app.web.errors import localized_message
from tests.utils.factories import auth_headers, csrf_from, make_user, web_login

HTML = {"accept": "text/html"}


@pytest.fixture
def rep(client, session):
    user = make_user(session, Role.rep, team="一组")
    web_login(client, user.username)
    return user


def test_missing_pages_say_so_in_chinese_and_english(client, rep):
    for path, expected in (
        ("/drills/99999", "找不到该训练任务"),
        ("/no/such/page", "找不到该页面或内容"),
        ("/notes/99999", "找不到该辅导记录"),
        ("/drills/abc", "格式不对"),
    ):
        page = client.get(path, headers=HTML)
        assert page.status_code in (404, 422), path
        assert expected in page.text, path
        assert "not found" not in page.text.lower() and "Not Found" not in page.text, path
    client.cookies.set("lang", "en")
    page = client.get("/drills/99999", headers=HTML)
    assert "This drill was not found" in page.text


def test_json_keeps_detail_and_adds_the_message(client, session, rep):
    headers = auth_headers(client, rep)
    response = client.get("/api/drills/99999", headers=headers)
    assert response.status_code == 404
    assert response.json()["detail"] == "drill not found"  # the API's wording is kept
    assert response.json()["message"] == "找不到该训练任务，或你无权查看。"
    response = client.get("/api/drills/abc", headers=headers)
    assert response.status_code == 422 and isinstance(response.json()["detail"], list)
    assert "格式不对" in response.json()["message"]


def test_chat_errors_are_translated(client, rep):
    picker = client.get("/roleplay")
    token = csrf_from(picker.text)
    scenario = re.search(r'data-scenario="([^"]+)"', picker.text).group(1)
    started = client.post("/roleplay/start", data={"scenario_id": scenario, "csrf_token": token})
    chat_url = str(started.url)
    blank = client.post(
        chat_url + "/messages", data={"text": "   "}, headers={"X-CSRF-Token": token, "HX-Request": "true"}
    )
    assert blank.status_code == 422 and blank.headers["HX-Retarget"] == "#chat-error" and "请输入" in blank.text
    client.post(chat_url + "/finish", data={"csrf_token": token})
    late = client.post(
        chat_url + "/messages", data={"text": "还在吗？"}, headers={"X-CSRF-Token": token, "HX-Request": "true"}
    )
    assert late.status_code == 409
    assert "已经结束" in late.text and "finished" not in late.text


def test_every_not_found_object_has_a_name():
    """Each `not_found("x")` in the app names what was missing in both languages (no generic fallback)."""
    app_dir = Path(__file__).resolve().parents[2] / "app"
    names = {
        match
        for path in app_dir.rglob("*.py")
        for match in re.findall(r'not_found\("([a-z ]+)"\)', path.read_text(encoding="utf-8"))
    }
    assert names, "the pattern still finds the calls"
    missing = sorted(name for name in names if f"error.what.{name.replace(' ', '_')}" not in messages())
    assert missing == []


@pytest.mark.parametrize(
    ("status", "detail", "zh"),
    [
        (409, "message 12 is still waiting for the buyer's reply: wait for it", "还在等待"),
        (429, "rate limit exceeded (30/minute); try again in 3 s", "太频繁"),
        (403, "requires role: manager, admin", "没有权限"),
        (500, "Internal Server Error", "服务器出错"),
        (418, "I'm a teapot", "请求有误"),
        (422, "请输入 1 到 2000 个字的内容。", "请输入"),  # already a UI string: kept
    ],
)
def test_localized_message(status, detail, zh):
    assert zh in localized_message(status, detail, "zh")
    if detail.isascii():
        assert localized_message(status, detail, "en").isascii()
