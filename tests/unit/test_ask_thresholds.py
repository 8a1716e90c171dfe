"""Ask's answer thresholds (playbooks/ask/thresholds.yaml): validated data, loaded once."""

from __future__ import annotations

import pytest

from app.knowledge.sources import AskDataError, load_answer_thresholds


def test_thresholds_load_and_are_the_measured_values() -> None:
    limits = load_answer_thresholds()
    assert limits.min_matched_weight == 2.0
    assert limits.min_how_to_weight == 7.0
    assert limits.how_to_short_coverage == 0.61
    assert load_answer_thresholds() is limits  # read once


def test_a_bad_threshold_names_the_file_and_field(tmp_path) -> None:
    (tmp_path / "thresholds.yaml").write_text("min_matched_weight: -1\n", encoding="utf-8")
    with pytest.raises(AskDataError, match=r"thresholds.yaml: invalid answer thresholds\n  field min_matched_weight"):
        load_answer_thresholds.__wrapped__(tmp_path)
