"""The drill form shows how the team scored on the chosen scenario and suggests a pass score (htmx on change)."""

from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.demo import DEMO_TEAM, DEMO_USERS
from app.models import Role, User
from tests.utils.browser import login
from tests.utils.factories import make_roleplay, make_user

pytestmark = pytest.mark.browser

MANAGER = next(u for u in DEMO_USERS if u.username == "manager")
SCENARIO = "logistics_tms"
SHOTS = Path("/tmp/shots")


def test_the_drill_form_suggests_a_pass_score(browser, live_server, engine):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with Session(engine) as session:
        make_user(session, Role.rep, team=DEMO_TEAM, username="rep3")
        reps = list(session.exec(select(User).where(User.role == Role.rep)))
        for rep, score in zip(reps, [22, 48, 61], strict=True):
            make_roleplay(session, rep, scenario_id=SCENARIO, finished=True, score=score)
    for lang, width in (("zh", 1440), ("en", 390)):
        context = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": width, "height": 900})
        page = context.new_page()
        login(page, MANAGER.username, MANAGER.password)
        if lang == "en":
            page.goto("/lang/en")
        page.goto("/drills")
        page.select_option("select[name=scenario_id]", SCENARIO)
        suggestion = page.locator("#suggested-pass-score")
        suggestion.wait_for()
        assert "50" in suggestion.inner_text()  # bests 22, 48, 61: the 60th percentile 50.6, rounded to 50
        assert page.locator("#guidance svg").count() == 1
        page.locator("#new-drill").screenshot(path=str(SHOTS / f"drill_guidance_{lang}_{width}.png"))
        context.close()
