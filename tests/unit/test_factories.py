"""Every table has a test factory, and each factory stores a row that reads back (on the migrated test database)."""

import pytest
from sqlalchemy import inspect
from sqlmodel import Session, SQLModel, select

import app.models  # noqa: F401  (registers every table)
from app.models import Drill, DrillAssignment, Role, RolePlayStatus, Turn, User
from app.models.common import table_of
from tests.utils.factories import FACTORIES, make_drill, make_opportunity, make_roleplay, make_turn, make_user

FACTORY_TABLES = {table_of(model).name: model for model in FACTORIES}


def test_every_table_has_a_factory():
    missing = sorted(set(SQLModel.metadata.tables) - set(FACTORY_TABLES))
    assert missing == [], f"tables without a factory in tests/utils/factories.py: {missing}"


@pytest.mark.parametrize("table", sorted(FACTORY_TABLES))
def test_each_factory_stores_a_row_that_reads_back(engine, session, table):
    model = FACTORY_TABLES[table]
    row = FACTORIES[model](session)
    assert isinstance(row, model)
    key = inspect(row).identity
    assert key is not None and all(part is not None for part in key)
    with Session(engine) as fresh:  # a new session: read from the database, not the identity map
        stored = fresh.get(model, key)
        assert stored is not None
        for column in table_of(model).columns:
            assert getattr(stored, column.key) == getattr(row, column.key), column.key


def test_overrides_and_given_parents_are_used(session):
    manager, rep = make_user(session, Role.manager, team="工厂组"), make_user(session, Role.rep, team="工厂组")
    drill = make_drill(session, manager, assign=[rep], scenario_id="logistics_tms", pass_score=75)
    assert (drill.created_by, drill.scenario_id, drill.pass_score) == (manager.id, "logistics_tms", 75)
    assignments = session.exec(select(DrillAssignment).where(DrillAssignment.drill_id == drill.id)).all()
    assert [assignment.user_id for assignment in assignments] == [rep.id]
    attempt = make_roleplay(session, rep, drill=drill, finished=True, score=55)
    assert (attempt.drill_id, attempt.scenario_id, attempt.score) == (drill.id, "logistics_tms", 55)
    assert attempt.status == RolePlayStatus.finished and attempt.finished_at is not None
    assert [make_turn(session, attempt).seq for _ in range(3)] == [0, 1, 2]
    assert len(session.exec(select(Turn).where(Turn.roleplay_id == attempt.id)).all()) == 3
    assert len(session.exec(select(Drill)).all()) == 1  # the parents given were used, none made besides
    deal = make_opportunity(session, owner_id=rep.id, account="华东精工")  # a parent given by its id
    assert (deal.owner_id, deal.account) == (rep.id, "华东精工")
    assert len(session.exec(select(User)).all()) == 2
