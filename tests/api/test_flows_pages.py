"""The flow and pipeline pages through the web session: start, answer as a chat, results, exports, who sees what."""

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.flows.definitions import FLOW_IDS
from app.flows.service import load_record
from app.i18n import translate
from app.models import CoachingNote, FlowRun, Opportunity, Role
from app.web.templating import templates
from tests.utils.factories import auth_headers, csrf_from, make_opportunity, make_user, web_login
from tests.utils.flows import DRAGON_SCRIPT, FIVEK_AT_M50, OPPORTUNITY_SCRIPT, SPIN_SCRIPT, STAKEHOLDER_SCRIPT, run_flow

SCRIPTS = {
    "spin_call_plan": SPIN_SCRIPT,
    "dragon_diagnosis": DRAGON_SCRIPT,
    "stakeholder_map": STAKEHOLDER_SCRIPT,
    "fivek_intensity": FIVEK_AT_M50,
    "opportunity_check": OPPORTUNITY_SCRIPT,
}


@pytest.fixture
def browser(client, rep) -> TestClient:
    """The test client signed in through the login form, as the rep."""
    web_login(client, rep.username)
    return client


def token(client: TestClient) -> str:
    return csrf_from(client.get("/flows").text)


def start(client: TestClient, flow_id: str, **fields) -> str:
    response = client.post(
        "/flows/start", data={"csrf_token": token(client), "flow_id": flow_id, **fields}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return response.headers["location"].split("#")[0]


def say(client: TestClient, run_url: str, *answers: str, **extra) -> object:
    return client.post(
        f"{run_url}/answer",
        data={"csrf_token": token(client), "answer": list(answers), **extra},
        follow_redirects=False,
    )


def test_pages_need_a_login(client):
    for path in ("/flows", "/pipeline", "/flows/runs/1"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/login"


def test_picker_lists_the_flows_and_your_deals(browser, session, rep):
    make_opportunity(session, rep, account="华东精工", name="ERP 升级")
    page = browser.get("/flows").text
    for flow_id in FLOW_IDS:
        assert f'name="flow_id" value="{flow_id}"' in page
    assert "华东精工 · ERP 升级" in page and "不关联商机" in page


def test_starting_with_a_new_deal_creates_and_attaches_it(browser, session, rep):
    run_url = start(
        browser,
        "fivek_intensity",
        new_account="华东精工",
        new_name="ERP 升级",
        new_amount="850000",
        new_expected_close="2027-03-31",
    )
    opportunity = session.exec(select(Opportunity)).one()
    assert (opportunity.account, opportunity.amount, str(opportunity.expected_close)) == (
        "华东精工",
        850000,
        "2027-03-31",
    )
    page = browser.get(run_url).text
    # The deal answered "which customer" and "how much": the rep is not asked again, the chat shows the answers.
    assert "华东精工 · ERP 升级" in page and "850000" in page
    assert 'name="answer"' in page and "哪个客户、哪个机会？</textarea>" not in page
    run = session.exec(select(FlowRun)).one()
    assert run.state["engine"]["answers"]["account"] == "华东精工 · ERP 升级"
    assert run.state["engine"]["answers"]["amount"] in ("850000", 850000, 850000.0)


def test_an_invalid_new_deal_is_422_and_keeps_the_form(browser):
    response = browser.post(
        "/flows/start",
        data={
            "csrf_token": token(browser),
            "flow_id": "fivek_intensity",
            "new_account": "华东精工",
            "new_amount": "-3",
        },
    )
    assert response.status_code == 422
    assert translate("flows.new_opportunity.invalid", "zh") in response.text and 'value="华东精工"' in response.text


def test_csrf_is_required(browser):
    response = browser.post("/flows/start", data={"flow_id": "fivek_intensity"})
    assert response.status_code == 403


def test_chat_answers_probe_skip_and_errors(browser):
    run_url = start(browser, "spin_call_plan")
    assert say(browser, run_url, "华东精工汽车零部件，生产副总李建国").status_code == 303
    page = browser.get(run_url).text
    assert 'value="manufacturing_erp"' in page and "制造业 / ERP" in page  # a choice comes as buttons
    say(browser, run_url, "manufacturing_erp")
    say(browser, run_url, "no")
    page = browser.get(run_url).text
    assert 'id="skip"' in page  # "what did they agree last time" is optional
    say(browser, run_url, skip="1")
    assert "（跳过）" in browser.get(run_url).text

    thin = say(browser, run_url, "用金蝶K3")
    assert thin.status_code == 303
    page = browser.get(run_url).text
    assert 'class="bubble coach probe"' in page and "没有要补充的" in page

    # A reply too long for the API's limit, then a list over the step's own limit: 422 with the reason.
    assert say(browser, run_url, "长" * 2001).status_code == 422
    say(browser, run_url, "三个工厂共1200人，K3用了八年，没有和MES打通。")
    too_many = say(browser, run_url, "\n".join(f"问题{i}？" for i in range(9)))
    assert too_many.status_code == 422 and "最多 8 项。" in too_many.text
    assert "问题8？" in too_many.text  # the draft is kept for fixing


def test_multi_choice_sends_every_ticked_box(browser, session):
    run_url = start(browser, "dragon_diagnosis")
    say(browser, run_url, "华东精工 ERP 升级项目")
    page = browser.get(run_url).text
    assert page.count('type="checkbox" name="answer"') == 6
    assert say(browser, run_url, "dragon.step.customer_analysis", "dragon.step.build_trust").status_code == 303
    run = session.get(FlowRun, int(run_url.rsplit("/", 1)[1]))
    assert load_record(run).engine.answers["markers_reached"] == [
        "dragon.step.customer_analysis",
        "dragon.step.build_trust",
    ]


def test_back_pause_and_resume_buttons(browser):
    run_url = start(browser, "opportunity_check")
    say(browser, run_url, "华东精工")
    csrf = token(browser)
    assert browser.post(f"{run_url}/back", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    assert 'id="back-button"' not in browser.get(run_url).text  # back at the first question
    browser.post(f"{run_url}/pause", data={"csrf_token": csrf})
    page = browser.get(run_url).text
    assert 'id="resume-button"' in page and 'id="answer"' not in page and "已暂停" in page
    browser.post(f"{run_url}/resume", data={"csrf_token": csrf})
    assert 'id="answer"' in browser.get(run_url).text


@pytest.mark.parametrize("flow_id", FLOW_IDS)
def test_every_result_page_links_its_note_exports(browser, client, rep, session, flow_id):
    reply = run_flow(client, auth_headers(client, rep), flow_id, SCRIPTS[flow_id])
    page = browser.get(f"/flows/runs/{reply['run_id']}").text
    assert f'data-flow="{flow_id}"' in page and "已完成" in page
    result = reply["result"]
    assert result["account"] in page
    links = dict(re.findall(r'<a href="([^"]+)" id="(export-md|export-csv)"', page))
    assert {v: k for k, v in links.items()} == {
        "export-md": f"/notes/{reply['note_id']}/export?format=md",
        "export-csv": f"/notes/{reply['note_id']}/export?format=csv",
    }
    markdown = browser.get(f"/notes/{reply['note_id']}/export?format=md")
    assert markdown.status_code == 200 and markdown.headers["content-type"].startswith("text/markdown")
    assert "attachment" in markdown.headers["content-disposition"]
    assert result["account"] in markdown.text
    exported = browser.get(f"/notes/{reply['note_id']}/export?format=csv")
    rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert exported.status_code == 200 and len(rows) > 2


def test_fivek_result_page_numbers_and_chart(browser, client, rep):
    reply = run_flow(client, auth_headers(client, rep), "fivek_intensity", FIVEK_AT_M50)
    page = browser.get(f"/flows/runs/{reply['run_id']}").text
    assert re.search(r'id="fivek-total">76<', page)
    assert 'id="fivek-probability">50%<' in page and "¥425,000" in page
    assert "<svg" in page and "<script" not in page.split('id="fivek-chart"')[1].split("</div>")[0]


def test_user_text_is_escaped(browser):
    run_url = start(browser, "opportunity_check")
    say(browser, run_url, "<script>alert('x')</script>华东")
    page = browser.get(run_url).text
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_manager_reads_a_team_run_but_cannot_answer_and_others_get_404(client, session, rep):
    run_id = run_flow(client, auth_headers(client, rep), "fivek_intensity", FIVEK_AT_M50)["run_id"]
    open_run = client.post("/api/flows/opportunity_check/runs", json={}, headers=auth_headers(client, rep)).json()
    manager = make_user(session, Role.manager, team="A组")
    outsider = make_user(session, Role.rep, team="华南组")

    web_login(client, manager.username)
    assert client.get(f"/flows/runs/{run_id}").status_code == 200
    page = client.get(f"/flows/runs/{open_run['run_id']}").text
    assert "只读" in page and 'id="answer"' not in page
    forbidden = client.post(
        f"/flows/runs/{open_run['run_id']}/answer", data={"csrf_token": csrf_from(page), "answer": "华东精工"}
    )
    assert forbidden.status_code == 403

    client.cookies.clear()
    web_login(client, outsider.username)
    assert client.get(f"/flows/runs/{run_id}").status_code == 404


def test_pipeline_page_shows_the_funnel_and_adds_deals(browser, client, rep, session):
    reply = client.post(
        "/api/opportunities", json={"account": "华东精工", "amount": 850000}, headers=auth_headers(client, rep)
    ).json()
    run_flow(client, auth_headers(client, rep), "fivek_intensity", FIVEK_AT_M50, opportunity_id=reply["id"])
    page = browser.get("/pipeline").text
    assert 'id="funnel"' in page and "<svg" in page and "¥425,000" in page
    added = browser.post(
        "/pipeline/opportunities",
        data={"csrf_token": csrf_from(page), "account": "苏州电子", "amount": "200000"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    assert "苏州电子" in browser.get("/pipeline").text
    bad = browser.post("/pipeline/opportunities", data={"csrf_token": csrf_from(page), "account": " "})
    assert bad.status_code == 422


def test_manager_pipeline_filter_and_foreign_rep_404(client, session, rep):
    client.post("/api/opportunities", json={"account": "华东精工"}, headers=auth_headers(client, rep))
    manager = make_user(session, Role.manager, team="A组")
    stranger = make_user(session, Role.rep, team="华南组")
    web_login(client, manager.username)
    page = client.get("/pipeline").text
    assert 'id="rep-filter"' in page and "华东精工" in page
    assert "华东精工" in client.get(f"/pipeline?owner_id={rep.id}").text
    assert client.get(f"/pipeline?owner_id={stranger.id}").status_code == 404


@pytest.mark.parametrize("flow_id", FLOW_IDS)
def test_notes_page_partials_render_from_the_note_alone(client, rep, session, flow_id):
    """notes/flow_<id>.html is included by the notes page with only `note` (and the shell's context)."""
    reply = run_flow(client, auth_headers(client, rep), flow_id, SCRIPTS[flow_id])
    note = session.get(CoachingNote, reply["note_id"])
    for lang in ("zh", "en"):
        html = templates.env.get_template(f"notes/flow_{flow_id}.html").render(
            note=note, lang=lang, t=lambda key, **values: translate(key, lang, **values)
        )
        assert f'data-flow="{flow_id}"' in html and note.data["result"]["account"] in html
        assert "flows." not in re.sub(r"<[^>]+>", "", html), "every UI string has a translation"


def test_deal_rows_link_to_their_flow_results(browser, client, rep):
    """The pipeline links each deal to its finished flows; a run started on the deal skips its name and amount."""
    headers = auth_headers(client, rep)
    deal = client.post(
        "/api/opportunities", json={"account": "华东精工", "name": "ERP 升级", "amount": 850000}, headers=headers
    ).json()
    started = client.post("/api/flows/fivek_intensity/runs", json={"opportunity_id": deal["id"]}, headers=headers)
    assert started.json()["step"]["id"] not in ("account", "amount")
    reply = run_flow(client, headers, "fivek_intensity", FIVEK_AT_M50, opportunity_id=deal["id"])
    page = browser.get("/pipeline").text
    row = page[page.index(f'data-deal="{deal["id"]}"') :]
    row = row[: row.index("</tr>")]
    assert f'href="/flows/runs/{reply["run_id"]}"' in row and "5K 销售强度评分" in row
    assert f'href="/flows/runs/{started.json()["run_id"]}"' not in row, "an unfinished run has no result yet"
    assert 'data-confirm="确认“华东精工”已经签约赢单？' in row
