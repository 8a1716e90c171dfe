"""People pages through the session cookie: who may open them, adding and importing users, one-time passwords,
deactivation, teams, and everyone's password page."""

import re

import pytest
from sqlmodel import select

from app.models import Role, TeamManager, User
from tests.utils.factories import csrf_from, make_user, north_and_south, web_login


@pytest.fixture
def people(session):
    return north_and_south(session) | {"admin": make_user(session, Role.admin, username="boss")}


def signed_in(client, user) -> str:
    web_login(client, user.username)
    return csrf_from(client.get("/").text)


@pytest.mark.parametrize(
    "who, path, code",
    [
        ("rep", "/admin/users", 403),
        ("rep", "/admin/teams", 403),
        ("manager", "/admin/teams", 403),
        ("manager", "/admin/users", 200),
        ("admin", "/admin/teams", 200),
        ("rep", "/account/password", 200),
    ],
)
def test_page_access(client, people, who, path, code):
    signed_in(client, people[who])
    response = client.get(path)
    assert response.status_code == code
    if code == 403:
        assert "只有" in response.text  # the reason, in Chinese


def test_unknown_pages_say_not_found_in_the_readers_language(client, people):
    signed_in(client, people["rep"])
    html = {"accept": "text/html"}
    assert "找不到该页面或内容" in client.get("/no-such-page", headers=html).text
    assert "Not Found" not in client.get("/drills/999999", headers=html).text
    client.get("/lang/en", headers={"referer": "http://testserver/"})
    assert "This page or item was not found" in client.get("/no-such-page", headers=html).text


def test_a_manager_adds_a_rep_who_must_change_the_one_time_password(client, session, people):
    token = signed_in(client, people["manager"])
    listed = re.findall(r'data-username="([^"]+)"', client.get("/admin/users").text)
    assert listed == ["rep_north"]
    team_id = people["rep"].team_id
    created = client.post(
        "/admin/users",
        data={
            "username": "new_north",
            "display_name": "新人",
            "role": "rep",
            "team_id": str(team_id),
            "csrf_token": token,
        },
    )
    assert created.status_code == 201
    otp = re.search(r'<code class="otp">([^<]+)</code>', created.text).group(1)
    refused = client.post(
        "/admin/users", data={"username": "boss2", "role": "manager", "team_id": str(team_id), "csrf_token": token}
    )
    assert refused.status_code == 403 and "经理只能添加销售代表" in refused.text

    client.cookies.clear()
    web_login(client, "new_north", otp)
    assert client.get("/", follow_redirects=False).headers["location"] == "/account/password"
    page = client.get("/account/password")
    assert "一次性密码" in page.text
    token = csrf_from(page.text)
    mismatch = client.post(
        "/account/password",
        data={
            "current_password": otp,
            "new_password": "my-own-pass-1",
            "confirm_password": "my-own-pass-2",
            "csrf_token": token,
        },
    )
    assert mismatch.status_code == 422 and "不一致" in mismatch.text
    done = client.post(
        "/account/password",
        data={
            "current_password": otp,
            "new_password": "my-own-pass-1",
            "confirm_password": "my-own-pass-1",
            "csrf_token": token,
        },
    )
    assert done.status_code == 200 and "密码已修改" in done.text
    assert client.get("/", follow_redirects=False).status_code == 200


def test_deactivate_and_reset_from_the_list(client, session, people):
    token = signed_in(client, people["manager"])
    rep = people["rep"]
    client.post(f"/admin/users/{rep.id}", data={"active": "0", "csrf_token": token})
    session.refresh(rep)
    assert rep.is_active is False
    assert "已停用" in client.get("/admin/users").text
    client.post(f"/admin/users/{rep.id}", data={"active": "1", "csrf_token": token})
    reset = client.post(f"/admin/users/{rep.id}/reset-password", data={"csrf_token": token})
    assert re.search(r'<code class="otp">', reset.text)
    session.refresh(rep)
    assert rep.is_active and rep.must_change_password
    # Another team's rep is not there to act on.
    other = people["other_rep"]
    assert (
        client.post(
            f"/admin/users/{other.id}", data={"active": "0", "csrf_token": token}, headers={"accept": "text/html"}
        ).status_code
        == 404
    )


def test_an_import_with_errors_shows_each_row_and_stores_nobody(client, session, people):
    token = signed_in(client, people["manager"])
    csv_bytes = "\ufeff用户名,姓名,团队\nzhang_a,张甲,华北一组\nli_b,李乙,华南一组\n".encode()
    response = client.post(
        "/admin/users/import", data={"csrf_token": token}, files={"file": ("people.csv", csv_bytes, "text/csv")}
    )
    assert response.status_code == 422
    assert "本次没有导入任何人" in response.text and "不是你带领的团队" in response.text
    assert session.exec(select(User).where(User.username == "zhang_a")).first() is None
    fixed = "\ufeff用户名,姓名,团队\nzhang_a,张甲,华北一组\nli_b,李乙,华北一组\n".encode()
    response = client.post(
        "/admin/users/import", data={"csrf_token": token}, files={"file": ("people.csv", fixed, "text/csv")}
    )
    assert response.status_code == 200
    assert len(re.findall(r'<code class="otp">', response.text)) == 2


def test_an_admin_creates_a_team_with_its_manager_and_changes_roles(client, session, people):
    token = signed_in(client, people["admin"])
    manager = people["other_manager"]
    client.post("/admin/teams", data={"name": "西部组", "manager_ids": [str(manager.id)], "csrf_token": token})
    page = client.get("/admin/teams").text
    assert "西部组" in page
    team_id = int(re.search(r'id="team-(\d+)" data-team="西部组"', page).group(1))
    assert session.exec(select(TeamManager).where(TeamManager.team_id == team_id)).one().user_id == manager.id
    duplicate = client.post("/admin/teams", data={"name": "西部组", "csrf_token": token})
    assert duplicate.status_code == 409 and "已存在" in duplicate.text
    rep = people["rep"]
    client.post(
        f"/admin/users/{rep.id}",
        data={"display_name": "北方代表", "role": "manager", "team_id": str(team_id), "csrf_token": token},
    )
    session.refresh(rep)
    assert (rep.display_name, rep.role, rep.team_id) == ("北方代表", Role.manager, team_id)
    # The admin's own row offers no deactivate or reset button.
    assert f'action="/admin/users/{people["admin"].id}/reset-password"' not in client.get("/admin/users").text


@pytest.mark.parametrize(
    "lang, header", [("zh", "用户名,姓名,角色,团队,密码"), ("en", "username,display_name,role,team,password")]
)
def test_the_csv_example_is_in_the_page_language_and_imports_as_shown(client, session, people, lang, header):
    token = signed_in(client, people["manager"])
    client.get(f"/lang/{lang}", headers={"referer": "http://testserver/"})
    page = client.get("/admin/users").text
    sample = re.search(r'<pre class="csv-sample" id="csv-sample">(.*?)</pre>', page, re.S).group(1)
    assert sample.splitlines()[0] == header
    imported = client.post(
        "/admin/users/import",
        data={"csrf_token": token},
        files={"file": ("people.csv", sample.encode(), "text/csv")},
    )
    assert imported.status_code == 200, imported.text
    assert session.exec(select(User).where(User.username == "zhaoyi")).one().team_id == people["rep"].team_id
