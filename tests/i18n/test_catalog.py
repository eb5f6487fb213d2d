"""The Chinese catalog covers every message the code writes, with the same fields as its template."""

from __future__ import annotations

import re
from typing import get_args

import pytest
from pydantic_core import PydanticKnownError
from pydantic_core.core_schema import ErrorType

from app.core.i18n import Language, Message, fields_of, msg, negotiate, render
from app.core.locales.zh import MESSAGES
from app.core.validation_text import PYDANTIC_KEY_PREFIX
from tests.i18n.messages import messages

_HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_message_in_the_code_is_a_literal_template() -> None:
    assembled = [found.where() for found in messages() if found.text is None]
    assert assembled == [], "write msg('... {name} ...', name=...) instead of an f-string"


def test_every_message_in_the_code_has_a_chinese_entry() -> None:
    missing = sorted({found.text for found in messages() if found.text and found.text not in MESSAGES})
    assert missing == []


def test_a_chinese_entry_names_the_fields_of_its_template() -> None:
    mismatched = {
        template: text
        for template, text in MESSAGES.items()
        if not template.startswith(PYDANTIC_KEY_PREFIX) and fields_of(template) != fields_of(text)
    }
    assert mismatched == {}


def test_every_chinese_entry_reads_in_chinese() -> None:
    words = {template: re.sub(r"\{\w+\}", "", template) for template in MESSAGES}
    untranslated = [
        t for t, text in MESSAGES.items() if re.search("[A-Za-z]", words[t]) and not _HAN.search(text)
    ]
    assert untranslated == []


def _pydantic_template(kind: str) -> str:
    """Pydantic's English template of an error type, with the context keys it needs filled in."""
    context: dict[str, object] = {}
    for _ in range(10):
        try:
            return PydanticKnownError(kind, context or None).message_template  # type: ignore[arg-type]
        except TypeError as refused:  # "Enum: 'expected' required in context", "... must be a String"
            name = re.findall(r"'(\w+)'", str(refused))[0]
            context[name] = 1 if context.get(name) == "x" else "x"  # the other type, if it was wrong
    raise AssertionError(f"no template for {kind}")


@pytest.mark.parametrize("kind", get_args(ErrorType))
def test_every_pydantic_error_type_has_a_chinese_entry_with_its_context(kind: str) -> None:
    text = MESSAGES.get(PYDANTIC_KEY_PREFIX + kind)
    assert text is not None
    # Pydantic derives a few fields (plurals) from the context; the entry uses only context fields.
    assert fields_of(text) <= fields_of(_pydantic_template(kind)) | {"actual_length", "tag", "expected_tags"}


def test_a_message_renders_in_either_language_and_survives_storage() -> None:
    message = msg("No {kind} {listing_id}", kind=Message("demand"), listing_id=7)
    assert message.render(Language.ZH) == "未找到需求 7"
    assert message.render(Language.EN) == "No demand 7"
    assert str(message) == "No demand 7"  # logs and exceptions read English
    stored = Message.from_stored(message.stored())
    assert stored.render(Language.ZH) == "未找到需求 7"
    assert Message.from_stored(msg("Version {current} is missing", current=3).stored_text()).render(
        Language.ZH
    ) == ("第 3 版不存在")
    assert render("Not found", Language.ZH) == "未找到"
    assert render("a text no catalog knows", Language.ZH) == "a text no catalog knows"


def test_a_catalog_entry_out_of_step_with_its_fields_never_fails() -> None:
    assert msg("No {kind} {listing_id}", kind="x").render(Language.ZH) == "No {kind} {listing_id}"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, Language.ZH),
        ("", Language.ZH),
        ("en", Language.EN),
        ("en-US,en;q=0.9", Language.EN),
        ("zh-CN,zh;q=0.9,en;q=0.8", Language.ZH),
        ("fr-FR, en;q=0.5", Language.EN),
        ("fr-FR", Language.ZH),
        ("en;q=0, zh;q=0.1", Language.ZH),
        ("en;q=0.3, zh-TW;q=0.8", Language.ZH),
        ("*", Language.ZH),
        ("en;q=bogus", Language.ZH),
    ],
)
def test_the_request_language_is_the_supported_one_the_client_prefers(
    header: str | None, expected: Language
) -> None:
    assert negotiate(header, Language.ZH) is expected


def test_without_a_preference_the_deployment_language_is_used() -> None:
    assert negotiate("fr", Language.EN) is Language.EN
    assert negotiate(None, Language.EN) is Language.EN
