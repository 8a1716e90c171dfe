"""Engine mechanics on a small inline flow: types, validation, branching, probes, repeat groups, back, JSON state."""

import pytest

from app.flows.definitions import parse_flow
from app.flows.engine import AnswerError, FlowRunState, ProbeRequest, answer, back, current_view, start

FLOW = parse_flow(
    {
        "id": "demo",
        "title_zh": "演示",
        "title_en": "Demo",
        "description_zh": "引擎测试用流程",
        "description_en": "Flow for engine tests",
        "source": ["004_090d296c08092e30.txt"],
        "items": [
            {
                "id": "account",
                "prompt_zh": "客户？",
                "prompt_en": "Account?",
                "type": "text",
                "validation": {"required": True, "min_chars": 2},
            },
            {
                "id": "budget",
                "prompt_zh": "预算（元）？",
                "prompt_en": "Budget?",
                "type": "number",
                "validation": {"required": False, "min": 0, "max": 100000000},
            },
            {
                "id": "stage",
                "prompt_zh": "阶段？",
                "prompt_en": "Stage?",
                "type": "choice",
                "options": [
                    {"id": "early", "label_zh": "早期", "label_en": "Early"},
                    {"id": "late", "label_zh": "后期", "label_en": "Late"},
                ],
            },
            {
                "id": "late_detail",
                "prompt_zh": "后期卡在哪里？",
                "prompt_en": "Where is the late deal stuck?",
                "type": "text",
                "when": {"step": "stage", "equals": "late"},
            },
            {
                "id": "pains",
                "prompt_zh": "客户的痛点？",
                "prompt_en": "Pains?",
                "type": "list",
                "probe": {"text_zh": "再想一个具体的痛点？", "text_en": "One more concrete pain?", "min_items": 2},
            },
            {
                "group": "people",
                "label_zh": "关键人",
                "label_en": "Key person",
                "more_prompt_zh": "还有其他关键人吗？",
                "more_prompt_en": "Another key person?",
                "max_instances": 3,
                "steps": [
                    {"id": "name", "prompt_zh": "姓名？", "prompt_en": "Name?", "type": "text"},
                    {
                        "id": "attitude",
                        "prompt_zh": "态度？",
                        "prompt_en": "Attitude?",
                        "type": "choice",
                        "options": [
                            {"id": "support", "label_zh": "支持", "label_en": "Supports"},
                            {"id": "against", "label_zh": "反对", "label_en": "Against"},
                        ],
                    },
                    {
                        "id": "why_against",
                        "prompt_zh": "为什么反对？",
                        "prompt_en": "Why against?",
                        "type": "text",
                        "when": {"step": "attitude", "equals": "against"},
                        "probe": {"text_zh": "具体说说他做了什么？", "text_en": "What did they do?", "min_chars": 8},
                    },
                ],
            },
            {
                "id": "tags",
                "prompt_zh": "标签？",
                "prompt_en": "Tags?",
                "type": "multi_choice",
                "options": [
                    {"id": "hot", "label_zh": "热", "label_en": "Hot"},
                    {"id": "big", "label_zh": "大单", "label_en": "Big"},
                ],
                "validation": {"required": False},
            },
        ],
    },
    "demo.yaml",
)


def _start(lang="zh"):
    return start("demo", lang, flow=FLOW)


def _answer(state, raw, **kwargs):
    return answer(state, raw, flow=FLOW, **kwargs)


def test_first_view_shape():
    state, view = _start()
    dumped = view.model_dump()
    assert set(dumped) == {"id", "prompt", "type", "options", "hint", "probe", "progress"}
    assert dumped["id"] == "account" and dumped["prompt"] == "客户？" and dumped["probe"] is False
    assert dumped["progress"]["index"] == 1 and dumped["progress"]["total_estimate"] >= 6


def test_english_views():
    state, view = _start("en")
    assert view.prompt == "Account?"
    state_view = _answer(state, "Acme").step
    state_view = _answer(state, "").step
    assert [option.label for option in state_view.options] == ["Early", "Late"]


@pytest.mark.parametrize("bad", ["", "   ", "A"])
def test_text_required_and_min_chars(bad):
    state, _ = _start()
    with pytest.raises(AnswerError) as error:
        _answer(state, bad)
    assert error.value.message_zh and error.value.message_en
    assert state.answers == {} and state.position.item == 0  # unchanged


def test_wrong_type_number_and_range():
    state, _ = _start()
    _answer(state, "某银行")
    with pytest.raises(AnswerError, match="number"):
        _answer(state, "很多")
    with pytest.raises(AnswerError):
        _answer(state, -5)
    with pytest.raises(AnswerError):
        _answer(state, True)
    _answer(state, "120万")
    assert state.answers["budget"] == 1_200_000


def test_choice_accepts_id_label_or_number_and_rejects_others():
    for raw in ("late", "后期", "2"):
        state, _ = _start()
        _answer(state, "某银行")
        _answer(state, "")
        outcome = _answer(state, raw)
        assert state.answers["stage"] == "late"
        assert outcome.step.id == "late_detail"  # branch taken
    state, _ = _start()
    _answer(state, "某银行")
    _answer(state, None)
    with pytest.raises(AnswerError) as error:
        _answer(state, "中期")
    assert "早期" in error.value.message_zh and "Early" in error.value.message_en


def test_branch_skipped_when_condition_false():
    state, _ = _start()
    _answer(state, "某银行")
    _answer(state, "")
    outcome = _answer(state, "early")
    assert outcome.step.id == "pains"
    assert "late_detail" not in state.answers


def _to_group(state):
    _answer(state, "某银行")
    _answer(state, "")
    _answer(state, "early")
    _answer(state, "核心系统老旧\n月底对账要加班三天")  # two items: no probe


def test_thin_list_gets_one_probe_and_reply_is_added():
    state, _ = _start()
    _answer(state, "某银行")
    _answer(state, "")
    _answer(state, "early")
    outcome = _answer(state, "系统慢")
    assert outcome.step.probe is True and outcome.step.id == "pains"
    assert outcome.step.prompt == "再想一个具体的痛点？"
    assert current_view(state, flow=FLOW).probe is True  # a resumed session shows the probe again
    outcome = _answer(state, "报表要手工汇总")
    assert outcome.step.probe is False and outcome.step.id == "people.name"
    assert state.answers["pains"] == ["系统慢", "报表要手工汇总"]


def test_probe_asked_at_most_max_times_and_empty_reply_moves_on():
    state, _ = _start()
    _answer(state, "某银行")
    _answer(state, "")
    _answer(state, "early")
    assert _answer(state, "不知道").step.probe is True
    outcome = _answer(state, "")
    assert outcome.step.id == "people.name" and state.answers["pains"] == ["不知道"]


def test_probe_writer_hook_and_fallback():
    calls: list[ProbeRequest] = []

    def writer(request: ProbeRequest) -> str:
        calls.append(request)
        return "LLM：能举个例子吗？"

    state, _ = _start()
    _answer(state, "某银行")
    _answer(state, "")
    _answer(state, "early")
    outcome = _answer(state, "慢", probe_writer=writer)
    assert outcome.step.prompt == "LLM：能举个例子吗？"
    assert calls[0].step_id == "pains" and calls[0].answer == ["慢"] and calls[0].scripted_probe

    def broken(request: ProbeRequest) -> str:
        raise RuntimeError("model down")

    state, _ = _start()
    _answer(state, "某银行")
    _answer(state, "")
    _answer(state, "early")
    assert _answer(state, "慢", probe_writer=broken).step.prompt == "再想一个具体的痛点？"


def test_repeat_group_two_instances_with_inner_branch_and_probe():
    state, _ = _start()
    _to_group(state)
    outcome = _answer(state, "王总")
    assert outcome.step.id == "people.attitude" and outcome.step.prompt.startswith("关键人 #1")
    outcome = _answer(state, "支持")
    assert outcome.step.id == "people.more"  # why_against skipped for a supporter
    outcome = _answer(state, "yes")
    assert outcome.step.id == "people.name" and "#2" in outcome.step.prompt
    _answer(state, "仇经理")
    assert _answer(state, "against").step.id == "people.why_against"
    assert _answer(state, "还行").step.probe is True
    outcome = _answer(state, "他把我们的报价发给了竞争对手")
    assert outcome.step.id == "people.more"
    outcome = _answer(state, "no")
    assert outcome.step.id == "tags"
    assert state.groups["people"] == [
        {"name": "王总", "attitude": "support"},
        {"name": "仇经理", "attitude": "against", "why_against": "他把我们的报价发给了竞争对手"},
    ]


def test_group_stops_asking_at_max_instances():
    state, _ = _start()
    _to_group(state)
    for index in range(3):
        _answer(state, f"人{index}")
        outcome = _answer(state, "support")
        if index < 2:
            outcome = _answer(state, "yes")
    assert outcome.step.id == "tags" and len(state.groups["people"]) == 3


def test_multi_choice_and_done_calls_result(monkeypatch):
    import app.flows.results as results

    seen = {}

    def fake_compute(flow_id, answers, groups, playbook=None):
        seen.update(flow_id=flow_id, answers=answers, groups=groups)
        return {"ok": True}

    monkeypatch.setattr(results, "compute_result", fake_compute)
    state, _ = _start()
    _to_group(state)
    _answer(state, "王总")
    _answer(state, "support")
    _answer(state, "no")
    with pytest.raises(AnswerError):
        _answer(state, ["hot", "cold"])
    outcome = _answer(state, "热、大单")
    assert outcome.done is True and outcome.step is None and outcome.result == {"ok": True}
    assert state.done and seen["answers"]["tags"] == ["hot", "big"]
    with pytest.raises(AnswerError):
        _answer(state, "hot")


def test_back_clears_answer_and_returns_previous_step():
    state, _ = _start()
    with pytest.raises(AnswerError):
        back(state, flow=FLOW)
    _answer(state, "某银行")
    _answer(state, "")
    _answer(state, "late")
    view = back(state, flow=FLOW)
    assert view.id == "stage" and "stage" not in state.answers
    outcome = _answer(state, "early")
    assert outcome.step.id == "pains"


def test_back_over_add_another_removes_empty_instance():
    state, _ = _start()
    _to_group(state)
    _answer(state, "王总")
    _answer(state, "support")
    _answer(state, "yes")
    assert len(state.groups["people"]) == 2
    view = back(state, flow=FLOW)
    assert view.id == "people.more" and len(state.groups["people"]) == 1
    assert _answer(state, "no").step.id == "tags"


def test_state_round_trips_through_json():
    state, _ = _start()
    _to_group(state)
    _answer(state, "王总")
    restored = FlowRunState.model_validate_json(state.model_dump_json())
    assert restored == state
    assert _answer(restored, "against").step.id == "people.why_against"


def test_add_another_accepts_short_chat_replies():
    state, _ = _start()
    _to_group(state)
    _answer(state, "王总")
    _answer(state, "support")
    assert _answer(state, "有").step.id == "people.name"
    _answer(state, "李总")
    _answer(state, "support")
    assert _answer(state, "没有").step.id == "tags"
    assert back(state, flow=FLOW).id == "people.more"
    with pytest.raises(AnswerError):
        _answer(state, "也许")
