"""Unit tests for the knowledge base: Markdown chunking, tokenising, BM25/RRF retrieval, offline answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.documents import Document

from app.knowledge import (
    Chunk,
    KnowledgeIndex,
    PlaybookRetriever,
    answer_offline,
    get_index,
    load_chunks,
    parse_markdown,
    reciprocal_rank_fusion,
)
from app.knowledge.sources import load_sources
from app.knowledge.tokenize import tokenize

SAMPLE = """---
source: 001_f8250d52b20618bb.txt
---

# 摧龙六式 {#dragon}

## 六个步骤总览 {#dragon-steps-overview}
Key terms: six steps
- 客户分析、建立信任

### 发展向导 {#dragon-guide}
- 向导是客户内部的人

## 销售漏斗 {#funnel}
source: 002_dc9c672375c04538.txt
- 漏斗顶部是潜在用户

## 空的小节 {#empty}
"""


# ---------------------------------------------------------------- chunking


def test_parse_markdown_builds_ids_titles_and_sources() -> None:
    chunks = parse_markdown(SAMPLE, "dragon.md")
    by_id = {chunk.id: chunk for chunk in chunks}
    assert list(by_id) == ["dragon-steps-overview", "dragon-guide", "funnel"]  # the empty section is skipped
    assert by_id["dragon-guide"].title == "摧龙六式 › 六个步骤总览 › 发展向导"
    assert by_id["dragon-steps-overview"].source == "001_f8250d52b20618bb.txt"
    assert by_id["funnel"].source == "002_dc9c672375c04538.txt"  # section-level override
    assert "source:" not in by_id["funnel"].text
    assert by_id["dragon-guide"].file == "dragon.md"
    assert by_id["dragon-steps-overview"].text.startswith("Key terms: six steps")


def test_parse_markdown_rejects_heading_without_id() -> None:
    with pytest.raises(ValueError, match="explicit"):
        parse_markdown("source: x.txt\n## 没有编号的标题\n正文\n", "bad.md")


def test_load_chunks_rejects_duplicate_ids(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("source: a.txt\n## 甲 {#same}\n正文\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("source: b.txt\n## 乙 {#same}\n正文\n", encoding="utf-8")
    with pytest.raises(ValueError, match="duplicate"):
        load_chunks(tmp_path)


def test_real_knowledge_base_is_well_formed() -> None:
    chunks = get_index().chunks
    assert len(chunks) >= 100
    assert len({chunk.id for chunk in chunks}) == len(chunks)
    sources = load_sources()
    for chunk in chunks:
        assert chunk.source in sources, chunk.id  # a seed file (手册原文) or listed literature (通用方法)
        assert "Key terms:" in chunk.text, f"{chunk.id} has no English key terms"
    files = {chunk.file for chunk in chunks}
    for expected in ["spin.md", "dragon_six_steps.md", "five_dimensions.md", "fivek_intensity.md", "c139.md"]:
        assert expected in files


# ---------------------------------------------------------------- tokenising


def test_tokenize_drops_punctuation_and_stopwords_and_lowercases_english() -> None:
    tokens = tokenize("SPIN 提问的四类问题是什么？Need-payoff questions!")
    assert "spin" in tokens and "need" in tokens and "payoff" in tokens
    assert "question" in tokens  # simple plural folding
    assert "的" not in tokens and "什么" not in tokens and "？" not in tokens


def test_tokenize_adds_sub_words_of_compounds() -> None:
    tokens = tokenize("竞争对手")
    assert {"竞争对手", "竞争", "对手"} <= set(tokens)


# ---------------------------------------------------------------- retrieval


def tiny_chunks() -> list[Chunk]:
    return [
        Chunk("apple", "水果 › 苹果", "s.txt", "f.md", "苹果 是 红色 的 水果 apple"),
        Chunk("banana", "水果 › 香蕉", "s.txt", "f.md", "香蕉 是 黄色 的 水果 banana"),
        Chunk("cherry", "水果 › 樱桃", "s.txt", "f.md", "樱桃 很 小 cherry"),
    ]


def test_bm25_search_ranks_the_matching_chunk_first() -> None:
    index = KnowledgeIndex.build(tiny_chunks())
    results = index.search("黄色的香蕉", k=2)
    assert results[0][0].id == "banana"
    assert results[0][1] > 0
    assert index.search("？？", k=3) == []


def test_reciprocal_rank_fusion_sums_reciprocal_ranks() -> None:
    fused = dict(reciprocal_rank_fusion([["a", "b", "c"], ["b", "a"]], k=60))
    assert fused["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["c"] == pytest.approx(1 / 63)
    order = [item for item, _ in reciprocal_rank_fusion([["x", "y"], ["y", "z"]])]
    assert order[0] == "y"  # found by both rankings


def fake_embed(texts: list[str]) -> list[list[float]]:
    """A stand-in embedding: one axis per fruit, with synonyms a lexical index cannot see."""
    axes = [("苹果", "apple", "crimson"), ("香蕉", "banana"), ("樱桃", "cherry", "stone fruit")]
    return [[1.0 if any(word in text for word in words) else 0.0 for words in axes] for text in texts]


def test_dense_fusion_finds_what_bm25_cannot() -> None:
    lexical_only = KnowledgeIndex.build(tiny_chunks())
    assert lexical_only.search("stone fruit", k=3) == []
    fused = KnowledgeIndex.build(tiny_chunks(), embed=fake_embed)
    results = fused.search("stone fruit", k=1)
    assert results[0][0].id == "cherry"
    # A chunk ranked first by both BM25 and the dense side stays first.
    assert fused.search("香蕉 banana", k=3)[0][0].id == "banana"


def test_real_index_finds_the_six_steps() -> None:
    top_ids = [chunk.id for chunk, _ in get_index().search("摧龙六式有哪六个步骤", 3)]
    assert "dragon-steps-overview" in top_ids


def test_get_index_is_cached() -> None:
    assert get_index() is get_index()


def test_playbook_retriever_returns_documents_with_metadata() -> None:
    retriever = PlaybookRetriever(k=2)
    documents = retriever.invoke("客户关系的四个阶段")
    assert 1 <= len(documents) <= 2
    assert all(isinstance(document, Document) for document in documents)
    first = documents[0]
    assert first.metadata["id"] == "relationship-overview"
    assert first.metadata["source"] == "001_f8250d52b20618bb.txt"
    assert "Key terms" not in first.page_content
    assert "同盟" in first.page_content


# ---------------------------------------------------------------- answers


def test_answer_lists_the_six_steps_with_a_citation() -> None:
    answer = answer_offline("摧龙六式是哪六步？", get_index())
    assert answer.covered
    for step in ["客户分析", "建立信任", "挖掘需求", "呈现价值", "赢取承诺", "跟进服务"]:
        assert step in answer.answer
    assert answer.citations[0].id == "dragon-steps-overview"
    assert answer.citations[0].source == "001_f8250d52b20618bb.txt"
    assert answer.citations[0].excerpt
    assert "Key terms" not in answer.answer  # Chinese answers do not repeat the English retrieval line


def test_english_answer_uses_english_framing_and_glosses() -> None:
    answer = answer_offline("What are the four stages of a customer relationship?", get_index())
    assert answer.answer.startswith("According to the playbook")
    assert "alliance" in answer.answer.lower()


def test_out_of_scope_questions_get_a_plain_refusal_in_their_language() -> None:
    index = get_index()
    chinese = answer_offline("公司年会在哪里办？", index)
    assert not chinese.covered and chinese.citations == []
    assert chinese.answer.startswith("销售手册里没有涉及")
    english = answer_offline("How do I reset my laptop password?", index)
    assert english.answer.startswith("The playbook does not cover")
    assert english.citations == []


def test_a_team_index_adds_the_team_chunks_with_the_same_retrieval() -> None:
    team = [
        Chunk(
            id="team-1-0",
            title="星河 CRM › 离线同步",
            source="team-doc:1",
            file="",
            text="星河 CRM 的离线同步让销售在工地没有信号时录入拜访记录。",
            team_id=1,
            source_title="星河 CRM",
        )
    ]
    base = get_index()
    extended = base.extended(team)
    assert extended is base.extended(list(team))  # built once per chunk set
    assert base.extended([]) is base
    assert extended.search("星河 CRM 离线同步", 1)[0][0].id == "team-1-0"
    assert "team-1-0" not in base.ids()

    def embed(texts: list[str]) -> list[list[float]]:  # a toy embedding: does the text mention 星河?
        return [[1.0, 0.0] if "星河" in text else [0.0, 1.0] for text in texts]

    dense = KnowledgeIndex.build(base.chunks[:20], embed=embed).extended(team)
    assert "team-1-0" in [chunk.id for chunk, _ in dense.dense_ranking("星河", 3)]
