"""Vocabularies defined once: the product's name lives in app.config and reaches every prompt from there."""

import ast
from pathlib import Path

from jinja2 import DictLoader, Environment, StrictUndefined

import app
from app.config import PRODUCT_NAME
from app.llm import prompts

APP_DIR = Path(app.__file__).parent


def string_literals(path: Path) -> list[str]:
    """The module's string constants, docstrings left out (they may name the product)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_the_product_name_is_spelled_only_in_config():
    spelled = [
        str(path.relative_to(APP_DIR))
        for path in sorted(APP_DIR.rglob("*.py"))
        if any(name in literal for literal in string_literals(path) for name in PRODUCT_NAME.values())
    ]
    assert spelled == ["config.py"]


def test_prompts_get_the_product_name_without_each_caller_passing_it(monkeypatch):
    environment = Environment(loader=DictLoader({"probe.j2": "{{ product_name }}"}), undefined=StrictUndefined)
    monkeypatch.setattr(prompts, "_environment", lambda: environment)
    assert prompts.render_prompt("probe") == PRODUCT_NAME["zh"]
    assert prompts.render_prompt("probe", product_name=PRODUCT_NAME["en"]) == "Sales Coach"
