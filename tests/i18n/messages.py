"""Finds the messages for people written in app/: what the Chinese catalog must cover.

A message is the text given to `msg(...)`, to a DomainError (and its subclasses) as its detail, to
`ValueError` in a schema or cell validator, to `CellError`/`RowError` as their message, and a
DomainError subclass's `title`. An f-string in those places is a finding of its own: its words could
not be looked up in a catalog (write `msg("... {name} ...", name=...)` instead).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"

# Where a ValueError's message reaches people (a 422's `errors`, an import's row errors); elsewhere
# (settings, worker registration, the command line's set-up checks) it is a message for operators.
_PEOPLE_FACING_VALUE_ERRORS = ("schemas.py", "columns.py", "cells.py", "security.py")
# Message argument position of the constructors that take a message but are not DomainErrors.
_MESSAGE_POSITION = {"msg": 0, "term": 0, "CellError": 1, "RowError": 3, "problem_response": 4}


@dataclass(frozen=True)
class Found:
    path: Path
    line: int
    text: str | None  # None: an f-string or other expression that is not a plain literal

    def where(self) -> str:
        return f"{self.path.relative_to(APP.parent)}:{self.line}"


def domain_error_classes(files: list[Path]) -> set[str]:
    """Names of DomainError and every class deriving from it (by name, across app/)."""
    bases: dict[str, set[str]] = {}
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases[node.name] = {_name(base) for base in node.bases}
    found = {"DomainError"}
    changed = True
    while changed:
        changed = False
        for name, parents in bases.items():
            if name not in found and parents & found:
                found.add(name)
                changed = True
    return found


def messages() -> Iterator[Found]:
    files = sorted(path for path in APP.rglob("*.py") if "locales" not in path.parts)
    errors = domain_error_classes(files)
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and {_name(b) for b in node.bases} & errors:
                yield from _titles(path, node)
            if isinstance(node, ast.Call):
                argument = _message_argument(node, path, errors)
                if argument is not None:
                    yield _found(path, argument)


def _titles(path: Path, node: ast.ClassDef) -> Iterator[Found]:
    """An error class's title, and the detail its __init__ hands to super().__init__."""
    for statement in node.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target: ast.expr = statement.targets[0]
            value: ast.expr | None = statement.value
        elif isinstance(statement, ast.AnnAssign):
            target, value = statement.target, statement.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id == "title" and value is not None:
            yield _found(path, value)
    for call in ast.walk(node):
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "__init__"
            and isinstance(call.func.value, ast.Call)
            and _name(call.func.value.func) == "super"
            and call.args
        ):
            yield _found(path, call.args[0])


def _message_argument(node: ast.Call, path: Path, errors: set[str]) -> ast.expr | None:
    name = _name(node.func)
    if name in errors:
        keyword = next((k.value for k in node.keywords if k.arg == "detail"), None)
        return keyword if keyword is not None else (node.args[0] if node.args else None)
    if name == "ValueError" and path.name in _PEOPLE_FACING_VALUE_ERRORS:
        return node.args[0] if node.args else None
    position = _MESSAGE_POSITION.get(name)
    if position is not None and len(node.args) > position:
        return node.args[position]
    return None


def _found(path: Path, node: ast.expr) -> Found:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return Found(path, node.lineno, node.value)
    if isinstance(node, ast.JoinedStr | ast.BinOp):
        return Found(path, node.lineno, None)  # words assembled in place: no catalog can hold them
    # A msg(...) call, a message made elsewhere (a name, a call, a choice between two msg calls):
    # the calls that make it are found on their own.
    return Found(path, node.lineno, "")


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""
