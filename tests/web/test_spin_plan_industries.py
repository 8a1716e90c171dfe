"""The SPIN call plan offers a business context for every industry the practice scenarios cover (UI walk: a
logistics scenario existed but the plan had no logistics choice), each with its own example questions."""

from app.flows.definitions import get_flow
from app.playbook.models import SPIN_CONTEXTS
from app.roleplay.scenarios import load_scenarios
from tests.utils.factories import csrf_from, make_user, web_login


def _industry_options():
    return get_flow("spin_call_plan").step_index()["industry"].options


def test_every_scenario_industry_has_a_context_choice():
    labels = " ".join(option.label_en.lower() for option in _industry_options())
    for scenario in load_scenarios().values():
        first_word = scenario.industry.split()[0].lower()  # "logistics", "education SaaS", "government / …"
        assert first_word in labels, f"{scenario.id}: no choice for {scenario.industry!r}"


def test_each_choice_is_a_spin_context_with_examples():
    assert {option.id for option in _industry_options()} == set(SPIN_CONTEXTS)


def test_the_plan_page_offers_logistics(client, session):
    web_login(client, make_user(session).username)
    started = client.post(
        "/flows/start",
        data={"csrf_token": csrf_from(client.get("/flows").text), "flow_id": "spin_call_plan"},
        follow_redirects=False,
    )
    run_url = started.headers["location"].split("#")[0]
    answer = {"csrf_token": csrf_from(client.get(run_url).text), "answer": "华东物流公司，总经理王总"}
    assert client.post(f"{run_url}/answer", data=answer, follow_redirects=False).status_code == 303
    page = client.get(run_url).text
    assert 'value="logistics"' in page and "物流运输" in page
