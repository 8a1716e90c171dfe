"""Tokenise Chinese/English text for BM25: jieba (accurate mode) plus lowercase English words."""

from __future__ import annotations

import logging
import re
import threading

import jieba

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
    干嘛 干啥 啥 跟 有没有 一点 东西 做 帮 以后 已经 算 一共 哪几种 哪几个 哪几 几类 几种 几级 几个 分成 意思 用来
    到底 能够 时候 什么样 怎么办 还要 这一步 一步 的话 对于 关于 应当 应该 需要 得到 比较 一定 问些
    a an the of to in on for and or is are was were be been being do does did what which who whom whose how why
    when where i we you they it its my our your their me us them this that these those with about from by as at
    can could should would will shall may might must there here any some please tell explain me into than then so
    if not no vs versus s
    """.split()
)


# Function characters that jieba's HMM sometimes glues onto a word ("时要", "问些"); trimmed off
# the edges of tokens that are not dictionary words.
STOP_CHARS: frozenset[str] = frozenset("的了是在和与及或吗呢吧啊呀么嘛着过地得之其这那个些就都也还又很更最要会能该有把被对给让从到向里中上下时等我你他她它您来去")


# Methodology terms jieba would otherwise split (分析型 -> 分析 / 型); sub-words still match via _expand.
DOMAIN_WORDS: tuple[str, ...] = (
    "分析型", "进取型", "表现型", "亲切型", "亲近型", "摧龙六式", "五维模型", "需求效益", "购买信号",
    "同盟者", "非支持者", "高瞻远瞩者", "革新主义者", "实用主义者", "保守主义者", "控单",
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


def _normalise(token: str) -> str:
    """Lowercase, trim punctuation at the edges, and fold simple English plurals."""
    token = _EDGE_PUNCT_RE.sub("", token.strip()).lower()
    if token.isascii() and token.isalpha() and len(token) > 4:
        if token.endswith("ies"):
            return token[:-3] + "y"
        if token.endswith("s") and not token.endswith(("ss", "us", "is")):
            return token[:-1]
    return token


def _in_dictionary(tokenizer: jieba.Tokenizer, word: str) -> bool:
    return tokenizer.FREQ.get(word, 0) > 0


def _expand(tokenizer: jieba.Tokenizer, token: str) -> list[str]:
    """The token plus, for Chinese compounds, their dictionary sub-words (竞争对手 -> 竞争, 对手).

    This is what jieba's search mode adds on top of accurate mode; it lets a question
    that says 对手 find a passage that says 竞争对手. Glued fragments that are not
    dictionary words lose their function characters at the edges (时要 -> 时 -> dropped).
    """
    if not _CJK_RE.search(token) or len(token) < 2:
        return [token]
    if not _in_dictionary(tokenizer, token):
        token = token.strip("".join(STOP_CHARS))
        return [token] if token else []
    words = [token]
    for size in (2, 3, 4):
        if len(token) > size:
            words += [token[i : i + size] for i in range(len(token) - size + 1) if _in_dictionary(tokenizer, token[i : i + size])]
    return words


def tokenize(text: str) -> list[str]:
    """Split text into normalised content tokens (no punctuation, no stopwords)."""
    tokenizer = _get_tokenizer()
    tokens: list[str] = []
    for raw in tokenizer.lcut(text, cut_all=False):
        if not _WORD_CHAR_RE.search(raw):
            continue
        for token in _expand(tokenizer, _normalise(raw)):
            if token and token not in STOPWORDS:
                tokens.append(token)
    return tokens


def is_chinese(text: str) -> bool:
    """True when the text contains any CJK character (we then answer in Chinese)."""
    return bool(_CJK_RE.search(text))
