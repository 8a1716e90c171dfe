"""Tests for 5K sales-intensity scoring and milestone detection (app/coaching/intensity.py)."""

import re

import pytest

import app.coaching.intensity as intensity_module
from app.coaching.intensity import score_intensity, weighted_forecast
from app.playbook import get_playbook

# The tables of 002 (销售强度评分), transcribed by hand: (contact, decision maker) or single points.
TABLES_002 = {
    "problem": [(0, 12), (2, 13), (4, 14), (6, 16), (8, 18), (10, 20)],
    "power": [0, 4, 8, 9, 10, 14, 16, 20],
    "vision": [(0, 8), (2, 10), (4, 15), (6, 20)],
    "value": [(0, 8), (1, 10), (2, 12), (3, 14), (4, 16), (5, 18), (6, 20)],
    "control": [0, 4, 8, 10, 14, 16, 20],
}
DM = "decision_maker"


@pytest.mark.parametrize("key", list(TABLES_002))
def test_yaml_tables_equal_002(key):
    dimension = get_playbook().fivek.dimension(key)
    expected = TABLES_002[key]
    if isinstance(expected[0], tuple):
        actual = [(lv.points_contact, lv.points_decision_maker) for lv in dimension.levels]
    else:
        actual = [lv.points for lv in dimension.levels]
    assert actual == expected


@pytest.mark.parametrize("key", ["problem", "vision", "value"])
def test_every_two_column_level_scores_as_table(key):
    for index, (contact, decision_maker) in enumerate(TABLES_002[key]):
        level = {key: f"fivek.{key}.l{index}"}
        assert score_intensity(level).points[key] == contact
        assert score_intensity(level, {key: DM}).points[key] == decision_maker


@pytest.mark.parametrize("key", ["power", "control"])
def test_every_single_ladder_level_scores_as_table(key):
    for index, points in enumerate(TABLES_002[key]):
        result = score_intensity({key: f"fivek.{key}.l{index}"}, {key: DM})  # side is ignored
        assert result.points[key] == points


def test_nothing_reached():
    result = score_intensity({})
    assert result.total == 0
    assert result.milestone_id is None and result.probability == 0
    assert result.next_milestone_id == "milestone.m10"
    assert len(result.unmet_criteria) == 3
    assert [c.zh for c in result.manual_checks] == ["经办人同意继续探究"]


def test_qualified_prospect_m10():
    # problem l5 contact 10 + vision l3 contact 6 + power l2 8 + value l0 0 + control l0 0 = 24
    result = score_intensity({"problem": "fivek.problem.l5", "vision": "fivek.vision.l3", "power": "fivek.power.l2"})
    assert result.total == 24
    assert (result.milestone_id, result.probability) == ("milestone.m10", 10)
    assert result.next_milestone_id == "milestone.m25"
    assert [c.requires for c in result.unmet_criteria] == [
        ["fivek.power.l3"],
        ["fivek.control.l1"],
        ["fivek.control.l2"],
    ]


def test_qualified_contact_m25():
    # 10 + power l3 9 + vision 6 + value l1 contact 1 + control l2 8 = 34
    result = score_intensity(
        {
            "problem": "fivek.problem.l5",
            "power": "fivek.power.l3",
            "vision": "fivek.vision.l3",
            "value": "fivek.value.l1",
            "control": "fivek.control.l2",
        }
    )
    assert result.total == 34
    assert result.milestone_id == "milestone.m25"
    assert len(result.unmet_criteria) == 5  # nothing of m50 is met yet


def test_qualified_decision_maker_m50():
    # problem dm 20 + power l4 10 + vision dm 20 + value l2 dm 12 + control l4 14 = 76
    result = score_intensity(
        {
            "problem": "fivek.problem.l5",
            "power": "fivek.power.l4",
            "vision": "fivek.vision.l3",
            "value": "fivek.value.l2",
            "control": "fivek.control.l4",
        },
        {"problem": DM, "vision": DM, "value": DM},
    )
    assert result.points == {"problem": 20, "power": 10, "vision": 20, "value": 12, "control": 14}
    assert result.total == 76
    assert (result.milestone_id, result.probability) == ("milestone.m50", 50)
    assert [c.requires for c in result.unmet_criteria] == [
        ["fivek.control.l5", "fivek.value.l5@decision_maker"],
        ["fivek.power.l6"],
    ]


def test_vision_only_with_contact_blocks_m50():
    # same as m50 but the vision was agreed with the contact only: 20 + 10 + 6 + 12 + 14 = 62
    result = score_intensity(
        {
            "problem": "fivek.problem.l5",
            "power": "fivek.power.l4",
            "vision": "fivek.vision.l3",
            "value": "fivek.value.l2",
            "control": "fivek.control.l4",
        },
        {"problem": DM, "value": DM},
    )
    assert result.total == 62
    assert result.milestone_id == "milestone.m25"
    assert [c.zh for c in result.unmet_criteria] == ["决策者拥有有价值的购买愿景"]


def test_decision_stage_m75():
    # 20 + power l6 16 + 20 + value l5 dm 18 + control l5 16 = 90
    result = score_intensity(
        {
            "problem": "fivek.problem.l5",
            "power": "fivek.power.l6",
            "vision": "fivek.vision.l3",
            "value": "fivek.value.l5",
            "control": "fivek.control.l5",
        },
        {"problem": DM, "vision": DM, "value": DM},
    )
    assert result.total == 90
    assert result.milestone_id == "milestone.m75"
    assert result.next_milestone_id == "milestone.m90"
    assert len(result.unmet_criteria) == 4


def test_everything_reached_stops_at_m90():
    result = score_intensity(
        {
            "problem": "fivek.problem.l5",
            "power": "fivek.power.l7",
            "vision": "fivek.vision.l3",
            "value": "fivek.value.l6",
            "control": "fivek.control.l6",
        },
        {"problem": DM, "vision": DM, "value": DM},
    )
    assert result.total == 100
    assert (result.milestone_id, result.probability) == ("milestone.m90", 90)
    assert result.next_milestone_id == "milestone.m100"
    assert result.unmet_criteria == []
    assert [c.zh for c in result.manual_checks][0] == "签订合同"


def test_milestones_are_cumulative():
    # power and control at the top but the problem was never admitted: 20 + 20 = 40, no milestone
    result = score_intensity({"power": "fivek.power.l7", "control": "fivek.control.l6"})
    assert result.total == 40
    assert result.milestone_id is None


def test_decision_maker_level_satisfies_contact_requirement():
    result = score_intensity(
        {"problem": "fivek.problem.l5", "vision": "fivek.vision.l3"}, {"problem": DM, "vision": DM}
    )
    assert result.total == 40
    assert result.milestone_id == "milestone.m10"


@pytest.mark.parametrize(
    "levels, side",
    [
        ({"problems": "fivek.problem.l1"}, None),
        ({"problem": "fivek.power.l1"}, None),
        ({"problem": "fivek.problem.l9"}, None),
        ({"problem": "fivek.problem.l1"}, {"problem": "boss"}),
        ({}, {"visions": DM}),
    ],
)
def test_bad_input_raises(levels, side):
    with pytest.raises(ValueError):
        score_intensity(levels, side)


def test_weighted_forecast():
    assert weighted_forecast(100000, "milestone.m50") == 50000.0
    assert weighted_forecast(80000, "milestone.m25") == 20000.0
    assert weighted_forecast(1000, "milestone.m100") == 1000.0
    with pytest.raises(ValueError):
        weighted_forecast(1000, "milestone.m60")
    with pytest.raises(ValueError):
        weighted_forecast(-1, "milestone.m10")


def test_docstring_mapping_matches_yaml():
    """The mapping table in the module docstring must say what fivek.yaml says."""
    documented: dict[str, set[tuple[str, str, str]]] = {}
    for line in intensity_module.__doc__.splitlines():
        match = re.match(r"\s+(m\d+)\s+(.*)$", line)
        if match:
            documented[match.group(1)] = {
                (dim, level, "decision_maker" if side == "dm" else "contact")
                for dim, level, side in re.findall(r"(\w+) >= (l\d+)(?: \((c|dm)\))?", match.group(2))
            }
    in_yaml = {
        m.id.removeprefix("milestone."): {
            (r.dimension, r.level.rsplit(".", 1)[1], r.side) for c in m.criteria for r in c.requires
        }
        for m in get_playbook().milestones
    }
    assert documented == in_yaml
