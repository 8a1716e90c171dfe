"""The typed boundaries mypy relies on: stored ids, Core tables, language codes, typed playbook lookups, the
model guard behind a callback manager, and the None cases the type checker made explicit."""

import pytest
from langchain_core.callbacks import CallbackManager
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from sqlmodel import col, delete, select

from app.i18n import as_lang
from app.llm.resilience import ModelGuard, guard_of
from app.models import Role, RolePlay, Team, TeamScenarioVersion, Turn, User, UserPublic
from app.models.common import require_id, table_of
from app.playbook import get_playbook
from app.playbook.models import Milestone
from app.scenarios import library, repository
from app.users.service import UserRequestError, change_own_password
from tests.utils.factories import PASSWORD, make_user
from tests.utils.scenario_library import builtin_content


def test_require_id_gives_a_stored_rows_id_and_refuses_an_unflushed_one(session):
    stored = make_user(session, Role.rep)
    assert require_id(stored) == stored.id and isinstance(stored.id, int)
    with pytest.raises(ValueError, match="User has no id yet"):
        require_id(User(username="not-yet-stored", display_name="", password_hash="x", role=Role.rep))


def test_table_of_gives_the_core_table_of_a_table_model_only():
    assert table_of(Turn).name == "turn" and "roleplay_id" in table_of(Turn).c
    assert "state" in table_of(RolePlay).c
    with pytest.raises(TypeError, match="UserPublic is not a table model"):
        table_of(UserPublic)


@pytest.mark.parametrize(("code", "lang"), [("en", "en"), ("zh", "zh"), ("fr", "zh"), ("", "zh"), (None, "zh")])
def test_as_lang_reads_english_only_when_asked_for(code, lang):
    assert as_lang(code) == lang


def test_element_of_checks_the_kind_of_a_playbook_element():
    playbook = get_playbook()
    milestone = playbook.element_of("milestone.m100", Milestone)
    assert isinstance(milestone, Milestone) and milestone.probability == 100
    other = next(element for element in playbook.elements() if not isinstance(element, Milestone))
    with pytest.raises(TypeError, match="not a Milestone"):
        playbook.element_of(other.id, Milestone)
    with pytest.raises(KeyError):
        playbook.element_of("milestone.nowhere", Milestone)


def test_the_guard_is_found_behind_a_callback_manager_as_well_as_in_a_list():
    guard = ModelGuard()
    in_list = FakeListChatModel(responses=["ok"], callbacks=[guard])
    in_manager = FakeListChatModel(responses=["ok"], callbacks=CallbackManager(handlers=[guard]))
    assert guard_of(in_list) is guard
    assert guard_of(in_manager) is guard  # a manager is not iterable: this raised TypeError before
    assert guard_of(FakeListChatModel(responses=["ok"])) is None


def test_a_password_change_for_an_account_no_longer_stored_answers_404(session):
    gone = User(id=2_000_000_000, username="gone", display_name="", password_hash="x", role=Role.rep)
    with pytest.raises(UserRequestError) as refused:
        change_own_password(session, gone, PASSWORD, "another-password-2")
    assert refused.value.status == 404 and refused.value.code == "account_gone"


def test_editing_a_draft_whose_version_row_is_missing_writes_that_version_again(session):
    manager = make_user(session, Role.manager, team="类型组")
    team = session.exec(select(Team).where(Team.name == "类型组")).one()
    row = library.create(session, manager, builtin_content(), team=team)  # a draft, version 1
    session.exec(delete(TeamScenarioVersion).where(col(TeamScenarioVersion.scenario_id) == row.id))
    session.commit()
    updated = library.update(session, manager, row.id, builtin_content(title_zh="重新写过的场景"))
    stored = repository.version_row(session, require_id(updated), updated.version)
    assert updated.version == 1 and stored is not None  # this raised AttributeError on None before
    assert stored.data["title_zh"] == "重新写过的场景"
