"""Tests for the playbook loader and the real playbooks/*.yaml files."""

import shutil
from pathlib import Path

import pytest
import yaml

from app.playbook import Element, PlaybookError, get_playbook, load_playbook
from app.playbook.models import SEED_FILES

REPO_PLAYBOOKS = Path(__file__).resolve().parents[2] / "playbooks"
SEEDS_DIR = Path("/work/shared/seeds")

CONTRACT_IDS = [
    "spin.situation",
    "spin.problem",
    "spin.implication",
    "spin.need_payoff",
    "dragon.step.customer_analysis",
    "dragon.step.build_trust",
    "dragon.step.uncover_needs",
    "dragon.step.present_value",
    "dragon.step.win_commitment",
    "dragon.step.follow_up",
    "dragon.relation.acquainted",
    "dragon.relation.dating",
    "dragon.relation.trust",
    "dragon.relation.alliance",
    "dragon.opportunity.is_real",
    "dragon.opportunity.can_solve",
    "dragon.opportunity.can_win",
    "dragon.opportunity.worth_it",
    "org.level.operational",
    "org.level.management",
    "org.level.decision",
    "org.role.initiator",
    "org.role.decision_maker",
    "org.role.user",
    "org.role.designer",
    "org.role.evaluator",
    "style.analytical",
    "style.driver",
    "style.expressive",
    "style.amiable",
    *[f"fivedim.maslow.{k}" for k in ("physiological", "safety", "belonging", "esteem", "self_actualization")],
    *[f"fivedim.change.{k}" for k in ("innovator", "visionary", "pragmatist", "conservative", "laggard")],
    *[f"fivedim.focus.{k}" for k in ("business", "technical", "financial", "relationship")],
    *[f"fivedim.closeness.{k}" for k in ("none", "few", "many", "deep")],
    *[f"fivedim.attitude.{k}" for k in ("coach", "supporter", "neutral", "non_supporter", "opponent")],
]


def test_real_playbook_loads_and_is_cached():
    playbook = get_playbook()
    assert playbook is get_playbook()
    assert len(playbook.ids()) > 100


@pytest.mark.parametrize("element_id", CONTRACT_IDS)
def test_contract_id_exists(element_id):
    element = get_playbook().element(element_id)
    assert isinstance(element, Element)
    assert element.id == element_id
    assert element.name_zh and element.name_en and element.description


def test_every_element_cites_a_seed_file():
    for element in get_playbook().elements():
        assert element.source in SEED_FILES, element.id


def test_seed_file_list_matches_seed_directory():
    if not SEEDS_DIR.is_dir():
        pytest.skip("seed directory not available")
    assert {p.name for p in SEEDS_DIR.glob("*.txt")} == SEED_FILES


def test_unknown_id_raises_key_error():
    with pytest.raises(KeyError):
        get_playbook().element("spin.nonexistent")


def test_spin_types_have_examples_per_context():
    spin = get_playbook().spin
    assert [t.letter for t in spin.types] == ["S", "P", "I", "N"]
    for spin_type in spin.types:
        for context in spin.contexts:
            assert len(spin_type.examples[context.key].zh) >= 3, (spin_type.id, context.key)


def test_dragon_steps_chain_their_markers():
    steps = get_playbook().dragon.steps
    assert [s.order for s in steps] == [1, 2, 3, 4, 5, 6]
    for earlier, later in zip(steps, steps[1:]):
        assert earlier.end_marker.zh == later.start_marker.zh
    assert all(len(step.moves) == 4 for step in steps)


# ------------------------------------------------------------ malformed files


def _copy_playbooks(tmp_path: Path) -> Path:
    target = tmp_path / "playbooks"
    target.mkdir()
    for file in REPO_PLAYBOOKS.glob("*.yaml"):
        shutil.copy(file, target / file.name)
    return target


def _edit(directory: Path, file_name: str, change) -> None:
    path = directory / file_name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_copied_playbooks_load(tmp_path):
    directory = _copy_playbooks(tmp_path)
    assert load_playbook(directory).ids() == get_playbook().ids()


def test_wrong_type_names_file_path_and_reason(tmp_path):
    directory = _copy_playbooks(tmp_path)
    _edit(directory, "spin.yaml", lambda d: d["spin"]["types"][2].update(cues_zh="影响"))
    with pytest.raises(PlaybookError) as caught:
        load_playbook(directory)
    error = caught.value
    assert (error.file, error.path) == ("spin.yaml", "spin.types[2].cues_zh")
    assert "list" in error.reason.lower()
    assert "spin.yaml: spin.types[2].cues_zh:" in str(error)


def test_typo_key_is_rejected(tmp_path):
    directory = _copy_playbooks(tmp_path)
    _edit(directory, "dragon.yaml", lambda d: d["dragon"]["steps"][0].update(start_markr={"zh": "x", "en": "x"}))
    with pytest.raises(PlaybookError) as caught:
        load_playbook(directory)
    assert caught.value.file == "dragon.yaml"
    assert caught.value.path == "dragon.steps[0].start_markr"
    assert "extra" in caught.value.reason.lower()


def test_missing_field_is_rejected(tmp_path):
    directory = _copy_playbooks(tmp_path)
    _edit(directory, "fivedim.yaml", lambda d: d["fivedim"]["attitude"]["levels"][1].pop("name_en"))
    with pytest.raises(PlaybookError) as caught:
        load_playbook(directory)
    assert caught.value.path == "fivedim.attitude.levels[1].name_en"
    assert "required" in caught.value.reason.lower()


def test_unknown_source_is_rejected(tmp_path):
    directory = _copy_playbooks(tmp_path)
    _edit(directory, "extras.yaml", lambda d: d["extras"]["approach_methods"][3].update(source="my_notes.txt"))
    with pytest.raises(PlaybookError) as caught:
        load_playbook(directory)
    assert (caught.value.file, caught.value.path) == ("extras.yaml", "extras.approach_methods[3].source")
    assert "seed" in caught.value.reason


def test_bad_id_format_is_rejected(tmp_path):
    directory = _copy_playbooks(tmp_path)
    _edit(directory, "ces.yaml", lambda d: d["ces"]["roles"][0].update(id="CES Coach"))
    with pytest.raises(PlaybookError) as caught:
        load_playbook(directory)
    assert caught.value.path == "ces.roles[0].id"


def test_duplicate_id_across_files_fails(tmp_path):
    directory = _copy_playbooks(tmp_path)
    # spin.yaml loads after ces.yaml (name order), so the copy in spin.yaml is the one reported
    _edit(directory, "spin.yaml", lambda d: d["spin"]["contexts"][0].update(id="ces.method"))
    with pytest.raises(PlaybookError) as caught:
        load_playbook(directory)
    assert (caught.value.file, caught.value.path) == ("spin.yaml", "spin.contexts[0]")
    assert "duplicate id 'ces.method'" in caught.value.reason
    assert "ces.yaml: ces.method" in caught.value.reason


def test_duplicate_id_within_file_fails(tmp_path):
    directory = _copy_playbooks(tmp_path)
    _edit(directory, "ces.yaml", lambda d: d["ces"]["steps"][1].update(id="ces.step.prepare"))
    with pytest.raises(PlaybookError) as caught:
        load_playbook(directory)
    assert caught.value.path == "ces.steps[1]"
    assert "duplicate" in caught.value.reason


def test_invalid_yaml_names_file_and_line(tmp_path):
    directory = _copy_playbooks(tmp_path)
    (directory / "broken.yaml").write_text("extras:\n  key_factors: [a, b\n", encoding="utf-8")
    with pytest.raises(PlaybookError) as caught:
        load_playbook(directory)
    assert caught.value.file == "broken.yaml"
    assert "line" in caught.value.reason


def test_unknown_and_repeated_sections_fail(tmp_path):
    directory = _copy_playbooks(tmp_path)
    (directory / "zz.yaml").write_text("spinn: {}\n", encoding="utf-8")
    with pytest.raises(PlaybookError, match="unknown section"):
        load_playbook(directory)
    (directory / "zz.yaml").write_text(
        yaml.safe_dump(
            {"styles": yaml.safe_load((directory / "dragon.yaml").read_text())["styles"]}, allow_unicode=True
        ),
        encoding="utf-8",
    )
    with pytest.raises(PlaybookError, match="already defined in dragon.yaml"):
        load_playbook(directory)


def test_missing_section_fails(tmp_path):
    directory = _copy_playbooks(tmp_path)
    (directory / "ces.yaml").unlink()
    with pytest.raises(PlaybookError, match="missing sections .*ces"):
        load_playbook(directory)


def test_list_length_constraint_of_top_section(tmp_path):
    directory = _copy_playbooks(tmp_path)
    _edit(directory, "dragon.yaml", lambda d: d["styles"].pop())
    with pytest.raises(PlaybookError) as caught:
        load_playbook(directory)
    assert (caught.value.file, caught.value.path) == ("dragon.yaml", "styles")


def test_fivek_points_must_rise(tmp_path):
    directory = _copy_playbooks(tmp_path)
    _edit(directory, "fivek.yaml", lambda d: d["fivek"]["dimensions"][1]["levels"][3].update(points=3))
    with pytest.raises(PlaybookError) as caught:
        load_playbook(directory)
    assert caught.value.path == "fivek.dimensions[1]"
    assert "rise" in caught.value.reason


def test_milestone_requirement_must_name_a_real_level(tmp_path):
    directory = _copy_playbooks(tmp_path)
    _edit(
        directory,
        "fivek.yaml",
        lambda d: d["milestones"][1]["criteria"][0]["requires"][0].update(level="fivek.power.l99"),
    )
    with pytest.raises(PlaybookError) as caught:
        load_playbook(directory)
    assert (caught.value.file, caught.value.path) == ("fivek.yaml", "milestones[1].criteria[0].requires[0].level")


def test_single_ladder_requirement_cannot_have_side(tmp_path):
    directory = _copy_playbooks(tmp_path)
    _edit(
        directory,
        "fivek.yaml",
        lambda d: d["milestones"][1]["criteria"][0]["requires"][0].update(side="decision_maker"),
    )
    with pytest.raises(PlaybookError, match="single ladder"):
        load_playbook(directory)


# ------------------------------------------------------------ content checks

MORE_CONTRACT_IDS = [
    "fivek.problem",
    "fivek.power",
    "fivek.vision",
    "fivek.value",
    "fivek.control",
    "milestone.m10",
    "milestone.m25",
    "milestone.m50",
    "milestone.m75",
    "milestone.m90",
    "milestone.m100",
    "ces.role.coach",
    "ces.role.supporter",
    "ces.role.consultant",
]


@pytest.mark.parametrize("element_id", MORE_CONTRACT_IDS)
def test_more_contract_ids_exist(element_id):
    assert get_playbook().element(element_id).id == element_id


def test_fivek_level_ids_follow_contract():
    playbook = get_playbook()
    for dimension in playbook.fivek.dimensions:
        for index, level in enumerate(dimension.levels):
            assert playbook.element(f"fivek.{dimension.key}.l{index}") is level


def test_ces_has_prefixed_families():
    ids = get_playbook().ids()
    for prefix, count in (("ces.stage.", 6), ("ces.topsales.", 9), ("ces.step.", 7), ("ces.role.", 3)):
        assert sum(i.startswith(prefix) for i in ids) == count, prefix


def test_completions_are_marked_as_ours():
    playbook = get_playbook()
    for style_id in ("style.expressive", "style.driver"):
        element = playbook.element(style_id)
        assert element.ours and element.note
    assert "13" in playbook.extras.c139.note and playbook.extras.c139.element_count == 14
    assert len(playbook.extras.c139.named_elements) == 1


def test_milestone_probabilities_and_references():
    playbook = get_playbook()
    assert [m.probability for m in playbook.milestones] == [10, 25, 50, 75, 90, 100]
    for milestone in playbook.milestones:
        assert milestone.funnel_stage in playbook.ids()
        assert milestone.buying_cycle_stage in playbook.ids()


def test_every_id_is_unique_and_lowercase_dotted():
    elements = get_playbook().elements()
    assert len({e.id for e in elements}) == len(elements)
    assert all(e.id == e.id.lower() and "." in e.id for e in elements)


def test_section_prefix_is_enforced(tmp_path):
    directory = _copy_playbooks(tmp_path)
    _edit(directory, "ces.yaml", lambda d: d["ces"]["steps"][0].update(id="spin.prepare"))
    with pytest.raises(PlaybookError) as caught:
        load_playbook(directory)
    assert (caught.value.file, caught.value.path) == ("ces.yaml", "ces.steps[0].id")
    assert "'ces.'" in caught.value.reason


def test_every_section_has_an_id_prefix():
    from app.playbook.loader import SECTION_ID_PREFIX
    from app.playbook.models import Playbook

    assert set(SECTION_ID_PREFIX) == set(Playbook.model_fields)
