"""The methodology's vocabularies, each spelled once (tests/unit/test_vocabulary.py fails on a second spelling).

SPIN question types as letters (what the classifier and the scorecard count) and as fact categories (what a
scenario's buyer reveals), the mapping between the two and the playbook element of each; the five 5K dimensions
and the two sides of a deal a 5K level may be reached with; the five dimensions of a buyer.
"""

from typing import Literal, get_args

SpinLetter = Literal["S", "P", "I", "N"]
SPIN_LETTERS: tuple[SpinLetter, ...] = get_args(SpinLetter)  # the order a discovery should follow
SpinCategory = Literal["situation", "problem", "implication", "need_payoff"]
SPIN_CATEGORIES: tuple[SpinCategory, ...] = get_args(SpinCategory)
CATEGORY_LETTER: dict[str, SpinLetter] = dict(zip(SPIN_CATEGORIES, SPIN_LETTERS, strict=True))
LETTER_CATEGORY: dict[str, SpinCategory] = dict(zip(SPIN_LETTERS, SPIN_CATEGORIES, strict=True))
SPIN_ELEMENTS: dict[str, str] = {letter: f"spin.{category}" for letter, category in LETTER_CATEGORY.items()}

FivekKey = Literal["problem", "power", "vision", "value", "control"]
FIVEK_DIMENSIONS: tuple[FivekKey, ...] = get_args(FivekKey)
Side = Literal["contact", "decision_maker"]
SIDES: tuple[Side, ...] = get_args(Side)

# The five dimensions a buyer is read on (seed 004's model): each is a list of `fivedim.<dimension>.*` ids.
FivedimKey = Literal["maslow", "change", "focus", "closeness", "attitude"]
FIVEDIM_DIMENSIONS: tuple[FivedimKey, ...] = get_args(FivedimKey)
