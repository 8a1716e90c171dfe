"""Every playbook element's Chinese name must appear in the knowledge base, so answers can explain it."""

from __future__ import annotations

import unicodedata

from app.knowledge import get_index
from app.knowledge.answer import chunk_language
from app.knowledge.chunks import CHINESE_RE, parse_markdown
from app.knowledge.sources import load_sources
from app.playbook import get_playbook


def normalise(text: str) -> str:
    """NFKC (full-width brackets -> ASCII) and no whitespace, so layout differences do not matter."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def test_every_playbook_element_name_appears_in_the_knowledge_base() -> None:
    playbook = get_playbook()
    knowledge_text = normalise("\n".join(f"{chunk.title}\n{chunk.text}" for chunk in get_index().chunks))
    missing = [
        f"{element_id}: {playbook.element(element_id).name_zh}"
        for element_id in sorted(playbook.ids())
        if normalise(playbook.element(element_id).name_zh) not in knowledge_text
    ]
    assert not missing, f"{len(missing)} playbook names missing from knowledge/*.md: {missing}"


def test_knowledge_sources_are_seed_files_or_marked_literature() -> None:
    """Seed-based passages cite a seed file; the others cite literature listed as general (通用方法)."""
    sources = load_sources()
    seeds = {
        "000_e7bd82a359d1f684.txt",
        "001_f8250d52b20618bb.txt",
        "002_dc9c672375c04538.txt",
        "003_f46c8c675f22d6b5.txt",
        "004_090d296c08092e30.txt",
    }
    for chunk in get_index().chunks:
        source = sources[chunk.source]
        assert (source.origin == "manual") == (chunk.source in seeds), chunk.id


def test_english_passages_have_english_titles() -> None:
    """A reader of an English passage sees its parents' English names (title_en), never Chinese headings."""
    english = [chunk for chunk in get_index().chunks if chunk_language(chunk) == "en"]
    assert len(english) >= 20
    chinese_titles = [chunk.title for chunk in english if CHINESE_RE.search(chunk.title)]
    assert not chinese_titles


def test_title_en_names_a_chinese_heading_in_english_titles_only() -> None:
    markdown = (
        "# 异议处理 {#obj}\ntitle_en: Objections\n\n## 太贵了 {#obj-price}\n价格异议。\n\n"
        "## Too expensive {#obj-price-en}\nPrice objections.\n\n## Untitled parent {#obj-x}\n"
        "### Nested {#obj-x-y}\nText.\n"
    )
    titles = {chunk.id: chunk.title for chunk in parse_markdown(markdown, "t.md")}
    assert titles == {
        "obj-price": "异议处理 › 太贵了",
        "obj-price-en": "Objections › Too expensive",
        "obj-x-y": "Objections › Untitled parent › Nested",
    }
