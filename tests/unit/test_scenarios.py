"""Role-play scenarios: every YAML file loads and validates, covers the required spread, and hides what it must."""

import json
import shutil
from pathlib import Path

import pytest
import yaml

from app.playbook import get_playbook
from app.roleplay.scenarios import SCENARIO_DIR, ScenarioError, load_scenario_file, load_scenarios, load_scenarios_from

SCENARIOS = load_scenarios()


def test_at_least_eight_scenarios_load():
    assert len(SCENARIOS) >= 8
    assert load_scenarios() is SCENARIOS  # cached


def test_spread_of_styles_roles_difficulties_and_industries():
    styles = {s.persona.communication_style for s in SCENARIOS.values()}
    roles = {s.persona.purchase_role for s in SCENARIOS.values()}
    difficulties = {s.difficulty for s in SCENARIOS.values()}
    assert styles == {"style.analytical", "style.driver", "style.expressive", "style.amiable"}
    assert len(roles) >= 4
    assert difficulties == {"easy", "medium", "hard"}
    industries = " ".join(s.industry for s in SCENARIOS.values())
    for word in ("manufacturing", "bank", "retail", "health", "logistics", "education", "energy"):
        assert word in industries
    assert "government" in industries or "telecom" in industries


def test_vitamin_erp_case_follows_seed_004():
    case = SCENARIOS["mfg_vitamin_erp"]
    text = json.dumps(case.model_dump(), ensure_ascii=False)
    assert "维生素" in text and "分管信息化的副总" in text and "咨询公司" in text
    assert case.persona.title.startswith("信息部负责人")
    assert len(case.competitors) >= 2
    assert "004_090d296c08092e30.txt" in case.source


@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
def test_all_cited_ids_exist_in_the_playbook(scenario_id):
    ids = get_playbook().ids()
    scenario = SCENARIOS[scenario_id]
    persona = scenario.persona
    cited = [*scenario.trains, persona.org_level, persona.purchase_role, persona.communication_style,
             *persona.five_dimensions.model_dump().values()]
    assert [element_id for element_id in cited if element_id not in ids] == []


@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
def test_facts_are_well_formed(scenario_id):
    scenario = SCENARIOS[scenario_id]
    facts = scenario.all_facts()
    first_topics = [fact.topics.zh[0] for fact in facts]
    assert len(first_topics) == len(set(first_topics)), "each fact needs its own first topic keyword"
    # requires form no cycle: walking the requires chain always ends
    by_id = {fact.id: fact for fact in facts}

    def depth(fact_id: str, seen: frozenset[str] = frozenset()) -> int:
        assert fact_id not in seen, f"requires cycle through {fact_id}"
        return 1 + max((depth(r, seen | {fact_id}) for r in by_id[fact_id].requires), default=0)

    for fact in facts:
        depth(fact.id)
    for category in ("situation", "problem", "implication", "need_payoff"):
        assert getattr(scenario.facts, category), f"{category} facts missing"
    assert scenario.success.commitment.keywords


@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
def test_public_view_hides_facts_triggers_and_success(scenario_id):
    scenario = SCENARIOS[scenario_id]
    view = scenario.public_view()
    dumped = json.dumps(view, ensure_ascii=False)
    for fact in scenario.all_facts():
        assert fact.text not in dumped
    for objection in scenario.objections:
        assert objection.text not in dumped
        assert objection.resolved_text not in dumped
    assert scenario.success.commitment.granted_text not in dumped
    assert not {"facts", "objections", "success", "buying_signals"} & set(view)
    assert view["persona"]["name"] == scenario.persona.name
    assert view["opening_line"] == scenario.opening_line


def _copy_with(tmp_path: Path, mutate) -> Path:
    source = SCENARIO_DIR / "bank_retail_crm.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    mutate(data)
    target = tmp_path / "bank_retail_crm.yaml"
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


def test_extra_key_is_an_error_naming_file_and_field(tmp_path):
    path = _copy_with(tmp_path, lambda d: d["persona"].update(mood="grumpy"))
    with pytest.raises(ScenarioError) as error:
        load_scenario_file(path)
    assert "bank_retail_crm.yaml" in str(error.value) and "persona.mood" in str(error.value)


def test_bad_enum_and_missing_field_are_errors(tmp_path):
    path = _copy_with(tmp_path, lambda d: d["persona"].update(communication_style="style.grumpy"))
    with pytest.raises(ScenarioError, match="persona.communication_style"):
        load_scenario_file(path)
    path = _copy_with(tmp_path, lambda d: d.pop("opening_line"))
    with pytest.raises(ScenarioError, match="opening_line"):
        load_scenario_file(path)


def test_unknown_required_fact_is_an_error(tmp_path):
    path = _copy_with(tmp_path, lambda d: d["facts"]["problem"][0].update(requires=["s_nowhere"]))
    with pytest.raises(ScenarioError, match="s_nowhere"):
        load_scenario_file(path)


def test_id_must_match_file_name_and_yaml_must_parse(tmp_path):
    path = _copy_with(tmp_path, lambda d: d.update(id="other_name"))
    with pytest.raises(ScenarioError, match="file name"):
        load_scenario_file(path)
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(ScenarioError, match="broken.yaml"):
        load_scenario_file(broken)


def test_loading_a_directory(tmp_path):
    shutil.copy(SCENARIO_DIR / "logistics_tms.yaml", tmp_path / "logistics_tms.yaml")
    assert list(load_scenarios_from(tmp_path)) == ["logistics_tms"]
    with pytest.raises(ScenarioError):
        load_scenarios_from(tmp_path / "empty")
