"""Wherever a reviewed attempt is shown, the effective (manager-reviewed) score is the headline; the coach's score
and the review (who, when, why) are the line below it: the rep's scorecard and note, the drill page."""

import re

from app.models import RolePlay
from tests.utils.authz import owner_attempt
from tests.utils.factories import web_login


def _text(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</(?:span|small|strong)>', html, re.S)
    assert match, element_id
    return re.sub(r"<[^>]+>|\s+", " ", match.group(1)).strip()


def test_the_effective_score_is_the_headline(client, session, world, world_users):
    roleplay_id = owner_attempt(client, world["owner"], session)
    roleplay = session.get(RolePlay, roleplay_id)
    coach = client.get(f"/api/roleplays/{roleplay_id}", headers=world["owner"]).json()["score"]
    override = 91 if coach != 91 else 92
    reviewed = client.post(
        f"/api/team/attempts/{roleplay_id}/reviews",
        json={"override_score": override, "reason": "客户已同意试点"},
        headers=world["manager_of_team"],
    )
    assert reviewed.status_code == 201
    manager_name = world_users["manager_of_team"].display_name

    web_login(client, world_users["owner"].username)
    card = client.get(f"/roleplay/{roleplay_id}/scorecard").text
    assert _text(card, "score-total") == str(override)  # the big number
    source = _text(card, "score-effective")
    assert f"教练评分 {coach}" in source and manager_name in source and "客户已同意试点" in source

    note = client.get(f"/notes/{roleplay.note_id}").text
    assert str(override) in _text(note, "note-effective")
    assert f"教练评分 {coach}" in _text(note, "note-review-source") and manager_name in note
    assert f"得分 <strong>{coach}</strong>" not in note  # the coach's number is no longer a headline of its own

    drill_page = client.get(f"/drills/{roleplay.drill_id}").text
    header = re.search(rf'id="attempt-{roleplay_id}".*?</header>', drill_page, re.S).group(0)
    assert re.search(rf'class="effective-headline">[^<]*{override}</strong>', header)


def test_component_points_read_to_one_decimal_on_the_scorecard_and_the_note(client, session, world, world_users):
    """A rep reads "10.7 / 25", not "10.71 / 25": the stored points keep two decimals, the pages show one."""
    roleplay_id = owner_attempt(client, world["owner"], session)
    roleplay = session.get(RolePlay, roleplay_id)
    web_login(client, world_users["owner"].username)
    for page in (client.get(f"/roleplay/{roleplay_id}/scorecard").text, client.get(f"/notes/{roleplay.note_id}").text):
        shown = re.findall(r">\s*(\d+(?:\.\d+)?) / \d+\s*<", page)
        assert shown, "no component points on the page"
        assert all(len(value.partition(".")[2]) <= 1 for value in shown), shown
