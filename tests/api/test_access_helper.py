"""The one access check (app.auth.policy.visible_or_404): read, write and own, for every actor of the authz world."""

import pytest

from app.auth.policy import visible_or_404, visible_user_or_404
from app.errors import AppError
from app.models import Opportunity

SEES = {"owner", "manager_of_team", "admin"}
OUTCOMES = {
    # access -> actor -> HTTP status (200: the row comes back)
    "read": {"owner": 200, "other_rep": 404, "manager_of_team": 200, "manager_of_other_team": 404, "admin": 200},
    "write": {"owner": 200, "other_rep": 404, "manager_of_team": 403, "manager_of_other_team": 404, "admin": 403},
    "own": {"owner": 200, "other_rep": 404, "manager_of_team": 404, "manager_of_other_team": 404, "admin": 404},
}


def _status(call) -> int:
    try:
        call()
    except AppError as error:
        return error.status
    return 200


@pytest.mark.parametrize("access", sorted(OUTCOMES))
def test_each_access_answers_each_actor(session, world_users, access):
    deal = Opportunity(account="华东制造", owner_id=world_users["owner"].id)
    session.add(deal)
    session.commit()
    got = {
        actor: _status(
            lambda user=user: visible_or_404(session, user, Opportunity, deal.id, "opportunity", access=access)
        )
        for actor, user in world_users.items()
    }
    assert got == OUTCOMES[access]


def test_a_missing_row_and_a_hidden_one_give_the_same_error(session, world_users):
    deal = Opportunity(account="华东制造", owner_id=world_users["owner"].id)
    session.add(deal)
    session.commit()
    errors = []
    for object_id in (deal.id, 10**9):
        with pytest.raises(AppError) as raised:
            visible_or_404(session, world_users["other_rep"], Opportunity, object_id, "opportunity", lock=True)
        errors.append((raised.value.status, raised.value.code, raised.value.detail))
    assert errors == [(404, "not_found", "opportunity not found")] * 2


def test_a_refused_write_names_what_and_the_verb(session, world_users):
    deal = Opportunity(account="华东制造", owner_id=world_users["owner"].id)
    session.add(deal)
    session.commit()
    with pytest.raises(AppError) as raised:
        visible_or_404(session, world_users["admin"], Opportunity, deal.id, "opportunity", access="write")
    assert (raised.value.code, raised.value.detail) == (
        "not_owner",
        "only the rep who owns an opportunity may change it",
    )


def test_a_user_is_visible_to_themselves_their_managers_and_admins(session, world_users):
    owner = world_users["owner"]
    got = {
        actor: _status(lambda user=user: visible_user_or_404(session, user, owner.id, "rep"))
        for actor, user in world_users.items()
    }
    assert {actor for actor, status in got.items() if status == 200} == SEES
    assert _status(lambda: visible_user_or_404(session, world_users["admin"], 10**9, "rep")) == 404
