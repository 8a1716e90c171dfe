"""Topic matching for the scripted buyer: how strongly a rep's words touch a hidden fact, in Chinese or English.

A fact's vocabulary is its YAML topic keywords plus the content words of its own text (jieba tokens
from app/knowledge/tokenize.py), widened by a small table of concepts (playbooks/buyer/concepts.yaml) that reps
name in different words ("关账" and "月结", "outflow" and "流失"). Keywords are matched as before (substring for
Chinese, word start for latin, with regular English inflections: "worry" also finds "worried");
the other words count by how well they tell apart the facts that compete for the same kind of
question (the facts of one SPIN category): a concept that only one of them has weighs 1, one that
three of them share weighs 1/3. Plain words of the fact's text are noisier than curated concepts
and weigh half that, so one stray noun ("医院") is not a topic.

English: the facts' texts are Chinese, so an English question meets a fact through the fact's
`topics.en` keywords (and their stemmed words) and through the English surface forms of CONCEPTS,
which carry the same concept name as the Chinese words of the fact's text.

Usage:
    index = topic_index(scenario)
    match = index.match(fact, index.terms("财务月底关账顺利吗？"), "财务月底关账顺利吗？")
    match.on_topic, match.score
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import get_args

from pypinyin import lazy_pinyin

from app.i18n import Lang
from app.knowledge.tokenize import is_chinese, stem_english, tokenize, word_frequency
from app.roleplay.phrases import topic_words
from app.roleplay.scenarios import Fact, Scenario, load_scenarios

# One keyword hit weighs as much as two fully specific content words.
KEYWORD_WEIGHT = 2.0
# A keyword that n facts of the scenario mention (in their text or keywords) weighs KEYWORD_WEIGHT / n, so a
# common word (时间, 客户, 数据, 成本) cannot hijack a topic; a clear hit needs this much keyword weight.
SPECIFIC_KEYWORD_SCORE = 0.6
# A question is on a fact's topic with one keyword, or content words worth at least this much.
MIN_TERM_SCORE = 1.0
# A keyword that the public scenario card already names (the company's size, its context, the deal) weighs this share.
CARD_WORD_SHARE = 0.5
# A keyword that is a common word of everyday Chinese (jieba's dictionary frequency at least COMMON_WORD_FREQUENCY:
# 时间, 系统, 活动, 学生, 领导) weighs this share: it names no topic on its own ("时间上怎么安排？").
COMMON_WORD_FREQUENCY = 15000
COMMON_WORD_SHARE = 0.25
# Weight of a plain word (a jieba token of the fact's text or keywords) against a concept.
PLAIN_WORD_SHARE = 0.5
# A keyword that the texts of more than DOMAIN_WORD_SCENARIOS of the product's scenarios contain (plan, team, 客户,
# 成本) belongs to every sales conversation rather than to this buyer's business: found in n scenarios, it weighs
# DOMAIN_WORD_SCENARIOS / n (4 of 8: 0.75, all eight: 0.375). Only keywords: a fact's plain words and concepts keep
# their weight, since a word common across the product ("data") may still be what sets one fact of this buyer apart
# (tried on the tune sets: weighing those too lost the wind farm's SCADA-data questions).
DOMAIN_WORD_SCENARIOS = 3


def domain_share(scenarios_using: int) -> float:
    return min(1.0, DOMAIN_WORD_SCENARIOS / max(scenarios_using, 1))


# Concepts reps name in many ways (playbooks/buyer/concepts.yaml): canonical name -> surface forms (Chinese
# substrings, latin word starts). A text that contains any surface form also carries the canonical name as a term,
# on the question side and the fact side alike, so the two meet whichever words each uses.
CONCEPTS: dict[str, tuple[str, ...]] = {name: tuple(forms) for name, forms in topic_words().concepts.items()}

# Words that say nothing about which fact is meant: SPIN question words, politeness, time fillers (concepts.yaml).
# English words are compared as tokenize() gives them, lightly stemmed ("currently" -> "current").
GENERIC_TERMS: frozenset[str] = frozenset(topic_words().generic_terms.all())
GENERIC_TERMS = GENERIC_TERMS | {stem_english(word) for word in GENERIC_TERMS if word.isascii()}

# The likeness to a fact's own text (concepts.yaml, fact_text): Chinese pairs of characters without a stop character.
FACT_TEXT = topic_words().fact_text
_STOP_CHARACTERS = frozenset(FACT_TEXT.stop_characters)
_CJK_RUNS = re.compile(r"[\u4e00-\u9fff]+")

_NUMERAL_ONLY = re.compile(r"^[0-9零一二三四五六七八九十百千万亿两几多余个半来]+[年月天个次户台人家种位]?$")


_VOWELS = "aeiou"


def _inflected(word: str) -> str:
    """A regex for the last English word of a keyword with its regular inflections where the stem changes:
    worry -> worries, worried; leave -> leaving; scan -> scanned, scanning (other endings just follow)."""
    last = word[-1]
    if last == "e":
        return re.escape(word[:-1]) + "(?:e|ing)"
    if last == "y" and len(word) > 2 and word[-2] not in _VOWELS:
        return re.escape(word[:-1]) + "(?:y|i)"
    if len(word) <= 4 and last not in _VOWELS + "wxy" and len(word) >= 2 and word[-2] in _VOWELS:
        return re.escape(word) + f"(?:{last}(?=ed|ing))?"
    return re.escape(word)


@lru_cache(maxsize=4096)
def _latin_word(word: str) -> re.Pattern[str]:
    # Latin keywords must start a word ("his" must not match "this"); short ones (HIS, AUM, ERP) must
    # also end it, save for a plain inflection ("fail" matches "fails", "failed", "failing"); longer
    # ones may go on as a prefix ("optimis" matches "optimise"). The last word may change its stem
    # ("worry" matches "worried", "leave" matches "leaving", see _inflected).
    head, space, tail = word.rpartition(" ")
    stem = re.escape(head + space) + _inflected(tail) if tail.isalpha() else re.escape(word)
    end = r"(?:s|es|ed|ing)?(?![a-z0-9])" if len(word) <= 4 else ""
    return re.compile(r"(?<![a-z0-9])" + stem + end)


# A word as the matcher tests it: (a substring that every match of the lowercased word contains, the
# word-start pattern for latin words or None for Chinese). The cheap substring test goes first.
Probe = tuple[str, re.Pattern[str] | None]
_LATIN_CHAR = re.compile(r"[a-z0-9]")


@lru_cache(maxsize=4096)
def _probe(word: str) -> Probe:
    word = word.lower()
    if not word.isascii():
        return word, None
    # "worry" and "leave" lose their last letter when inflected (worried, leaving): probe without it
    return (word[:-1] if word[-1] in "ey" and len(word) > 1 else word), _latin_word(word)


def _found(lowered_text: str, probe: Probe) -> bool:
    substring, pattern = probe
    return substring in lowered_text and (pattern is None or pattern.search(lowered_text) is not None)


def contains(lowered_text: str, word: str) -> bool:
    """Keyword test on lowercased text: substring for Chinese, word-start match for latin keywords."""
    return bool(word) and _found(lowered_text, _probe(word))


def mentions(text: str, words: list[str] | tuple[str, ...]) -> bool:
    """True when the text mentions any of the words (see contains)."""
    lowered = text.lower()
    return any(contains(lowered, word) for word in words)


# The surface forms of CONCEPTS by script, as (concept name, probe).
def _surface_table(latin: bool) -> tuple[tuple[str, Probe], ...]:
    return tuple(
        (name, _probe(surface))
        for name, surfaces in CONCEPTS.items()
        for surface in surfaces
        if surface and surface.isascii() == latin
    )


_CJK_SURFACES = _surface_table(latin=False)
_LATIN_SURFACES = _surface_table(latin=True)


def concept_names(lowered_text: str) -> set[str]:
    """The CONCEPTS a lowercased text names with any of their surface forms."""
    return set(_concept_surfaces(lowered_text))


def _concept_surfaces(lowered_text: str) -> dict[str, str]:
    """The CONCEPTS a lowercased text names, each with the first of its surface forms found there."""
    found: dict[str, str] = {}
    tables = []
    if is_chinese(lowered_text):
        tables.append(_CJK_SURFACES)
    if _LATIN_CHAR.search(lowered_text):
        tables.append(_LATIN_SURFACES)
    for table in tables:
        for name, probe in table:
            if name not in found and _found(lowered_text, probe):
                found[name] = probe[0]
    return found


def _said_by_concept(token: str, surfaces: set[str]) -> bool:
    """The token is the very word a concept was found by ("plan" and the concept 规划 it names): one word is one
    piece of evidence, so it counts once, as the concept."""
    if token.isascii():
        return any(
            surface.startswith(token) or token.startswith(surface)
            for surface in surfaces
            if surface.isascii() and " " not in surface
        )
    return False  # a Chinese token is often narrower than its concept (补录 against 记录): both count


def content_terms(text: str) -> frozenset[str]:
    """The words of a text that can tell facts apart: jieba content tokens and concept names (a token that is the
    surface form a concept was found by counts as that concept only)."""
    concepts = _concept_surfaces(text.lower())
    surfaces = set(concepts.values())
    terms = {
        token
        for token in tokenize(text)
        if token not in GENERIC_TERMS
        and not _NUMERAL_ONLY.match(token)
        and len(token) >= 2
        and not _said_by_concept(token, surfaces)
    }
    terms.update(concepts)
    return frozenset(terms - GENERIC_TERMS)


def text_pieces(text: str) -> frozenset[str]:
    """The pieces a text is compared by with a fact's own text: for Chinese, every pair of adjacent characters that
    holds no stop character and is no numeral nor generic word (需求, 问题) ("查一个客户的全貌" gives 客户, 全貌); latin words (AUM, Excel, any
    English text) as stemmed content tokens."""
    pieces: set[str] = set()
    for run in _CJK_RUNS.findall(text):
        for start in range(len(run) - 1):
            pair = run[start : start + 2]
            if not (_STOP_CHARACTERS & set(pair)) and not _NUMERAL_ONLY.match(pair) and pair not in GENERIC_TERMS:
                pieces.add(pair)
    latin = _CJK_RUNS.sub(" ", text)
    if _LATIN_CHAR.search(latin.lower()):
        pieces.update(token for token in tokenize(latin) if token not in GENERIC_TERMS and len(token) >= 2)
    return frozenset(pieces)


def likeness_language(text: str) -> Lang:
    """The language of the facts' texts a rep's text is compared with: Chinese for Chinese text, else English."""
    return "zh" if is_chinese(text) else "en"


@dataclass(frozen=True)
class TopicMatch:
    """How a rep's text touches one fact: keyword hits (the longest one named) and weighted shared words."""

    keyword: str = ""
    keyword_hits: int = 0
    term_score: float = 0.0
    keyword_score: float = -1.0  # keyword hits weighed by how specific each keyword is (-1: unweighted)
    card_hits: int = (
        0  # keywords that the card's size line says too: they name the fact only when nothing else is named
    )

    @property
    def on_topic(self) -> bool:
        return self.keyword_hits > 0 or self.term_score >= MIN_TERM_SCORE

    @property
    def card_only(self) -> bool:
        """Named only by words of the public card (the fleet, the turbines): a fallback when nothing else is named."""
        return self.card_hits > 0 and not self.on_topic

    @property
    def specific(self) -> bool:
        """A clear hit: at least one keyword that few of the scenario's facts share (not a common word)."""
        return self.keyword_hits > 0 and (self.keyword_score < 0 or self.keyword_score >= SPECIFIC_KEYWORD_SCORE)

    @property
    def score(self) -> float:
        if not self.on_topic:
            return 0.0
        keywords = self.keyword_score if self.keyword_score >= 0 else KEYWORD_WEIGHT * self.keyword_hits
        return keywords + self.term_score


class TopicIndex:
    """The vocabulary of every fact of one scenario, with each word weighted by how specific it is."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.fact_terms: dict[str, frozenset[str]] = {}
        self.term_weights: dict[str, dict[str, float]] = {}  # fact id -> its terms' weights
        # fact id -> its keywords as written, each with its probe (see _probe)
        self.keywords: dict[str, tuple[tuple[str, Probe], ...]] = {
            fact.id: tuple((word, _probe(word)) for word in fact.topics.all() if word) for fact in scenario.all_facts()
        }
        self._fact_texts = [
            " ".join([fact.text, getattr(fact, "text_en", None) or "", *fact.topics.all()]).lower()
            for fact in scenario.all_facts()
        ]
        self._keyword_weights: dict[str, float] = {}
        own = _domain_document(scenario)[1]
        self._generic_words: dict[str, bool] = {}
        self._strays_for: tuple[frozenset[str] | None, bool] = (None, False)
        self._domain = [own] + [text for scenario_id, text in _domain_documents() if scenario_id != scenario.id]
        company = scenario.company
        self._card_text = " ".join(
            [company.size, company.size_en, company.context, company.context_en]
            + [scenario.deal_context, scenario.deal_context_en]
        ).lower()
        self._size_text = " ".join([company.size, company.size_en]).lower()
        self._all_keywords = tuple({word: probe for words in self.keywords.values() for word, probe in words}.items())
        self._found_for: str | None = None
        self._sounds: dict[tuple[str, ...], str] | None = None  # pinyin -> the one vocabulary word that sounds so
        self._vocabulary_zh: frozenset[str] = frozenset()
        self._vocabulary: frozenset[str] | None = None
        self._found: list[str] = []
        # pieces of each fact's own text per language, weighed by inverse document frequency over the scenario's facts
        self._text_pieces: dict[Lang, dict[str, frozenset[str]]] = {"zh": {}, "en": {}}
        self._piece_weights: dict[Lang, dict[str, float]] = {"zh": {}, "en": {}}
        facts_all = scenario.all_facts()
        for lang in get_args(Lang):
            pieces_of = {
                fact.id: text_pieces(fact.text if lang == "zh" else (getattr(fact, "text_en", None) or fact.text))
                for fact in facts_all
            }
            using: dict[str, int] = {}
            for pieces in pieces_of.values():
                for piece in pieces:
                    using[piece] = using.get(piece, 0) + 1
            self._text_pieces[lang] = pieces_of
            self._piece_weights[lang] = {piece: math.log(len(facts_all) / count) for piece, count in using.items()}
        for facts in scenario.facts.by_category().values():
            for fact in facts:
                words = {fact.text, getattr(fact, "text_en", None) or "", *fact.topics.all()} - {""}
                self.fact_terms[fact.id] = frozenset().union(*(content_terms(word) for word in words))
            facts_using: dict[str, int] = {}
            for fact in facts:
                for term in self.fact_terms[fact.id]:
                    facts_using[term] = facts_using.get(term, 0) + 1
            for fact in facts:
                self.term_weights[fact.id] = {
                    term: (1.0 if term in CONCEPTS else PLAIN_WORD_SHARE) / facts_using[term]
                    for term in self.fact_terms[fact.id]
                }

    def _scenarios_using_word(self, word: str) -> int:
        """How many of the product's scenarios' texts contain the keyword (this one included; at least 1)."""
        probe = _probe(word)
        return max(1, sum(1 for text in self._domain if _found(text, probe)))

    def correct_typos(self, text: str) -> str:
        """English words of five letters or more that are one edit (insert, delete, change, swap) away from exactly
        one word of this scenario's vocabulary are read as that word: "maintanance", "colect", "seperate". Chinese
        typos of pinyin input are homophones: a run of two to four characters that sounds like exactly one word of
        the scenario's vocabulary and keeps its first character is read as that word ("系同" 系统, "补路" 补录)."""
        if _CJK_RUN.search(text):
            text = self._correct_homophones(text)
        if not _LATIN_CHAR.search(text.lower()):
            return text
        if self._vocabulary is None:
            words: set[str] = set()
            for text_of_fact in self._fact_texts:
                words.update(_LATIN_WORDS.findall(text_of_fact))
            for surfaces in CONCEPTS.values():
                for surface in surfaces:
                    words.update(_LATIN_WORDS.findall(surface.lower()))
            self._vocabulary = frozenset(word for word in words if len(word) >= 4)
        vocabulary = self._vocabulary

        def fix(match: re.Match[str]) -> str:
            word = match.group(0)
            lowered = word.lower()
            if not 5 <= len(lowered) <= 16 or lowered in vocabulary:
                return word
            found = {meant for meant in _one_edit(lowered) & vocabulary if _slip(lowered, meant)}
            return next(iter(found)) if len(found) == 1 else word

        return _LATIN_WORDS.sub(fix, text)

    def _correct_homophones(self, text: str) -> str:
        if self._sounds is None:
            words: set[str] = set()
            for fact in self.scenario.all_facts():
                words.update(word for word in fact.topics.zh if _CJK_WORD.fullmatch(word))
                words.update(token for token in tokenize(fact.text) if _CJK_WORD.fullmatch(token))
            for surfaces in CONCEPTS.values():
                words.update(surface for surface in surfaces if _CJK_WORD.fullmatch(surface))
            by_sound: dict[tuple[str, ...], set[str]] = {}
            for word in words - GENERIC_TERMS:
                by_sound.setdefault(tuple(lazy_pinyin(word)), set()).add(word)
            self._sounds = {key: next(iter(found)) for key, found in by_sound.items() if len(found) == 1}
            self._vocabulary_zh = frozenset(words)
        sounds, known = self._sounds, self._vocabulary_zh
        if not sounds:
            return text
        chars = list(text)
        # one syllable per character ("?" for each one that is not Chinese; pypinyin accepts a list from `errors`)
        syllables = lazy_pinyin(text, errors=lambda run: ["?"] * len(run))  # type: ignore[arg-type,return-value]
        if len(syllables) != len(chars):
            return text
        start = 0
        while start < len(chars):
            for size in (4, 3, 2):
                window = "".join(chars[start : start + size])
                if len(window) < size or not _CJK_WORD.fullmatch(window) or window in known:
                    continue
                meant = sounds.get(tuple(syllables[start : start + size]))
                # a common word of its own ("实施" next to the vocabulary's "实时") is meant, not mistyped
                if (
                    meant is not None
                    and meant[0] == window[0]
                    and not _contains_known(text, meant)
                    and word_frequency(window) < max(word_frequency(meant), 1)
                ):
                    chars[start : start + size] = list(meant)
                    start += size - 1
                    break
            start += 1
        return "".join(chars)

    def text_likeness(self, text: str) -> dict[str, float]:
        """How much of each fact's own text the rep's text says: the weights of the pieces they share (Chinese text
        against the facts' Chinese, anything else against their English)."""
        lang = likeness_language(text)
        pieces, weights = text_pieces(text), self._piece_weights[lang]
        return {
            fact_id: round(sum(weights[piece] for piece in sorted(pieces & own)), 4)
            for fact_id, own in self._text_pieces[lang].items()
        }

    def shared_pieces(self, text: str) -> dict[str, int]:
        """How many pieces of each fact's own text the rep's text has (see text_likeness)."""
        pieces = text_pieces(text)
        return {fact_id: len(pieces & own) for fact_id, own in self._text_pieces[likeness_language(text)].items()}

    def terms(self, text: str) -> frozenset[str]:
        """The content terms of a rep's text (compute once per turn, pass to match)."""
        return content_terms(text)

    def keyword_weight(self, word: str) -> float:
        """KEYWORD_WEIGHT shared out over the facts whose text or keywords contain the word; halved for a word of the
        public scenario card (company size and context, the deal): every rep knows it, so naming it asks little."""
        weight = self._keyword_weights.get(word)
        if weight is None:
            probe = _probe(word)
            users = sum(1 for text in self._fact_texts if _found(text, probe)) or 1
            given = CARD_WORD_SHARE if _found(self._card_text, probe) else 1.0
            common = COMMON_WORD_SHARE if is_common_word(word) else 1.0
            domain = domain_share(self._scenarios_using_word(word))
            weight = self._keyword_weights[word] = KEYWORD_WEIGHT * given * common * domain / users
        return weight

    def match(self, fact: Fact, text_terms: frozenset[str], text: str) -> TopicMatch:
        lowered = text.lower()
        keywords = [word for word, probe in self.keywords[fact.id] if _found(lowered, probe)]
        # A keyword inside a longer keyword found in the same text ("客户" in "客户经理") is not a hit of its own.
        found = self.found_keywords(lowered)
        keywords = [
            word
            for word in keywords
            if not any(len(other) > len(word) and word.lower() in other.lower() for other in found)
        ]
        weights = self.term_weights[fact.id]
        shared = sorted(text_terms & self.fact_terms[fact.id])  # sorted: the same float sum in every process
        # A keyword the public card already says (the fleet, the turbines, the wards) weighs in, but is no hit alone.
        hits = [word for word in keywords if not self.on_card(word)]
        # Evidence made only of words that most of the product's scenarios use (plan, time, phone, spend, data), in a
        # question that also names things this buyer's texts never mention (holidays, kids, an office move, trade
        # fairs), is a question about those things: no match. English only: jieba splits colloquial Chinese into
        # many tokens no fact uses ("流失严重吗？"), so in Chinese the test took real questions away (tune sets).
        if (
            (keywords or shared)
            and not is_chinese(text)
            and all(self._generic(word) for word in [*keywords, *shared])
            and self._strays(text_terms)
        ):
            return TopicMatch()
        return TopicMatch(
            keyword=max(hits or keywords, key=len, default=""),
            keyword_hits=len(hits),
            card_hits=len(keywords) - len(hits),
            term_score=round(sum(weights[term] for term in shared), 4),
            keyword_score=round(sum(self.keyword_weight(word) for word in sorted(set(keywords))), 4),
        )

    def _generic(self, word: str) -> bool:
        """A word that more than DOMAIN_WORD_SCENARIOS of the product's scenarios use (a concept: by any surface)."""
        cached = self._generic_words.get(word)
        if cached is None:
            count = sum(1 for text in self._domain if _names(text, word))
            cached = self._generic_words[word] = count > DOMAIN_WORD_SCENARIOS
        return cached

    def unrelated(self, text_terms: frozenset[str]) -> bool:
        """The text is about things outside this buyer's business: of the words it names that not every sales call
        uses (see _generic), none appears in the scenario's facts and card, and one appears in none of the product's
        scenarios ("跨境电商直播", "cruise ships" to a vitamin maker). A question that names nothing specific
        ("情况怎么样？") is merely general, not unrelated."""
        own, *others = self._domain
        specific = [term for term in text_terms if not self._generic(term)]
        if not specific or any(_names(own, term) for term in specific):
            return False
        return any(not any(_names(text, term) for text in others) for term in specific)

    def _strays(self, text_terms: frozenset[str]) -> bool:
        """The text names things the scenario never speaks of (words absent from its facts and card)."""
        if self._strays_for[0] != text_terms:
            own = self._domain[0]
            self._strays_for = (
                text_terms,
                any(not _found(own, _probe(term)) for term in text_terms if term not in CONCEPTS),
            )
        return self._strays_for[1]

    def on_card(self, word: str) -> bool:
        """The public card's size line (what every rep reads first: trucks, turbines, wards) contains the word."""
        return _found(self._size_text, _probe(word))

    def found_keywords(self, lowered: str) -> list[str]:
        """Every keyword of the scenario's facts that the lowercased text contains (cached per text)."""
        if self._found_for != lowered:
            self._found_for = lowered
            self._found = [word for word, probe in self._all_keywords if _found(lowered, probe)]
        return self._found


def _names(text: str, term: str) -> bool:
    """The lowercased text contains the term (a concept: any of its surface forms)."""
    return any(_found(text, _probe(surface)) for surface in CONCEPTS.get(term, (term,)))


@lru_cache(maxsize=4096)
def is_common_word(word: str) -> bool:
    """A Chinese word so frequent in everyday language that it cannot tell topics apart (see COMMON_WORD_FREQUENCY)."""
    return is_chinese(word) and word_frequency(word) >= COMMON_WORD_FREQUENCY


_LATIN_WORDS = re.compile(r"[A-Za-z]+")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]")
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2,4}")


def _contains_known(text: str, word: str) -> bool:
    """The text already spells the word right somewhere (then a look-alike run is another word, not a typo)."""
    return word in text


_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Letters next to each other on a QWERTY keyboard (a finger slipping to a neighbour key).
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOUR_KEYS: dict[str, set[str]] = {}
for _upper, _lower in zip(_KEYBOARD_ROWS, _KEYBOARD_ROWS[1:], strict=False):
    for _i, _key in enumerate(_upper):
        for _other in _lower[max(0, _i - 1) : _i + 1]:
            _NEIGHBOUR_KEYS.setdefault(_key, set()).add(_other)
            _NEIGHBOUR_KEYS.setdefault(_other, set()).add(_key)
for _row in _KEYBOARD_ROWS:
    for _left, _right in zip(_row, _row[1:], strict=False):
        _NEIGHBOUR_KEYS.setdefault(_left, set()).add(_right)
        _NEIGHBOUR_KEYS.setdefault(_right, set()).add(_left)


def _slip(typed: str, meant: str) -> bool:
    """Whether one edit from the meant word to the typed one is a plausible typo: a letter left out, doubled or
    swapped, or changed into a neighbouring key or another vowel ("seperate"). Another consonant in its place is
    another word: "football" is not a misspelt "footfall", nor "fairs" of "fails"."""
    if len(typed) != len(meant):
        return True
    diffs = [index for index, (a, b) in enumerate(zip(typed, meant, strict=True)) if a != b]
    if len(diffs) != 1:
        return True  # a swap of two neighbours
    a, b = typed[diffs[0]], meant[diffs[0]]
    return (a in _VOWELS and b in _VOWELS) or b in _NEIGHBOUR_KEYS.get(a, set())


@lru_cache(maxsize=8192)
def _one_edit(word: str) -> frozenset[str]:
    """Every string one edit away from a word (Norvig's spelling corrector)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {left + right[1:] for left, right in splits if right}
    swaps = {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    changes = {left + letter + right[1:] for left, right in splits if right for letter in _LETTERS}
    inserts = {left + letter + right for left, right in splits for letter in _LETTERS}
    return frozenset(deletes | swaps | changes | inserts)


# One scenario as a document of the product's domain: (id, its lowercased texts).
DomainDocument = tuple[str, str]


def _domain_document(scenario: Scenario) -> DomainDocument:
    """Everything a scenario says about its buyer's business: the facts (text, English text, keywords) and the card."""
    company = scenario.company
    pieces = [company.size, company.size_en, company.context, company.context_en]
    pieces += [scenario.deal_context, scenario.deal_context_en, scenario.our_offering, scenario.our_offering_en]
    for fact in scenario.all_facts():
        pieces += [fact.text, getattr(fact, "text_en", None) or "", *fact.topics.all()]
    return scenario.id, " ".join(piece for piece in pieces if piece).lower()


@lru_cache(maxsize=1)
def _domain_documents() -> tuple[DomainDocument, ...]:
    """The product's scenarios as documents, to tell a buyer's own words from words every sales call uses."""
    return tuple(_domain_document(scenario) for scenario in load_scenarios().values())


_INDEXES: dict[str, tuple[Scenario, TopicIndex]] = {}


def topic_index(scenario: Scenario) -> TopicIndex:
    """The topic index of a scenario, built once per scenario (rebuilt if the scenario object changes)."""
    cached = _INDEXES.get(scenario.id)
    if cached is None or cached[0] != scenario:
        cached = (scenario, TopicIndex(scenario))
        _INDEXES[scenario.id] = cached
    return cached[1]


__all__ = [
    "CONCEPTS",
    "FACT_TEXT",
    "TopicIndex",
    "TopicMatch",
    "contains",
    "content_terms",
    "likeness_language",
    "mentions",
    "text_pieces",
    "topic_index",
]
