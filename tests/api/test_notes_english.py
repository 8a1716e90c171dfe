"""The notes list in English: role-play and flow notes, stored with Chinese titles, show English ones (the account
name stays as written); Chinese readers see the stored title."""

from app.models import Role
from app.roleplay.scenarios import load_scenarios
from tests.utils.factories import auth_headers, make_user, web_login
from tests.utils.flows import STAKEHOLDER_SCRIPT, run_flow
from tests.utils.roleplays import VITAMIN, play


def test_note_titles_follow_the_readers_language(client, session):
    rep = make_user(session, Role.rep, team="A组")
    headers = auth_headers(client, rep)
    roleplay_id, _ = play(client, headers, VITAMIN, ["目前贵公司的生产计划是怎么安排的？"])
    assert client.post(f"/api/roleplays/{roleplay_id}/finish", headers=headers).status_code == 200
    deal = client.post("/api/opportunities", json={"account": "华东精工", "name": "ERP 升级"}, headers=headers).json()
    run_flow(client, headers, "stakeholder_map", STAKEHOLDER_SCRIPT, opportunity_id=deal["id"])
    web_login(client, rep.username)
    zh = client.get("/notes").text
    assert "角色扮演" in zh and load_scenarios()[VITAMIN].title_zh in zh
    client.cookies.set("lang", "en")
    en = client.get("/notes").text
    assert f"Role-play: {load_scenarios()[VITAMIN].title_en}" in en
    assert "角色扮演" not in en and "五维地图" not in en
    assert "华东精工" in en  # the account keeps its name


def test_a_note_page_in_english_has_the_english_title_and_list_separators(client, session):
    rep = make_user(session, Role.rep, team="A组")
    headers = auth_headers(client, rep)
    roleplay_id, _ = play(client, headers, VITAMIN, ["目前贵公司的生产计划是怎么安排的？"])
    note_id = client.post(f"/api/roleplays/{roleplay_id}/finish", headers=headers).json()["note_id"]
    web_login(client, rep.username)
    client.cookies.set("lang", "en")
    page = client.get(f"/notes/{note_id}").text
    assert f'<h2 id="note-title">Role-play: {load_scenarios()[VITAMIN].title_en}</h2>' in page
    assert "角色扮演" not in page and "、" not in page
    client.cookies.set("lang", "zh")
    assert load_scenarios()[VITAMIN].title_zh in client.get(f"/notes/{note_id}").text.split('id="note-title">')[1]
