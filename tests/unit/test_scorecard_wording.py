"""What the scorecard says reads right in English: a quoted line ends on a whole word, and the problems whose
consequences were left unexplored are named in the reader's language."""

from __future__ import annotations

import re

from app.roleplay.scorecard import QUOTE_CHARS, TEXTS, _quote

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_a_long_english_quote_ends_on_a_whole_word():
    line = (
        "So when month-end comes round, how many hours does your team spend reconciling exports from the three systems?"
    )
    quoted = _quote(line)
    assert len(quoted) <= QUOTE_CHARS and quoted.endswith("…")
    assert line.startswith(quoted[:-1]) and line[len(quoted) - 1] == " "  # the cut falls between two words


def test_a_long_chinese_quote_keeps_its_length():
    line = "您刚才说月底对账要三个人加两天班，" * 6
    assert len(_quote(line)) == QUOTE_CHARS


def test_the_open_problems_line_names_the_problems_in_english():
    for count, names in ((1, "manual dispatch"), (2, "manual dispatch, empty runs")):
        zh, en = TEXTS.part("feedback.open_problems", problems="人工派车", problems_en=names, count=count)
        assert "人工派车" in zh
        assert names in en and not CJK.search(en)
