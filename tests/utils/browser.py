"""What the browser tests share: the demo rep who signs in, where screenshots go, the role-play scenario, saying a line in the chat."""

import re
from pathlib import Path

import httpx

from app.demo import DEMO_TEAM, DEMO_USERS
from app.roleplay.scenarios import get_scenario, load_scenarios
from tests.utils.scripted_reps import weak_rep_lines

REP = next(u for u in DEMO_USERS if u.username == "rep1")


SHOTS = Path("/tmp/shots")


SCENARIO = load_scenarios()["mfg_vitamin_erp"]

# (button value to click) for each choice question of the 5K flow, in the order the coach asks them.
FIVEK_CHOICES = [
    "fivek.power.l4",
    "fivek.problem.l5",
    "decision_maker",
    "fivek.vision.l3",
    "decision_maker",
    "fivek.value.l2",
    "decision_maker",
    "fivek.control.l4",
]


def say(page, text: str) -> None:
    """Send one message and wait until the buyer's streamed reply has been replaced by the stored one."""
    replies = page.locator("#chat .bubble.buyer:not(.streaming)")
    before = replies.count()
    page.fill("#composer-form textarea", text)
    page.click("#send-button")
    page.wait_for_function(
        "n => document.querySelectorAll('#chat .bubble.buyer:not(.streaming)').length > n"
        " && !document.querySelector('#chat .bubble.streaming')",
        arg=before,
    )


def login(page, username: str, password: str) -> None:
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def fact_row(page, category: str, index: int):
    """The editor's fact row `index` of a category, added with the category's button until it exists."""
    group = page.locator(f".fact-group[data-category='{category}']")
    row = group.locator(f".fact-slot[data-index='{index}']")
    while row.count() == 0:
        group.locator(".add-fact").click()
    return row


def fill_editor(page, values: dict[str, str]) -> None:
    """Type a form's values into the editor as a person would: selects, radio choices, added fact rows."""
    form = page.locator("#scenario-form")
    for name, value in values.items():
        if name == "team" or not value:
            continue
        if name.startswith("fact_"):
            category, index = re.match(r"fact_(\w+?)_(\d+)_", name).groups()
            fact_row(page, category, int(index))
        field = form.locator(f"[name='{name}']")
        if field.count() > 1:  # a radio group (the five dimensions)
            form.locator(f"[name='{name}'][value='{value}']").check()
        elif field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


# --- drills through the API of the live server (the browser tests' set-up) ---------------------------------

MANAGER = next(u for u in DEMO_USERS if u.username == "manager")
REVIEW_SCENARIO = "retail_member_marketing"


def api_client(live_server: str, user) -> httpx.Client:
    """An API client signed in as `user` (a demo user with its password) on the live server."""
    token = httpx.post(f"{live_server}/api/auth/token", data={"username": user.username, "password": user.password})
    return httpx.Client(
        base_url=live_server, timeout=30, headers={"Authorization": f"Bearer {token.json()['access_token']}"}
    )


def play_drill(api: httpx.Client, drill_id: int, lines: list[str]) -> int:
    """An attempt on the drill saying `lines` until the buyer ends the call, finished; its role-play id."""
    roleplay_id = api.post("/api/roleplays", json={"drill_id": drill_id}).json()["id"]
    for line in lines:
        if api.post(f"/api/roleplays/{roleplay_id}/turns", json={"text": line}).json()["state"]["finished"]:
            break
    api.post(f"/api/roleplays/{roleplay_id}/finish").raise_for_status()
    return roleplay_id


def weak_drill_attempt(live_server, rep, pass_score: int, attempts: int) -> tuple[int, int]:
    """A team drill by the demo manager and the rep's weak, finished attempt on it: (attempt id, coach score)."""
    with api_client(live_server, MANAGER) as manager, api_client(live_server, rep) as rep_api:
        drill_id = manager.post(
            "/api/drills",
            json={
                "scenario_id": REVIEW_SCENARIO,
                "team": DEMO_TEAM,
                "due": "2099-01-31",
                "pass_score": pass_score,
                "attempts": attempts,
            },
        ).json()["id"]
        attempt = play_drill(rep_api, drill_id, weak_rep_lines(get_scenario(REVIEW_SCENARIO)))
        return attempt, rep_api.get(f"/api/roleplays/{attempt}").json()["score"]
