"""The playbooks and the knowledge base carry the seeds' facts in our own words, not their sentences.

Our text is cut at punctuation and line breaks into phrases; a phrase of 15 or more characters that
stands verbatim in a seed document is a copied sentence. Lists of names (stage names, roles) are cut into
short items by their separators, so facts and terms pass.
"""

import re
from pathlib import Path

from app.config import REPO_ROOT

SEEDS = REPO_ROOT.parent / "shared" / "seeds"
MIN_PHRASE = 15
_SEPARATORS = re.compile(r"[^\w]+|_")


def _seed_text() -> str:
    return "".join(_SEPARATORS.sub("", p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt")))


def _our_files() -> list[Path]:
    return sorted([*REPO_ROOT.glob("playbooks/**/*.yaml"), *REPO_ROOT.glob("knowledge/*.md")])


def copied_phrases(text: str, seeds: str) -> list[str]:
    phrases = (p for p in _SEPARATORS.split(text) if len(p) >= MIN_PHRASE)
    return [p for p in phrases if not p.isascii() and p in seeds]


def test_no_sentence_is_copied_from_the_seeds():
    if not SEEDS.exists():
        import pytest

        pytest.skip("seed documents not present beside the repo")
    seeds = _seed_text()
    copied = {
        str(path.relative_to(REPO_ROOT)): found
        for path in _our_files()
        if (found := copied_phrases(path.read_text(encoding="utf-8"), seeds))
    }
    assert not copied, f"phrases copied verbatim from the seeds: {copied}"


def test_the_check_catches_a_copied_sentence():
    seeds = _seed_text()
    sentence = "使用产品和服务的部门往往是采购的最初发起者"
    if sentence in seeds:  # the probe only means something while the seed holds it
        assert copied_phrases(f"说明：{sentence}。", seeds) == [sentence]
