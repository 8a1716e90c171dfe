"""Routes stay thin: a service's AppError reaches the one mapping in app.main; no route re-raises it as HTTP."""

import ast
import importlib
import pkgutil
from pathlib import Path

import app
from app.errors import AppError

APP_DIR = Path(app.__file__).parent


def app_error_names() -> set[str]:
    for module in pkgutil.walk_packages([str(APP_DIR)], prefix="app."):
        if not module.name.startswith(("app.api", "app.web", "app.main")):
            importlib.import_module(module.name)
    names, todo = set(), [AppError]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return names


def caught_names(handler: ast.ExceptHandler) -> set[str]:
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return {kind.attr if isinstance(kind, ast.Attribute) else getattr(kind, "id", "") for kind in kinds}


def reraised_as_http(handler: ast.ExceptHandler) -> bool:
    for node in ast.walk(ast.Module(body=handler.body, type_ignores=[])):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            func = node.exc.func
            if getattr(func, "id", getattr(func, "attr", "")) == "HTTPException":
                return True
    return False


def test_no_route_translates_a_service_error_into_an_http_error():
    service_errors = app_error_names()
    assert {"RolePlayError", "LibraryError", "UserRequestError", "DocumentError", "AnswerError"} <= service_errors
    offenders = []
    for path in sorted([*(APP_DIR / "api").glob("*.py"), *(APP_DIR / "web").glob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                if caught_names(node) & service_errors and reraised_as_http(node):
                    offenders.append(f"{path.relative_to(APP_DIR)}:{node.lineno}")
    assert offenders == []
