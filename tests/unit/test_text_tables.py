"""Labels and sentences shown to users are data under playbooks/ (app/playbook/texts.py): for each module that reads
a text table, every key it asks for exists and gets every placeholder its template names, no text goes unused,
and a broken file names the file and the field."""

import importlib
import inspect
from pathlib import Path

import pytest

from app.config import REPO_ROOT
from app.flows.definitions import get_flow
from app.flows.engine import EngineTexts
from app.playbook.texts import TextError, Texts, load_texts
from app.scenarios import rehearsal
from tests.utils.texts import missing_texts, text_uses, unused_texts

MODULES = [
    "app.flows.notes",
    "app.flows.engine",
    "app.flows.definitions",
    "app.scenarios.rehearsal",
    "app.roleplay.scorecard",
    "app.roleplay.feedback",
    "app.knowledge.answer",
]


def _source_and_table(module_name: str) -> tuple[str, Texts]:
    module = importlib.import_module(module_name)
    return inspect.getsource(module), module.TEXTS


@pytest.mark.parametrize("module_name", MODULES)
def test_every_text_asked_for_exists_and_gets_its_placeholders(module_name):
    source, table = _source_and_table(module_name)
    assert text_uses(source, table), f"{module_name} asks for no texts"
    assert missing_texts(source, table, module_name) == []


@pytest.mark.parametrize("module_name", MODULES)
def test_no_text_goes_unused(module_name):
    source, table = _source_and_table(module_name)
    assert unused_texts(source, table) == []


def test_the_checks_see_a_missing_key_a_missing_placeholder_and_an_unused_text():
    table = Texts.model_validate(
        {"parts": {"hello": {"zh": "{name}你好{time}", "en": "Hi {name}"}, "bye": {"zh": "再见", "en": "Bye"}}}
    )
    source = 'def f(lang):\n    return TEXTS.label("hello", lang, name="x") + TEXTS.label("nope", lang)\n'
    problems = missing_texts(source, table, "t.yaml")
    assert any("'nope'" in problem for problem in problems)
    assert any("'hello'" in problem and "time" in problem for problem in problems)
    assert unused_texts(source, table) == [("parts", "bye")]


def test_a_broken_file_names_the_file_and_field(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text('parts:\n  x: {zh: "坏{0}", en: "ok"}\n  y: {zh: "缺英文"}\n', encoding="utf-8")
    with pytest.raises(TextError) as raised:
        load_texts(path, Texts)
    message = str(raised.value)
    assert "broken.yaml" in message and "parts.x.zh" in message and "parts.y.en" in message


def test_every_text_file_under_playbooks_is_read_by_a_module():
    """A text file nobody loads is dead data."""
    folders = [REPO_ROOT / "playbooks" / sub / "texts" for sub in ("flows", "scenarios", "coach")]
    files = {path.relative_to(REPO_ROOT) for folder in folders for path in folder.glob("*.yaml")}
    files.add(Path("playbooks/ask/texts.yaml"))
    sources = "".join(inspect.getsource(importlib.import_module(name)) for name in MODULES)
    assert files and all(Path(file).name in sources for file in files)


def test_the_rehearsal_texts_cover_what_its_rules_name():
    """Every call-plan objective but 'other' has its advance, every objection and fact is raised by a rule."""
    texts, source = rehearsal.TEXTS, inspect.getsource(rehearsal)
    [commitment] = [step for step in get_flow("spin_call_plan").items if getattr(step, "id", None) == "commitment"]
    assert set(texts.advances) == {option.id for option in commitment.options} - {"other"}
    assert all(f'_objection("{objection_id}"' in source for objection_id in texts.objections)
    assert set(texts.gap_facts.values()) == set(texts.facts)


def test_a_rehearsal_sentence_with_a_placeholder_no_rule_fills_is_refused(tmp_path):
    path = REPO_ROOT / "playbooks" / "scenarios" / "texts" / "rehearsal.yaml"
    broken = tmp_path / "rehearsal.yaml"
    broken.write_text(path.read_text(encoding="utf-8").replace("{item}。", "{thing}。", 1), encoding="utf-8")
    with pytest.raises(TextError) as raised:
        load_texts(broken, rehearsal.RehearsalTexts)
    assert "rehearsal.yaml" in str(raised.value) and "voice.situation" in str(raised.value)


def test_the_engine_reads_only_well_formed_answer_words(tmp_path):
    broken = tmp_path / "engine.yaml"
    broken.write_text('more_aliases: {"好": "maybe"}\nnumber_units: {"万元": 10000}\n', encoding="utf-8")
    with pytest.raises(TextError) as raised:
        load_texts(broken, EngineTexts)
    assert "more_aliases.好" in str(raised.value) and "number_units" in str(raised.value)


def test_an_english_text_that_counts_reads_right_for_one():
    """A text that counts (`count`) may give `en_one`, as the UI strings do, so one thing is not "1 objection(s)"."""
    part = Texts.model_validate(
        {
            "parts": {
                "open": {
                    "zh": "还有 {count} 个顾虑",
                    "en": "{count} objections left open",
                    "en_one": "One objection left open",
                }
            }
        }
    )
    assert part.part("open", count=1) == ("还有 1 个顾虑", "One objection left open")
    assert part.part("open", count=2) == ("还有 2 个顾虑", "2 objections left open")
    assert part.label("open", "en", count=1) == "One objection left open"


@pytest.mark.parametrize("module_name", MODULES)
def test_no_english_text_hedges_its_plural(module_name):
    """The coach's English says "1 objection" / "2 objections", not "objection(s)"."""
    _, table = _source_and_table(module_name)
    hedged = {key: part.en for key, part in table.parts.items() if "(s)" in part.en}
    assert not hedged
