"""The people and drill-correction migrations keep every row: up from the revision before them and back down."""

from sqlalchemy import text

from app import migrate
from tests.utils.migrations import downgrade_to, insert_rep_and_deal, sqlite_for_migrations, upgrade_to

BEFORE = "eba07e34c772"
TABLES = ("user", "opportunity", "drill", "drill_assignment", "roleplay", "review")


def test_upgrading_and_downgrading_keeps_users_deals_and_drills(tmp_path, database_url):
    engine = sqlite_for_migrations(tmp_path, database_url, "people.db")

    def counts():
        with engine.connect() as connection:
            return [connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar() for table in TABLES]

    upgrade_to(engine, BEFORE)
    with engine.begin() as connection:
        insert_rep_and_deal(connection)
        connection.execute(
            text(
                "INSERT INTO drill (created_by, scenario_id, due, pass_score, note, created_at)"
                " VALUES (1, 'x', '2026-12-30', 70, '', '2026-01-01')"
            )
        )
        connection.execute(text("INSERT INTO drill_assignment (drill_id, user_id) VALUES (1, 1)"))
        connection.execute(
            text(
                "INSERT INTO roleplay (owner_id, scenario_id, drill_id, status, engine, state, score,"
                " created_at) VALUES (1, 'x', 1, 'finished', 'offline', '{}', 55, '2026-01-01')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO review (roleplay_id, reviewer_id, comment, reason, created_at)"
                " VALUES (1, 1, 'ok', '', '2026-01-01')"
            )
        )
    upgrade_to(engine, "head")
    assert counts() == [1] * len(TABLES)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT must_change_password FROM user")).scalar() in (0, False)
        assert connection.execute(text("SELECT include_newcomers, cancelled_at FROM drill")).one() == (1, None)
        assert connection.execute(text("SELECT due, extra_attempts FROM drill_assignment")).one() == (None, 0)
    migrate.check(engine)
    downgrade_to(engine, BEFORE)
    assert counts() == [1] * len(TABLES)
    engine.dispose()
