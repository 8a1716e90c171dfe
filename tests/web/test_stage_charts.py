"""Charts that tell the truth: the pipeline counts each deal in its own stage only; the SPIN mix is 100 % per rep."""

from app.pipeline import Pipeline, PipelineStage
from app.web import charts
from app.web.pipeline_pages import _stage_bars
from app.web.team_pages import _share_of


def _stage(milestone_id, probability, count):
    return PipelineStage(
        milestone_id=milestone_id,
        name_zh=f"阶段{probability}",
        name_en=f"Stage {probability}",
        probability=probability,
        count=count,
        amount=0,
        weighted_forecast=0,
    )


def test_one_deal_at_90_percent_shows_in_its_stage_only():
    pipeline = Pipeline(
        stages=[_stage("none", 0, 0), _stage("milestone.m10", 10, 0), _stage("milestone.m90", 90, 1)],
        deals=[],
        total_amount=0,
        total_forecast=0,
        stalled_count=0,
        lost=[],
        lost_amount=0,
    )
    assert [count for _, count in _stage_bars(pipeline, "zh")] == [0, 0, 1]
    svg = charts.stages(_stage_bars(pipeline, "zh"))
    assert "90% 阶段90" in svg and "10% 阶段10" in svg  # full labels, not cut


def test_each_reps_spin_mix_adds_up_to_100():
    mix = {"S": 0.2, "P": 0.1, "I": 0.0, "N": 0.05, "other": 0.05}  # shares of a rep who asked few questions
    shares = [_share_of(mix, label) for label in mix]
    assert abs(sum(shares) - 100) < 0.5 and shares[0] == 50.0
    assert _share_of({}, "S") == 0.0
    svg = charts.stacked_shares([f"代表{i}" for i in range(15)], {"S": [50.0] * 15, "P": [5.0] * 15, "N": [45.0] * 15})
    assert svg.count("代表") >= 15 and ">45%<" in svg and ">5%<" not in svg  # a 5 % sliver is not labelled
