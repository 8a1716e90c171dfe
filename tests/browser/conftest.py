"""Browser fixtures: the real app served by uvicorn on loopback, and a page in the shared Chromium (tests/conftest.py)."""

import pytest
from sqlmodel import Session

from app.demo import seed_demo
from app.main import create_app
from tests.utils.fake_llm import ServerThread


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
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def login(page, username: str, password: str) -> None:
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
