"""`sales-coach ask "问题"`: the answer and its citations on the terminal, offline or with the configured model."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.config import get_settings
from tests.utils.fake_llm import Action

SIX_STEPS = ["客户分析", "建立信任", "挖掘需求", "呈现价值", "赢取承诺", "跟进服务"]


@pytest.fixture
def configure(monkeypatch, tmp_path):
    """Set the environment the command reads its settings from (and forget cached settings around it)."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("LLM_PROVIDER", "OPENAI_BASE_URL", "OPENAI_API_KEY", "EMBEDDINGS_MODEL", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))

    def apply(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    apply()
    yield apply
    get_settings.cache_clear()


def test_offline_answer_and_citations_without_a_server(tmp_path):
    env = {**os.environ, "DATA_DIR": str(tmp_path / "data"), "LLM_PROVIDER": "offline"}
    env.pop("EMBEDDINGS_MODEL", None)
    command = Path(sys.executable).with_name("sales-coach")  # the installed entry point
    result = subprocess.run(
        [str(command), "ask", "摧龙六式有哪六步？"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert all(step in result.stdout for step in SIX_STEPS)
    assert "[dragon-steps-overview] 摧龙六式 › 六个步骤总览 (001_f8250d52b20618bb.txt)" in result.stdout
    assert "离线 / offline" in result.stdout


def test_uses_the_configured_model(configure, fake_llm):
    configure(LLM_PROVIDER="openai", OPENAI_BASE_URL=fake_llm.base_url, OPENAI_API_KEY="test-key")
    fake_llm.queue(
        Action(
            json={
                "answer": "SPIN 四类问题：背景、难点、暗示、需求-效益。",
                "cited_ids": ["spin-overview", "invented-id"],
            }
        )
    )
    result = CliRunner().invoke(cli, ["ask", "What are the four SPIN question types?"])
    assert result.exit_code == 0, result.output
    assert "SPIN 四类问题：背景、难点、暗示、需求-效益。" in result.output
    assert "[spin-overview]" in result.output and "invented-id" not in result.output
    assert "模型 / model" in result.output


def test_model_failure_prints_the_notice_and_the_offline_answer(configure, fake_llm):
    configure(LLM_PROVIDER="openai", OPENAI_BASE_URL=fake_llm.base_url, OPENAI_API_KEY="test-key", LLM_MAX_RETRIES="0")
    fake_llm.queue(Action(fault="500"))
    result = CliRunner().invoke(cli, ["ask", "摧龙六式有哪六步？"])
    assert result.exit_code == 0
    assert "模型暂时不可用" in result.output and all(step in result.output for step in SIX_STEPS)


@pytest.mark.parametrize("question", ["", "   ", "问" * 1001])
def test_bad_question_is_a_usage_error(configure, question):
    result = CliRunner().invoke(cli, ["ask", question])
    assert result.exit_code == 2 and "1 to 1000 characters" in result.output
