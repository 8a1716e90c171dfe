"""The flow results' sentences are data (playbooks/flows/results/<flow_id>.yaml): every key a result module asks for
exists, gets every placeholder its template names, and no text in the files goes unused."""

from pathlib import Path

import pytest

from app.flows.definitions import FLOW_IDS
from app.flows.results import texts
from app.flows.results.texts import FlowTextError, FlowTexts, flow_texts, placeholders
from tests.utils.texts import missing_texts, text_uses, unused_texts

RESULTS_DIR = Path(texts.__file__).parent


def _source(flow_id: str) -> str:
    return (RESULTS_DIR / f"{flow_id}.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("flow_id", FLOW_IDS)
def test_every_text_asked_for_exists_and_gets_its_placeholders(flow_id):
    flow = flow_texts(flow_id)
    assert text_uses(_source(flow_id), flow), f"{flow_id}.py asks for no texts"
    assert missing_texts(_source(flow_id), flow, f"playbooks/flows/results/{flow_id}.yaml") == []


@pytest.mark.parametrize("flow_id", FLOW_IDS)
def test_no_text_goes_unused(flow_id):
    assert unused_texts(_source(flow_id), flow_texts(flow_id)) == []


def test_the_check_sees_a_missing_placeholder():
    source = 'def f():\n    return TEXTS.message("hello", [], name="x")\n'
    flow = FlowTexts.model_validate({"messages": {"hello": {"zh": "{name}你好{time}", "en": "Hi {name}"}}})
    [(kind, key, given)] = text_uses(source, flow)
    assert (kind, key) == ("messages", "hello")
    assert flow.messages[key].placeholders() - given == {"time"}


def test_a_broken_file_names_the_file_and_field(tmp_path, monkeypatch):
    (tmp_path / "broken.yaml").write_text('messages:\n  x: {zh: "坏{0}", en: ""}\n', encoding="utf-8")
    monkeypatch.setattr(texts, "TEXTS_DIR", tmp_path)
    with pytest.raises(FlowTextError) as raised:
        texts.flow_texts.__wrapped__("broken")
    assert "broken.yaml" in str(raised.value) and "messages.x.zh" in str(raised.value)
    assert "messages.x.en" in str(raised.value)  # a whole sentence needs both languages


def test_placeholders_are_plain_names():
    assert placeholders("{a}：{b}{a}") == {"a", "b"}
    for bad in ("{0}", "{a.b}", "{a!r}", "{a:>3}"):
        with pytest.raises(ValueError):
            placeholders(bad)
