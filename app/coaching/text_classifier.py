"""A small linear text classifier over character n-grams, scored in pure Python (shared by the rude-turn classifier,
app/roleplay/tone_model.py, and the pitch classifier, app/coaching/pitch_model.py).

Word lists miss lines in new wording; character n-grams generalise a little further, in Chinese and English alike.
A model is trained offline (bench/text_classifier_training.py, scikit-learn, a dev dependency) and exported to JSON:
for each kept n-gram its inverse document frequency and weight, the intercept and the decision threshold. This
module scores a text exactly as scikit-learn's pipeline does (TfidfVectorizer(analyzer="char", lowercase,
sublinear_tf, l2 norm) then LogisticRegression.predict_proba), so the runtime needs neither scikit-learn nor numpy.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from app.playbook.data import distinct_entries

# scikit-learn's char analyzer folds runs of two or more white-space characters into one space
_WHITE_SPACES = re.compile(r"\s\s+")


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Lines(StrictModel):
    """Training lines of one class, per language."""

    zh: list[str] = Field(min_length=1)
    en: list[str] = Field(min_length=1)

    @field_validator("zh", "en")
    @classmethod
    def _no_blank_or_twice(cls, lines: list[str]) -> list[str]:
        return distinct_entries(lines)

    def all(self) -> list[str]:
        return [*self.zh, *self.en]


class Training(StrictModel):
    """The trainer's settings (bench/text_classifier_training.py); each classifier adds the share of negative
    lines its threshold may flag."""

    ngram_min: int = Field(ge=1, le=6)
    ngram_max: int = Field(ge=1, le=6)
    min_df: int = Field(ge=1)
    c: float = Field(gt=0.0)
    max_features: int = Field(ge=100, le=20000)
    enabled: bool

    @model_validator(mode="after")
    def _range(self) -> Training:
        if self.ngram_min > self.ngram_max:
            raise ValueError("ngram_min is above ngram_max")
        return self


class TextModel(StrictModel):
    """The exported classifier: n-gram -> (idf, weight), intercept, threshold."""

    source: list[str] = Field(min_length=1)
    ngram_min: int = Field(ge=1)
    ngram_max: int = Field(ge=1)
    sublinear_tf: bool
    intercept: float
    threshold: float = Field(gt=0.0, lt=1.0)
    enabled: bool
    features: dict[str, tuple[float, float]] = Field(min_length=1)

    @model_validator(mode="after")
    def _lengths(self) -> TextModel:
        if self.ngram_min > self.ngram_max:
            raise ValueError("ngram_min is above ngram_max")
        odd = sorted(gram for gram in self.features if not self.ngram_min <= len(gram) <= self.ngram_max)
        if odd:
            raise ValueError(f"n-grams outside {self.ngram_min}-{self.ngram_max} characters: {odd[:5]}")
        if any(gram != gram.lower() for gram in self.features):
            raise ValueError("n-grams are read from lowercased text")
        if any(idf <= 0.0 for idf, _ in self.features.values()):
            raise ValueError("an idf is not positive")
        return self


def char_ngrams(text: str, ngram_min: int, ngram_max: int) -> list[str]:
    """The character n-grams of a text, as scikit-learn's analyzer="char" with lowercase=True gives them."""
    text = _WHITE_SPACES.sub(" ", text.lower())
    grams: list[str] = []
    for size in range(ngram_min, min(ngram_max, len(text)) + 1):
        grams += [text[start : start + size] for start in range(len(text) - size + 1)]
    return grams


class TextScorer:
    """The probability that a text is of the class, and whether it reaches the threshold."""

    def __init__(self, model: TextModel) -> None:
        self.model = model

    def probability(self, text: str) -> float:
        counts: dict[str, int] = {}
        for gram in char_ngrams(text, self.model.ngram_min, self.model.ngram_max):
            if gram in self.model.features:
                counts[gram] = counts.get(gram, 0) + 1
        values: dict[str, float] = {}
        for gram, count in counts.items():
            tf = 1.0 + math.log(count) if self.model.sublinear_tf else float(count)
            values[gram] = tf * self.model.features[gram][0]
        norm = math.sqrt(sum(value * value for value in values.values()))
        logit = self.model.intercept
        if norm > 0.0:
            logit += sum(value * self.model.features[gram][1] for gram, value in values.items()) / norm
        return 1.0 / (1.0 + math.exp(-logit))

    def flags(self, text: str) -> bool:
        return self.model.enabled and self.probability(text) >= self.model.threshold


def load_text_model(path: Path, error: type[Exception], what: str) -> TextModel:
    """Read and validate an exported model; any problem raises `error` naming the file and the field."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as problem:
        raise error(f"{path.name}: cannot read JSON: {problem}") from problem
    try:
        return TextModel.model_validate(raw)
    except ValidationError as problem:
        fields = [f"  field {'.'.join(str(part) for part in item['loc'])}: {item['msg']}" for item in problem.errors()]
        raise error("\n".join([f"{path.name}: invalid {what}", *fields])) from problem


__all__ = ["Lines", "StrictModel", "TextModel", "TextScorer", "Training", "char_ngrams", "load_text_model"]
