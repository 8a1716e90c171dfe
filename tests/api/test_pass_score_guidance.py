"""Pass-score guidance: the manager's reps' scores on a scenario, bucketed, and a suggested pass score."""

from app.models import Role
from tests.utils.factories import auth_headers, make_roleplay, make_user, web_login

SCENARIO = "logistics_tms"


def _scores(session, reps, scores):
    for rep, score in zip(reps, scores, strict=True):
        make_roleplay(session, rep, scenario_id=SCENARIO, finished=True, score=score)


def test_the_suggestion_follows_the_teams_best_scores(client, session):
    manager = make_user(session, Role.manager, team="甲组")
    reps = [make_user(session, Role.rep, team="甲组") for _ in range(5)]
    _scores(session, reps, [20, 40, 50, 60, 80])
    _scores(session, reps[:1], [35])  # a second, better attempt of the first rep: their best is 35
    other_manager = make_user(session, Role.manager, team="乙组")
    _scores(session, [make_user(session, Role.rep, team="乙组")], [100])
    headers = auth_headers(client, manager)

    guidance = client.get(f"/api/drills/guidance?scenario_id={SCENARIO}", headers=headers).json()
    assert (guidance["attempts"], guidance["reps"], guidance["median"]) == (6, 5, 45.0)
    assert [bucket["count"] for bucket in guidance["buckets"]] == [0, 0, 1, 1, 1, 1, 1, 0, 1, 0]
    # Bests 35, 40, 50, 60, 80: the 60th percentile is 54, rounded to 55; two reps reach it.
    assert (guidance["suggested"], guidance["reaching_suggested"]) == (55, 2)

    other = client.get(f"/api/drills/guidance?scenario_id={SCENARIO}", headers=auth_headers(client, other_manager))
    assert (other.json()["attempts"], other.json()["suggested"]) == (1, None)  # too few reps to suggest
    assert client.get("/api/drills/guidance?scenario_id=nope", headers=headers).status_code == 404

    web_login(client, manager.username)
    page = client.get(f"/drills?scenario_id={SCENARIO}").text
    assert 'id="suggested-pass-score"' in page and "建议及格分 55" in page
    fragment = client.get("/drills/guidance?scenario_id=edu_smart_academic").text
    assert "还没有练过这个场景" in fragment and "<html" not in fragment
