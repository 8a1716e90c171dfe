"""Unit tests for the offline SPIN classifier (app/coaching/spin.py) and its labeled data set."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from app.coaching.spin import (
    SPIN_LABELS,
    TRAIN_DATA_PATH,
    NaiveBayes,
    SpinResult,
    classify_spin,
    label_name,
    load_training_rows,
    model_text,
    spin_playbook_id,
)
from app.playbook.loader import get_playbook

DATA_PATH = Path(__file__).resolve().parent.parent / "data" / "spin_labeled.jsonl"
CONVERSATIONS_PATH = Path(__file__).resolve().parent.parent / "eval" / "roleplay_natural.jsonl"
# Measured 92.0 % on the 275 held-out items (bench/results/spin.json): zh 93.2 % (148), en 90.6 % (127).
# Before the English work (English everyday commitment asks, one naive Bayes per language) the same
# set gave 88.0 %: zh 93.2 %, en 81.9 %; the 203 items before the English additions 93.1 %.
MIN_TEST_ACCURACY = 0.90
MIN_TEST_ACCURACY_BY_LANG = {"zh": 0.92, "en": 0.87}
# Held-out English commitment asks (asks_commitment in the data): 21/22 recognised, 1/13 false flags;
# before the English ask cues 5/22.
MIN_TEST_COMMITMENT_RECALL_EN = 0.85
MAX_TEST_COMMITMENT_FALSE_FLAGS_EN = 2


def _rows() -> list[dict]:
    with DATA_PATH.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


# --- the labeled data set -------------------------------------------------------------------


def test_dataset_is_big_balanced_and_mostly_chinese() -> None:
    rows = _rows()
    assert len(rows) >= 360
    for row in rows:
        assert set(row) - {"source", "asks_commitment"} == {"text", "label", "lang", "split"}
        assert row.get("source", "natural") == "natural"
        # Optional, on the English "other" items: whether the rep asks for a next step (classify_spin's
        # asks_commitment). Commitment asks are labeled "other", as everywhere in the set.
        if "asks_commitment" in row:
            assert row["label"] == "other" and isinstance(row["asks_commitment"], bool), row
        assert row["label"] in SPIN_LABELS
        assert row["lang"] in {"zh", "en"}
        assert row["split"] in {"train", "test"}
        assert row["text"].strip()
    labels = Counter(row["label"] for row in rows)
    assert all(labels[label] >= 50 for label in SPIN_LABELS), labels
    # Mostly Chinese (the product's language); the English share grew with the English held-out and
    # train items written for the English role-play work.
    assert sum(row["lang"] == "zh" for row in rows) / len(rows) >= 0.55
    english_other = [row for row in rows if row["lang"] == "en" and row["label"] == "other"]
    assert all("asks_commitment" in row for row in english_other)
    held_out_asks = [row for row in english_other if row["split"] == "test" and row["asks_commitment"]]
    assert len(held_out_asks) >= 15
    test_share = sum(row["split"] == "test" for row in rows) / len(rows)
    assert 0.25 <= test_share <= 0.35
    texts = [row["text"] for row in rows]
    assert len(set(texts)) == len(texts), "duplicate utterances would leak between splits"


# --- held-out accuracy ----------------------------------------------------------------------


def test_held_out_accuracy() -> None:
    test_rows = [row for row in _rows() if row["split"] == "test"]
    confusion = {gold: Counter() for gold in SPIN_LABELS}
    for row in test_rows:
        confusion[row["label"]][classify_spin(row["text"]).label] += 1
    correct = sum(confusion[label][label] for label in SPIN_LABELS)
    accuracy = correct / len(test_rows)
    print(f"\nSPIN held-out accuracy: {accuracy:.1%} ({correct}/{len(test_rows)})")
    print("gold\\pred " + "".join(f"{label:>7}" for label in SPIN_LABELS))
    for gold in SPIN_LABELS:
        print(f"{gold:<10}" + "".join(f"{confusion[gold][pred]:>7}" for pred in SPIN_LABELS))
    assert accuracy >= MIN_TEST_ACCURACY


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_held_out_accuracy_per_language(lang: str) -> None:
    """One language must not hide a regression of the other."""
    rows = [row for row in _rows() if row["split"] == "test" and row["lang"] == lang]
    accuracy = sum(classify_spin(row["text"]).label == row["label"] for row in rows) / len(rows)
    print(f"\nSPIN held-out accuracy ({lang}): {accuracy:.1%} (n={len(rows)})")
    assert accuracy >= MIN_TEST_ACCURACY_BY_LANG[lang]


def test_held_out_english_commitment_asks_are_recognised() -> None:
    rows = [row for row in _rows() if row["split"] == "test" and "asks_commitment" in row]
    asks = [row for row in rows if row["asks_commitment"]]
    recognised = sum(classify_spin(row["text"]).asks_commitment for row in asks)
    false_flags = sum(classify_spin(row["text"]).asks_commitment for row in rows if not row["asks_commitment"])
    print(f"\nheld-out English commitment asks recognised: {recognised}/{len(asks)}, false flags {false_flags}")
    assert recognised / len(asks) >= MIN_TEST_COMMITMENT_RECALL_EN
    assert false_flags <= MAX_TEST_COMMITMENT_FALSE_FLAGS_EN


# --- per-label sanity (sentences that are not in the data set) ---------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("贵公司目前有几个工厂在用这套系统？", "S"),
        ("你们的客服中心现在有多少坐席？", "S"),
        ("How many users log into the portal every day?", "S"),
        ("您对现在的排产方式满意吗？", "P"),
        ("对账的时候有没有遇到什么困难？", "P"),
        ("What's the hardest part of managing your fleet?", "P"),
        ("设备故障频繁，会对交付造成什么影响？", "I"),
        ("这个问题如果一直拖下去，会导致什么后果？", "I"),
        ("What does that cost you every month?", "I"),
        ("如果审批能当天完成，对您有什么帮助？", "N"),
        ("要是客户数据都能统一管理，您觉得价值有多大？", "N"),
        ("Would it help if your engineers could see every alarm in one place?", "N"),
        ("我们的产品支持多语言和多币种。", "other"),
        ("张总您好，感谢您今天抽时间见我。", "other"),
        ("能否安排我见一下你们的王总？", "other"),
        ("好的，那我们下次再聊。", "other"),
    ],
)
def test_sanity_examples(text: str, expected: str) -> None:
    result = classify_spin(text)
    assert result.label == expected, (text, result)
    assert 0.0 <= result.confidence <= 1.0


def test_conditional_precedence_between_implication_and_need_payoff() -> None:
    # Same frame, the condition decides: a problem that persists is I, a problem solved is N.
    assert classify_spin("如果库存一直对不上，年底盘点会怎么样？").label == "I"
    assert classify_spin("如果库存能实时对上，年底盘点会怎么样？").label == "N"
    assert classify_spin("If this continues, what happens to your margins?").label == "I"
    assert classify_spin("If you could fix that, what would it mean for your margins?").label == "N"


def test_negated_failure_in_condition_is_need_payoff() -> None:
    # "不再宕机" / "预警故障" name a failure but describe an improvement.
    assert classify_spin("如果系统以后不再宕机，对您的门店有什么好处？").label == "N"
    assert classify_spin("如果设备一旦停机，产线要损失多少？").label == "I"


def test_question_without_cues_defaults_to_situation() -> None:
    assert classify_spin("你们的工程师需要倒班吗？").label == "S"
    assert classify_spin("？").label == "other"


def test_question_sentence_decides_label_after_a_short_pitch() -> None:
    result = classify_spin("我们的系统支持移动审批。您现在一张单子审批一般要几天？")
    assert result.label == "S"
    assert result.is_pitch


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the misses that real reps' wording exposed
        ("护士们平时工作量大吗，下班会不会很晚？", "P"),
        ("要是做不到全程可视，这次招标会有什么风险？", "I"),
        ("对账这么费劲，对管理层看报表有什么影响？", "I"),
        ("能不能先把合同定下来？", "other"),
        # a leading 对 / 行 is an interjection only when a pause follows
        ("行里今年给零售定的任务是多少？", "S"),
        ("对，我们先聊到这里。", "other"),
    ],
)
def test_everyday_wording(text: str, expected: str) -> None:
    assert classify_spin(text).label == expected, classify_spin(text)


def test_asking_to_settle_the_contract_is_a_commitment_ask() -> None:
    assert classify_spin("能不能先把合同定下来？").asks_commitment
    assert not classify_spin("这个项目从立项到上线，您心里的时间节点大概是怎样的？").asks_commitment


def test_a_hypothetical_solution_in_a_need_payoff_question_is_not_a_pitch() -> None:
    result = classify_spin("如果我们能带您去看一家同行企业的现场，这对您向领导汇报有价值吗？")
    assert result.label == "N" and not result.is_pitch
    assert classify_spin("我们能带您去看一家同行企业的现场。").is_pitch


# --- the naive Bayes part ---------------------------------------------------------------------


def _test_split_texts() -> set[str]:
    texts = {row["text"] for row in _rows() if row["split"] == "test"}
    with CONVERSATIONS_PATH.open(encoding="utf-8") as handle:
        for conversation in map(json.loads, filter(str.strip, handle)):
            if conversation["split"] == "test":
                texts.update(turn["text"] for turn in conversation["turns"])
    return texts


def test_naive_bayes_trains_on_train_utterances_only() -> None:
    training = load_training_rows()
    assert TRAIN_DATA_PATH.parent.name == "coaching"  # shipped with the app, not read from tests/
    assert len(training) >= 600
    assert not {row["text"] for row in training} & _test_split_texts(), "a held-out utterance leaked into training"
    train_labels = {row["text"]: row["label"] for row in _rows() if row["split"] == "train"}
    for row in training:
        assert row["label"] == train_labels.get(row["text"], row["label"]), row


def test_naive_bayes_learns_from_its_examples() -> None:
    model = NaiveBayes(["下班晚不晚？", "加班多不多？", "有多少台车？", "有多少个门店？"] * 3, ["P", "P", "S", "S"] * 3)
    assert max(model.posterior(model_text("晚上加班晚吗？")).items(), key=lambda item: item[1])[0] == "P"
    assert max(model.posterior(model_text("有多少个仓库？")).items(), key=lambda item: item[1])[0] == "S"
    assert sum(model.posterior(model_text("完全没见过的话")).values()) == pytest.approx(1.0)


def test_same_result_whatever_the_string_hash_seed() -> None:
    """Features are sets of strings: the scores must not depend on their iteration order."""
    texts = [row["text"] for row in _rows()[::9]]
    script = (
        "import json, sys; from app.coaching.spin import classify_spin; "
        "print(json.dumps([classify_spin(t).scores for t in json.loads(sys.stdin.read())]))"
    )
    outputs = []
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", script],
            input=json.dumps(texts),
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parents[2],
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]


# --- flags ----------------------------------------------------------------------------------


def test_pitch_flag() -> None:
    assert classify_spin("我们的平台支持私有化部署，已经服务了上百家医院。").is_pitch
    assert classify_spin("Our platform supports single sign-on out of the box.").is_pitch
    assert not classify_spin("您现在用的是哪家的ERP？").is_pitch


def test_commitment_flag() -> None:
    assert classify_spin("能否安排我见一下王总？").asks_commitment
    assert classify_spin("下周给您做一次演示，您看可以吗？").asks_commitment
    assert classify_spin("Could you introduce me to your CFO?").asks_commitment
    assert classify_spin("Would it make sense to arrange a call with your plant director?").asks_commitment
    assert classify_spin("Shall we get a date in the diary for the rollout plan?").asks_commitment
    assert not classify_spin("Could you take me through how a batch gets released?").asks_commitment
    assert not classify_spin("Can you tell me how the sites share their data?").asks_commitment
    assert not classify_spin("你们的财务总监平时关注哪些指标？").asks_commitment
    assert not classify_spin("When does your maintenance contract expire?").asks_commitment
    assert not classify_spin("Thanks for making time to meet with me.").asks_commitment


def test_question_flag() -> None:
    assert classify_spin("您对现在的系统满意吗").is_question  # no question mark, as from speech recognition
    assert classify_spin("麻烦介绍一下现在的审批流程。").is_question
    assert not classify_spin("好的，我记下来了。").is_question


def test_cues_explain_the_label() -> None:
    result = classify_spin("这种延误会给你们带来多大的损失？")
    assert result.label == "I"
    assert "损失" in result.cues


# --- robustness and API ---------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "？", "...", "嗯"])
def test_empty_or_trivial_input_is_other(text: str) -> None:
    result = classify_spin(text)
    assert result.label == "other"
    assert 0.0 <= result.confidence <= 1.0


def test_very_long_input_does_not_crash_and_stays_fast() -> None:
    text = "我们的产品支持多组织核算。" * 20000 + "您现在有多少家分公司？"
    start = time.perf_counter()
    result = classify_spin(text)
    assert time.perf_counter() - start < 0.5
    assert result.label in SPIN_LABELS


def test_result_is_frozen_and_deterministic() -> None:
    first = classify_spin("这个问题对生产效率有什么影响？")
    assert first == classify_spin("这个问题对生产效率有什么影响？")
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.label = "S"  # type: ignore[misc]
    assert isinstance(first, SpinResult)


def test_label_names_and_playbook_ids() -> None:
    assert SPIN_LABELS == ("S", "P", "I", "N", "other")
    assert [label_name(label, "zh") for label in SPIN_LABELS] == [
        "背景问题",
        "难点问题",
        "影响问题",
        "需求效益问题",
        "其他",
    ]
    assert [label_name(label, "en") for label in SPIN_LABELS] == [
        "Situation",
        "Problem",
        "Implication",
        "Need-payoff",
        "Other",
    ]
    assert [spin_playbook_id(label) for label in SPIN_LABELS] == [
        "spin.situation",
        "spin.problem",
        "spin.implication",
        "spin.need_payoff",
        None,
    ]
    assert classify_spin("如果能减少一半的加班，对团队有什么意义？").playbook_id == "spin.need_payoff"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("纸质单据？那现在一天要录多少份？", "S"),
        ("Which system do you use? Have customers complained?", "P"),
        ("现在用什么系统？一天录多少单？系统卡过吗？", "P"),
    ],
)
def test_compound_turn_reads_each_part_once(text: str, label: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A compound turn's parts are read once, inside the turn's own reading, and that reading is reused for the
    most-advanced-part step: classifying the turn does not classify its parts over again."""
    import app.coaching.spin as spin

    calls: list[str] = []
    original = spin.classify_spin

    def counting(part: str) -> SpinResult:
        calls.append(part)
        return original(part)

    monkeypatch.setattr(spin, "classify_spin", counting)
    assert counting(text).label == label
    assert calls == [text]


def test_label_names_are_the_playbook_names_the_ui_shows() -> None:
    """The coach API, the scorecard and the chat tags call each question type by one name (playbooks/spin.yaml)."""
    for label in ("S", "P", "I", "N"):
        playbook_id = spin_playbook_id(label)
        assert playbook_id is not None
        element = get_playbook().element(playbook_id)
        assert label_name(label, "zh") == element.name_zh
