"""The rude-turn classifier next to the word-class rules (app/roleplay/tone_model.py, bench/train_tone_model.py).

The probe lines below were written for these tests (none is in playbooks/buyer/tone_examples.yaml, the tune halves or
tests/eval/tone_check_toneclf.jsonl): rude in wording the rules' lists do not reach, and blunt but polite."""

from __future__ import annotations

import pytest

from app.roleplay.phrases import PhraseDataError
from app.roleplay.tone import ToneReader, load_rudeness_lexicon
from app.roleplay.tone_model import (
    TONE_EXAMPLES_PATH,
    TONE_MODEL_PATH,
    ToneScorer,
    load_tone_examples,
    load_tone_model,
)
from tests.utils.scripted_reps import say
from tests.utils.text_classifiers import (
    assert_n_grams_are_sklearns,
    assert_scores_are_sklearns,
    changed_model,
    frozen_check_lines,
    with_line,
)

# Below the precision-first threshold (probability 0.77-0.83 against 0.834): known misses, kept to see them change.
_BELOW = pytest.mark.xfail(strict=True, reason="the model scores it rude, but under its precision-first threshold")

# Rude, and missed by the rules alone (the first test checks that they are).
PROBE_RUDE = [
    pytest.param(
        "hospital_mobile_nursing", "en", "Must be nice having a job where nobody expects results.", marks=_BELOW
    ),
    pytest.param("logistics_tms", "en", "Their whole company is three guys and a website.", marks=_BELOW),
    ("bank_retail_crm", "zh", "你们这数据管理，小卖部都比你们强。"),
    ("energy_wind_eam", "zh", "技术上的事您就别操心了，说了您也不明白。"),
    ("gov_city_network", "zh", "您这种岗位，做不做出成绩好像都无所谓嘛。"),
]
PROBE_POLITE = [
    ("bank_retail_crm", "en", "Frankly, the budget you mentioned is lower than what we usually see; what's behind it?"),
    ("logistics_tms", "en", "I'd push back on the timeline; can we talk about what's driving it?"),
    ("energy_wind_eam", "en", "Let me be blunt: without your IT director in the room, we'll go in circles."),
    ("hospital_mobile_nursing", "zh", "说句直白的，这个预算做全院推广有难度，要不要先从两个病区开始？"),
    ("edu_smart_academic", "zh", "他们公司规模不大，服务半径会不会跟不上？您怎么看？"),
    ("mfg_vitamin_erp", "zh", "我得坦白讲，这个上线时间很紧，需要您这边尽快确认需求。"),
]


def _lines(cases: list) -> list[str]:
    return [case.values[-1] if hasattr(case, "values") else case[-1] for case in cases]


def test_the_rude_probes_are_beyond_the_rules():
    rules = ToneReader.build(load_rudeness_lexicon())
    for line in _lines(PROBE_RUDE):
        assert rules.read(line, presented=line) is None, line


@pytest.mark.parametrize(("scenario_id", "lang", "line"), PROBE_RUDE)
def test_rude_wording_the_lists_miss_is_rude_to_the_buyer(scenario_id, lang, line):
    _, [turn] = say(scenario_id, [line], lang, trust=60)
    assert turn.tone == "rude" and turn.rude_kind == "insult" and turn.trust_delta < 0


@pytest.mark.parametrize(("scenario_id", "lang", "line"), PROBE_POLITE)
def test_blunt_but_polite_probes_stay_polite(scenario_id, lang, line):
    _, [turn] = say(scenario_id, [line], lang, trust=60)
    assert turn.tone == "ok" and turn.rude_kind is None


def test_the_model_and_the_examples_are_valid_data():
    model = load_tone_model()
    assert 0.0 < model.threshold < 1.0 and 100 <= len(model.features) <= 5000
    assert TONE_MODEL_PATH.stat().st_size < 300_000
    examples = load_tone_examples()
    for lines in (examples.rude, examples.polite):
        assert len(lines.zh) >= 50 and len(lines.en) >= 50


@pytest.mark.parametrize(
    "change",
    [{"threshold": 1.0}, {"features": {"abcdefg": [1.0, 0.5]}}, {"features": {"A": [1.0, 0.5]}}, {"extra": 1}],
)
def test_a_broken_model_file_is_refused(tmp_path, change):
    with pytest.raises(PhraseDataError, match="tone_model.json"):
        load_tone_model(changed_model(tmp_path, TONE_MODEL_PATH, change))


def test_a_line_both_rude_and_polite_is_refused(tmp_path):
    path = with_line(tmp_path, TONE_EXAMPLES_PATH, "polite:\n  zh:\n", "您这问题也太外行了吧。")
    with pytest.raises(PhraseDataError, match="both rude and polite"):
        load_tone_examples(path)


def test_a_disabled_model_leaves_the_rules_alone(tmp_path):
    model = load_tone_model(changed_model(tmp_path, TONE_MODEL_PATH, {"enabled": False}))
    reader = ToneReader.build(load_rudeness_lexicon(), ToneScorer(model))
    line = _lines(PROBE_RUDE)[0]
    assert ToneScorer(model).probability(line) == ToneScorer(load_tone_model()).probability(line)
    assert reader.read(line, presented=line) is None


# --- against scikit-learn (a dev dependency) -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def retrained():
    train = pytest.importorskip("bench.train_tone_model")
    return train, train.train(threshold=load_tone_model().threshold)


def test_retraining_gives_the_committed_file_byte_for_byte(retrained):
    _, trained = retrained
    assert trained.text == TONE_MODEL_PATH.read_text(encoding="utf-8")


def test_the_pure_python_scorer_gives_scikit_learns_probability(retrained):
    _, trained = retrained
    assert_scores_are_sklearns(ToneScorer(load_tone_model()), trained.model, _lines(PROBE_RUDE + PROBE_POLITE))


def test_the_n_grams_are_scikit_learns(retrained):
    _, trained = retrained
    assert_n_grams_are_sklearns(trained.model, ["Hello  World\n\nagain", "你们这 数据", "x", ""])


def test_the_check_set_is_frozen():
    """tests/eval/tone_check_toneclf.jsonl is measured on, never trained or tuned on; its hash is in the README."""
    lines = frozen_check_lines("tone_check_toneclf.jsonl", "TONE_CHECK_README.md")
    examples = load_tone_examples()
    assert not lines & set(examples.rude.all() + examples.polite.all())
