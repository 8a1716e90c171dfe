"""The model's draft (validated ScenarioDraft) becomes editor fields without a model running."""

from app.scenarios.drafting import ScenarioDraft, content_of
from app.scenarios.editor import content_from_form, form_from_content
from tests.utils.scenario_library import DRAFT


def test_a_validated_draft_fills_the_form():
    form = form_from_content(content_of(ScenarioDraft.model_validate(DRAFT)))
    assert form["title_zh"] == DRAFT["title_zh"] and form["persona_name"] == "林峰"
    assert form["communication_style"] == "style.driver" and form["commit_kind"] == "meeting"
    assert form["fact_problem_0_requires"] == "S1"  # SPIN order: each builds on the one before
    content = content_from_form(form)
    assert [fact["text"] for fact in content["facts"]["need_payoff"]] == ["need_payoff 的一条信息，足够长。"]
