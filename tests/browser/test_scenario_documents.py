"""In Chromium: in the scenario editor a manager picks a team document, sees its key sentences, adds the checked
ones to "our offering", saves, and the saved scenario carries them."""

import httpx
import pytest

from tests.utils.browser import SHOTS, fill_editor, login
from tests.utils.documents import WMS_PRODUCT_MD as PRODUCT_MD
from tests.utils.scenario_library import AUTHORED_FORM

pytestmark = pytest.mark.browser


def test_manager_fills_our_offering_from_a_team_document(page, live_server):
    with httpx.Client(base_url=live_server, timeout=30) as api:
        token = api.post("/api/auth/token", data={"username": "manager", "password": "manager-demo-2026"}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        created = api.post("/api/knowledge/documents", files={"file": ("wms.md", PRODUCT_MD.encode())}, headers=headers)
        assert created.status_code == 201, created.text
    login(page, "manager", "manager-demo-2026")
    page.goto("/scenarios/new")
    fill_editor(page, AUTHORED_FORM)
    form = page.locator("#scenario-form")
    page.click("#team-documents summary")
    page.locator("#document-choice").select_option(label="wms")
    page.click("#show-document-facts")
    facts = page.locator("#document-facts-list .document-fact")
    facts.first.wait_for()
    # keep only the sentence about stock-taking accuracy
    for index in range(facts.count()):
        box = facts.nth(index)
        if "盘点误差" not in box.get_attribute("value"):
            box.uncheck()
    page.locator("#document-facts-target").select_option("our_offering")
    page.click("#insert-document-facts")
    offering = form.locator("[name='our_offering']").input_value()
    assert offering.startswith(AUTHORED_FORM["our_offering"]) and "盘点误差低于 0.5%" in offering
    assert "波次拣货" not in offering
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "scenario_team_documents.png"), full_page=True)
    page.click("#save-scenario")
    page.wait_for_url("**/edit?saved=1")
    assert "盘点误差低于 0.5%" in page.locator("[name='our_offering']").input_value()
