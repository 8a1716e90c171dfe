"""The manager's review box on a rep's finished call: shown to the rep only once there is a review, always to
the rep's manager (who writes it there)."""

import pytest

from tests.utils.authz import owner_attempt
from tests.utils.factories import web_login


@pytest.mark.parametrize("page", ["", "/scorecard"])
def test_the_rep_sees_no_empty_review_box(client, session, world, world_users, page):
    roleplay_id = owner_attempt(client, world["owner"], session)
    web_login(client, world_users["owner"].username)
    html = client.get(f"/roleplay/{roleplay_id}{page}").text
    assert 'id="review-block"' not in html

    manager = world["manager_of_team"]
    review = {"comment": "开场的背景问题问得很扎实"}
    assert client.post(f"/api/team/attempts/{roleplay_id}/reviews", json=review, headers=manager).status_code == 201
    html = client.get(f"/roleplay/{roleplay_id}{page}").text
    assert 'id="review-block"' in html and "开场的背景问题问得很扎实" in html


def test_the_manager_gets_the_review_box_before_any_review(client, session, world, world_users):
    roleplay_id = owner_attempt(client, world["owner"], session)
    web_login(client, world_users["manager_of_team"].username)
    html = client.get(f"/roleplay/{roleplay_id}").text
    assert 'id="review-block"' in html and 'class="review-form"' in html
