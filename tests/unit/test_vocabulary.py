"""Vocabularies defined once: the product's name lives in app.config and reaches every prompt from there; every
set of codes (languages, SPIN letters and categories, 5K dimensions, difficulties, ...) is a Literal in one module
and imported elsewhere, never spelled again."""

import ast
import re
from collections import Counter
from pathlib import Path

from jinja2 import DictLoader, Environment, StrictUndefined

import app
from app.coaching.spin import SPIN_LABELS
from app.config import PRODUCT_NAME
from app.llm import prompts
from app.playbook.vocabulary import CATEGORY_LETTER, LETTER_CATEGORY, SPIN_CATEGORIES, SPIN_LETTERS

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


# Sets of words that happen to match a vocabulary defined elsewhere but name something else.
NOT_A_RESPELLING = {
    # the order ties between the classifier's labels are broken in, not the label set
    ("coaching/spin.py", frozenset({"S", "P", "I", "N", "other"})),
    # who read or voiced a role-play turn, not the Ask page's answering mode
    ("roleplay/feedback.py", frozenset({"offline", "llm"})),
    ("roleplay/scripted_buyer.py", frozenset({"offline", "llm"})),
}
CODE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


def _strings(nodes: list[ast.expr]) -> frozenset[str] | None:
    if len(nodes) > 1 and all(isinstance(node, ast.Constant) and isinstance(node.value, str) for node in nodes):
        return frozenset(node.value for node in nodes if isinstance(node, ast.Constant))
    return None


def _literal_members(node: ast.AST) -> list[ast.expr] | None:
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "Literal":
        return list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
    return None


def _spelled_sets(tree: ast.AST) -> list[tuple[int, frozenset[str]]]:
    """Every Literal[...], tuple, list or set of two or more strings, and both sides of a one-to-one code mapping."""
    found = []
    literal_slices = {id(node.slice) for node in ast.walk(tree) if _literal_members(node) is not None}
    for node in ast.walk(tree):
        members = _literal_members(node)
        if members is None and isinstance(node, (ast.Tuple, ast.List, ast.Set)) and id(node) not in literal_slices:
            members = node.elts
        if members is not None and (words := _strings(members)):
            found.append((node.lineno, words))
        # A table keyed by a vocabulary is fine; one code to another, one to one, re-spells a mapping.
        if isinstance(node, ast.Dict) and all(key is not None for key in node.keys):
            keys, values = _strings([key for key in node.keys if key is not None]), _strings(node.values)
            if keys and values and len(values) == len(node.values) and all(CODE.match(word) for word in keys | values):
                found += [(node.lineno, keys), (node.lineno, values)]
    return found


def _vocabularies(trees: dict[str, ast.Module]) -> dict[frozenset[str], str]:
    """Module-level `Name = Literal[...]` aliases: each is the home of its set of words."""
    homes: dict[frozenset[str], str] = {}
    for path, tree in trees.items():
        for node in tree.body:
            value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
            members = _literal_members(value) if value is not None else None
            words = _strings(members) if members else None
            if words:
                assert words not in homes, f"{sorted(words)} is a Literal in both {homes[words]} and {path}"
                homes[words] = path
    return homes


def test_each_vocabulary_is_spelled_only_in_its_home_module():
    trees = {
        str(path.relative_to(APP_DIR)): ast.parse(path.read_text(encoding="utf-8")) for path in APP_DIR.rglob("*.py")
    }
    homes = _vocabularies(trees)
    assert {"i18n.py", "playbook/vocabulary.py", "roleplay/scenarios.py"} <= set(homes.values())
    respelled = sorted(
        f"{path}:{line} spells {sorted(words)} (defined in {homes[words]})"
        for path, tree in trees.items()
        for line, words in _spelled_sets(tree)
        if words in homes and path != homes[words] and (path, words) not in NOT_A_RESPELLING
    )
    assert respelled == []
    twice = sorted(
        f"{path} spells {sorted(words)} {count} times"
        for path, tree in trees.items()
        for words, count in Counter(words for _, words in _spelled_sets(tree) if homes.get(words) == path).items()
        if count > 1 and (path, words) not in NOT_A_RESPELLING
    )
    assert twice == []  # in its home too: a tuple of the words is get_args(TheLiteral)


def test_the_vocabulary_check_finds_a_respelled_set():
    tree = ast.parse(
        'LETTERS = ("S", "P", "I", "N")\nNAMES = {"situation": "S", "problem": "P"}\nx: Literal["zh", "en"]'
    )
    assert {words for _, words in _spelled_sets(tree)} >= {
        frozenset("SPIN"),
        frozenset({"S", "P"}),
        frozenset({"situation", "problem"}),
        frozenset({"zh", "en"}),
    }


def test_spin_letters_and_categories_map_one_to_one():
    assert [LETTER_CATEGORY[CATEGORY_LETTER[category]] for category in SPIN_CATEGORIES] == list(SPIN_CATEGORIES)
    assert SPIN_LABELS == (*SPIN_LETTERS, "other")
