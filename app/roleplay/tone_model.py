"""A small linear rude-turn classifier next to the word-class rules of app/roleplay/tone.py.

Word lists miss rude lines in new wording; character n-grams generalise a little further. The model is trained
offline (bench/train_tone_model.py) on the `rude` labels of the tune halves of the call sets and on the lines of
playbooks/buyer/tone_examples.yaml, and exported to playbooks/buyer/tone_model.json; the n-grams, the export's schema
and the pure-Python scorer are shared with the pitch classifier (app/coaching/text_classifier.py).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator

from app.coaching.text_classifier import Lines, StrictModel, char_ngrams, load_text_model
from app.coaching.text_classifier import TextModel as ToneModel
from app.coaching.text_classifier import TextScorer as ToneScorer
from app.coaching.text_classifier import Training as _Training
from app.playbook.data import load_yaml_model
from app.roleplay.phrases import BUYER_DIR, PhraseDataError

TONE_MODEL_PATH: Path = BUYER_DIR / "tone_model.json"
TONE_EXAMPLES_PATH: Path = BUYER_DIR / "tone_examples.yaml"


class Training(_Training):
    """The trainer's settings (bench/train_tone_model.py)."""

    max_polite_flagged: float = Field(ge=0.0, le=0.1)  # out-of-fold share of polite turns the threshold may flag


class ToneExamples(StrictModel):
    source: list[str] = Field(min_length=1)
    training: Training
    rude: Lines
    polite: Lines

    @model_validator(mode="after")
    def _apart(self) -> ToneExamples:
        both = sorted(set(self.rude.all()) & set(self.polite.all()))
        if both:
            raise ValueError(f"lines both rude and polite: {both}")
        return self


def load_tone_model(path: Path = TONE_MODEL_PATH) -> ToneModel:
    """Read and validate the exported model; any problem raises PhraseDataError naming the file and the field."""
    return load_text_model(path, PhraseDataError, "tone model")


def load_tone_examples(path: Path = TONE_EXAMPLES_PATH) -> ToneExamples:
    return load_yaml_model(path, ToneExamples, PhraseDataError, "tone examples")


@lru_cache(maxsize=1)
def tone_scorer() -> ToneScorer:
    return ToneScorer(load_tone_model())


__all__ = [
    "TONE_EXAMPLES_PATH",
    "TONE_MODEL_PATH",
    "ToneExamples",
    "ToneModel",
    "ToneScorer",
    "Training",
    "char_ngrams",
    "load_tone_examples",
    "load_tone_model",
    "tone_scorer",
]
