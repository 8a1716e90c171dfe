"""The web shell: login with CSRF, session cookie, logout, language switch, navigation by role."""

import html

from app.models import Role
from app.roleplay.scenarios import load_scenarios
from tests.utils.factories import PASSWORD, csrf_from, make_user, web_login
from tests.utils.roleplays import signed_in


def test_pages_need_login(client):
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"


def test_login_without_csrf_token_is_refused(client, session):
    rep = make_user(session)
    response = client.post("/login", data={"username": rep.username, "password": PASSWORD})
    assert response.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 303


def test_login_home_and_logout(client, session):
    rep = make_user(session, Role.rep, team="一组")
    web_login(client, rep.username)
    home = client.get("/")
    assert home.status_code == 200
    assert rep.username in home.text and "角色扮演" in home.text
    assert "/team" not in home.text  # reps have no team page
    client.post("/logout", data={"csrf_token": csrf_from(home.text)})
    assert client.get("/", follow_redirects=False).status_code == 303


def test_wrong_password_shows_a_clear_message(client, session):
    rep = make_user(session)
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/login", data={"username": rep.username, "password": "nope-nope", "csrf_token": token})
    assert response.status_code == 401 and "用户名或密码不正确" in response.text


def test_managers_see_the_team_link(client, session):
    manager = make_user(session, Role.manager, team="一组")
    web_login(client, manager.username)
    assert 'href="/team"' in client.get("/").text


def test_language_switch_to_english(client, session):
    rep = make_user(session)
    web_login(client, rep.username)
    client.get("/lang/en", headers={"referer": "http://testserver/"})
    page = client.get("/")
    assert "Role-play" in page.text and 'lang="en"' in page.text


def test_the_ui_follows_the_browsers_language_until_the_user_chooses(client, session):
    english = {"accept-language": "en-US,en;q=0.9"}
    login = client.get("/login", headers=english)
    assert 'lang="en"' in login.text and "Sign in" in login.text
    assert "Accept-Language" in login.headers["vary"]  # a shared cache keeps the two languages apart
    rep = make_user(session)
    web_login(client, rep.username)
    assert "Role-play" in client.get("/", headers=english).text
    assert "角色扮演" in client.get("/", headers={"accept-language": "zh-CN,zh;q=0.9,en;q=0.8"}).text
    assert "角色扮演" in client.get("/", headers={"accept-language": "fr-FR,en;q=0.5,zh-TW;q=0.8"}).text
    assert "角色扮演" in client.get("/", headers={"accept-language": "de-DE,fr;q=0.9"}).text  # neither: Chinese
    assert "角色扮演" in client.get("/").text  # no header: Chinese
    # The user's own choice wins over the browser's, both ways.
    client.get("/lang/zh", headers={"referer": "http://testserver/"})
    assert "角色扮演" in client.get("/", headers=english).text
    client.get("/lang/en", headers={"referer": "http://testserver/"})
    assert "Role-play" in client.get("/", headers={"accept-language": "zh-CN"}).text


def test_an_english_browser_starts_an_english_role_play(client, session):
    csrf = signed_in(client, make_user(session, Role.rep, team="A组"))
    english = {"accept-language": "en-GB,en;q=0.9"}
    started = client.post(
        "/roleplay/start",
        data={"scenario_id": "logistics_tms", "csrf_token": csrf},
        headers=english,
        follow_redirects=False,
    )
    page = html.unescape(client.get(started.headers["location"], headers=english).text)
    scenario = load_scenarios()["logistics_tms"]
    assert 'lang="en"' in page and scenario.opening_line_en in page and scenario.opening_line not in page


def test_logout_needs_csrf(client, session):
    rep = make_user(session)
    web_login(client, rep.username)
    assert client.post("/logout").status_code == 403
    assert client.get("/").status_code == 200
