"""Dense retrieval through the loopback /v1/embeddings, fused with BM25 by reciprocal rank, only when configured."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.knowledge import answer_offline, get_index, reciprocal_rank_fusion
from app.knowledge.embeddings import EmbeddingUnavailable, FusedIndex, knowledge_index
from app.knowledge.retriever import index_text
from app.main import create_app
from tests.utils.ask import SIX_STEPS, load_golden
from tests.utils.factories import auth_headers, make_user
from tests.utils.fake_llm import free_port

GOLDEN_QUESTIONS = [row["question"] for row in load_golden() if not row.get("out_of_scope")]


@pytest.fixture
def dense_settings(make_settings, fake_llm):
    """Offline answers, but retrieval also asks the loopback server for embeddings."""
    return make_settings(openai_base_url=fake_llm.base_url, openai_api_key="test-key", embeddings_model="fake-embed")


def shortest_chunk():
    return min(get_index().chunks, key=lambda chunk: len(index_text(chunk)))


def first_citation(question: str, index) -> str | None:
    citations = answer_offline(question, index).citations
    return citations[0].id if citations else None


def test_without_embeddings_model_retrieval_is_bm25_only(make_settings, fake_llm):
    settings = make_settings(openai_base_url=fake_llm.base_url, openai_api_key="test-key")
    assert knowledge_index(settings) is get_index()
    assert get_index().dense_ranking("摧龙六式", 5) == []


def test_dense_vectors_come_from_the_endpoint(dense_settings):
    index = knowledge_index(dense_settings)
    assert isinstance(index, FusedIndex) and index is knowledge_index(dense_settings)  # built once
    # The loopback server embeds by hashing the text: a chunk's own text is its exact nearest neighbour.
    chunk = shortest_chunk()
    best, similarity = index.dense_ranking(index_text(chunk), 3)[0]
    assert best.id == chunk.id and similarity == pytest.approx(1.0)


def test_search_fuses_bm25_and_dense_rankings_by_reciprocal_rank(dense_settings):
    index = knowledge_index(dense_settings)
    question = "摧龙六式有哪六步"
    lexical = [chunk.id for chunk, _ in index.bm25_ranking(question, 20)]
    dense = [chunk.id for chunk, _ in index.dense_ranking(question, 20)]
    assert lexical[:5] != dense[:5]
    expected = reciprocal_rank_fusion([lexical, dense])[:5]
    assert [(chunk.id, score) for chunk, score in index.search(question, 5)] == expected


def test_ask_answers_from_the_fused_ranking(dense_settings, engine, session):
    fused = knowledge_index(dense_settings)
    # A question whose best passage changes when the dense ranking joins in shows which index the API used.
    question = next(
        q for q in GOLDEN_QUESTIONS if first_citation(q, fused) not in (None, first_citation(q, get_index()))
    )
    with TestClient(create_app(dense_settings, engine)) as client:
        headers = auth_headers(client, make_user(session))
        body = client.post("/api/ask", json={"question": question}, headers=headers).json()
    assert body["citations"] == [c.model_dump() for c in answer_offline(question, fused).citations]


def test_unreachable_endpoint_falls_back_to_bm25(make_settings, engine, session):
    settings = make_settings(
        openai_base_url=f"http://127.0.0.1:{free_port()}/v1",
        openai_api_key="test-key",
        embeddings_model="fake-embed",
        llm_max_retries=0,
        llm_timeout_s=1.0,
    )
    assert knowledge_index(settings) is get_index()
    with TestClient(create_app(settings, engine)) as client:
        headers = auth_headers(client, make_user(session))
        body = client.post("/api/ask", json={"question": "摧龙六式有哪六步"}, headers=headers).json()
        assert body["mode"] == "offline" and all(step in body["answer"] for step in SIX_STEPS)


def test_query_embedding_failure_after_build_uses_bm25():
    chunks = get_index().chunks

    def documents_only(texts: list[str]) -> list[list[float]]:
        if len(texts) == 1:
            raise EmbeddingUnavailable("endpoint went away")
        return [[float(len(text)), 1.0] for text in texts]

    index = FusedIndex.build(chunks, embed=documents_only)
    assert index.search("摧龙六式有哪六步", 3) == get_index().bm25_ranking("摧龙六式有哪六步", 3)


TEAM_DOC = """# 星河 CRM 手册

## 离线同步
星河 CRM 的离线同步让销售在工地没有信号时也能录入拜访记录，回到有网络的地方自动上传。

## 实施周期
标准实施周期为六周，含数据迁移和两次培训。
"""
SECOND_DOC = """# 星河 CRM 报价

## 报价方式
星河 CRM 标准版按坐席收费，三年合同赠送一次上门培训。
"""


def test_a_team_upload_embeds_only_the_teams_new_passages(make_settings, fake_llm, engine, session):
    # Its own embeddings model name: a fresh index and passage cache, whatever other tests built.
    settings = make_settings(
        openai_base_url=fake_llm.base_url, openai_api_key="test-key", embeddings_model="fake-embed-team-cache"
    )
    manager = make_user(session, "manager", team="缓存组")
    with TestClient(create_app(settings, engine)) as client:
        headers = auth_headers(client, manager)
        knowledge_index(settings)
        assert sum(fake_llm.embedding_batches) == len(get_index().chunks)  # the playbook, once

        def upload_and_ask(markdown: str, name: str, question: str) -> tuple[int, int]:
            fake_llm.embedding_batches.clear()
            created = client.post(
                "/api/knowledge/documents", files={"file": (name, markdown.encode())}, headers=headers
            ).json()
            assert client.post("/api/ask", json={"question": question}, headers=headers).status_code == 200
            return created["chunks"], sum(fake_llm.embedding_batches)

        chunks, sent = upload_and_ask(TEAM_DOC, "crm.md", "星河 CRM 离线同步怎么用")
        assert chunks >= 2 and sent == chunks + 1  # the team's passages and the question, not the playbook
        chunks, sent = upload_and_ask(SECOND_DOC, "price.md", "星河 CRM 怎么收费")
        assert sent == chunks + 1  # the first document's passages are not embedded again either

        fake_llm.embedding_batches.clear()
        client.post("/api/ask", json={"question": "星河 CRM 离线同步怎么用"}, headers=headers)
        assert fake_llm.embedding_batches == []  # same passages, same question: nothing to embed
