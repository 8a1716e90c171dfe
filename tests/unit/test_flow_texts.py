"""The flow results' sentences are data (playbooks/flows/results/<flow_id>.yaml): every key a result module asks for
exists, gets every placeholder its template names, and no text in the files goes unused."""

import ast
from pathlib import Path

import pytest

from app.flows.definitions import FLOW_IDS
from app.flows.results import texts
from app.flows.results.texts import FlowTextError, FlowTexts, flow_texts, placeholders

RESULTS_DIR = Path(texts.__file__).parent


def _keys(node: ast.expr, known: set[str]) -> set[str]:
    """The text keys a call's first argument can name: a literal, or every key an f-string's fixed head starts."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        head = str(node.values[0].value)
        return {key for key in known if key.startswith(head)}
    return set()


def _given(call: ast.Call, dicts: dict[str, set[str]]) -> set[str]:
    """The placeholder values a call passes: its keywords, and the keys of a dict literal it spreads with **."""
    names = set()
    for keyword in call.keywords:
        if keyword.arg is not None:
            names.add(keyword.arg)
        elif isinstance(keyword.value, ast.Name):
            names |= dicts.get(keyword.value.id, set())
    return names


def text_uses(source: str, flow: FlowTexts) -> list[tuple[str, str, set[str]]]:
    """(kind, key, placeholders given) for every TEXTS.message / TEXTS.part call in a flow module's source; a call
    whose key is a parameter of the function around it is counted at each call of that function with a literal key."""
    tree = ast.parse(source)
    known = {"message": set(flow.messages), "part": set(flow.parts)}
    dicts = {
        target.id: {key.value for key in node.value.keys if isinstance(key, ast.Constant)}
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    wrappers: dict[str, tuple[str, set[str]]] = {}  # function name -> (kind, placeholders its TEXTS call gives)
    uses = []
    for function in (node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)):
        parameters = {argument.arg for argument in function.args.args}
        for call in (node for node in ast.walk(function) if isinstance(node, ast.Call)):
            func = call.func
            if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "TEXTS"):
                continue
            first = call.args[0]
            if isinstance(first, ast.Name) and first.id in parameters:
                wrappers[function.name] = (func.attr, _given(call, dicts))
            uses += [(func.attr, key, _given(call, dicts)) for key in _keys(first, known[func.attr])]
    module_level = [node for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))]
    for node in module_level:  # e.g. VERDICT_NAMES = {v: TEXTS.part(f"verdict.{v}") ...}
        for call in (sub for sub in ast.walk(node) if isinstance(sub, ast.Call)):
            func = call.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "TEXTS":
                uses += [(func.attr, key, _given(call, dicts)) for key in _keys(call.args[0], known[func.attr])]
    for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call)):
        if isinstance(call.func, ast.Name) and call.func.id in wrappers and call.args:
            kind, given = wrappers[call.func.id]
            uses += [(kind, key, given) for key in _keys(call.args[0], known[kind])]
    return uses


def _source(flow_id: str) -> str:
    return (RESULTS_DIR / f"{flow_id}.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("flow_id", FLOW_IDS)
def test_every_text_asked_for_exists_and_gets_its_placeholders(flow_id):
    flow = flow_texts(flow_id)
    uses = text_uses(_source(flow_id), flow)
    assert uses, f"{flow_id}.py asks for no texts"
    for kind, key, given in uses:
        table = flow.messages if kind == "message" else flow.parts
        assert key in table, f"{flow_id}.py asks for {kind} {key!r}, not in playbooks/flows/results/{flow_id}.yaml"
        missing = table[key].placeholders() - given
        assert not missing, f"{flow_id}: {kind} {key!r} names {sorted(missing)}, which the code does not pass"


@pytest.mark.parametrize("flow_id", FLOW_IDS)
def test_no_text_goes_unused(flow_id):
    flow = flow_texts(flow_id)
    used = {(kind, key) for kind, key, _ in text_uses(_source(flow_id), flow)}
    unused = {("message", key) for key in flow.messages} | {("part", key) for key in flow.parts}
    assert sorted(unused - used) == []


def test_the_check_sees_a_missing_placeholder():
    source = 'def f():\n    return TEXTS.message("hello", [], name="x")\n'
    flow = FlowTexts.model_validate({"messages": {"hello": {"zh": "{name}你好{time}", "en": "Hi {name}"}}})
    [(kind, key, given)] = text_uses(source, flow)
    assert (kind, key) == ("message", "hello")
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
