"""Labels and sentences shown to users are data under playbooks/ (app/playbook/texts.py): for each module that reads
a text table, every key it asks for exists and gets every placeholder its template names, no text goes unused,
and a broken file names the file and the field."""

import importlib
import inspect
from pathlib import Path

import pytest

from app.config import REPO_ROOT
from app.playbook.texts import TextError, Texts, load_texts
from tests.utils.texts import missing_texts, text_uses, unused_texts

MODULES = ["app.flows.notes", "app.flows.engine", "app.flows.definitions"]


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
    files = {path.relative_to(REPO_ROOT) for path in (REPO_ROOT / "playbooks" / "flows" / "texts").glob("*.yaml")}
    sources = "".join(inspect.getsource(importlib.import_module(name)) for name in MODULES)
    assert files and all(Path(file).name in sources for file in files)
