"""Checks shared by the tests of the n-gram classifiers (tests/unit/test_tone_model.py, test_pitch_model.py)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from app.coaching.text_classifier import TextScorer, char_ngrams

EVAL_DIR = Path(__file__).resolve().parents[1] / "eval"
ODD_LINES = ["", "  a  b ", "OK", "好", "WHY  NOT?\n\tNow"]


def changed_model(tmp_path: Path, model_path: Path, change: dict) -> Path:
    """A copy of the exported model with some keys replaced."""
    raw = json.loads(model_path.read_text(encoding="utf-8"))
    raw.update(change)
    path = tmp_path / model_path.name
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return path


def with_line(tmp_path: Path, examples_path: Path, head: str, line: str) -> Path:
    """A copy of the examples file with a line added under `head` (e.g. "polite:\\n  zh:\\n")."""
    text = examples_path.read_text(encoding="utf-8").replace(head, f"{head}  - {line}\n", 1)
    path = tmp_path / examples_path.name
    path.write_text(text, encoding="utf-8")
    return path


def assert_scores_are_sklearns(scorer: TextScorer, pipeline, lines: list[str]) -> None:
    lines = lines + ODD_LINES
    expected = pipeline.predict_proba(lines)[:, 1]
    for line, probability in zip(lines, expected, strict=True):
        assert scorer.probability(line) == pytest.approx(float(probability), abs=1e-4), line


def assert_n_grams_are_sklearns(pipeline, lines: list[str]) -> None:
    analyzer = pipeline[0].build_analyzer()
    for line in lines:
        assert char_ngrams(line, *pipeline[0].ngram_range) == analyzer(line)


def frozen_check_lines(name: str, readme: str) -> set[str]:
    """The texts of a check set under tests/eval, after asserting its sha256 is the one its README names."""
    digest = hashlib.sha256((EVAL_DIR / name).read_bytes()).hexdigest()
    assert digest in (EVAL_DIR / readme).read_text(encoding="utf-8")
    return {json.loads(row)["text"] for row in (EVAL_DIR / name).read_text("utf-8").splitlines()}
