"""Tests for the playbook loader and the real playbooks/*.yaml files."""

from pathlib import Path

import pytest

from app.playbook import Element, PlaybookError, get_playbook, load_playbook
from app.playbook.models import SEED_FILES

REPO_PLAYBOOKS = Path(__file__).resolve().parents[2] / "playbooks"
SEEDS_DIR = Path("/work/shared/seeds")

CONTRACT_IDS = [
    "spin.situation", "spin.problem", "spin.implication", "spin.need_payoff",
    "dragon.step.customer_analysis", "dragon.step.build_trust", "dragon.step.uncover_needs",
    "dragon.step.present_value", "dragon.step.win_commitment", "dragon.step.follow_up",
    "dragon.relation.acquainted", "dragon.relation.dating", "dragon.relation.trust",
    "dragon.relation.alliance",
    "dragon.opportunity.is_real", "dragon.opportunity.can_solve", "dragon.opportunity.can_win",
    "dragon.opportunity.worth_it",
    "org.level.operational", "org.level.management", "org.level.decision",
    "org.role.initiator", "org.role.decision_maker", "org.role.user", "org.role.designer",
    "org.role.evaluator",
    "style.analytical", "style.driver", "style.expressive", "style.amiable",
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
