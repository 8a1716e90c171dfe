"""Read a question typed in toneless pinyin ("kehu shuo tai gui zenme ban") as the Chinese it stands for.

Reps on a phone without the input method type pinyin. A question whose Latin words are (nearly) all pinyin is read
syllable by syllable: runs of syllables become the words Ask knows (the knowledge base's words, the question words
and decline words under playbooks/ask/, common Chinese function words), the commonest such word for each sound;
a syllable left over becomes its commonest character. English questions are left alone: most English words are not
pinyin ("how", "price", "objection"), so they never reach the share needed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from pypinyin import lazy_pinyin
from pypinyin.constants import PINYIN_DICT

from app.knowledge.retriever import get_index
from app.knowledge.sources import load_decline_rules, load_query_words
from app.knowledge.tokenize import STOPWORDS, character_frequency, word_frequency

# A question is read as pinyin when at least this share of its Latin words (and at least MIN_PINYIN_WORDS of them)
# split into pinyin syllables, and at least one run of syllables is a known word of two or more characters.
PINYIN_SHARE = 0.8
MIN_PINYIN_WORDS = 2
MIN_WHOLLY_PINYIN_WORDS = 3
MIN_GLUED_SYLLABLES = 3  # or one word of this many syllables typed without spaces ("kehushuotaigui")
MAX_WORD_SYLLABLES = 4
MAX_SYLLABLE_LETTERS = 6  # zhuang, shuang
_LATIN_WORD_RE = re.compile(r"[A-Za-z0-9']+")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_CJK_WORD_RE = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_CJK_BLOCK = range(0x4E00, 0x9FA6)


def _toneless(reading: str) -> str:
    """zhōng -> zhong, lǘ -> lv (how pinyin is typed without tones)."""
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return "".join(character for character in decomposed if unicodedata.category(character) != "Mn")


@lru_cache(maxsize=1)
def _readings() -> dict[str, tuple[str, ...]]:
    """Every Chinese character -> its toneless readings ("谁" -> shei, shui), from pypinyin's table."""
    return {
        chr(code): tuple(dict.fromkeys(_toneless(reading) for reading in readings.split(",")))
        for code, readings in PINYIN_DICT.items()
        if code in _CJK_BLOCK
    }


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    """Every toneless syllable of every reading."""
    return frozenset(syllable for readings in _readings().values() for syllable in readings)


@lru_cache(maxsize=1)
def _commonest_characters() -> dict[str, str]:
    """Per syllable, its commonest character (by jieba's counts)."""
    best: dict[str, tuple[int, str]] = {}
    for character, readings in _readings().items():
        frequency = character_frequency(character)
        for syllable in readings:
            if syllable not in best or frequency > best[syllable][0]:
                best[syllable] = (frequency, character)
    return {syllable: character for syllable, (_, character) in best.items()}


def split_syllables(word: str) -> list[str] | None:
    """The word as pinyin syllables, fewest first ("zhenzheng" -> zhen, zheng; "xian" -> xian), or None."""
    syllables = _syllables()
    word = word.lower()
    # fewest[i]: the shortest split of word[i:] (None when it cannot be split)
    fewest: list[list[str] | None] = [None] * (len(word) + 1)
    fewest[len(word)] = []
    for start in range(len(word) - 1, -1, -1):
        for end in range(min(len(word), start + MAX_SYLLABLE_LETTERS), start, -1):
            rest = fewest[end]
            if rest is not None and word[start:end] in syllables:
                candidate = [word[start:end], *rest]
                if fewest[start] is None or len(candidate) < len(fewest[start] or []):
                    fewest[start] = candidate
    return fewest[0]


def pinyin_words(question: str) -> tuple[list[str], list[list[str] | None]] | None:
    """A question written in pinyin: its Latin words and each one's syllables (None for acronyms, digits and
    English words among them); None when the question is not pinyin."""
    if _CJK_RE.search(question):
        return None
    latin = _LATIN_WORD_RE.findall(question)
    splits = [
        None if word.isupper() or not word.isalpha() else split_syllables(word.replace("'", "")) for word in latin
    ]
    counted = [split for word, split in zip(latin, splits, strict=True) if word.isalpha() and not word.isupper()]
    pinyin = [split for split in counted if split is not None]
    enough = len(pinyin) >= MIN_PINYIN_WORDS or any(len(split) >= MIN_GLUED_SYLLABLES for split in pinyin)
    if not enough or len(pinyin) < PINYIN_SHARE * len(counted):
        return None
    return latin, splits


class PinyinReader:
    """Turns pinyin questions into Chinese with a fixed vocabulary (built once)."""

    def __init__(self, words: Iterable[str], preferred: Iterable[str] = ()) -> None:
        preferred_set = set(preferred)
        by_sound: dict[tuple[str, ...], tuple[tuple[int, int], str]] = {}
        for word in {word for word in words if _CJK_WORD_RE.match(word)}:
            sound = tuple(lazy_pinyin(word))
            rank = (word_frequency(word), word in preferred_set)
            if sound not in by_sound or rank > by_sound[sound][0]:
                by_sound[sound] = (rank, word)
        self._words = {sound: word for sound, (_, word) in by_sound.items()}

    def read(self, question: str) -> str:
        """The question in Chinese characters when it is written in pinyin; otherwise unchanged. Acronyms and
        English words among the pinyin ("SPIN shi shenme") stay as they are."""
        if (found := pinyin_words(question)) is None:
            return question
        latin, splits = found
        counted = [split for word, split in zip(latin, splits, strict=True) if word.isalpha() and not word.isupper()]
        pinyin = [split for split in counted if split is not None]
        pieces: list[str] = []
        run: list[str] = []
        known_words = 0
        for word, split in [*zip(latin, splits, strict=True), ("", None)]:
            if split is not None:
                run += split
                continue
            if run:
                text, known = self._characters(run)
                pieces.append(text)
                known_words += known
                run = []
            if word:
                pieces.append(f" {word} ")
        # without a known word, only a question written wholly in pinyin words ("ni shi shei") is read
        wholly = len(pinyin) == len(counted) >= MIN_WHOLLY_PINYIN_WORDS
        return "".join(pieces).strip() if known_words or wholly else question

    def _characters(self, syllables: list[str]) -> tuple[str, int]:
        """The syllables as characters: known words where they fit (longer words first), else the commonest
        character; and how many known words were used."""
        commonest = _commonest_characters()
        # best[i]: (score, pieces) for syllables[i:]; a word of n syllables scores n*n, a lone character 1
        best: list[tuple[int, list[str]]] = [(0, [])] * (len(syllables) + 1)
        for start in range(len(syllables) - 1, -1, -1):
            score, pieces = best[start + 1]
            choice = (score + 1, [commonest[syllables[start]], *pieces])
            for size in range(2, MAX_WORD_SYLLABLES + 1):
                word = self._words.get(tuple(syllables[start : start + size]))
                if word is not None and start + size <= len(syllables):
                    score, pieces = best[start + size]
                    if score + size * size > choice[0]:
                        choice = (score + size * size, [word, *pieces])
            best[start] = choice
        pieces = best[0][1]
        return "".join(pieces), sum(len(piece) > 1 for piece in pieces)


@lru_cache(maxsize=1)
def pinyin_reader() -> PinyinReader:
    """The reader over Ask's words: the knowledge base's (preferred between equally common words), the question words of
    query_words.yaml, the decline words of declines.yaml and the Chinese function words tokenize() drops."""
    vocabulary = list(get_index().vocabulary)
    query_words = load_query_words()
    decline_words = load_decline_rules().words()
    asked = [*query_words.synonyms, *(w for words in query_words.synonyms.values() for w in words)]
    return PinyinReader([*vocabulary, *asked, *query_words.sales_context, *decline_words, *STOPWORDS], vocabulary)


def read_pinyin(question: str) -> str:
    """The question in Chinese when it is typed in pinyin (see PinyinReader), otherwise as it is."""
    if pinyin_words(question) is None:  # English and Chinese questions never build the reader
        return question
    return pinyin_reader().read(question)
