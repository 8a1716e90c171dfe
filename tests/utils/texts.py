"""Which keys of a text table (app/playbook/texts.py) a module's source asks for, read from its AST: every
`TEXTS.message` / `TEXTS.part` / `TEXTS.label` call, with the placeholder values it passes."""

from __future__ import annotations

import ast

from app.playbook.texts import Texts

TABLE_OF = {"message": "messages", "part": "parts", "label": "parts"}  # TEXTS method -> the table it reads


def _keys(node: ast.expr, known: set[str]) -> set[str]:
    """The text keys a call's first argument can name: a literal, either branch of `a if c else b`, or every key an
    f-string's fixed head starts."""
    if isinstance(node, ast.IfExp):
        return _keys(node.body, known) | _keys(node.orelse, known)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        head = str(node.values[0].value)
        return {key for key in known if key.startswith(head)}
    return set()


def _is_text_call(func: ast.expr) -> bool:
    """TEXTS.message / .part / .label (TEXTS is the name every module gives its table)."""
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "TEXTS"
        and func.attr in TABLE_OF
    )


def _given(call: ast.Call, dicts: dict[str, set[str]]) -> set[str]:
    """The placeholder values a call passes: its keywords, and the keys of a dict literal it spreads with **."""
    names = set()
    for keyword in call.keywords:
        if keyword.arg is not None:
            names.add(keyword.arg)
        elif isinstance(keyword.value, ast.Name):
            names |= dicts.get(keyword.value.id, set())
    return names


def text_uses(source: str, table: Texts) -> list[tuple[str, str, set[str]]]:
    """(table, key, placeholders given) for every TEXTS.message / .part / .label call in a module's source; a call
    whose key is a parameter of the function around it is counted at each call of that function with a literal key."""
    tree = ast.parse(source)
    known = {method: set(getattr(table, name, {})) for method, name in TABLE_OF.items()}
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
            if not (_is_text_call(func) and isinstance(func, ast.Attribute)):
                continue
            first = call.args[0]
            if isinstance(first, ast.Name) and first.id in parameters:
                wrappers[function.name] = (func.attr, _given(call, dicts))
            uses += [(TABLE_OF[func.attr], key, _given(call, dicts)) for key in _keys(first, known[func.attr])]
    module_level = [node for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))]
    for node in module_level:  # e.g. VERDICT_NAMES = {v: TEXTS.part(f"verdict.{v}") ...}
        for call in (sub for sub in ast.walk(node) if isinstance(sub, ast.Call)):
            func = call.func
            if _is_text_call(func) and isinstance(func, ast.Attribute):
                uses += [
                    (TABLE_OF[func.attr], key, _given(call, dicts)) for key in _keys(call.args[0], known[func.attr])
                ]
    for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call)):
        if isinstance(call.func, ast.Name) and call.func.id in wrappers and call.args:
            kind, given = wrappers[call.func.id]
            uses += [(TABLE_OF[kind], key, given) for key in _keys(call.args[0], known[kind])]
    return uses


def missing_texts(source: str, table: Texts, where: str) -> list[str]:
    """Keys the source asks for that the table lacks, and placeholders a template names that the call leaves out."""
    problems = []
    for name, key, given in text_uses(source, table):
        entries = getattr(table, name)
        if key not in entries:
            problems.append(f"the code asks for {name} {key!r}, not in {where}")
        elif missing := entries[key].placeholders() - given:
            problems.append(f"{where}: {name} {key!r} names {sorted(missing)}, which the code does not pass")
    return problems


def unused_texts(source: str, table: Texts) -> list[tuple[str, str]]:
    """(table, key) of every text the source never asks for."""
    used = {(name, key) for name, key, _ in text_uses(source, table)}
    every = {(name, key) for name in set(TABLE_OF.values()) for key in getattr(table, name, {})}
    return sorted(every - used)
