"""Coaching notes API: who sees which notes, filters, and Markdown/CSV export of role-play and flow notes."""

from __future__ import annotations

import csv
import io

import pytest

from app.models import Role
from app.playbook import get_playbook
from app.roleplay.scenarios import load_scenarios
from tests.utils.factories import auth_headers, make_user
from tests.utils.notes import flow_note
from tests.utils.roleplays import play
from tests.utils.scripted_reps import strong_rep_lines

VITAMIN = "mfg_vitamin_erp"


def finished_roleplay_note(client, headers) -> int:
    roleplay_id, _ = play(client, headers, VITAMIN, strong_rep_lines(load_scenarios()[VITAMIN]))
    return client.post(f"/api/roleplays/{roleplay_id}/finish", headers=headers).json()["note_id"]


@pytest.fixture
def team(client, session):
    users = {
        "rep": make_user(session, Role.rep, team="A组"),
        "mate": make_user(session, Role.rep, team="A组"),
        "stranger": make_user(session, Role.rep, team="B组"),
        "manager": make_user(session, Role.manager, team="A组"),
        "admin": make_user(session, Role.admin),
    }
    return users, {name: auth_headers(client, user) for name, user in users.items()}


def test_notes_are_listed_for_owner_manager_and_admin(client, session, team):
    users, headers = team
    mine = finished_roleplay_note(client, headers["rep"])
    mate = finished_roleplay_note(client, headers["mate"])
    stranger = finished_roleplay_note(client, headers["stranger"])

    def ids(who: str, query: str = "") -> list[int]:
        return [note["id"] for note in client.get(f"/api/notes{query}", headers=headers[who]).json()]

    assert ids("rep") == [mine]
    assert set(ids("manager")) == {mine, mate}
    assert set(ids("admin")) == {mine, mate, stranger}
    assert ids("manager", f"?owner_id={users['rep'].id}") == [mine]
    assert client.get(f"/api/notes/{stranger}", headers=headers["rep"]).status_code == 404
    assert client.get(f"/api/notes/{stranger}", headers=headers["manager"]).status_code == 404
    note = client.get(f"/api/notes/{mine}", headers=headers["manager"]).json()
    assert note["kind"] == "roleplay" and note["data"]["scorecard"]["total"] == note["score"]


def test_kind_filter(client, session, team):
    users, headers = team
    roleplay_note = finished_roleplay_note(client, headers["rep"])
    flow = flow_note(session, users["rep"].id)
    assert [n["id"] for n in client.get("/api/notes?kind=flow", headers=headers["rep"]).json()] == [flow.id]
    assert [n["id"] for n in client.get("/api/notes?kind=roleplay", headers=headers["rep"]).json()] == [roleplay_note]
    assert client.get("/api/notes?kind=other", headers=headers["rep"]).status_code == 422
    assert client.get("/api/notes?limit=101", headers=headers["rep"]).status_code == 422


def test_roleplay_note_exports(client, team):
    _, headers = team
    note_id = finished_roleplay_note(client, headers["rep"])
    note = client.get(f"/api/notes/{note_id}", headers=headers["rep"]).json()
    markdown = client.get(f"/api/notes/{note_id}/export?format=md", headers=headers["rep"])
    assert markdown.status_code == 200 and markdown.headers["content-type"].startswith("text/markdown")
    assert f'filename="note-{note_id}.md"' in markdown.headers["content-disposition"]
    assert f"**{note['score']}/100**" in markdown.text
    assert note["data"]["strengths"][0]["text_zh"] in markdown.text
    # Cited elements appear by their names; users never see raw ids such as dragon.step.build_trust.
    names = {element.id: element.name_zh for element in get_playbook().elements()}
    assert all(names[element_id] in markdown.text for element_id in note["data"]["cited_ids"])
    assert not any(element_id in markdown.text for element_id in note["data"]["cited_ids"])
    english = client.get(f"/api/notes/{note_id}/export?format=md&lang=en", headers=headers["rep"]).text
    assert "Strengths" in english and note["data"]["strengths"][0]["text_en"] in english

    exported = client.get(f"/api/notes/{note_id}/export?format=csv", headers=headers["rep"])
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert rows[0] == ["部分", "项目", "值", "手册条目"]
    assert ["总分", load_scenarios()[VITAMIN].title_zh, str(note["score"]), ""] in rows
    assert not any(cell.startswith(("dragon.", "spin.", "fivek.", "style.")) for row in rows for cell in row)
    assert client.get(f"/api/notes/{note_id}/export?format=pdf", headers=headers["rep"]).status_code == 422


def test_flow_note_exports_use_the_flows_format(client, session, team):
    users, headers = team
    note = flow_note(session, users["rep"].id)
    from app.flows import note_to_csv, note_to_markdown

    markdown = client.get(f"/api/notes/{note.id}/export?format=md", headers=headers["rep"]).text
    assert markdown == note_to_markdown("spin_call_plan", note.data["result"])
    exported = client.get(f"/api/notes/{note.id}/export?format=csv", headers=headers["manager"]).text
    assert exported == "\ufeff" + note_to_csv("spin_call_plan", note.data["result"])
    assert client.get(f"/api/notes/{note.id}/export?format=md", headers=headers["stranger"]).status_code == 404
