"""Offline SPIN classifier: labels a sales rep's utterance as Situation / Problem / Implication / Need-payoff / other.

SPIN (Neil Rackham) as taught in source 004_090d296c08092e30.txt: Situation questions gather
facts about the buyer's current state, Problem questions probe difficulties and dissatisfaction,
Implication questions enlarge a problem by asking about its consequences and cost, and Need-payoff
questions let the buyer state the value of a solution.  Everything that is not such a question
(product pitch, greeting, small talk, asking for a meeting or signature, closing, filler) is "other".

The classifier is deterministic and needs no network or model files: weighted cue phrases
(Chinese and English) come from spin_lexicon.yaml next to this module, plus a few precedence rules:
  * a conditional whose condition gets better ("如果…能…会…", "if you could…") points to N,
  * a conditional whose problem persists ("如果…一直…会…", "if this continues…") points to I,
  * statements (no question form) lean to "other"; pitch / commitment / social cues feed "other",
    except that a need-payoff conditional question ("如果我们能…，对您有价值吗？") is not a pitch,
  * in a turn that asks a question, the question sentence decides (a lead-in pitch only sets is_pitch),
  * a question with no cue at all defaults to S; ties prefer I > N > P > S > other.
On top of the rules, a small naive Bayes over character n-grams (trained at first use from
spin_train.jsonl next to this module: the TRAIN split only; one model per language, Chinese for any
text with CJK characters) adds at most NB_WEIGHT points, shared out by its posterior. It settles what the cue words leave open, such as a Problem question asked in
everyday words ("护士们下班会不会很晚？"), without overruling a strong cue.

Usage:
    from app.coaching.spin import classify_spin, label_name
    result = classify_spin("如果库存能实时准确，对您的生产计划有什么帮助？")
    result.label        # "N"
    label_name(result.label, "zh")  # "需求效益问题"
"""

from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, get_args

import numpy as np

from app.coaching.pitch_model import pitch_scorer
from app.coaching.spin_lexicon import load_spin_lexicon
from app.knowledge.tokenize import is_chinese
from app.playbook.vocabulary import SPIN_LETTERS, SpinLetter

SpinLabel = Literal[SpinLetter, "other"]
SPIN_LABELS: tuple[SpinLabel, ...] = get_args(SpinLabel)
QUESTION_LABELS: tuple[SpinLabel, ...] = SPIN_LETTERS

LEXICON_PATH = Path(__file__).with_name("spin_lexicon.yaml")
# Labeled TRAIN utterances (written by bench/spin_eval.py --write-train-data); never the test split.
TRAIN_DATA_PATH = Path(__file__).with_name("spin_train.jsonl")

# Long monologues are cut to their head and tail so a call stays well under a millisecond;
# the question a rep asks sits at the start or (more often) the end of a turn.
MAX_CHARS = 1000
# Score every utterance starts with for "other", so a statement without any cue is "other"...
OTHER_PRIOR = 0.6
# ...while a question without any SPIN cue is most likely a Situation question: those are the most
# varied in wording, and pitches / commitment asks have their own cues.
QUESTION_OTHER_PRIOR = 0.3
QUESTION_S_PRIOR = 0.4
# A statement (no question form at all) keeps only this share of its SPIN cue weight...
STATEMENT_SPIN_FACTOR = 0.35
# ...and "other" gets this bonus, because SPIN categories are questions.
STATEMENT_OTHER_BONUS = 1.0
# Inside a turn that asks a question, statement sentences count this much for the SPIN labels...
CONTEXT_SENTENCE_FACTOR = 0.5
# ...and this much for "other": the question decides the label, a lead-in pitch or greeting
# before it still sets is_pitch but hardly moves the label.
CONTEXT_OTHER_FACTOR = 0.2
# Softmax temperature for the confidence.  Chosen on the TRAIN split (rules only) so that mean
# confidence was about 0.9; bench/spin_eval.py prints a reliability table per split to check it
# (with the naive Bayes vote, held-out answers at 0.95+ confidence are right 99 % of the time).
CONFIDENCE_TEMPERATURE = 0.5
# Naive Bayes vote: the posterior times this weight is added to the rule scores, so a sure model
# outweighs a weak cue (0.3 - 1.0) but not a decisive one (2 - 3). Weight and smoothing were chosen
# by 5-fold cross-validation on TRAIN data only, scored with the current rules and with the rules as
# they were before the natural items were written (bench/spin_eval.py --cross-validate [--rules-from]):
# 1.5 is the best weight on natural wording in both.
NB_WEIGHT = 1.5
NB_SMOOTHING = 1.0

# On equal scores prefer the more specific label: Situation cues are mostly generic question words
# ("多少", "哪", "how many") that also occur in Problem / Implication / Need-payoff questions.
TIE_BREAK_ORDER: tuple[SpinLabel, ...] = ("I", "N", "P", "S", "other")

_SENTENCE_SPLIT = re.compile(r"(?<=[。!?;\n？！；])")
_CLAUSE_SPLIT = re.compile(r"[，,、:：]|\s[-–—]\s")
_CLAUSE_KEEP = re.compile(r"([，,、:：]|\s[-–—]\s)")  # the same split, separators kept
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_LATIN_WORD = re.compile(r"[a-z][a-z']*")
_ENDS_WITH_QUESTION_MARK = re.compile(r"[?？]\s*$")
_MARKED_QUESTION = re.compile(r"[?？]|[吗呢吧么嘛][。.!！]?\s*$")


@dataclass(frozen=True)
class SpinResult:
    """Outcome of classify_spin for one utterance."""

    label: SpinLabel
    confidence: float  # 0..1, softmax share of the winning label
    cues: list[str]  # matched cue words that support the label
    is_question: bool
    is_pitch: bool  # the rep presents / sells the product, company or solution
    asks_commitment: bool  # the rep asks for a next step: meeting, introduction, demo, trial, signature
    scores: dict[str, float] = field(default_factory=dict, compare=False)  # raw per-label scores, for debugging

    @property
    def playbook_id(self) -> str | None:
        """Playbook element id of the label (spin.situation, ...), None for "other"."""
        return spin_playbook_id(self.label)


@dataclass(frozen=True)
class _Cue:
    pattern: re.Pattern[str]
    weight: float


@dataclass(frozen=True)
class _Lexicon:
    label_cues: dict[str, list[_Cue]]
    pitch: list[_Cue]
    pitch_statement: list[_Cue]
    pitch_benefit: list[_Cue]
    pitch_exclude: list[re.Pattern[str]]
    buyer_subject: re.Pattern[str]
    buyer_addressed: re.Pattern[str]
    seller_subject: re.Pattern[str]
    hypothetical: re.Pattern[str]
    commitment: list[_Cue]
    social: list[_Cue]
    question: list[re.Pattern[str]]
    conditional_marker: re.Pattern[str]
    conditional_positive: re.Pattern[str]
    conditional_negative: re.Pattern[str]
    conditional_negated: re.Pattern[str]
    neutral_ask: re.Pattern[str]
    offer: list[re.Pattern[str]]
    offer_weight: float
    n_bonus: float
    i_bonus: float
    playbook_ids: dict[str, str | None]
    names: dict[str, tuple[str, str]]
    full_stop: re.Pattern[str]
    filler: re.Pattern[str]
    lead_in: list[re.Pattern[str]]
    confirmation: list[re.Pattern[str]]


def _compile(pattern: str) -> re.Pattern[str]:
    """Compile a cue; pure-ASCII cues only match at a word start."""
    if pattern.isascii() and not pattern.startswith("^"):
        pattern = rf"(?<![a-z])(?:{pattern})"
    return re.compile(pattern, re.IGNORECASE)


def _compile_all(patterns: list[str]) -> list[re.Pattern[str]]:
    return [_compile(pattern) for pattern in patterns]


def _cues(mapping: dict[str, float] | None) -> list[_Cue]:
    return [_Cue(_compile(str(pattern)), float(weight)) for pattern, weight in (mapping or {}).items()]


@functools.cache
def _lexicon() -> _Lexicon:
    data = load_spin_lexicon(LEXICON_PATH)
    labels = data.labels.model_dump()
    conditional = data.conditional
    return _Lexicon(
        label_cues={label: _cues(labels[label]["cues"]) for label in SPIN_LABELS},
        pitch=_cues(data.pitch),
        pitch_statement=_cues(data.pitch_statement),
        pitch_benefit=_cues(data.pitch_benefit),
        pitch_exclude=_compile_all(data.pitch_exclude),
        buyer_subject=_compile(data.buyer_subject),
        buyer_addressed=_compile(data.buyer_addressed),
        seller_subject=_compile(data.seller_subject),
        hypothetical=_compile(data.hypothetical),
        commitment=_cues(data.commitment),
        social=_cues(data.social),
        question=_compile_all(data.question),
        conditional_marker=_compile(conditional.marker),
        conditional_positive=_compile(conditional.positive),
        conditional_negative=_compile(conditional.negative),
        conditional_negated=_compile(conditional.negated),
        neutral_ask=_compile(conditional.neutral_ask),
        offer=_compile_all(data.offer),
        offer_weight=data.offer_weight,
        n_bonus=conditional.n_bonus,
        i_bonus=conditional.i_bonus,
        playbook_ids={label: labels[label]["playbook_id"] for label in SPIN_LABELS},
        names={label: (labels[label]["name_zh"], labels[label]["name_en"]) for label in SPIN_LABELS},
        full_stop=_full_stop(data.abbreviations),
        filler=re.compile(rf"^(?:(?:{'|'.join(data.filler)})[\s,，.。!！]*)+"),
        lead_in=_compile_all(data.lead_in),
        confirmation=_compile_all(data.confirmation),
    )


def _full_stop(abbreviations: list[str]) -> re.Pattern[str]:
    """Where an English sentence ends at a full stop (or an ellipsis): after a letter, digit, quote or bracket and
    before a space, not after an abbreviation."""
    not_abbreviation = "".join(rf"(?<!\b{re.escape(word)}\.)" for word in abbreviations)
    return re.compile(rf"(?:(?<=[a-z0-9)\"'’]\.)|(?<=\.\.\.)){not_abbreviation}(?=\s)", re.IGNORECASE)


def label_name(label: str, lang: str = "zh") -> str:
    """Display name of a label: 背景问题 / Situation, ..., 其他 / Other (the lexicon's names, as the UI shows them)."""
    zh, en = _lexicon().names[label]
    return zh if lang.startswith("zh") else en


def spin_playbook_id(label: str) -> str | None:
    """Playbook element id for a label (spin.situation, spin.problem, ...); None for "other"."""
    return _lexicon().playbook_ids.get(label)


# Chat English drops apostrophes ("dont", "cant"): restored so the cues read the words.
_CONTRACTION = re.compile(r"\b(don|doesn|didn|can|won|isn|aren|wasn|weren|haven|hasn|couldn|wouldn|shouldn)t\b")


def strip_filler(sentence: str) -> str:
    """A sentence without its lead-in filler words ("ok so", "got it.", "嗯，那"; the whole sentence when it is nothing
    but filler): filler is small talk only on its own, inside a question it must not make the question "other"."""
    return _lexicon().filler.sub("", sentence) or sentence


def _normalise(text: str) -> str:
    text = (text or "").strip()
    if len(text) > MAX_CHARS:
        half = MAX_CHARS // 2
        text = text[:half] + "\n" + text[-half:]
    text = unicodedata.normalize("NFKC", text).strip().lower()
    return _CONTRACTION.sub(r"\1't", text) if text.isascii() or "t " in text else text


def _is_question(sentence: str, lexicon: _Lexicon) -> bool:
    return any(pattern.search(sentence) for pattern in lexicon.question)


def split_sentences(text: str) -> list[str]:
    """The sentences of a text, whitespace kept: after Chinese and hard stops, and after an English full stop before a
    space unless it ends an abbreviation ("Mr.", "e.g.", spin_lexicon.yaml): "Thanks. How is it done now?" is two."""
    pieces: list[str] = []
    for part in _SENTENCE_SPLIT.split(text):
        pieces += _lexicon().full_stop.split(part)
    return [piece for piece in pieces if piece]


def _is_confirmation(sentence: str, lexicon: _Lexicon) -> bool:
    """A question that only asks the buyer to agree to what was said before it ("Would that work for you?", "您看行吗？")."""
    forms = {sentence.strip(), strip_filler(sentence.strip())}  # "好吗？" is no filler before "吗"
    return any(pattern.search(form) for pattern in lexicon.confirmation for form in forms)


def _is_lead_in(clause: str, lexicon: _Lexicon) -> bool:
    """A clause that only leads into a question: thanks, a greeting, an acknowledgement, small talk, a pointer back at
    what the buyer said ("您刚才说…", "you mentioned…") or a preamble ("quick one"), and asks nothing itself."""
    clause = clause.strip()
    if not clause or _is_question(clause, lexicon):
        return False
    return (
        not lexicon.filler.sub("", clause).strip()
        or any(cue.pattern.search(clause) for cue in lexicon.social)
        or any(pattern.search(clause) for pattern in lexicon.lead_in)
    )


def _split_lead_in(sentence: str, lexicon: _Lexicon) -> tuple[str, str]:
    """(lead-in, question) of a question sentence: its opening clauses while they only lead in (`_is_lead_in`), and
    the rest. No lead-in when the rest has no question mark or particle, or only asks for agreement: then the whole
    sentence is what is asked."""
    parts = _CLAUSE_KEEP.split(sentence)  # clause, separator, clause, ...
    cut = 0
    while cut + 2 < len(parts) and _is_lead_in(parts[cut], lexicon):
        cut += 2
    lead, question = "".join(parts[:cut]), "".join(parts[cut:])
    # only a question that is marked as one ("…有什么问题随时沟通。" closes the call, it asks nothing)
    if not lead or not _MARKED_QUESTION.search(question) or _is_confirmation(question, lexicon):
        return "", sentence
    return lead.strip(), question.strip()


def _spin_sentences(normalised: str, lexicon: _Lexicon) -> list[str]:
    """The sentences the rules read: split at Chinese and hard stops; at an English full stop only after a sentence
    that just leads in ("Thanks for seeing me, Mr Zhao. How…"), so a claim before a question stays in its sentence
    ("We're cheaper than Lutong. What's your budget?" presents as much as it asks)."""
    sentences: list[str] = []
    for part in _SENTENCE_SPLIT.split(normalised):
        pending = ""
        for piece in lexicon.full_stop.split(part):
            pending += piece
            if all(_is_lead_in(clause, lexicon) for clause in _CLAUSE_SPLIT.split(piece) if clause.strip()):
                sentences.append(pending)
                pending = ""
        sentences.append(pending)
    return [sentence.strip() for sentence in sentences if sentence.strip()]


def _sentences(normalised: str, lexicon: _Lexicon) -> tuple[list[str], list[bool]]:
    """The sentences of a normalised turn and, for each, whether it asks something: a question's lead-in (thanks,
    small talk, "您刚才说…，") is a sentence of its own that asks nothing, so the question decides the label. When
    every question only asks for agreement ("…. Would that work for you?"), every sentence carries what is asked."""
    sentences: list[str] = []
    flags: list[bool] = []
    for sentence in _spin_sentences(normalised, lexicon):
        asks = _is_question(sentence, lexicon)
        lead, question = _split_lead_in(sentence, lexicon) if asks else ("", sentence)
        if lead:
            sentences.append(lead)
            flags.append(False)
        sentences.append(question)
        flags.append(asks)
    asking = [sentence for sentence, asks in zip(sentences, flags) if asks]
    if asking and all(_is_confirmation(sentence, lexicon) for sentence in asking):
        flags = [True] * len(sentences)
    return sentences, flags


def _question_part(sentences: list[str], question_flags: list[bool]) -> str:
    """What the naive Bayes reads: like the rules, the question when the turn asks one, so a
    lead-in pitch or greeting does not drown it; the whole turn otherwise."""
    asked = [strip_filler(sentence) for sentence, asks in zip(sentences, question_flags) if asks]
    return "".join(asked or sentences)


def model_text(text: str) -> str:
    """The part of an utterance the naive Bayes is trained on and reads (see _question_part)."""
    return _question_part(*_sentences(_normalise(text), _lexicon()))


def _match(cues: list[_Cue], text: str, found: list[str]) -> float:
    """Total weight of the cues that occur in text; the matched words are appended to found."""
    total = 0.0
    for cue in cues:
        hit = cue.pattern.search(text)
        if hit:
            total += cue.weight
            word = hit.group(0).strip()
            if word and word not in found:
                found.append(word)
    return total


def _pitch_parts(sentence: str, asks: bool, lexicon: _Lexicon) -> tuple[str, str, str]:
    """What the pitch cues read in one sentence: (the text for the general pitch cues, the clauses that state a
    claim, those of them not addressed to the buyer). Offers to send material and asks to talk again are
    removed; in a question, a clause about the buyer alone asks about his situation and is dropped, and the clause
    that asks is not a claim; a clause that pictures a case ("如果…", "if…") never is."""
    for pattern in lexicon.pitch_exclude:
        sentence = pattern.sub(" ", sentence)
    kept: list[str] = []
    claims: list[str] = []
    benefits: list[str] = []
    picturing = False  # in a question, the clauses after "假如…" / "if…" go on picturing the case up to the ask
    for clause in _CLAUSE_SPLIT.split(sentence):
        clause = clause.strip()
        if not clause:
            continue
        picturing = picturing or bool(asks and lexicon.hypothetical.search(clause))
        about_buyer = lexicon.buyer_subject.search(clause) and not lexicon.seller_subject.search(clause)
        if asks and about_buyer:
            continue
        kept.append(clause)
        if picturing or lexicon.hypothetical.search(clause) or (asks and _is_question(clause, lexicon)):
            continue
        claims.append(clause)
        if not lexicon.buyer_addressed.search(clause):
            benefits.append(clause)
    return "，".join(kept), "，".join(claims), "，".join(benefits)


def _conditional_bonus(sentence: str, lexicon: _Lexicon) -> tuple[str, str] | None:
    """("N"|"I", marker) when the sentence is a conditional that points to one of them."""
    marker = lexicon.conditional_marker.search(sentence)
    if not marker:
        return None
    # The condition is what follows the marker (or precedes "的话") up to the first comma.
    if marker.group(0) in ("的话", "以后", "之后"):
        condition = sentence[: marker.start()]
    else:
        condition = re.split(r"[,，]", sentence[marker.end() :], maxsplit=1)[0]
    # A persisting or striking problem wins over any positive word ("一直得不到解决" contains
    # "解决"), but a negated failure ("不再宕机") is an improvement, not a problem.
    without_negated = lexicon.conditional_negated.sub(" ", condition)
    if lexicon.conditional_negative.search(without_negated):
        return "I", marker.group(0)
    if lexicon.conditional_positive.search(condition) or without_negated != condition:
        return "N", marker.group(0)
    return None


_SIDE_KINDS = ("pitch", "commitment", "social")  # the evidence for "other"


@dataclass(frozen=True)
class _SentenceReading:
    """What the cues find in one sentence of a turn, before the turn weighs it: read once, and reused when the
    sentence is later judged alone (the most-advanced-part step)."""

    sentence: str
    asks: bool
    label_weights: dict[str, float]  # cue weight per SPIN letter
    label_words: dict[str, list[str]]
    bonus: tuple[str, str] | None  # a conditional's ("N"|"I", marker)
    offer: bool  # the seller offers something ("Would it help if I sent you…?")
    side_weights: dict[str, float]  # pitch / commitment / social cue weight
    side_words: dict[str, list[str]]


def _read_sentence(sentence: str, asks: bool, lexicon: _Lexicon) -> _SentenceReading:
    bonus = _conditional_bonus(sentence, lexicon)
    label_weights: dict[str, float] = {}
    label_words: dict[str, list[str]] = {}
    for label in QUESTION_LABELS:
        # After a condition that gets worse, "what would that mean" asks for a consequence (Implication).
        read = lexicon.neutral_ask.sub(" ", sentence) if label == "N" and bonus and bonus[0] == "I" else sentence
        label_words[label] = []
        label_weights[label] = _match(lexicon.label_cues[label], read, label_words[label])
    # "如果我们能…，对您有价值吗？" pictures a solution to let the buyer value it: a need-payoff
    # question, not a product presentation.
    hypothetical = asks and bonus is not None and bonus[0] == "N"
    core = strip_filler(sentence) if asks else sentence
    side_weights: dict[str, float] = {}
    side_words: dict[str, list[str]] = {kind: [] for kind in _SIDE_KINDS}
    if not hypothetical:
        pitch_text, claims, benefits = _pitch_parts(sentence, asks, lexicon)
        weight = _match(lexicon.pitch, pitch_text, side_words["pitch"])
        weight += _match(lexicon.pitch_statement, claims, side_words["pitch"])
        # What only a product does ("秒级推送", "in three clicks"), said of no one on the buyer's side.
        weight += _match(lexicon.pitch_benefit, benefits, side_words["pitch"])
        side_weights["pitch"] = weight
    side_weights["commitment"] = _match(lexicon.commitment, sentence, side_words["commitment"])
    side_weights["social"] = _match(lexicon.social, core, side_words["social"])
    return _SentenceReading(
        sentence=sentence,
        asks=asks,
        label_weights=label_weights,
        label_words=label_words,
        bonus=bonus,
        offer=asks and any(pattern.search(sentence) for pattern in lexicon.offer),
        side_weights=side_weights,
        side_words=side_words,
    )


def _add_words(found: list[str], words: list[str]) -> None:
    found.extend(word for word in words if word not in found)


@dataclass(frozen=True)
class _Weighed:
    """A turn's scores and cues, weighed from the readings of its sentences."""

    label: SpinLabel  # before the most-advanced-part step
    scores: dict[str, float]
    found: dict[str, list[str]]  # per SPIN letter
    other_found: list[str]
    is_question: bool
    is_pitch: bool
    asks_commitment: bool

    def result(self, label: SpinLabel) -> SpinResult:
        return SpinResult(
            label=label,
            confidence=_softmax_share(self.scores, label),
            cues=list(self.other_found if label == "other" else self.found[label]),
            is_question=self.is_question,
            is_pitch=self.is_pitch,
            asks_commitment=self.asks_commitment,
            scores={name: round(value, 3) for name, value in self.scores.items()},
        )


def classify_spin(text: str, *, pitch_model: bool = True) -> SpinResult:
    """Classify one rep utterance (Chinese or English) into S / P / I / N / other. is_pitch is the pitch cues' verdict
    OR the pitch classifier's (app/coaching/pitch_model.py) on the turn's pitch text; pitch_model=False: cues alone."""
    lexicon = _lexicon()
    normalised = _normalise(text)
    if not normalised:
        return SpinResult("other", 1.0, [], False, False, False, {label: 0.0 for label in SPIN_LABELS})
    sentences, question_flags = _sentences(normalised, lexicon)
    readings = [_read_sentence(sentence, asks, lexicon) for sentence, asks in zip(sentences, question_flags)]
    weighed = _weigh(normalised, readings, lexicon)
    if pitch_model and not weighed.is_pitch:
        read = _pitch_model_text(readings, lexicon)
        weighed = replace(weighed, is_pitch=bool(read) and pitch_scorer().flags(read))
    return weighed.result(_most_advanced_part(weighed.label, readings, lexicon))


def _pitch_model_text(readings: list[_SentenceReading], lexicon: _Lexicon) -> str:
    """What the pitch classifier reads: the turn without its need-payoff conditional questions ("如果我们能…，对您有价值
    吗？" pictures a solution, it does not present one), offers to send material and asks for a next step (the cues
    judge those: an offer or a joint plan is worded like a pitch but is none)."""
    kept = [
        reading.sentence
        for reading in readings
        if "pitch" in reading.side_weights
        and not reading.side_weights["commitment"]
        and not any(pattern.search(reading.sentence) for pattern in lexicon.pitch_exclude)
    ]
    return " ".join(kept).strip()


def pitch_model_text(text: str) -> str:
    """The text of a turn the pitch classifier reads (the trainer fits on the same text)."""
    lexicon = _lexicon()
    sentences, question_flags = _sentences(_normalise(text), lexicon)
    return _pitch_model_text([_read_sentence(s, asks, lexicon) for s, asks in zip(sentences, question_flags)], lexicon)


def _weigh(normalised: str, readings: list[_SentenceReading], lexicon: _Lexicon) -> _Weighed:
    """Scores, cues and label of a normalised turn from the readings of its sentences."""
    sentences = [reading.sentence for reading in readings]
    question_flags = [reading.asks for reading in readings]
    is_question = any(question_flags)

    scores: dict[str, float] = {label: 0.0 for label in SPIN_LABELS}
    found: dict[str, list[str]] = {label: [] for label in SPIN_LABELS}
    side_found: dict[str, list[str]] = {kind: [] for kind in _SIDE_KINDS}
    side = dict.fromkeys(_SIDE_KINDS, 0.0)  # weighted evidence for "other"
    flags = dict.fromkeys(_SIDE_KINDS, 0.0)  # unweighted, for is_pitch / asks_commitment

    offered = 0.0  # weight of the seller's offers ("Would it help if I sent you…?"), for "other"
    for reading in readings:
        asks = reading.asks
        # In a turn that asks something, the question sentences carry the SPIN type;
        # in a pure statement everything is weak evidence.
        if is_question:
            factor = 1.0 if asks else CONTEXT_SENTENCE_FACTOR
        else:
            factor = STATEMENT_SPIN_FACTOR
        if reading.offer:  # the seller offers something: no question about the buyer
            factor = 0.0
            offered += lexicon.offer_weight
        for label in QUESTION_LABELS:
            scores[label] += factor * reading.label_weights[label]
            _add_words(found[label], reading.label_words[label])
        if reading.bonus:
            target, marker = reading.bonus
            scores[target] += (lexicon.n_bonus if target == "N" else lexicon.i_bonus) * factor
            _add_words(found[target], [marker])
        other_factor = 1.0 if (asks or not is_question) else CONTEXT_OTHER_FACTOR
        for kind, weight in reading.side_weights.items():
            _add_words(side_found[kind], reading.side_words[kind])
            flags[kind] += weight
            side[kind] += other_factor * weight

    scores["other"] = side["pitch"] + side["commitment"] + side["social"] + offered
    # A bare "？" or "嗯？" asks nothing about the buyer's situation and gives the model nothing to read.
    has_words = len(re.findall(r"\w", normalised)) >= 2
    # A turn that only asks the buyer to agree ("Is that ok?", "您看行吗？") and says nothing before it asks nothing.
    bare_confirmation = all(_is_confirmation(sentence, lexicon) for sentence in sentences)
    if is_question and bare_confirmation:
        scores["other"] += OTHER_PRIOR
    elif is_question:
        scores["other"] += QUESTION_OTHER_PRIOR
        if has_words and not any(scores[name] for name in QUESTION_LABELS):
            scores["S"] += QUESTION_S_PRIOR
    else:
        scores["other"] += OTHER_PRIOR + STATEMENT_OTHER_BONUS
    if has_words:
        read = _question_part(sentences, question_flags)
        for name, share in _naive_bayes(_is_chinese(read)).posterior(read).items():
            scores[name] += NB_WEIGHT * share

    return _Weighed(
        label=max(SPIN_LABELS, key=lambda name: (scores[name], -TIE_BREAK_ORDER.index(name))),
        scores=scores,
        found=found,
        other_found=side_found["commitment"] + side_found["pitch"] + side_found["social"],
        is_question=is_question,
        is_pitch=flags["pitch"] >= 2.0,
        asks_commitment=flags["commitment"] >= 3.0,
    )


def _most_advanced_part(label: SpinLabel, readings: list[_SentenceReading], lexicon: _Lexicon) -> SpinLabel:
    """A compound turn (several question sentences) takes its most advanced part: "用的是哪家的系统？顾客抱怨过吗？" asks
    a Problem question even though the Situation part brings more cue words. Each question is read alone; a turn read as
    Situation moves up to Problem when a question after its first is a Problem question alone (a first question is often
    an echo or small talk: "纸质单据？那现在一天要录多少份？", "开学季挺忙的吧？想问问…"). Only this step: an
    Implication or Need-payoff cue read in one short question alone ("影响", "help") misleads more often than it
    helps (round-4 and older tune halves, aggregates), and the summed reading already weighs those cues."""
    asked = [reading for reading in readings if reading.asks]
    if label != "S" or len(asked) < 2:
        return label
    return "P" if any(_label_alone(reading, lexicon) == "P" for reading in asked[1:]) else label


def _label_alone(reading: _SentenceReading, lexicon: _Lexicon) -> SpinLabel:
    """The label of one sentence of a turn judged as a turn of its own (what classify_spin gives it), from the reading
    the turn already made; alone, a sentence asks only in question form (a turn of agreement asks marks all of its
    sentences as asking), and then it is read again as a statement."""
    if _is_question(reading.sentence, lexicon) != reading.asks:
        reading = _read_sentence(reading.sentence, not reading.asks, lexicon)
    return _weigh(reading.sentence, [reading], lexicon).label


def ngram_features(text: str) -> set[str]:
    """Naive-Bayes features of normalised text: CJK character 1-3-grams (with start/end marks),
    latin words and word pairs, and whether it ends with a question mark."""
    features: set[str] = set()
    for run in _CJK_RUN.findall(text):
        marked = f"^{run}$"
        features.update(run)
        features.update(map(str.__add__, marked, marked[1:]))
        features.update(map("".join, zip(marked, marked[1:], marked[2:])))
    words = _LATIN_WORD.findall(text)
    features.update(f"w:{word}" for word in words)
    features.update(f"w:{first}_{second}" for first, second in zip(words, words[1:]))
    if _ENDS_WITH_QUESTION_MARK.search(text):
        features.add("<?>")
    return features


class NaiveBayes:
    """Multinomial naive Bayes over binary n-gram features, numpy only, deterministic."""

    def __init__(self, texts: list[str], labels: list[str], smoothing: float = NB_SMOOTHING) -> None:
        documents = [ngram_features(model_text(text)) for text in texts]
        features = sorted(set().union(*documents))
        self.vocabulary = {feature: index for index, feature in enumerate(features)}
        counts = np.full((len(SPIN_LABELS), len(self.vocabulary)), smoothing)
        priors = np.zeros(len(SPIN_LABELS))
        for document, label in zip(documents, labels):
            row = SPIN_LABELS.index(label)
            priors[row] += 1
            counts[row, [self.vocabulary[feature] for feature in document]] += 1
        # One row per feature, so a text's rows are read in one contiguous gather.
        self.log_likelihood = np.ascontiguousarray(np.log(counts / counts.sum(axis=1, keepdims=True)).T)
        self.log_prior = np.log((priors + 1) / (priors.sum() + len(SPIN_LABELS)))

    def posterior(self, text: str) -> dict[str, float]:
        """P(label | text) for the five labels, text as model_text gives it; unknown features are ignored."""
        vocabulary = self.vocabulary
        # Sorted ids: the same summation order in every process, whatever the string hash seed.
        known = sorted(map(vocabulary.__getitem__, ngram_features(text) & vocabulary.keys()))
        log_joint = self.log_prior + self.log_likelihood[known].sum(axis=0)
        weights = np.exp(log_joint - log_joint.max())
        shares = weights / weights.sum()
        return {label: float(share) for label, share in zip(SPIN_LABELS, shares)}


def load_training_rows(path: Path = TRAIN_DATA_PATH) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _is_chinese(text: str) -> bool:
    """Whether a text is read by the Chinese model: any CJK character makes it Chinese ("ERP用的是哪家？")."""
    return is_chinese(text)


@functools.cache
def _naive_bayes(chinese: bool = True) -> NaiveBayes:
    """The model for one language, trained on that language's TRAIN utterances only: the class
    probabilities are shared out over one vocabulary, so English rows would otherwise shift the
    Chinese posteriors (and the reverse). Chosen by 5-fold cross-validation on TRAIN data (one model
    for both: zh 94.9 %, en 86.3 %; one per language: zh 95.1 %, en 86.8 %)."""
    rows = [row for row in load_training_rows() if _is_chinese(row["text"]) == chinese]
    return NaiveBayes([row["text"] for row in rows], [row["label"] for row in rows])


def _softmax_share(scores: dict[str, float], label: str) -> float:
    top = max(scores.values())
    exps = {name: math.exp((value - top) / CONFIDENCE_TEMPERATURE) for name, value in scores.items()}
    return round(exps[label] / sum(exps.values()), 4)
