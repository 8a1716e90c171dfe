"""Unit tests for the offline SPIN classifier (app/coaching/spin.py) and its labeled data set."""

from __future__ import annotations

import dataclasses
import json
import time
from collections import Counter
from pathlib import Path

import pytest

from app.coaching.spin import SPIN_LABELS, SpinResult, classify_spin, label_name, spin_playbook_id

DATA_PATH = Path(__file__).resolve().parent.parent / "data" / "spin_labeled.jsonl"
MIN_TEST_ACCURACY = 0.85


def _rows() -> list[dict]:
    with DATA_PATH.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


# --- the labeled data set -------------------------------------------------------------------


def test_dataset_is_big_balanced_and_mostly_chinese() -> None:
    rows = _rows()
    assert len(rows) >= 360
    for row in rows:
        assert set(row) - {"source"} == {"text", "label", "lang", "split"}
        assert row.get("source", "natural") == "natural"
        assert row["label"] in SPIN_LABELS
        assert row["lang"] in {"zh", "en"}
        assert row["split"] in {"train", "test"}
        assert row["text"].strip()
    labels = Counter(row["label"] for row in rows)
    assert all(labels[label] >= 50 for label in SPIN_LABELS), labels
    assert sum(row["lang"] == "zh" for row in rows) / len(rows) >= 0.70
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


# --- flags ----------------------------------------------------------------------------------


def test_pitch_flag() -> None:
    assert classify_spin("我们的平台支持私有化部署，已经服务了上百家医院。").is_pitch
    assert classify_spin("Our platform supports single sign-on out of the box.").is_pitch
    assert not classify_spin("您现在用的是哪家的ERP？").is_pitch


def test_commitment_flag() -> None:
    assert classify_spin("能否安排我见一下王总？").asks_commitment
    assert classify_spin("下周给您做一次演示，您看可以吗？").asks_commitment
    assert classify_spin("Could you introduce me to your CFO?").asks_commitment
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


def test_speed_under_one_millisecond_after_warm_up() -> None:
    texts = [row["text"] for row in _rows()]
    for text in texts:
        classify_spin(text)
    start = time.perf_counter()
    for text in texts:
        classify_spin(text)
    per_call = (time.perf_counter() - start) / len(texts)
    assert per_call < 0.001, f"{per_call * 1e6:.0f} µs per utterance"


def test_result_is_frozen_and_deterministic() -> None:
    first = classify_spin("这个问题对生产效率有什么影响？")
    assert first == classify_spin("这个问题对生产效率有什么影响？")
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.label = "S"  # type: ignore[misc]
    assert isinstance(first, SpinResult)


def test_label_names_and_playbook_ids() -> None:
    assert SPIN_LABELS == ("S", "P", "I", "N", "other")
    assert [label_name(label, "zh") for label in SPIN_LABELS] == [
        "情境性问题", "探究性问题", "暗示性问题", "解决性问题", "其他"]
    assert [label_name(label, "en") for label in SPIN_LABELS] == [
        "Situation", "Problem", "Implication", "Need-payoff", "Other"]
    assert [spin_playbook_id(label) for label in SPIN_LABELS] == [
        "spin.situation", "spin.problem", "spin.implication", "spin.need_payoff", None]
    assert classify_spin("如果能减少一半的加班，对团队有什么意义？").playbook_id == "spin.need_payoff"
