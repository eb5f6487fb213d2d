"""Messages for people, in Chinese by default and in English on request.

Code writes a message once, in English, as a template with named fields: `msg("No demand {number}",
number=...)`. The English template is also the key of the Chinese catalog (`app.core.locales.zh`),
the way gettext keys catalogs by msgid; a test fails if a template used in the code has no Chinese
entry, or if the two disagree on their fields. A message stays a `Message` (template and fields) until
it is shown, so a stored one (an import's row errors) is shown in the language of whoever reads it.

The language of a request is chosen once, by `LanguageMiddleware`, from `Accept-Language` among the
supported ones, falling back to the deployment's `TECHTRANSFER_LANGUAGE` (default zh).
"""

from __future__ import annotations

import contextlib
import json
import string
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from app.core.locales.zh import MESSAGES as ZH_MESSAGES


class Language(StrEnum):
    ZH = "zh"
    EN = "en"


DEFAULT_LANGUAGE = Language.ZH
# Content-Language values (RFC 5646) of the languages messages are written in.
CONTENT_LANGUAGE = {Language.ZH: "zh-CN", Language.EN: "en"}

_current: ContextVar[Language] = ContextVar("language", default=DEFAULT_LANGUAGE)


def current_language() -> Language:
    return _current.get()


def set_language(language: Language) -> None:
    """The language of what this task shows from now on (a request, a command-line run)."""
    _current.set(language)


def negotiate(accept_language: str | None, default: Language) -> Language:
    """The supported language the client prefers most (RFC 9110 12.5.4), else `default`."""
    best: tuple[float, int] | None = None
    chosen = default
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = _quality(params)
        language = _supported(tag.strip())
        if language is None or quality <= 0:
            continue
        rank = (quality, -position)
        if best is None or rank > best:
            best, chosen = rank, language
    return chosen


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


def _supported(tag: str) -> Language | None:
    primary = tag.lower().split("-", 1)[0]
    try:
        return Language(primary)
    except ValueError:
        return None


def _catalog(language: Language) -> Mapping[str, str]:
    return {} if language is Language.EN else ZH_MESSAGES


@dataclass(frozen=True, slots=True)
class Message:
    """A message for people: an English template (the catalog key) and its fields."""

    template: str
    params: Mapping[str, Any] = field(default_factory=dict)
    # The catalog key when it is not the template itself (a validation error's type, whose English
    # template belongs to Pydantic).
    key: str | None = None

    def render(self, language: Language | None = None) -> str:
        language = language or current_language()
        template = _catalog(language).get(self.key or self.template, self.template)
        values = {name: _shown(value, language) for name, value in self.params.items()}
        try:
            return template.format_map(values)
        except (KeyError, IndexError, ValueError):
            return self.template  # a catalog entry out of step with its template: never a 500

    def __str__(self) -> str:
        return self.render(Language.EN)

    def stored(self) -> dict[str, Any]:
        """A JSON-safe form that `Message.from_stored` turns back into the message."""
        stored = {"template": self.template, "params": {k: _storable(v) for k, v in self.params.items()}}
        return stored | ({"key": self.key} if self.key else {})

    def stored_text(self) -> str:
        """`stored()` as JSON, for a text column."""
        return json.dumps(self.stored(), ensure_ascii=False)

    @classmethod
    def from_stored(cls, value: object) -> Message:
        if isinstance(value, Message):
            return value
        if isinstance(value, str) and value.startswith('{"template"'):
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        if isinstance(value, Mapping) and isinstance(value.get("template"), str):
            params, key = value.get("params"), value.get("key")
            fields = {
                name: cls.from_stored(field) if isinstance(field, Mapping) else field
                for name, field in (params.items() if isinstance(params, Mapping) else ())
            }
            return cls(value["template"], fields, key if isinstance(key, str) else None)
        return cls(str(value))  # stored before messages were kept as templates


def msg(template: str, **params: Any) -> Message:
    return Message(template, params)


Text = str | Message


def render(text: Text, language: Language | None = None) -> str:
    """A message, or plain text that may be a catalog key, in `language` (the current one if None)."""
    if isinstance(text, Message):
        return text.render(language)
    return Message(text).render(language)


def shown(value: object) -> str:
    """A message as given or as stored (`Message.stored`, `stored_text`, or catalogued plain text),
    in the current language: the validator of response fields that carry messages."""
    return Message.from_stored(value).render()


def fields_of(template: str) -> set[str]:
    """The named fields of a template, e.g. {"number"} for "No demand {number}"."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _shown(value: Any, language: Language) -> Any:
    """A field's value as it reads in `language`: messages rendered, labelled enums by their label."""
    if isinstance(value, Message):
        return value.render(language)
    label = getattr(value, "label", None)
    if isinstance(label, str) and language is Language.ZH:
        return label
    if isinstance(value, StrEnum):
        return value.value
    return value


def _storable(value: Any) -> Any:
    if isinstance(value, Message):
        return value.stored()
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, StrEnum):
        return value.value
    return str(value)


def term(word: str) -> Message:
    """A catalogued word given as a field of a message (a kind's name such as `demand`), so that it
    reads in the message's language too."""
    return Message(word)
