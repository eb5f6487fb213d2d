"""Pydantic's validation errors as messages for people, in the reader's language.

Pydantic writes its errors in English from templates keyed by the error's `type`; the Chinese
catalog holds one entry per type (`pydantic:<type>`, a test checks every type Pydantic has). A
`ValueError` raised by one of our validators carries its own message (`msg(...)` or a catalogued text).
"""

from __future__ import annotations

import re
from typing import Any, get_args

from pydantic_core import ErrorDetails
from pydantic_core.core_schema import ErrorType

from app.core.i18n import Message

KNOWN_TYPES: frozenset[str] = frozenset(get_args(ErrorType))
PYDANTIC_KEY_PREFIX = "pydantic:"
_OWN_MESSAGE_TYPES = {"value_error", "assertion_error"}
_CHOICE_TYPES = {"enum", "literal_error"}
_LIST_SEPARATORS = re.compile(r", | or ")
NOTE_KEY = "'{value}': {note}"


def validation_message(error: ErrorDetails) -> Message:
    kind = error["type"]
    context: dict[str, Any] = dict(error.get("ctx") or {})
    if kind in _OWN_MESSAGE_TYPES:
        return _own_message(context.get("error"), error["msg"])
    if kind not in KNOWN_TYPES:
        return Message(error["msg"])  # a custom error type: its text, catalogued or as it is
    # English is Pydantic's own rendering; other languages format the catalog's entry for the type
    # with the error's context (the limit, the allowed values).
    fields = {name: _plain(value) for name, value in context.items()}
    if "expected" in fields and kind in _CHOICE_TYPES:  # "'a', 'b' or 'c'" lists in Chinese with 、
        fields["expected"] = _LIST_SEPARATORS.sub("、", str(fields["expected"]))
    return Message(_literal(error["msg"]), fields, key=PYDANTIC_KEY_PREFIX + kind)


def with_note(error: ErrorDetails, value: str, note: str) -> Message:
    """A pattern error explained by a column's note (Chinese, as the import template is): in Chinese
    the value and the note; in English the value and Pydantic's own words."""
    english = f"'{_literal(value)}': {_literal(error['msg'])}"
    return Message(english, {"value": value, "note": note}, key=NOTE_KEY)


def _literal(text: str) -> str:
    """`text` as a template that formats to itself (braces in a pattern or a value are not fields)."""
    return text.replace("{", "{{").replace("}", "}}")


def _plain(value: Any) -> Any:
    return value if isinstance(value, bool | int | float | str) else str(value)


def _own_message(raised: object, fallback: str) -> Message:
    if isinstance(raised, BaseException) and raised.args:
        first = raised.args[0]
        return first if isinstance(first, Message) else Message(str(first))
    return Message(fallback.removeprefix("Value error, "))
