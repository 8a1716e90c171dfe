"""The web shell: login with CSRF, session cookie, logout, language switch, navigation by role."""

from app.models import Role
from tests.utils.factories import PASSWORD, csrf_from, make_user, web_login


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


def test_logout_needs_csrf(client, session):
    rep = make_user(session)
    web_login(client, rep.username)
    assert client.post("/logout").status_code == 403
    assert client.get("/").status_code == 200
