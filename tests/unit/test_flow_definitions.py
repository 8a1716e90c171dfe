"""Flow definition files: the five real flows load and link to the playbook; bad files fail with file + field."""

from pathlib import Path

import pytest
import yaml

from app.flows.definitions import (
    FLOW_IDS,
    FlowDefinitionError,
    check_flow_against_playbook,
    load_flow,
    load_flows,
    playbook_list_ids,
    resolve_options,
)
from app.playbook import get_playbook

MINIMAL_FLOW = {
    "id": "tiny",
    "title_zh": "小流程",
    "title_en": "Tiny",
    "description_zh": "测试用",
    "description_en": "For tests",
    "source": ["001_f8250d52b20618bb.txt"],
    "items": [{"id": "account", "prompt_zh": "客户？", "prompt_en": "Account?", "type": "text"}],
}


def _write(tmp_path: Path, data: dict, name: str = "tiny.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_all_five_flows_load_with_fixed_ids():
    flows = load_flows()
    assert set(FLOW_IDS) <= set(flows)


@pytest.mark.parametrize("flow_id", FLOW_IDS)
def test_flow_links_to_playbook(flow_id):
    flows = load_flows()
    assert check_flow_against_playbook(flows[flow_id], get_playbook()) == []


def test_minimal_flow_loads(tmp_path):
    flow = load_flow(_write(tmp_path, MINIMAL_FLOW))
    assert flow.id == "tiny" and flow.items[0].id == "account"


def test_extra_key_names_file_and_field(tmp_path):
    data = {**MINIMAL_FLOW, "items": [{**MINIMAL_FLOW["items"][0], "promt_zh": "typo"}]}
    with pytest.raises(FlowDefinitionError) as error:
        load_flow(_write(tmp_path, data))
    assert "tiny.yaml" in str(error.value) and "items[0].promt_zh" in str(error.value)


def test_bad_probe_field_names_nested_path(tmp_path):
    step = {**MINIMAL_FLOW["items"][0], "probe": {"text_zh": "再说说", "text_en": "More?", "min_chars": "many"}}
    with pytest.raises(FlowDefinitionError) as error:
        load_flow(_write(tmp_path, {**MINIMAL_FLOW, "items": [step]}))
    assert "items[0].probe.min_chars" in str(error.value)


def test_group_step_error_path(tmp_path):
    group = {
        "group": "people",
        "label_zh": "人",
        "label_en": "Person",
        "more_prompt_zh": "还有吗？",
        "more_prompt_en": "More?",
        "steps": [{"id": "name", "prompt_zh": "姓名", "prompt_en": "Name", "type": "sentence"}],
    }
    with pytest.raises(FlowDefinitionError) as error:
        load_flow(_write(tmp_path, {**MINIMAL_FLOW, "items": [group]}))
    assert "tiny.yaml: items[0].steps[0].type" in str(error.value)


def test_choice_without_options_fails(tmp_path):
    step = {"id": "pick", "prompt_zh": "选", "prompt_en": "Pick", "type": "choice"}
    with pytest.raises(FlowDefinitionError, match="needs options"):
        load_flow(_write(tmp_path, {**MINIMAL_FLOW, "items": [step]}))


def test_when_must_point_backwards(tmp_path):
    first = {**MINIMAL_FLOW["items"][0], "when": {"step": "later", "equals": "x"}}
    later = {"id": "later", "prompt_zh": "后", "prompt_en": "Later", "type": "text"}
    with pytest.raises(FlowDefinitionError, match="not an earlier step"):
        load_flow(_write(tmp_path, {**MINIMAL_FLOW, "items": [first, later]}))


def test_unknown_source_file_fails(tmp_path):
    with pytest.raises(FlowDefinitionError, match="source"):
        load_flow(_write(tmp_path, {**MINIMAL_FLOW, "source": ["999_made_up.txt"]}))


def test_id_must_match_file_name(tmp_path):
    with pytest.raises(FlowDefinitionError, match="does not match"):
        load_flow(_write(tmp_path, MINIMAL_FLOW, name="other.yaml"))


def test_duplicate_step_id_fails(tmp_path):
    step = MINIMAL_FLOW["items"][0]
    with pytest.raises(FlowDefinitionError, match="duplicate"):
        load_flow(_write(tmp_path, {**MINIMAL_FLOW, "items": [step, step]}))


def test_playbook_lists_in_contract_order():
    playbook = get_playbook()
    assert playbook_list_ids("fivedim.attitude", playbook) == [
        "fivedim.attitude.coach",
        "fivedim.attitude.supporter",
        "fivedim.attitude.neutral",
        "fivedim.attitude.non_supporter",
        "fivedim.attitude.opponent",
    ]
    power_levels = playbook_list_ids("fivek.power", playbook)
    assert power_levels[0] == "fivek.power.l0" and power_levels == [
        f"fivek.power.l{i}" for i in range(len(power_levels))
    ]
    assert playbook_list_ids("no.such.list", playbook) == []


def test_fivek_options_show_points_from_the_playbook():
    playbook = get_playbook()
    step = load_flows()["fivek_intensity"].step_index()["problem_level"]
    options = resolve_options(step, playbook)
    top = playbook.element("fivek.problem.l5")
    assert options[-1][0] == "fivek.problem.l5"
    assert f"{top.points_contact}" in options[-1][1] and f"{top.points_decision_maker}" in options[-1][1]


def test_unquoted_yes_no_in_when_is_caught(tmp_path):
    first = {
        "id": "met",
        "prompt_zh": "见过吗",
        "prompt_en": "Met?",
        "type": "choice",
        "options": [
            {"id": "yes", "label_zh": "是", "label_en": "Yes"},
            {"id": "no", "label_zh": "否", "label_en": "No"},
        ],
    }
    later = {
        "id": "why",
        "prompt_zh": "为什么",
        "prompt_en": "Why",
        "type": "text",
        "when": {"step": "met", "equals": False},
    }
    with pytest.raises(FlowDefinitionError, match="quote"):
        load_flow(_write(tmp_path, {**MINIMAL_FLOW, "items": [first, later]}))
