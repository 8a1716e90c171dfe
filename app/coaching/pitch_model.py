"""A small linear pitch classifier next to the pitch word lists of app/coaching/spin_lexicon.yaml.

The lists miss pitches in new wording ("我们做风电运维十几年了"); character n-grams reach a little further (not
all the way: "这个PDA防摔防水" stays under the precision-first threshold, see tests/unit/test_pitch_model.py). The model is trained offline (bench/train_pitch_model.py) on the `pitch` labels of
the tune halves of the call sets and on the lines of playbooks/coach/pitch_examples.yaml, exported to
playbooks/coach/pitch_model.json and scored in pure Python (app/coaching/text_classifier.py). spin.py reads
is_pitch as rules OR model.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator

from app.coaching.text_classifier import Lines, StrictModel, TextModel, TextScorer, load_text_model
from app.coaching.text_classifier import Training as _Training
from app.playbook.data import load_yaml_model
from app.playbook.texts import PLAYBOOKS_DIR

PITCH_MODEL_PATH: Path = PLAYBOOKS_DIR / "coach" / "pitch_model.json"
PITCH_EXAMPLES_PATH: Path = PLAYBOOKS_DIR / "coach" / "pitch_examples.yaml"


class PitchDataError(ValueError):
    """pitch_model.json or pitch_examples.yaml is unreadable or invalid."""


class Training(_Training):
    """The trainer's settings (bench/train_pitch_model.py)."""

    max_negative_flagged: float = Field(ge=0.0, le=0.1)  # out-of-fold share of non-pitch turns it may flag


class PitchExamples(StrictModel):
    source: list[str] = Field(min_length=1)
    training: Training
    pitch: Lines
    non_pitch: Lines

    @model_validator(mode="after")
    def _apart(self) -> PitchExamples:
        both = sorted(set(self.pitch.all()) & set(self.non_pitch.all()))
        if both:
            raise ValueError(f"lines both pitch and non-pitch: {both}")
        return self


def load_pitch_model(path: Path = PITCH_MODEL_PATH) -> TextModel:
    return load_text_model(path, PitchDataError, "pitch model")


def load_pitch_examples(path: Path = PITCH_EXAMPLES_PATH) -> PitchExamples:
    return load_yaml_model(path, PitchExamples, PitchDataError, "pitch examples")


@lru_cache(maxsize=1)
def pitch_scorer() -> TextScorer:
    return TextScorer(load_pitch_model())


__all__ = [
    "PITCH_EXAMPLES_PATH",
    "PITCH_MODEL_PATH",
    "PitchDataError",
    "PitchExamples",
    "Training",
    "load_pitch_examples",
    "load_pitch_model",
    "pitch_scorer",
]
