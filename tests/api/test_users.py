"""People management through the API: one-time passwords, deactivation, role and team changes, CSV import, teams."""

from sqlmodel import select

from app.models import TeamManager, User
from tests.utils.factories import PASSWORD, auth_headers


def _token(client, username, password):
    return client.post("/api/auth/token", data={"username": username, "password": password})


def test_a_created_user_signs_in_once_with_the_one_time_password_and_must_change_it(client, world, world_users):
    team_a = world_users["owner"].team_id
    created = client.post(
        "/api/users",
        json={"username": "xiaowang", "display_name": "小王", "team_id": team_a},
        headers=world["manager_of_team"],
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["role"] == "rep" and body["team_name"] == "A组" and body["must_change_password"] is True
    otp = body["one_time_password"]
    headers = {"Authorization": f"Bearer {_token(client, 'xiaowang', otp).json()['access_token']}"}
    assert client.get("/api/me", headers=headers).json()["must_change_password"] is True
    refused = client.get("/api/notes", headers=headers)
    assert refused.status_code == 403 and "password change required" in refused.json()["detail"]
    wrong = client.post(
        "/api/me/password", json={"current_password": "nope", "new_password": "mine-now-123"}, headers=headers
    )
    assert wrong.status_code == 422
    same = client.post("/api/me/password", json={"current_password": otp, "new_password": otp}, headers=headers)
    assert same.status_code == 422
    assert (
        client.post(
            "/api/me/password", json={"current_password": otp, "new_password": "mine-now-123"}, headers=headers
        ).status_code
        == 204
    )
    assert client.get("/api/notes", headers=headers).status_code == 200
    assert _token(client, "xiaowang", otp).status_code == 401
    assert _token(client, "xiaowang", "mine-now-123").status_code == 200


def test_managers_add_reps_to_their_own_teams_only(client, world, world_users):
    team_b = world_users["other_rep"].team_id
    other = client.post("/api/users", json={"username": "sneaky", "team_id": team_b}, headers=world["manager_of_team"])
    assert other.status_code == 404
    manager = client.post(
        "/api/users",
        json={"username": "boss2", "role": "manager", "team_id": world_users["owner"].team_id},
        headers=world["manager_of_team"],
    )
    assert manager.status_code == 403
    no_team = client.post("/api/users", json={"username": "loose"}, headers=world["manager_of_team"])
    assert no_team.status_code == 422
    listed = client.get("/api/users", headers=world["manager_of_team"]).json()
    assert [row["username"] for row in listed] == [world_users["owner"].username]
    taken = client.post(
        "/api/users",
        json={"username": world_users["other_rep"].username, "team_id": world_users["owner"].team_id},
        headers=world["admin"],
    )
    assert taken.status_code == 409


def test_deactivate_reactivate_and_move_a_rep(client, session, world, world_users):
    owner = world_users["owner"]
    off = client.patch(f"/api/users/{owner.id}", json={"is_active": False}, headers=world["manager_of_team"])
    assert off.status_code == 200 and off.json()["is_active"] is False
    assert _token(client, owner.username, PASSWORD).status_code == 401
    assert client.get("/api/me", headers=world["owner"]).status_code == 401  # the old token is dead too
    client.patch(f"/api/users/{owner.id}", json={"is_active": True}, headers=world["manager_of_team"])
    assert _token(client, owner.username, PASSWORD).status_code == 200
    # A manager may not move a rep to a team they do not lead; an admin may, and may change roles.
    team_b = world_users["other_rep"].team_id
    assert (
        client.patch(f"/api/users/{owner.id}", json={"team_id": team_b}, headers=world["manager_of_team"]).status_code
        == 404
    )
    assert (
        client.patch(f"/api/users/{owner.id}", json={"role": "manager"}, headers=world["manager_of_team"]).status_code
        == 403
    )
    moved = client.patch(f"/api/users/{owner.id}", json={"team_id": team_b}, headers=world["admin"])
    assert moved.json()["team_name"] == "B组"
    assert client.get("/api/users", headers=world["manager_of_team"]).json() == []


def test_demoting_a_manager_ends_their_leadership_and_admins_cannot_lock_themselves_out(
    client, session, world, world_users
):
    manager = world_users["manager_of_team"]
    demoted = client.patch(f"/api/users/{manager.id}", json={"role": "rep"}, headers=world["admin"])
    assert demoted.status_code == 200 and demoted.json()["leads"] == []
    assert session.exec(select(TeamManager).where(TeamManager.user_id == manager.id)).all() == []
    admin = world_users["admin"]
    assert client.patch(f"/api/users/{admin.id}", json={"is_active": False}, headers=world["admin"]).status_code == 409
    assert client.patch(f"/api/users/{admin.id}", json={"role": "rep"}, headers=world["admin"]).status_code == 409
    assert client.post(f"/api/users/{admin.id}/reset-password", headers=world["admin"]).status_code == 409


def test_a_reset_password_is_one_time(client, world, world_users):
    owner = world_users["owner"]
    reset = client.post(f"/api/users/{owner.id}/reset-password", headers=world["manager_of_team"])
    otp = reset.json()["one_time_password"]
    assert _token(client, owner.username, PASSWORD).status_code == 401
    headers = auth_headers(client, owner, otp)
    assert client.get("/api/drills", headers=headers).status_code == 403
    assert client.get("/api/me", headers=headers).json()["must_change_password"] is True


def _import(client, headers, data: bytes, name="people.csv"):
    return client.post("/api/users/import", files={"file": (name, data, "text/csv")}, headers=headers)


def test_import_from_excel_utf8_with_bom_creates_everyone_with_one_time_passwords(client, session, world):
    csv_text = "用户名,姓名,角色,团队,密码\nzhao01,赵一,销售代表,A组,\nqian02,钱二,rep,A组,given-pass-1\n"
    response = _import(client, world["manager_of_team"], "\ufeff".encode() + csv_text.encode("utf-8"))
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["created"] == 2
    assert report["rows"][0]["one_time_password"] and report["rows"][1]["one_time_password"] is None
    zhao = session.exec(select(User).where(User.username == "zhao01")).one()
    assert zhao.display_name == "赵一" and zhao.must_change_password
    assert _token(client, "qian02", "given-pass-1").status_code == 200


def test_import_reads_excels_plain_gbk_csv_with_semicolons(client, session, world):
    csv_text = "username;display_name;team\nsun03;孙三;A组\n"
    response = _import(client, world["admin"], csv_text.encode("gbk"))
    assert response.status_code == 200, response.text
    assert session.exec(select(User).where(User.username == "sun03")).one().display_name == "孙三"


def test_an_import_with_a_bad_row_stores_nothing_and_reports_each_row(client, session, world, world_users):
    csv_text = (
        "username,display_name,role,team\n"
        "good01,好,rep,A组\n"
        f"{world_users['other_rep'].username},重名,rep,A组\n"
        "good01,重复,rep,A组\n"
        "bad name!,坏,rep,A组\n"
        "boss9,经理,manager,A组\n"
        "elsewhere,别组,rep,B组\n"
    )
    response = _import(client, world["manager_of_team"], csv_text.encode())
    assert response.status_code == 422
    rows = response.json()["rows"]
    assert [[error["code"] for error in row["errors"]] for row in rows] == [
        [],
        ["username_taken"],
        ["username_twice"],
        ["bad_username"],
        ["role_forbidden"],
        ["team_not_yours"],
    ]
    assert [row["line"] for row in rows] == [2, 3, 4, 5, 6, 7]
    assert session.exec(select(User).where(User.username == "good01")).first() is None
    no_header = _import(client, world["admin"], b"a,b\n1,2\n")
    assert no_header.status_code == 422 and no_header.json()["detail"] == "no_username_column"


def test_teams_and_their_managers(client, session, world, world_users):
    manager = world_users["manager_of_other_team"]
    created = client.post("/api/teams", json={"name": "华南组", "manager_ids": [manager.id]}, headers=world["admin"])
    assert created.status_code == 201 and [m["id"] for m in created.json()["managers"]] == [manager.id]
    team_id = created.json()["id"]
    assert client.post("/api/teams", json={"name": "华南组"}, headers=world["admin"]).status_code == 409
    not_manager = client.patch(
        f"/api/teams/{team_id}", json={"manager_ids": [world_users["owner"].id]}, headers=world["admin"]
    )
    assert not_manager.status_code == 422
    listed = {row["name"] for row in client.get("/api/teams", headers=world["manager_of_other_team"]).json()}
    assert listed == {"B组", "华南组"}
    client.patch(f"/api/teams/{team_id}", json={"manager_ids": []}, headers=world["admin"])
    listed = {row["name"] for row in client.get("/api/teams", headers=world["manager_of_other_team"]).json()}
    assert listed == {"B组"}
