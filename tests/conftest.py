"""Shared fixtures: a migrated database (SQLite by default, PostgreSQL when TEST_DATABASE_URL is set),
the app and its clients, users, and the loopback OpenAI-compatible model server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, SQLModel

from app import migrate
from app.auth import passwords
from app.config import Settings
from app.db import make_engine
from app.demo import seed_demo
from app.main import create_app
from app.models import Role, User
from tests.utils.factories import auth_headers, make_user
from tests.utils.fake_llm import FakeLLM, ServerThread, llm_mode, start_fake_llm


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def engine(database_url):
    """One database per test run, built by the real migrations."""
    engine = make_engine(database_url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:  # start from nothing: the test database is ours
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def _clean_tables(request) -> Iterator[None]:
    """Empty every table after each test that used the database."""
    yield
    if "engine" not in request.fixturenames:
        return
    engine = request.getfixturevalue("engine")
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(SQLModel.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def make_settings(tmp_path, database_url):
    def factory(**overrides) -> Settings:
        values = {
            "data_dir": tmp_path / "data",
            "database_url": database_url,
            "secret_key": "test-secret-key-that-is-long-enough-0123",
            "llm_provider": "offline",
            "password_hash_cost": "test",
            "_env_file": None,
            # one model call per role-play turn unless a test opts in to the model's reading of the turn
            "roleplay_llm_understanding": False,
        }
        values.update(overrides)
        return Settings(**values)

    return factory


@pytest.fixture
def settings(make_settings) -> Settings:
    return make_settings()


@pytest.fixture
def app(settings, engine):
    return create_app(settings, engine)


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def session(engine) -> Iterator[Session]:
    with Session(engine) as db_session:
        yield db_session


# --- people ---------------------------------------------------------------------------------------------


@pytest.fixture
def rep(session) -> User:
    """A rep in team A组 (a manager made with team="A组" leads them)."""
    return make_user(session, Role.rep, team="A组")


@pytest.fixture
def headers(client, rep) -> dict[str, str]:
    """The rep's bearer headers for the API."""
    return auth_headers(client, rep)


@pytest.fixture
def world_users(session) -> dict[str, User]:
    """The authorization world (see tests/utils/authz.py): an owner, reps and managers of two teams, an admin."""
    return {
        "owner": make_user(session, Role.rep, team="A组"),
        "other_rep": make_user(session, Role.rep, team="B组"),
        "manager_of_team": make_user(session, Role.manager, team="A组"),
        "manager_of_other_team": make_user(session, Role.manager, team="B组"),
        "admin": make_user(session, Role.admin),
    }


@pytest.fixture
def world(client, world_users) -> dict[str, dict[str, str]]:
    """Bearer headers per actor of the authorization world."""
    headers = {actor: auth_headers(client, user) for actor, user in world_users.items()}
    headers["anonymous"] = {}
    return headers


# --- the loopback model server -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _fake_llm_server():
    fake, server = start_fake_llm()
    yield fake
    server.stop()


@pytest.fixture
def fake_llm(_fake_llm_server) -> Iterator[FakeLLM]:
    """The loopback model server, reset for each test."""
    _fake_llm_server.reset()
    yield _fake_llm_server
    _fake_llm_server.reset()


@pytest.fixture
def llm_settings(make_settings, fake_llm) -> Settings:
    return make_settings(**llm_mode(fake_llm, timeout_s=2.0, retries=2, api_key="test-key"))


@pytest.fixture
def llm_app(llm_settings, engine):
    return create_app(llm_settings, engine)


@pytest.fixture
def llm_client(llm_app) -> Iterator[TestClient]:
    with TestClient(llm_app) as test_client:
        yield test_client


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run: Playwright's sync API cannot start twice in one thread."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> None:
    """argon2 at its lowest cost for the users the tests create (PASSWORD_HASH_COST=test; never in production)."""
    passwords.configure("test")


@pytest.fixture
def live_server(settings, engine):
    """The app on a free loopback port, with the demo users seeded."""
    with Session(engine) as session:
        seed_demo(session)
    server = ServerThread(create_app(settings, engine)).start()
    yield server.url
    server.stop()


@pytest.fixture
def page(browser, live_server):
    """A page in the shared Chromium on the live server (zh-CN, 1280 x 900)."""
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
