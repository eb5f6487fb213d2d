"""Base schemas and shared annotated types (credit code, mobile number, e-mail)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Self

from annotated_types import Interval
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from app.core.i18n import shown
from app.core.identifiers import PHONE_PATTERN, is_valid_credit_code, normalize_phone


class InputModel(BaseModel):
    """Request bodies: unknown fields are refused (422), so server-owned fields cannot be mass-assigned."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_nul(cls, value: Any) -> Any:
        # PostgreSQL cannot store U+0000 in text: refuse it here as a 422, not later as a 500.
        if _has_nul(value):
            raise ValueError("must not contain NUL (U+0000) characters")
        return value

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(core_schema)
        for field_schema in handler.resolve_ref_schema(json_schema).get("properties", {}).values():
            _declare_text_rules(field_schema)
        return json_schema


# What stripping removes (Unicode White_Space), spelled out: \s means different things to different
# regex engines (Python's, Rust's in pydantic-core, and ECMAScript's in JSON Schema tools).
_SPACE = r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
NO_NUL_PATTERN = r"^[^\x00]*$"
NOT_BLANK_PATTERN = rf"^[^\x00]*[^\x00{_SPACE}][^\x00]*$"


def stripped_length_pattern(min_length: int) -> str:
    """No NUL, and at least `min_length` (>= 2) characters left once stripped: two non-space characters
    at least that far apart. Declare it on stripped text with a min_length above 1, whose schema would
    otherwise let " x" pass for two characters."""
    return rf"^[^\x00]*[^\x00{_SPACE}][^\x00]{{{min_length - 2},}}[^\x00{_SPACE}][^\x00]*$"


def _declare_text_rules(schema: dict[str, Any]) -> None:
    """Say in the schema what the validators enforce on free text: no NUL, and (for required text,
    which is stripped first) not blank. Strings with a pattern, format or enum say it themselves."""
    for alternative in schema.get("anyOf", []):
        _declare_text_rules(alternative)
    if isinstance(schema.get("items"), dict):
        _declare_text_rules(schema["items"])
    if schema.get("type") == "string" and not {"pattern", "format", "enum", "const"} & schema.keys():
        schema["pattern"] = _text_pattern(int(schema.get("minLength", 0)))


def _text_pattern(min_length: int) -> str:
    """What a stripped text of at least `min_length` characters looks like before it is stripped:
    without it, ", " would pass a schema's minLength 2 and fail the check (one character left)."""
    if min_length >= 2:
        return stripped_length_pattern(min_length)
    return NOT_BLANK_PATTERN if min_length == 1 else NO_NUL_PATTERN


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set | frozenset):
        return any(_has_nul(item) for item in value)
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    return False


class EmptyBody(InputModel):
    """The body of an action that takes no fields: any field sent is refused (422), never ignored."""


class OutputModel(BaseModel):
    """Response bodies. Every field is always sent, defaulted ones too, so the OpenAPI document lists
    them all as required (`json_schema_serialization_defaults_required`): generated clients read
    them without checking for absence. (Defaulted fields of request bodies stay optional.)"""

    model_config = ConfigDict(from_attributes=True, json_schema_serialization_defaults_required=True)

    @classmethod
    def read(cls, source: object, **extra: Any) -> Self:
        """`source` (a stored row) as this model, with `extra` fields the row does not hold: the names
        of what its ids point to (an organization's, a region's), looked up for a whole page at once."""
        values = {
            name: getattr(source, name)
            for name in cls.model_fields
            if name not in extra and hasattr(source, name)
        }
        return cls.model_validate({**values, **extra})


# The extension key under which a request schema states, as JSON Schema, the rules its validators
# enforce across fields ("industry, theme, or both"). Top-level anyOf/allOf/if/not beside
# `properties` is what client generators mistranslate (openapi-python-client made PackageCreate a
# union of {industry} and {theme} without `title`), so the rules live under a key that generators
# skip; the description says them in words, and the Schemathesis tests lift them back into the
# schema to generate valid data (tests/test_api_schema.py).
CROSS_FIELD_RULES = "x-cross-field-rules"


def cross_field_rules(*rules: dict[str, Any]) -> ConfigDict:
    """The model_config of a request schema whose validators enforce `rules` (JSON Schemas that all
    hold)."""
    return ConfigDict(json_schema_extra={CROSS_FIELD_RULES: list(rules)})


def _check_credit_code(value: str) -> str:
    code = value.upper()
    if not is_valid_credit_code(code):
        raise ValueError("not a valid unified social credit code (GB 32100-2015 check character)")
    return code


def _check_phone(value: str) -> str:
    number = normalize_phone(value)
    if number is None:
        raise ValueError(
            "not a phone number: a mainland mobile (13812345678, +86 13812345678) or a landline "
            "with its area code (0518-85427978, extension -123)"
        )
    return number


# The patterns are also declared in the OpenAPI schema, so clients (and generated tests) know what passes.
# Printable ASCII: explicit ranges mean the same to every regex engine (\s does not).
_EMAIL_PATTERN = r"^[!-?A-~]{1,64}@[!-?A-~]+\.[!-?A-~]+$"
_EMAIL = re.compile(_EMAIL_PATTERN)
# Structure only; the check character (GB 32100) cannot be said in JSON Schema, hence the named format.
CREDIT_CODE_PATTERN = r"^[1-9ANYany][0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{17}$"
CREDIT_CODE_FORMAT = "unified-social-credit-code"


def _check_email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError("not an e-mail address")
    return value.lower()


CreditCode = Annotated[
    str,
    StringConstraints(min_length=18, max_length=18, strip_whitespace=True, pattern=CREDIT_CODE_PATTERN),
    AfterValidator(_check_credit_code),
    Field(json_schema_extra={"format": CREDIT_CODE_FORMAT}),
]
# Stored as 13812345678 or 0518-85427978[-123]; shown masked to readers other than the owner.
# The pattern is the check's own (app.core.identifiers), declared for clients; the check runs it
# itself so that a refusal says in words what passes instead of quoting a regular expression.
PhoneNumber = Annotated[
    str,
    StringConstraints(max_length=30),
    AfterValidator(_check_phone),
    Field(json_schema_extra={"pattern": PHONE_PATTERN, "examples": ["13812345678", "0518-85427978"]}),
]
Email = Annotated[
    str,
    StringConstraints(max_length=254, strip_whitespace=True, pattern=_EMAIL_PATTERN),
    AfterValidator(_check_email),
]
# Ids are BIGINT, but JSON clients (JavaScript) count exactly only to 2^53 - 1; a larger number
# names nothing and would overflow the database driver (a 500) past 2^63 - 1.
MAX_ID = 2**53 - 1


def _not_a_boolean(value: object) -> object:
    # Lax pydantic reads true as 1, i.e. as some object's id. (Strings stay allowed: path and query
    # parameters arrive as text.)
    if isinstance(value, bool):
        raise ValueError("expected an id, not a boolean")
    return value


EntityId = Annotated[int, Interval(ge=1, le=MAX_ID), BeforeValidator(_not_a_boolean)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
# Never stripped: sign-in compares the password exactly as typed.
Password = Annotated[str, StringConstraints(min_length=10, max_length=128, strip_whitespace=False)]


def _number_only(value: object) -> object:
    # JSON Schema's integer includes 12.0, so a whole float passes (and becomes an int); a fraction
    # still fails. Booleans and strings are refused rather than coerced.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("expected a whole number")
    return value


# Put after the bounds (Annotated[int, Interval(...), WHOLE_NUMBER_ONLY]): placed before them, it would
# hide them from the JSON Schema (which then says `ge`, not `minimum`).
WHOLE_NUMBER_ONLY = BeforeValidator(_number_only)
# Money is integer fen, at most 2^53 - 1 (what JSON clients count exactly).
Fen = Annotated[int, Interval(ge=0, le=MAX_ID), WHOLE_NUMBER_ONLY]


_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _date_text_only(value: object) -> object:
    # Lax pydantic would read 0 (or "0") as 1970-01-01; a calendar date arrives as "YYYY-MM-DD".
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DAY.match(value):
        raise ValueError("expected a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_date_text_only), Field(json_schema_extra={"format": "date"})]


def _datetime_text_only(value: object) -> object:
    # Lax pydantic reads numbers as Unix timestamps; the API speaks RFC 3339 text.
    if isinstance(value, bool | int | float):
        raise ValueError("expected an RFC 3339 date-time, e.g. 2027-01-01T00:00:00+08:00")
    return value


def _aware_utc(value: datetime) -> datetime:
    # Stored as UTC: a time without an offset is ambiguous, and one whose UTC instant falls outside
    # the calendar (9999-12-31T23:59:59-14:00) cannot be stored at all.
    if value.tzinfo is None:
        raise ValueError("expected a date-time with a timezone offset, e.g. 2027-01-01T00:00:00+08:00")
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("the date-time is out of range") from None


IsoDateTime = Annotated[datetime, BeforeValidator(_datetime_text_only), AfterValidator(_aware_utc)]

# A message for people in a response (an import's row error, a job's failure): stored as a template
# with its fields and shown in the reader's language.
ShownText = Annotated[str, BeforeValidator(shown)]
