"""Reading a rep's tone: rude or not, and how (issue 15 item 4).

Rudeness is read by STRUCTURE, with a general lexicon as data (playbooks/buyer/rudeness.yaml, its header
explains every category): a negative evaluation counts only when it is aimed at someone — the buyer, his
people, his current way of working, his company, a rival — and is the rep's own verdict (a statement, or a
question with a rhetorical or sarcastic marker), not softened by empathy, a hedge or a negation, and not
about the rep's own side. Contempt, name-calling, profanity, threats, brushing the buyer off and shouting
are rude in any sentence. Commands, ultimatums and urgency next to a decision verb in an unhedged statement
are pushing, and so is insisting right after the buyer held something back. A long turn that presents
rather than asks is a monologue. A statement aimed at someone that opens with a disclaimer ("no offence, but…",
"不是我说") is an announced verdict whatever its words; a personal benefit offered for the deal is an inducement;
the rep running himself down ("stupid question maybe, but…") is cut before the sentence is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.playbook.data import load_yaml_model
from app.roleplay.phrases import BUYER_DIR, PhraseDataError, distinct_entries
from app.roleplay.phrases import Words as PlainWords
from app.roleplay.tone_model import ToneScorer, tone_scorer

RUDENESS_PATH: Path = BUYER_DIR / "rudeness.yaml"

RudeKind = Literal["insult", "rival", "monologue", "pushy"]

# English words match whole, with ordinary endings ("dumb" -> "dumbest", "fool" -> "foolish", not "foolproof").
_EN_ENDINGS = r"(?:s|es|ed|d|ing|er|ers|est|ly|y|ish|ic|ness)?"
_SENTENCE = re.compile(r"[^。！？!?；;\n]+(?:[。！？!?；;\n]+|$)|[。！？!?；;\n]+")
_EN_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\"']\.)\s+")  # the full stop stays with its sentence ("whatever.")
# a question mark or a final particle; "…需要什么。" with a full stop states (an indirect question), it does not ask
_QUESTION_END = re.compile(r"(?:[?？]|(?:[吗呢嘛]|(?<!什)么)[。！!]?)\s*$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# a statement with a question tag ("You're hopeless at this, aren't you?", "…，对吧？"): a verdict, not a question
_TAG_QUESTION = re.compile(
    r"[,，]\s*(?:(?:aren't|isn't|don't|doesn't|didn't|won't|can't|wasn't|weren't|haven't|hasn't)"
    r"(?:\s+(?:you|it|they|we|he|she|there|that))?|right|huh|eh|是吧|对吧|不是吗|对不对)\s*[?？]\s*$"
)
# "是不是", "会不会": a question form, not a negation
_A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z']+")
_EN_NEGATION = re.compile(r"\b(?:not|never|no|hardly|barely|nothing|neither|nor)\b|n't\b")
# "don't be so naive": an imperative that scolds, not a negated verdict
_EN_SCOLDING = re.compile(r"(?:\b(?:don't|do not|never|stop)\s+(?:be|being|acting|act)\b)(?:\s+\w+){0,2}\s*$")
MIN_INFLECTED = 4  # shorter English entries match only as they are ("i" must not match "is", "us" not "uses")
NEGATION_WINDOW_ZH = 3  # characters before a judging word that may negate it ("不算落后", "一点也不差")
NEGATION_WINDOW_EN = 3  # words before it ("isn't really that bad")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Words(PlainWords):
    """A category's entries (zh, en) and, for structures words cannot say, regular expressions."""

    patterns: list[str] = Field(default_factory=list)  # regular expressions, for structures words cannot say

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as problem:
                raise ValueError(f"pattern {pattern!r} does not compile: {problem}") from problem
        return patterns

    @field_validator("zh", "en")
    @classmethod
    def _no_blank_or_twice(cls, words: list[str]) -> list[str]:
        return distinct_entries(words)


class Evaluation(_Strict):
    strong: Words  # contempt-grade: rude wherever aimed at anyone but the rep's own side
    judging: Words  # a verdict: rude when it is the rep's, aimed at a target or sharpened
    mild: Words  # pain words: rude only in a statement both aimed and sharpened


class Doom(_Strict):
    softener: Words  # "可能", "could": a fair warning, not a threat
    marker: Words  # "迟早", "you'll"
    outcome: Words  # "关门", "lose the"


class Threat(Words):
    doom: Doom


class Contempt(Words):
    pass


class Pressure(_Strict):
    urgency: Words
    decision: Words
    ultimatum: Words
    suggestion: Words  # "…吧", "let's…": a proposal to decide, not a demand


class Sharpener(_Strict):
    intensifier: Words
    rhetorical: Words


class Targets(_Strict):
    buyer: Words  # the buyer himself and his company (你们, 贵司, your)
    people: Words  # his people (领导, 信息科, your staff)
    rival: Words  # a rival or another vendor (那家, 友商, they)
    current_way: Words  # his current way of working (现在的, 手工, the old system)


class Limits(_Strict):
    zh: int = Field(ge=50)
    en: int = Field(ge=100)


class ReaskLimits(_Strict):
    zh: int = Field(ge=10)
    en: int = Field(ge=30)


class Shouting(_Strict):
    min_words: int = Field(ge=2)
    caps_share: float = Field(gt=0.0, le=1.0)


class RudenessLexicon(_Strict):
    source: list[str] = Field(min_length=1)
    disclaimer: Words
    self_deprecation: Words
    evaluation: Evaluation
    profanity: Words
    name_calling: Words
    contempt: Contempt
    threat: Threat
    inducement: Words
    dismissive: Words
    command: Words
    pressure: Pressure
    hedge: Words
    empathy: Words
    sharpener: Sharpener
    negation: Words
    targets: Targets
    self_ref: Words
    insistence: Words
    acknowledgement: Words
    reask_softener: Words
    reask_max_chars: ReaskLimits
    monologue_chars: Limits
    shouting: Shouting


Trie = dict[str, "Trie"]


def _trie(words: Iterable[str]) -> str:
    """One expression for many literal words, branching on shared prefixes (much faster in `re` than a flat
    alternation of hundreds of words); a longer word wins over its own prefix."""
    root: Trie = {}  # character -> subtree; "" marks a word's end
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: Trie) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


def _alternatives(words: Iterable[str]) -> list[str]:
    """Chinese entries as substrings; English ones as whole words (ordinary endings for words of MIN_INFLECTED
    letters or more: "dumb" -> "dumbest", "fool" -> "foolish", never "i" -> "is")."""
    groups: dict[tuple[bool, str], list[str]] = {}
    for word in {word.lower() for word in words if word}:
        if not word.isascii():
            key = (False, "")
        else:
            inflected = len(word) >= MIN_INFLECTED and word[-1].isalpha()
            tail = _EN_ENDINGS + r"(?![a-z0-9])" if inflected else r"(?![a-z0-9])" if word[-1].isalnum() else ""
            key = (word[0].isalnum(), tail)
        groups.setdefault(key, []).append(word)
    return [
        ("(?<![a-z0-9])" if head else "") + f"(?:{_trie(members)})" + tail
        for (head, tail), members in sorted(groups.items())
    ]


@dataclass(frozen=True)
class Matcher:
    """One category compiled to a single expression over lowercased text."""

    pattern: re.Pattern[str] | None

    @classmethod
    def of(cls, *groups: Words | Iterable[str]) -> Matcher:
        words: list[str] = []
        patterns: list[str] = []
        for group in groups:
            if isinstance(group, Words):
                words += [*group.zh, *group.en]
                patterns += group.patterns
            else:
                words += [word for word in group if word]
        alternatives = _alternatives(words) + patterns
        return cls(re.compile("|".join(f"(?:{item})" for item in alternatives)) if alternatives else None)

    def search(self, lowered: str) -> bool:
        return self.pattern is not None and self.pattern.search(lowered) is not None

    def spans(self, lowered: str) -> list[tuple[int, int]]:
        return [] if self.pattern is None else [match.span() for match in self.pattern.finditer(lowered)]


@dataclass(frozen=True)
class ToneReader:
    """The rudeness lexicon compiled once; `read` gives the kind of rudeness of a turn, or None."""

    lexicon: RudenessLexicon
    disclaimer: Matcher  # "no offence, but", "不是我说": a verdict announced
    self_deprecation: Matcher  # "stupid question maybe, but", "我可能问得有点傻": the rep's own, cut before reading
    strong: Matcher
    judging: Matcher
    mild: Matcher
    outright: Matcher  # profanity, name-calling, contempt, threats, inducements: rude in any sentence
    dismissive: Matcher  # brushing the buyer off: rude unless it is a hedged question
    doom_marker: Matcher
    doom_outcome: Matcher
    doom_softener: Matcher
    command: Matcher
    urgency: Matcher
    decision: Matcher
    ultimatum: Matcher
    suggestion: Matcher
    hedge: Matcher
    empathy: Matcher
    intensifier: Matcher
    rhetorical: Matcher
    negation_zh: tuple[str, ...]
    buyer: Matcher
    people: Matcher
    rival: Matcher
    current_way: Matcher
    self_ref: Matcher
    insistence: Matcher
    acknowledgement: Matcher
    reask_softener: Matcher
    model: ToneScorer | None = None  # the n-gram classifier (tone_model.py): rude in wording the lists miss

    @classmethod
    def build(cls, lexicon: RudenessLexicon, model: ToneScorer | None = None) -> ToneReader:
        return cls(
            lexicon=lexicon,
            disclaimer=Matcher.of(lexicon.disclaimer),
            self_deprecation=Matcher.of(lexicon.self_deprecation),
            strong=Matcher.of(lexicon.evaluation.strong),
            judging=Matcher.of(lexicon.evaluation.judging),
            mild=Matcher.of(lexicon.evaluation.mild),
            outright=Matcher.of(
                lexicon.profanity, lexicon.name_calling, lexicon.contempt, lexicon.threat, lexicon.inducement
            ),
            dismissive=Matcher.of(lexicon.dismissive),
            doom_marker=Matcher.of(lexicon.threat.doom.marker),
            doom_outcome=Matcher.of(lexicon.threat.doom.outcome),
            doom_softener=Matcher.of(lexicon.threat.doom.softener),
            command=Matcher.of(lexicon.command),
            urgency=Matcher.of(lexicon.pressure.urgency),
            decision=Matcher.of(lexicon.pressure.decision),
            ultimatum=Matcher.of(lexicon.pressure.ultimatum),
            suggestion=Matcher.of(lexicon.pressure.suggestion),
            hedge=Matcher.of(lexicon.hedge),
            empathy=Matcher.of(lexicon.empathy),
            intensifier=Matcher.of(lexicon.sharpener.intensifier),
            rhetorical=Matcher.of(lexicon.sharpener.rhetorical),
            negation_zh=tuple(lexicon.negation.zh),
            buyer=Matcher.of(lexicon.targets.buyer),
            people=Matcher.of(lexicon.targets.people),
            rival=Matcher.of(lexicon.targets.rival),
            current_way=Matcher.of(lexicon.targets.current_way),
            self_ref=Matcher.of(lexicon.self_ref),
            insistence=Matcher.of(lexicon.insistence),
            acknowledgement=Matcher.of(lexicon.acknowledgement),
            reask_softener=Matcher.of(lexicon.reask_softener),
            model=model,
        )

    # --- one turn ----------------------------------------------------------------------------------

    def read(
        self,
        text: str,
        *,
        own_names: Iterable[str] = (),
        rivals: Iterable[str] = (),
        presented: str,
        asks_commitment: bool = False,
        refusals_in_a_row: int = 0,
        held_before: bool = False,
        use_model: bool = True,
    ) -> RudeKind | None:
        """The kind of rudeness of a rep's turn, or None. `own_names`: the buyer's company names; `rivals`: the
        scenario's competitors; `presented`: the part of the turn that presents rather than asks (all of it when it
        asks nothing). A monologue is a turn whose presenting part alone runs several hundred characters, however
        it ends ("…，您看怎么样？"); a long compound question is not one. The rules decide and name the kind; a turn
        they pass that the classifier flags (`use_model`) is an "insult", the buyer's generic reaction to rudeness."""
        kind = self._rules(text, own_names, rivals, presented, asks_commitment, refusals_in_a_row, held_before)
        if kind is None and use_model and self.model is not None and self.model.flags(text):
            return "insult"
        return kind

    def _rules(
        self,
        text: str,
        own_names: Iterable[str],
        rivals: Iterable[str],
        presented: str,
        asks_commitment: bool,
        refusals_in_a_row: int,
        held_before: bool,
    ) -> RudeKind | None:
        lowered = text.lower()
        rival_names = _names(tuple(short_forms(rivals)))
        company = _names(tuple(own_names))
        sentences = split_sentences(lowered)
        judged: RudeKind | None = None
        for sentence in sentences:
            kind = self._sentence(sentence, rival_names, company)
            if kind == "insult":
                return "insult"
            judged = judged or kind
        if judged is not None:
            return judged
        if self._shouting(text):
            return "insult"
        if self._pushes(sentences, asks_commitment, refusals_in_a_row, held_before, text):
            return "pushy"
        if self._monologue(presented):
            return "monologue"
        return None

    def _sentence(self, sentence: str, rival_names: Matcher, company: Matcher) -> RudeKind | None:
        if self.self_deprecation.pattern is not None:
            sentence = self.self_deprecation.pattern.sub(" ", sentence)
        rival_aimed = rival_names.search(sentence) or self.rival.search(sentence)
        people_aimed = self.people.search(sentence)
        ours = self.self_ref.search(sentence)
        # "the old system" is the buyer's current way unless the rep is talking about his own ("our old module")
        current = self.current_way.search(sentence) and not ours
        buyer_aimed = self.buyer.search(sentence) or company.search(sentence) or current
        aimed = rival_aimed or people_aimed or buyer_aimed
        # running a rival down, even while warning the buyer about him ("那家报价低是因为功能少，您别上当")
        kind: RudeKind = "rival" if rival_aimed and not people_aimed else "insult"
        self_only = not aimed and ours
        question = is_question_sentence(sentence) and not _TAG_QUESTION.search(sentence)
        if self.outright.search(sentence):
            return kind
        # "If you can't decide alone, who else should join?" asks; "You can't decide anyway." brushes him off
        if self.dismissive.search(sentence) and not (question and self.hedge.search(sentence)):
            return kind
        # "No offence, but your team…", "不是我说，你们…": a verdict announced and aimed, whatever its words
        if not question and aimed and self.disclaimer.search(sentence):
            return kind
        rhetorical = self.rhetorical.search(sentence)
        if not self_only and not question and self.doom_marker.search(sentence):
            if self.doom_outcome.search(sentence) and not self.doom_softener.search(sentence):
                return "insult"
        strong = [span for span in self.strong.spans(sentence) if not self._negated(sentence, span)]
        if strong and not self_only and (not question or aimed or rhetorical):
            return kind
        if self_only or self.empathy.search(sentence) or self.hedge.search(sentence):
            return None
        sharpened = self.intensifier.search(sentence) or rhetorical
        judging = [span for span in self.judging.spans(sentence) if not self._negated(sentence, span)]
        if judging and (rhetorical if question else aimed or sharpened):
            return kind
        mild = [span for span in self.mild.spans(sentence) if not self._negated(sentence, span)]
        if mild and not question and aimed and sharpened:
            return kind
        return None

    def _negated(self, sentence: str, span: tuple[int, int]) -> bool:
        start = span[0]
        if _CJK.search(sentence[start : span[1]]):
            before = _A_NOT_A.sub("", sentence[max(0, start - NEGATION_WINDOW_ZH - 2) : start])[-NEGATION_WINDOW_ZH:]
            return any(word in before for word in self.negation_zh)
        words = " ".join(sentence[:start].split()[-NEGATION_WINDOW_EN:])
        return bool(_EN_NEGATION.search(words)) and not _EN_SCOLDING.search(words)

    def _shouting(self, text: str) -> bool:
        words = [word for word in _LATIN_WORD.findall(text) if len(word.replace("'", "")) >= 2]
        if len(words) < self.lexicon.shouting.min_words:
            return False
        capitals = [word for word in words if word.upper() == word]
        return len(capitals) >= self.lexicon.shouting.min_words and len(
            capitals
        ) >= self.lexicon.shouting.caps_share * len(words)

    def _pushes(
        self, sentences: list[str], asks_commitment: bool, refusals_in_a_row: int, held_before: bool, text: str
    ) -> bool:
        for sentence in sentences:
            if self.command.search(sentence) or self.ultimatum.search(sentence):
                return True
            if is_question_sentence(sentence) or self.hedge.search(sentence) or self.suggestion.search(sentence):
                continue
            if self.urgency.search(sentence) and self.decision.search(sentence):
                self_only = self.self_ref.search(sentence) and not self.buyer.search(sentence)
                if not self_only and not self.rival.search(sentence) and not self.people.search(sentence):
                    return True
        if refusals_in_a_row >= 2 and asks_commitment:
            return True
        if refusals_in_a_row == 1 and self._demands_again(sentences, asks_commitment, text.lower()):
            return True
        return held_before and self.insistence.search(text.lower())

    def _demands_again(self, sentences: list[str], asks_commitment: bool, lowered: str) -> bool:
        """Right after the buyer turned a step down (often naming who really decides), the step demanded again:
        a statement to the buyer, not a question, that asks for it or names the decision, neither hedged, put as a
        suggestion nor acknowledging the refusal ("那您就先定下来，院长那边回头再说"; a smaller ask comes as a question)."""
        if not (asks_commitment or self.decision.search(lowered)):
            return False
        if any(is_question_sentence(sentence) for sentence in sentences):
            return False
        if self.self_ref.search(lowered) and not self.buyer.search(lowered):
            return False  # an offer on the rep's own side ("我们这个月有活动，现在签最划算") is a pitch, not a demand
        softened = self.hedge.search(lowered) or self.acknowledgement.search(lowered)
        return not softened and not any(self.suggestion.search(sentence) for sentence in sentences)

    def _monologue(self, text: str) -> bool:
        limits = self.lexicon.monologue_chars
        return over_length(text, limits.zh, limits.en)

    def softens_reask(self, text: str) -> bool:
        """A re-ask right after a refusal that acknowledges it, lowers the ask or asks leave ("理解，大概范围呢？"),
        or explains itself at length: not a blunt repeat."""
        limits = self.lexicon.reask_max_chars
        return self.reask_softener.search(text.lower()) or over_length(text, limits.zh, limits.en)


def over_length(text: str, zh_chars: int, en_chars: int) -> bool:
    """The text is at least this long (characters without spaces; the Chinese limit when it is mostly Chinese)."""
    chars = len(re.sub(r"\s+", "", text))
    chinese = len(_CJK.findall(text))
    return chars >= (zh_chars if chinese * 3 >= chars else en_chars)


def short_forms(names: Iterable[str]) -> list[str]:
    """Names as a rep says them: the full name and, for a Chinese name of more than two characters, its first two
    ("健云软件" -> "健云")."""
    forms: list[str] = []
    for name in names:
        forms.append(name)
        if len(name) > 2 and _CJK.match(name):
            forms.append(name[:2])
    return forms


@lru_cache(maxsize=64)
def _names(names: tuple[str, ...]) -> Matcher:
    return Matcher.of([name.lower() for name in names])


def split_sentences(lowered: str) -> list[str]:
    """Sentences with their end marks; English full stops split too ("It is. You are" -> two)."""
    pieces: list[str] = []
    for part in _SENTENCE.findall(lowered):
        pieces += [piece for piece in _EN_SENTENCE_END.split(part) if piece.strip()]
    return [piece.strip() for piece in pieces if piece.strip()] or [lowered]


def is_question_sentence(sentence: str) -> bool:
    return bool(_QUESTION_END.search(sentence.strip()))


def load_rudeness_lexicon(path: Path = RUDENESS_PATH) -> RudenessLexicon:
    """Read and validate the lexicon; any problem raises PhraseDataError naming the file and the field."""
    return load_yaml_model(path, RudenessLexicon, PhraseDataError, "buyer data")


@lru_cache(maxsize=1)
def tone_reader() -> ToneReader:
    return ToneReader.build(load_rudeness_lexicon(), tone_scorer())


__all__ = [
    "RUDENESS_PATH",
    "Matcher",
    "RudeKind",
    "RudenessLexicon",
    "ToneReader",
    "is_question_sentence",
    "load_rudeness_lexicon",
    "over_length",
    "short_forms",
    "split_sentences",
    "tone_reader",
]
