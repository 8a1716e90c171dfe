"""Schema of spin_lexicon.yaml (the SPIN classifier's cues, app/coaching/spin.py): every key is checked when the file
is loaded, so a misspelt key, a pattern that does not compile or an abbreviation YAML reads as a boolean fails at
once with the file and the field named, instead of deep inside the classifier."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictStr

from app.playbook.data import load_yaml_model


class SpinLexiconError(ValueError):
    """spin_lexicon.yaml cannot be read or does not match its schema."""


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as problem:
        raise ValueError(f"pattern {pattern!r} does not compile: {problem}") from problem
    return pattern


def _unique(entries: list[str]) -> list[str]:
    twice = sorted({entry for entry in entries if entries.count(entry) > 1})
    if twice:
        raise ValueError(f"entries listed twice: {twice}")
    return entries


def _cue_patterns(cues: dict[str, float]) -> dict[str, float]:
    for pattern in cues:
        _compiles(pattern)
    return cues


Pattern = Annotated[StrictStr, Field(min_length=1), AfterValidator(_compiles)]
Patterns = Annotated[list[Pattern], Field(min_length=1), AfterValidator(_unique)]
Cues = Annotated[dict[StrictStr, float], AfterValidator(_cue_patterns)]  # pattern -> weight
# An English abbreviation without its final full stop ("mr", "e.g"): lower case letters, inner dots allowed.
Abbreviation = Annotated[StrictStr, Field(pattern=r"^[a-z]+(\.[a-z]+)*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LabelEntry(_Strict):
    playbook_id: str | None
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    description: str = Field(min_length=1)
    source: str | None = Field(default=None, min_length=1)  # null: a project category, not from the sources
    cues: Cues | None = None


class Labels(_Strict):
    S: LabelEntry
    P: LabelEntry
    I: LabelEntry  # noqa: E741 (the SPIN letter)
    N: LabelEntry
    other: LabelEntry


class Conditional(_Strict):
    marker: Pattern
    positive: Pattern
    negative: Pattern
    negated: Pattern
    # after a worsening condition, a neutral "what would that mean" asks about the cost (I), not the payoff (N)
    neutral_ask: Pattern
    n_bonus: float = Field(ge=0)
    i_bonus: float = Field(ge=0)


class SpinLexiconData(_Strict):
    labels: Labels
    pitch: Cues
    pitch_statement: Cues
    pitch_benefit: Cues
    pitch_exclude: Patterns
    buyer_subject: Pattern
    buyer_addressed: Pattern
    seller_subject: Pattern
    hypothetical: Pattern
    commitment: Cues
    social: Cues
    question: Patterns
    # the seller offering to send or show something, put as a question ("Would it help if I sent…?"): other
    offer: Patterns
    offer_weight: float = Field(ge=0)
    conditional: Conditional
    # English abbreviations whose full stop does not end a sentence ("Mr. Zhao, how…").
    abbreviations: Annotated[list[Abbreviation], Field(min_length=1), AfterValidator(_unique)]
    # Filler words a sentence may open with: alternatives of one regular expression.
    filler: Patterns
    # Clauses that only lead into the question of their sentence (a pointer back, a preamble, a greeting).
    lead_in: Patterns
    # Questions that only ask the buyer to agree to what was said before them ("您看行吗？").
    confirmation: Patterns


def load_spin_lexicon(path: Path) -> SpinLexiconData:
    """Read and validate the lexicon; any problem raises SpinLexiconError naming the file and every bad field."""
    return load_yaml_model(path, SpinLexiconData, SpinLexiconError, "SPIN lexicon")
