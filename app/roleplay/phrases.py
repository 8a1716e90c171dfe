"""The offline buyer's words, role-breaking list and topic word tables as validated data under playbooks/buyer/.

Errors name the file and the field. `phrase_options(style, situation, lang)` gives a situation's variants
(phrases.yaml); `tone_lexicon()` the words of attempts to leave the role (tone.yaml; the rep's rudeness:
app/roleplay/tone.py); `topic_words()` the topic matcher's concepts and generic words (concepts.yaml,
app/roleplay/topics.py); `buyer_cues()` the words the scripted buyer reacts to (cues.yaml,
app/roleplay/scripted_buyer.py).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.i18n import LANGS, Lang
from app.playbook.data import distinct_entries, load_yaml_model
from app.roleplay.scenarios import CATEGORIES, CommunicationStyle

BUYER_DIR = Path(__file__).resolve().parents[2] / "playbooks" / "buyer"
PHRASES_PATH = BUYER_DIR / "phrases.yaml"
TONE_PATH = BUYER_DIR / "tone.yaml"
CONCEPTS_PATH = BUYER_DIR / "concepts.yaml"
CUES_PATH = BUYER_DIR / "cues.yaml"

STYLES: tuple[CommunicationStyle, ...] = get_args(CommunicationStyle)
MIN_VARIANTS = 3


class PhraseDataError(ValueError):
    """A buyer data file is missing, unreadable or invalid; the message names the file and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Variants(_Strict):
    zh: list[str] = Field(min_length=MIN_VARIANTS)
    en: list[str] = Field(min_length=MIN_VARIANTS)


class PhraseBook(_Strict):
    source: list[str] = Field(min_length=1)
    situations: dict[str, str] = Field(min_length=1)  # situation -> what it is for
    styles: dict[str, dict[str, Variants]]

    @model_validator(mode="after")
    def _complete(self) -> PhraseBook:
        missing_styles = [style for style in STYLES if style not in self.styles]
        if missing_styles:
            raise ValueError(f"styles: missing {missing_styles}")
        for style, table in self.styles.items():
            missing = [name for name in self.situations if name not in table]
            unknown = [name for name in table if name not in self.situations]
            if missing or unknown:
                raise ValueError(f"styles.{style}: missing situations {missing}, unknown {unknown}")
            for name, variants in table.items():
                for lang in LANGS:
                    texts = getattr(variants, lang)
                    if name != "reveal_lead" and any(not text.strip() for text in texts):
                        raise ValueError(f"styles.{style}.{name}.{lang}: empty variant")
                    if "{fact}" in "".join(texts) and name != "already_said":
                        raise ValueError(f"styles.{style}.{name}.{lang}: only already_said may use {{fact}}")
                    if name == "already_said" and not all("{fact}" in text for text in texts):
                        raise ValueError(f"styles.{style}.{name}.{lang}: every variant needs {{fact}}")
        return self


class Words(_Strict):
    zh: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)

    def all(self) -> list[str]:
        return [*self.zh, *self.en]


class ToneLexicon(_Strict):
    """Attempts to step outside the role-play (rudeness has its own lexicon: app/roleplay/tone.py)."""

    source: list[str] = Field(min_length=1)
    injection: Words


class FactTextSimilarity(_Strict):
    """How much a question's likeness to a hidden fact's own text counts when ranking the facts it may be about."""

    # added to a candidate's rank at the best likeness among the candidates, per language of the question
    rank_weight: dict[Lang, float]
    # A question at least this like one fact's text (and alone_lead times more than any other untold fact's) is about
    # that fact even when no keyword names it; a language without a value never counts likeness alone.
    alone_min: dict[Lang, float]
    alone_lead: float = Field(ge=1)
    alone_pieces: int = Field(ge=1)  # ... sharing at least this many pieces with it (one echoed word is no topic)
    stop_characters: str  # Chinese characters that make a character pair say nothing about a topic ("的", "吗")


class TopicWords(_Strict):
    """The topic matcher's tables: concept name -> surface forms (in order), words that name no topic, and the
    weights of the likeness to a fact's own text."""

    concepts: dict[str, list[str]] = Field(min_length=1)
    generic_terms: Words
    fact_text: FactTextSimilarity

    @model_validator(mode="after")
    def _surfaces(self) -> TopicWords:
        for name, surfaces in self.concepts.items():
            if not name.strip():
                raise ValueError("concepts: empty concept name")
            if not surfaces:
                raise ValueError(f"concepts.{name}: no surface forms")
            if any(not surface.strip() or surface != surface.lower() for surface in surfaces):
                raise ValueError(f"concepts.{name}: surface forms must be non-empty and lowercase")
            duplicates = sorted({surface for surface in surfaces if surfaces.count(surface) > 1})
            if duplicates:
                raise ValueError(f"concepts.{name}: repeated surface forms {duplicates}")
        return self


class TerseFollowUp(_Strict):
    """A short question right after a fact is told (see terse_follow_up in cues.yaml)."""

    max_length: dict[Lang, int]  # characters in Chinese, words in English
    effect_asks: Words  # asks for the told fact's effect or size: the next fact of its chain
    cause_asks: Words  # asks why: the next fact only after a situation


class BuyerCues(_Strict):
    """Words the scripted buyer reacts to: a SPIN category asked in general words, a question pointing back at what
    he said, the subjects of the price and competitor objections, a question about his organisation, and the words each communication style likes."""

    general_asks: dict[str, Words]
    refers_back: Words
    terse_follow_up: TerseFollowUp
    price: Words
    competitor: Words
    company_asks: Words  # asks about his organisation and what it does, not about him
    business_basics: Words  # parts every organisation has: never off his business
    style_cues: dict[str, Words]
    interrogative: Words  # regular expressions: a clause that asks (a question mark or word)
    topic_comment: Words  # regular expressions: an asking clause that only comments on the topic before it
    condition: Words  # regular expressions: a clause that sets up what is asked ("要是…", "if…")
    question_words: Words  # regular expressions: a question word (not a bare mark or particle: "啊？", "records?")

    @model_validator(mode="after")
    def _complete(self) -> BuyerCues:
        for field in ("interrogative", "condition", "question_words", "topic_comment"):
            for pattern in getattr(self, field).all():
                try:
                    re.compile(pattern)
                except re.error as error:
                    raise ValueError(f"{field}: pattern {pattern!r} does not compile: {error}") from None
        for field, keys in (("general_asks", CATEGORIES), ("style_cues", STYLES)):
            table: dict[str, Words] = getattr(self, field)
            missing = [key for key in keys if key not in table]
            unknown = [key for key in table if key not in keys]
            if missing or unknown:
                raise ValueError(f"{field}: missing {missing}, unknown {unknown}")
        named = {
            "refers_back": self.refers_back,
            "terse_follow_up.effect_asks": self.terse_follow_up.effect_asks,
            "terse_follow_up.cause_asks": self.terse_follow_up.cause_asks,
            "price": self.price,
            "competitor": self.competitor,
            "company_asks": self.company_asks,
            "business_basics": self.business_basics,
            "interrogative": self.interrogative,
            "condition": self.condition,
            "question_words": self.question_words,
            **{f"general_asks.{key}": words for key, words in self.general_asks.items()},
            **{f"style_cues.{key}": words for key, words in self.style_cues.items()},
        }
        lengths = self.terse_follow_up.max_length
        if set(lengths) != set(LANGS) or min(lengths.values()) < 1:
            raise ValueError("terse_follow_up.max_length: a positive length for every language")
        for field, words in named.items():
            if any(not word.strip() for word in words.all()):
                raise ValueError(f"{field}: empty word")
            if field != "general_asks.situation" and not words.all():
                raise ValueError(f"{field}: no words")
        return self


def load_phrase_book(path: Path) -> PhraseBook:
    """Read and validate a phrase file; any problem raises PhraseDataError naming the file and the field."""
    return load_yaml_model(path, PhraseBook, PhraseDataError, "buyer data")


@lru_cache(maxsize=1)
def phrase_book() -> PhraseBook:
    return load_phrase_book(PHRASES_PATH)


@lru_cache(maxsize=1)
def tone_lexicon() -> ToneLexicon:
    return load_yaml_model(TONE_PATH, ToneLexicon, PhraseDataError, "buyer data")


def load_topic_words(path: Path) -> TopicWords:
    return load_yaml_model(path, TopicWords, PhraseDataError, "buyer data")


@lru_cache(maxsize=1)
def topic_words() -> TopicWords:
    return load_topic_words(CONCEPTS_PATH)


def any_pattern(words: Words) -> re.Pattern[str]:
    """One case-insensitive regular expression that finds any of the patterns (zh and en)."""
    return re.compile("|".join(f"(?:{pattern})" for pattern in words.all()), re.IGNORECASE)


def load_buyer_cues(path: Path) -> BuyerCues:
    return load_yaml_model(path, BuyerCues, PhraseDataError, "buyer data")


@lru_cache(maxsize=1)
def buyer_cues() -> BuyerCues:
    return load_buyer_cues(CUES_PATH)


def phrase_options(style: str, situation: str, lang: str) -> list[str]:
    """The variants of one situation in a style and language ("en" or anything else: zh)."""
    variants = phrase_book().styles[style][situation]
    return variants.en if lang == "en" else variants.zh


__all__ = [
    "BUYER_DIR",
    "BuyerCues",
    "PhraseBook",
    "PhraseDataError",
    "ToneLexicon",
    "TopicWords",
    "Words",
    "any_pattern",
    "distinct_entries",  # moved to app/playbook/data.py, shared with app/coaching/text_classifier.py
    "buyer_cues",
    "load_buyer_cues",
    "load_topic_words",
    "phrase_book",
    "phrase_options",
    "tone_lexicon",
    "topic_words",
]
