"""A manager's reviews reach the rep: effective score and reviews in the role-play and note APIs, exports,
the rep's pages (transcript with line comments, scorecard, note, notes list) and the home notifications."""

from datetime import timedelta

from sqlmodel import select

from app.models import Drill, RolePlay, Turn
from app.models.common import team_today
from tests.utils.authz import owner_attempt, owner_drill
from tests.utils.factories import csrf_from, web_login


def _review(client, headers, roleplay_id, body):
    return client.post(f"/api/team/attempts/{roleplay_id}/reviews", json=body, headers=headers)


def _reviewed_attempt(client, session, world) -> tuple[int, int, int]:
    """The owner's finished attempt, overridden twice and commented on one line: (roleplay, note, rep turn)."""
    roleplay_id = owner_attempt(client, world["owner"], session)
    manager = world["manager_of_team"]
    assert _review(client, manager, roleplay_id, {"override_score": 72, "reason": "客户已同意试点"}).status_code == 201
    assert (
        _review(
            client, manager, roleplay_id, {"override_score": 65, "reason": "复核后下调", "comment": "提问顺序很好"}
        ).status_code
        == 201
    )
    turn_id = session.exec(select(Turn.id).where(Turn.roleplay_id == roleplay_id, Turn.speaker == "rep")).first()
    line = _review(client, manager, roleplay_id, {"comment": "这里先确认预算", "turn_id": turn_id})
    assert line.status_code == 201 and line.json()["turn_id"] == turn_id
    return roleplay_id, session.get(RolePlay, roleplay_id).note_id, turn_id


def test_the_api_gives_the_rep_the_effective_score_and_every_review(client, session, world, world_users):
    roleplay_id, note_id, turn_id = _reviewed_attempt(client, session, world)
    detail = client.get(f"/api/roleplays/{roleplay_id}", headers=world["owner"]).json()
    coach = detail["score"]
    assert detail["effective_score"] == 65 and coach != 65
    assert [(r["override_score"], r["reviewer_name"]) for r in detail["reviews"]] == [
        (72, world_users["manager_of_team"].display_name),
        (65, world_users["manager_of_team"].display_name),
        (None, world_users["manager_of_team"].display_name),
    ]
    assert all(r["created_at"] for r in detail["reviews"])
    commented = next(turn for turn in detail["turns"] if turn["id"] == turn_id)
    assert [c["comment"] for c in commented["comments"]] == ["这里先确认预算"]
    note = client.get(f"/api/notes/{note_id}", headers=world["owner"]).json()
    assert note["effective_score"] == 65 and note["score"] == coach and len(note["reviews"]) == 3
    listed = next(n for n in client.get("/api/notes", headers=world["owner"]).json() if n["id"] == note_id)
    assert listed["effective_score"] == 65
    md = client.get(f"/api/notes/{note_id}/export?format=md", headers=world["owner"]).text
    assert "有效得分" in md and "**65**" in md and "复核后下调" in md and "这里先确认预算" in md
    csv_text = client.get(f"/api/notes/{note_id}/export?format=csv&lang=en", headers=world["owner"]).content.decode(
        "utf-8-sig"
    )
    assert "Effective score (after reviews),,65," in csv_text and "Comment on a line" in csv_text


def test_line_comments_are_checked(client, session, world):
    roleplay_id = owner_attempt(client, world["owner"], session)
    other = owner_attempt(client, world["owner"], session)
    foreign_turn = session.exec(select(Turn.id).where(Turn.roleplay_id == other)).first()
    manager = world["manager_of_team"]
    assert _review(client, manager, roleplay_id, {"comment": "x", "turn_id": foreign_turn}).status_code == 422
    assert (
        _review(
            client, manager, roleplay_id, {"override_score": 50, "reason": "r", "comment": "x", "turn_id": foreign_turn}
        ).status_code
        == 422
    )


def test_the_reps_pages_show_reviews_and_the_home_notifies(client, session, world, world_users):
    roleplay_id, note_id, turn_id = _reviewed_attempt(client, session, world)
    soon = session.get(Drill, owner_drill(client, world["owner"], session))  # a new drill, not started yet
    soon.due = team_today() + timedelta(days=1)
    session.commit()
    web_login(client, world_users["owner"].username)
    home = client.get("/").text
    assert 'id="notices"' in home and home.count('data-kind="review"') == 3 and "有效得分改为 65" in home
    assert home.count('data-kind="drill"') == 1  # the attempt's own drill has been started: not news
    assert home.count('data-kind="due_soon"') == 1
    chat = client.get(f"/roleplay/{roleplay_id}").text
    assert "这里先确认预算" in chat and 'class="turn-comment"' in chat
    assert 'id="effective-score"' in chat and "turn-comment-form" not in chat  # the rep cannot review
    assert "有效得分 65" in client.get(f"/roleplay/{roleplay_id}/scorecard").text
    assert 'id="note-effective"' in client.get(f"/notes/{note_id}").text
    assert 'class="effective-score"' in client.get("/notes").text
    seen = client.post("/notices/seen", data={"csrf_token": csrf_from(home)})
    assert seen.status_code == 200 and "is-new" not in seen.text and 'data-kind="review"' in seen.text
    client.cookies.clear()
    web_login(client, world_users["manager_of_team"].username)
    assert "turn-comment-form" in client.get(f"/roleplay/{roleplay_id}").text
