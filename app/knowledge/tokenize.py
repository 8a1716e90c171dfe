"""Tokenise Chinese/English text for BM25: jieba (accurate mode) plus lowercase, lightly stemmed English words."""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache

import jieba

from app.knowledge.sources import load_query_words

_tokenizer: jieba.Tokenizer | None = None
_lock = threading.Lock()

# A token is kept only if it holds a CJK character, a letter or a digit.
_WORD_CHAR_RE = re.compile(r"[\u4e00-\u9fff0-9a-zA-Z]")
_EDGE_PUNCT_RE = re.compile(r"^[^\u4e00-\u9fff0-9a-zA-Z]+|[^\u4e00-\u9fff0-9a-zA-Z]+$")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")

# Function words and question words: they say nothing about the topic asked.
STOPWORDS: frozenset[str] = frozenset(
    """
    的 了 是 在 和 与 及 或 吗 呢 吧 啊 呀 么 嘛 着 过 地 得 之 其 这 那 个 些 就 都 也 还 又 再 很 更 最
    什么 怎么 怎样 怎么样 如何 哪些 哪个 哪 为什么 为何 是否 是不是 多少 几个 几 啥 咋 请问 请 一下 一个 一些
    我 我们 你 你们 您 他 她 它 他们 她们 它们 自己 咱们 这个 那个 这些 那些 这样 那样 这种 那种
    要 会 能 可以 应该 该 需要 想 有 没有 把 被 对 给 让 从 到 向 里 中 上 下 时 时候 等 等等 以及 而 并 但 但是
    所以 因为 如果 然后 还是 或者 一般 具体 分别 主要 哪儿 讲讲 说说 告诉 知道 一 二 三
    干嘛 干啥 跟 有没有 一点 东西 做 帮 以后 已经 算 一共 哪几种 哪几个 哪几 几类 几种 几级 分成 意思 用来
    到底 能够 什么样 怎么办 还要 这一步 一步 的话 对于 关于 应当 得到 比较 一定 问些
    几点 几号 几时 哪里 这里 那里 那边 这边 好不好 行不行 可不可以 咋办 咋整 咋弄 咋搞 怎么整 怎么弄 怎么搞 一直 总是 老是 人家 好多
    a an the of to in on for and or is are was were be been being do does did what which who whom whose how why
    when where i we you they it its my our your their me us them this that these those with about from by as at
    can could should would will shall may might must there here any some please tell explain into than then so
    if not no vs versus s get got usually really stand mean means cant can't dont don't keeps keep
    he she him her his hers ive i'm im i've ll i'll he'll she'll we'll they'll you'll it's d re ve m t also just only
    up down out over very much many lot lots say says saying said tell tells telling been am has have had having
    one ones thing things something anything everything still even ever yet already now want wants wanted
    """.split()
)

# Function characters that jieba's HMM sometimes glues onto a word ("时要", "问些"); trimmed off
# the edges of tokens that are not dictionary words.
STOP_CHARS = "的了是在和与及或吗呢吧啊呀么嘛着过就都也还又很把被对给让从向这那些我你他她它您该要"

# Methodology terms jieba would otherwise split (分析型 -> 分析 / 型); sub-words still match via _expand.
DOMAIN_WORDS: tuple[str, ...] = (
    "分析型",
    "进取型",
    "表现型",
    "亲切型",
    "亲近型",
    "摧龙六式",
    "五维模型",
    "需求效益",
    "购买信号",
    "同盟者",
    "非支持者",
    "高瞻远瞩者",
    "革新主义者",
    "实用主义者",
    "保守主义者",
    "控单",
    "赢率",
    "竞品",
    "单子",
)


def _get_tokenizer() -> jieba.Tokenizer:
    """Initialise a private jieba tokenizer once (quietly), so other users of jieba are unaffected."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                for word in DOMAIN_WORDS:
                    tokenizer.add_word(word)
                _tokenizer = tokenizer
    return _tokenizer


def stem_english(word: str) -> str:
    """A deliberately small suffix stripper (plural, -ing, -ed, -e, -er/-or, -ly) for retrieval only.

    initiator / initiates / initiated -> initiat; designers -> design. Both documents and
    questions go through it, so the stems only need to agree with each other.
    """
    if len(word) <= 4 or not word.isalpha():
        return word
    if word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    for suffix in ("er", "or", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _normalise(token: str) -> str:
    """Lowercase and trim punctuation at the edges."""
    return _EDGE_PUNCT_RE.sub("", token.strip()).lower()


def word_frequency(word: str) -> int:
    """How common a word is in jieba's dictionary (0: not a dictionary word)."""
    return int(_get_tokenizer().FREQ.get(word, 0) or 0)


def _in_dictionary(tokenizer: jieba.Tokenizer, word: str) -> bool:
    return tokenizer.FREQ.get(word, 0) > 0


def is_dictionary_word(word: str) -> bool:
    """Whether jieba's dictionary knows the word (a typo such as 考滤 is a word jieba only guessed)."""
    return _in_dictionary(_get_tokenizer(), word)


def character_frequency(character: str) -> int:
    """How often jieba's dictionary counts the character as a word (的 / 有 / 说: hundreds of thousands)."""
    return int(_get_tokenizer().FREQ.get(character, 0))


def _expand(tokenizer: jieba.Tokenizer, token: str) -> list[str]:
    """The token plus, for Chinese compounds, their dictionary sub-words (竞争对手 -> 竞争, 对手).

    This is what jieba's search mode adds on top of accurate mode; it lets a question
    that says 对手 find a passage that says 竞争对手. Glued fragments that are not
    dictionary words lose their function characters at the edges (时要 -> 时 -> dropped).
    """
    if not _CJK_RE.search(token) or len(token) < 2:
        return [token]
    if not _in_dictionary(tokenizer, token):
        token = token.strip(STOP_CHARS)
        return [token] if token else []
    words = [token]
    for size in (2, 3, 4):
        if len(token) > size:
            words += [
                token[i : i + size]
                for i in range(len(token) - size + 1)
                if _in_dictionary(tokenizer, token[i : i + size])
            ]
    return words


def _word_groups(text: str) -> list[list[str]]:
    """One group per jieba word: the kept tokens it yields (the word itself plus its sub-words)."""
    tokenizer = _get_tokenizer()
    groups: list[list[str]] = []
    for raw in tokenizer.lcut(text, cut_all=False):
        if not _WORD_CHAR_RE.search(raw):
            continue
        word = _normalise(raw)
        if word in STOPWORDS:
            continue
        if word.isascii():
            groups.append([stem_english(word)])
            continue
        # Single Chinese characters (年, 办, 好) are too ambiguous to count as evidence.
        kept = [t for t in _expand(tokenizer, word) if t not in STOPWORDS and not (len(t) == 1 and _CJK_RE.match(t))]
        if kept:
            groups.append(kept)
    return groups


def raw_words(text: str) -> list[str]:
    """The text cut into words as jieba cuts it, spaces and punctuation kept: "".join(raw_words(t)) == t."""
    return list(_get_tokenizer().lcut(text, cut_all=False))


def tokenize(text: str) -> list[str]:
    """Split text into normalised content tokens (no punctuation, no stopwords)."""
    return [token for group in _word_groups(text) for token in group]


def _as_token(word: str) -> str:
    return stem_english(word) if word.isascii() else word


@lru_cache(maxsize=1)
def synonyms_by_token() -> dict[str, tuple[str, ...]]:
    """playbooks/ask/query_words.yaml's synonyms, keyed and valued by tokens as tokenize() produces them."""
    return {
        _as_token(word.lower()): tuple(_as_token(synonym.lower()) for synonym in synonyms)
        for word, synonyms in load_query_words().synonyms.items()
    }


@lru_cache(maxsize=1)
def sales_context_tokens() -> frozenset[str]:
    """The sales-context words of query_words.yaml as tokens."""
    return frozenset(_as_token(word.lower()) for word in load_query_words().sales_context)


def in_sales_context(question: str) -> bool:
    """Whether the question uses a sales word (customer, deal, 客户, 单子...): it is about selling."""
    words = sales_context_tokens()
    return any(token in words for token in tokenize(question))


@lru_cache(maxsize=1)
def _frame_phrase_re() -> re.Pattern[str] | None:
    phrases = sorted(load_query_words().frame_phrases, key=len, reverse=True)
    if not phrases:
        return None
    # Latin phrases at word bounds ("in short" not in "in shortlist"); Chinese ones anywhere
    return re.compile(
        "|".join(rf"(?<![a-z]){re.escape(p.lower())}(?![a-z])" if p[:1].isascii() else re.escape(p) for p in phrases)
    )


def without_frame_phrases(question: str) -> str:
    """The question without the phrases that only frame it ("简单说说", "in a nutshell")."""
    pattern = _frame_phrase_re()
    return pattern.sub(" ", question.lower()) if pattern else question


def query_term_groups(question: str) -> list[tuple[str, ...]]:
    """One group per distinct question word: (word, its sub-words..., playbook synonyms...), leaving out the
    phrases that only frame the question.

    Example: 财务总监 -> ("财务总监", "财务", "总监"); 单子 -> ("单子", "机会", "订单").
    """
    groups: dict[str, tuple[str, ...]] = {}
    for members in _word_groups(without_frame_phrases(question)):
        word = members[0]
        if word in groups:
            continue
        expanded = list(members)
        for member in members:
            expanded += synonyms_by_token().get(member, ())
        groups[word] = tuple(dict.fromkeys(expanded))
    return list(groups.values())


def is_chinese(text: str) -> bool:
    """True when the text contains any CJK character."""
    return bool(_CJK_RE.search(text))


# A span in quotation marks: what someone else said, not the asker's own words.
_QUOTED_RE = re.compile(r"""“[^”]*”|"[^"]*"|'[^']*'(?!\w)|「[^」]*」|‘[^’]*’""")
_LATIN_WORD_RE = re.compile(r"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9']*")


def question_is_chinese(question: str) -> bool:
    """Whether a question is asked in Chinese (we then answer in Chinese), judged on the asker's own words with quotes
    left out: it starts in Chinese, or its Chinese words (about two characters each) are at least as many as its
    English ones. "What are the six steps of 摧龙六式?" is English; "客户说“we already have a vendor”，怎么回？",
    "客户说we are fine for now怎么回" and "SPIN里的N是什么意思" are Chinese."""
    own = _QUOTED_RE.sub(" ", question).strip()
    cjk = len(_CJK_RE.findall(own))
    if not cjk:
        return False
    return bool(_CJK_RE.match(own)) or cjk / 2 >= len(_LATIN_WORD_RE.findall(own))


_LATIN_LETTER_RE = re.compile(r"[A-Za-z]")


def mostly_chinese(text: str) -> bool:
    """Whether the text is written in Chinese: its CJK characters outweigh its Latin letters (a Chinese character
    carries about as much as a short English word, so one counts like four letters). An English passage quoting
    a Chinese term stays English."""
    cjk = len(_CJK_RE.findall(text))
    return cjk > 0 and 4 * cjk >= len(_LATIN_LETTER_RE.findall(text))
