"""Ask's data under playbooks/ask/: the knowledge sources' human titles and origins, and the decline rules."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.config import REPO_ROOT
from app.playbook.data import load_yaml_model

ASK_DATA_DIR = REPO_ROOT / "playbooks" / "ask"
Origin = Literal["manual", "general"]


class AskDataError(ValueError):
    """A file under playbooks/ask/ is malformed; the message names the file and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BiText(_Strict):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class Source(_Strict):
    """One source document: a seed (manual) or a work of standard sales literature (general)."""

    id: str = Field(min_length=1)
    origin: Origin
    title: BiText


class SourcesFile(_Strict):
    sources: list[Source] = Field(min_length=1)


# A rule's word group: its words, or the name of one of declines.yaml's word_classes.
WordGroup = list[str] | str
Rule = list[WordGroup]


class DeclineCategory(_Strict):
    """Questions Ask declines: each rule is a list of word groups that must all be present."""

    id: str = Field(pattern=r"^[a-z_]+$")
    message: BiText
    rules: list[Rule] = Field(default_factory=list)
    whole: list[str] = Field(default_factory=list)
    see_also: str | None = None
    # Words that put a question back in scope for this category ("客户问我们支持 Python 吗" is about a sale);
    # strong_rules fire even then.
    unless: list[str] = Field(default_factory=list)
    strong_rules: list[Rule] = Field(default_factory=list)


class DeclinesFile(_Strict):
    # Named word classes (what is given, to whom, for what) that rules combine by name.
    word_classes: dict[str, list[str]] = Field(default_factory=dict)
    declines: list[DeclineCategory] = Field(min_length=1)


@lru_cache(maxsize=4)
def load_sources(directory: Path = ASK_DATA_DIR) -> dict[str, Source]:
    """Source id -> Source, from sources.yaml (ids unique)."""
    data = load_yaml_model(directory / "sources.yaml", SourcesFile, AskDataError, "sources")
    by_id: dict[str, Source] = {}
    for position, source in enumerate(data.sources):
        if source.id in by_id:
            raise AskDataError(f"sources.yaml: sources.{position}.id: duplicate id {source.id!r}")
        by_id[source.id] = source
    return by_id


SHORT_WORD = 3  # Latin words this short match only as whole words ("he" not in "help", "her" not in "here")


def _term_pattern(term: str) -> str:
    """Latin terms match at a word start ("sue" not in "issue"), and short ones as whole words; Chinese terms anywhere.
    Latin letters and digits bound a Latin word, so "用sap" and "KTV喝酒" still hold "sap" and "ktv"."""
    escaped = re.escape(term.lower())
    if not (term[:1].isascii() and term[:1].isalnum()):
        return escaped
    end = "(?![a-z0-9])" if term.isascii() and term.isalnum() and len(term) <= SHORT_WORD else ""
    return rf"(?<![a-z0-9]){escaped}{end}"


class DeclineRules:
    """Compiled decline categories: `match(question)` -> the first category that fires, or None.
    A rule's group naming a word class stands for that class's words."""

    def __init__(self, categories: list[DeclineCategory], word_classes: dict[str, list[str]] | None = None) -> None:
        self.categories = categories
        self.word_classes = word_classes or {}
        # One regex per word group; a rule is the list of its groups' regexes.
        self._compiled = [
            (
                category,
                _compile_rules(self._resolved(category.strong_rules)),
                _compile_rules(self._resolved(category.rules)),
                {_bare(text) for text in category.whole},
                re.compile("|".join(_term_pattern(term) for term in category.unless)) if category.unless else None,
            )
            for category in categories
        ]

    def _resolved(self, rules: list[Rule]) -> list[list[list[str]]]:
        return [[self.word_classes[group] if isinstance(group, str) else group for group in rule] for rule in rules]

    def words(self) -> list[str]:
        """Every word the rules look for (the pinyin reader's decline vocabulary)."""
        rules = [rule for category in self.categories for rule in [*category.strong_rules, *category.rules]]
        return [word for rule in self._resolved(rules) for group in rule for word in group]

    def match(self, question: str) -> DeclineCategory | None:
        text = question.lower()
        bare = _bare(question)
        for category, strong, rules, whole, unless in self._compiled:
            if _made_of(bare, whole) or _fires(strong, text):
                return category
            if unless is not None and unless.search(text):
                continue
            if _fires(rules, text):
                return category
        return None


def _compile_rules(rules: list[list[list[str]]]) -> list[list[re.Pattern[str]]]:
    return [[re.compile("|".join(_term_pattern(term) for term in group)) for group in rule] for rule in rules]


def _fires(rules: list[list[re.Pattern[str]]], text: str) -> bool:
    """Whether some rule has a match for every one of its word groups."""
    return any(all(group.search(text) for group in rule) for rule in rules)


def _made_of(bare: str, pieces: set[str]) -> bool:
    """Whether the bare text is one or more of the pieces strung together ("hey" + "how's it going", "谢谢" + "拜拜")."""
    if not bare or not pieces:
        return False
    longest = max(map(len, pieces))
    reachable = [True] + [False] * len(bare)  # reachable[i]: bare[:i] is made of pieces
    for end in range(1, len(bare) + 1):
        reachable[end] = any(
            reachable[start] and bare[start:end] in pieces for start in range(max(0, end - longest), end)
        )
    return reachable[-1]


def _bare(text: str) -> str:
    """Lowercase without punctuation or spaces, for whole-question small-talk matches."""
    return re.sub(r"[\W_]+", "", text.lower())


def _check_rules(rules: list[list[list[str]]], where: str) -> None:
    """A rule is a non-empty list of non-empty word groups of non-blank words."""
    for number, rule in enumerate(rules):
        if not rule or any(not group or any(not term.strip() for term in group) for group in rule):
            raise AskDataError(f"{where}.rules.{number}: empty group or word")


@lru_cache(maxsize=4)
def load_decline_rules(directory: Path = ASK_DATA_DIR) -> DeclineRules:
    """declines.yaml, checked: no empty rule, group or word; every class a rule names exists and every class is used."""
    data = load_yaml_model(directory / "declines.yaml", DeclinesFile, AskDataError, "declines")
    for name, words in data.word_classes.items():
        if not re.fullmatch(r"[a-z_]+", name) or not words or any(not word.strip() for word in words):
            raise AskDataError(f"declines.yaml: word_classes.{name}: a lowercase name and non-empty words")
    used: set[str] = set()
    for position, category in enumerate(data.declines):
        for number, rule in enumerate([*category.strong_rules, *category.rules]):
            where = f"declines.yaml: declines.{position}.rules.{number}"
            if not rule or any(not group or any(not term.strip() for term in group) for group in rule):
                raise AskDataError(f"{where}: empty group or word")
            for group in rule:
                if isinstance(group, str):
                    if group not in data.word_classes:
                        raise AskDataError(f"{where}: unknown word class {group!r}")
                    used.add(group)
    if unused := sorted(set(data.word_classes) - used):
        raise AskDataError(f"declines.yaml: word_classes not used by any rule: {', '.join(unused)}")
    return DeclineRules(list(data.declines), data.word_classes)


class QueryWords(_Strict):
    """How reps word questions (query_words.yaml): synonyms toward the playbook's words, and sales-context words."""

    synonyms: dict[str, list[str]] = Field(default_factory=dict)
    sales_context: list[str] = Field(min_length=1)
    # How a question is framed, not what it is about ("简单说说", "in a nutshell"): left out of the question's words.
    frame_phrases: list[str] = Field(default_factory=list)


@lru_cache(maxsize=4)
def load_query_words(directory: Path = ASK_DATA_DIR) -> QueryWords:
    data = load_yaml_model(directory / "query_words.yaml", QueryWords, AskDataError, "query words")
    for word, synonyms in data.synonyms.items():
        if not word.strip() or not synonyms or any(not synonym.strip() for synonym in synonyms):
            raise AskDataError(f"query_words.yaml: synonyms.{word}: empty word or synonym list")
    return data


class Situation(_Strict):
    """A situation reps describe (situations.yaml): rules of word groups that name it, and the passages answering it."""

    id: str = Field(pattern=r"^[a-z_0-9]+$")
    passages: list[str] = Field(min_length=1)
    rules: list[list[list[str]]] = Field(min_length=1)
    # Situations that are details of this one when both are named ("各部门想法不一样，财务嫌贵": one view is the price):
    # this one leads.
    leads_over: list[str] = Field(default_factory=list)


class SituationsFile(_Strict):
    situations: list[Situation] = Field(min_length=1)
    # Words opening a clause about what the rep wants to avoid ("…so I don't get ghosted", "我怕…没下文"): a situation
    # named only there is the worry behind the question, not the situation it asks about.
    worry_markers: list[str] = Field(default_factory=list)


class SituationRules:
    """Compiled situations: `passages(question)` -> the ids of the passages of every situation the question names."""

    def __init__(self, situations: list[Situation], worry_markers: list[str] | None = None) -> None:
        self.situations = situations
        self._compiled = [(situation, _compile_rules(situation.rules)) for situation in situations]
        markers = "|".join(_term_pattern(marker) for marker in worry_markers or [])
        # from a marker to the end of its clause
        self._worry_clause = re.compile(f"(?:{markers})[^，,。！？!?；;\\n]*") if markers else None

    def passages(self, question: str) -> frozenset[str]:
        text = question.lower()
        return frozenset(
            passage for situation, rules in self._compiled if _fires(rules, text) for passage in situation.passages
        )

    def asked_passages(self, question: str) -> frozenset[str]:
        """The passages of the situations named in the question's last sentence: reps describe the deal first and
        ask their point last ("…贵了15%。我要不要直接降价？"), so that situation is the main point."""
        return self.passages(self.without_worries(asked_sentence(question)))

    def without_worries(self, question: str) -> str:
        """The question without its worry clauses ("…so they don't go quiet", "我怕…")."""
        return self._worry_clause.sub(" ", question.lower()) if self._worry_clause else question

    def detail_passages(self, question: str) -> frozenset[str]:
        """The passages of named situations that another named situation lists in `leads_over` (and that no other
        named situation answers): details of the broader situation the question describes."""
        text = question.lower()
        fired = [situation for situation, rules in self._compiled if _fires(rules, text)]
        led = {led for situation in fired for led in situation.leads_over}
        details = {passage for situation in fired if situation.id in led for passage in situation.passages}
        leading = {passage for situation in fired if situation.id not in led for passage in situation.passages}
        return frozenset(details - leading)

    def described_passages(self, question: str) -> frozenset[str]:
        """The passages of the situations the question describes outside its worry clauses."""
        return self.passages(self.without_worries(question))


# Sentence ends: Chinese and full-width marks anywhere, Latin ones before a space (not "3.5", "e.g.x").
SENTENCE_END_RE = re.compile(r"[。！？!?；;\n]+|\.(?=\s)")


def asked_sentence(question: str) -> str:
    """The question's last non-empty sentence (the whole question when it has one)."""
    pieces = [piece for piece in SENTENCE_END_RE.split(question) if piece.strip()]
    return pieces[-1] if pieces else question


@lru_cache(maxsize=4)
def load_situations(directory: Path = ASK_DATA_DIR) -> SituationRules:
    data = load_yaml_model(directory / "situations.yaml", SituationsFile, AskDataError, "situations")
    ids = [situation.id for situation in data.situations]
    if len(set(ids)) != len(ids):
        raise AskDataError("situations.yaml: situation ids must be unique")
    for position, situation in enumerate(data.situations):
        _check_rules(situation.rules, f"situations.yaml: situations.{position}")
        if unknown := sorted(set(situation.leads_over) - set(ids)):
            raise AskDataError(f"situations.yaml: {situation.id}.leads_over: unknown situations {', '.join(unknown)}")
    return SituationRules(list(data.situations), list(data.worry_markers))


class AnswerThresholds(_Strict):
    """The offline answer's thresholds (thresholds.yaml; its comments say how each was measured)."""

    min_matched_weight: float = Field(gt=0)
    min_evidence_idf: float = Field(ge=0)
    min_coverage: float = Field(gt=0, le=1)
    single_term_coverage: float = Field(gt=0, le=1)
    secondary_score_ratio: float = Field(gt=0, le=1)
    max_secondary_chunks: int = Field(ge=0)
    line_term_min_idf: float = Field(ge=0)
    max_primary_chars: int = Field(gt=0)
    max_secondary_lines: int = Field(gt=0)
    short_secondary_chars: int = Field(gt=0)
    excerpt_chars: int = Field(gt=1)
    same_language_ratio: float = Field(gt=0, le=1)
    same_language_tie_ratio: float = Field(gt=0, le=1)
    max_steps: int = Field(gt=0)
    aspect_min_idf: float = Field(ge=0)
    aspect_depth: int = Field(gt=0)
    also_score_ratio: float = Field(gt=0, le=1)
    min_how_to_weight: float = Field(gt=0)
    how_to_short_coverage: float = Field(gt=0, le=1)
    sales_how_to_weight: float = Field(gt=0)
    sales_evidence_weight: float = Field(gt=0)
    sales_how_to_coverage: float = Field(gt=0, le=1)
    definition_ratio: float = Field(gt=0, le=1)
    definition_max_words: int = Field(gt=0)
    reference_ratio: float = Field(gt=0, le=1)
    reference_topic_coverage: float = Field(gt=0, le=1)
    might_help: int = Field(ge=0)
    short_summary_chars: int = Field(gt=0)


@lru_cache(maxsize=4)
def load_answer_thresholds(directory: Path = ASK_DATA_DIR) -> AnswerThresholds:
    return load_yaml_model(directory / "thresholds.yaml", AnswerThresholds, AskDataError, "answer thresholds")


class ComparisonsFile(_Strict):
    """How a comparison question is recognised and split into its two sides (comparisons.yaml)."""

    markers: list[str] = Field(min_length=1)
    joiners: list[str] = Field(min_length=1)
    what_to_do: list[str] = Field(default_factory=list)
    summary_skip: list[str] = Field(default_factory=list)


@lru_cache(maxsize=4)
def load_comparisons(directory: Path = ASK_DATA_DIR) -> ComparisonsFile:
    data = load_yaml_model(directory / "comparisons.yaml", ComparisonsFile, AskDataError, "comparisons")
    for field in ("markers", "what_to_do"):
        for position, pattern in enumerate(getattr(data, field)):
            try:
                re.compile(pattern)
            except re.error as problem:
                raise AskDataError(f"comparisons.yaml: {field}.{position}: {problem}") from problem
    return data
