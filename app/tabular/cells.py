"""Reading one cell as its column asks: text, a choice among a LabelledEnum's members (by value or
Chinese label), a list, an amount of money in yuan, a whole number, a date.

Each parser returns MISSING for a blank cell, so the feature's Create schema decides what is required.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from app.core.enums import LabelledEnum
from app.core.i18n import msg
from app.core.identifiers import normalize_phone
from app.tabular.errors import CellError

CellValue = str | int | float | bool | date | datetime | Decimal | None


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()

# OWASP's CSV-injection list: a spreadsheet reads a cell starting with one of these as a formula.
FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATORS: Final = re.compile(r"[；;、\n]")
NEGOTIABLE: Final = frozenset({"面议", "negotiable"})


def is_blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# Characters a spreadsheet may drop or skip before it looks for a formula: control characters,
# spaces (also no-break, ideographic and zero-width ones) and a byte-order mark.
_SKIPPED_LEAD: Final = "".join(chr(code) for code in range(32)) + " \u00a0\u200b\u3000\ufeff"


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could run `text` as a formula: judged as written and as it reads once
    invisible leading characters are dropped (a control character before `=` is no protection)."""
    return text.startswith(FORMULA_START) or text.lstrip(_SKIPPED_LEAD).startswith(FORMULA_START)


def refuse_formula(value: CellValue) -> None:
    if isinstance(value, str) and looks_like_formula(value):
        lead = value.lstrip(_SKIPPED_LEAD)[:1] or value[:1]
        raise CellError(
            "formula_injection",
            msg(
                "starts with '{lead}', which a spreadsheet would run as a formula; "
                "begin the text with another character",
                lead=lead,
            ),
        )


def as_phone(value: CellValue) -> str | _Missing:
    """A contact number. +86 13812345678 is a number, not a formula: a cell that reads as a phone
    number is taken in its stored form (which starts with a digit); anything else is text as usual."""
    if isinstance(value, str) and (number := normalize_phone(value.strip())) is not None:
        return number
    return as_text(value)


def as_text(value: CellValue) -> str | _Missing:
    """Free text. A whole number typed into a cell (a phone number, say) reads without `.0`."""
    if is_blank(value):
        return MISSING
    refuse_formula(value)
    if isinstance(value, bool):
        raise CellError("invalid_text", "expected text, not a true/false value")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def as_list(value: CellValue) -> list[str] | _Missing:
    """Items separated by ；, ; or 、 (or line breaks)."""
    text = as_text(value)
    if isinstance(text, _Missing):
        return MISSING
    items = [item.strip() for item in LIST_SEPARATORS.split(text)]
    return [item for item in items if item] or MISSING


class Choices:
    """The members of a LabelledEnum by value (any case), Chinese label, or a part of a label
    written with / or （…） ("小试" for 初期/小试) when that part names one member only."""

    def __init__(self, enum: type[LabelledEnum]) -> None:
        self.enum = enum
        names: dict[str, LabelledEnum] = {}
        parts: dict[str, set[LabelledEnum]] = {}
        for member in enum:
            names[member.value.lower()] = member
            names[member.label] = member
            for part in re.split(r"[/（）()]", member.label):
                if part.strip():
                    parts.setdefault(part.strip(), set()).add(member)
        for part, members in parts.items():
            if len(members) == 1:
                names.setdefault(part, next(iter(members)))
        self._names = names

    def find(self, text: str) -> LabelledEnum:
        member = self._names.get(text) or self._names.get(text.lower())
        if member is None:
            allowed = "、".join(member.label for member in self.enum)
            raise CellError(
                "invalid_choice", msg("'{text}' is not one of: {allowed}", text=text, allowed=allowed)
            )
        return member


def choice(enum: type[LabelledEnum]) -> Callable[[CellValue], Any]:
    choices = Choices(enum)

    def parse(value: CellValue) -> Any:
        text = as_text(value)
        return MISSING if isinstance(text, _Missing) else choices.find(text)

    return parse


def choice_list(enum: type[LabelledEnum]) -> Callable[[CellValue], Any]:
    choices = Choices(enum)

    def parse(value: CellValue) -> Any:
        items = as_list(value)
        return MISSING if isinstance(items, _Missing) else [choices.find(item) for item in items]

    return parse


_MONEY = re.compile(r"^[0-9][0-9,，]*(?:\.[0-9]*)?$")


def as_fen(value: CellValue) -> int | _Missing:
    """An amount in yuan (元) with at most two decimals, as integer fen. Thousands separators and a
    trailing 元 are allowed; a number typed into an XLSX cell reads as the number it shows."""
    if is_blank(value):
        return MISSING
    if value is None or isinstance(value, bool | date):
        raise CellError("invalid_money", "expected an amount in yuan, e.g. 500000 or 1234.56")
    if isinstance(value, int | float | Decimal):
        amount = _decimal(repr(value) if isinstance(value, float) else str(value))
    else:
        text = value.strip().removesuffix("元").strip().replace(" ", "")
        if not _MONEY.match(text):
            raise CellError(
                "invalid_money", msg("'{text}' is not an amount in yuan, e.g. 500000 or 1234.56", text=text)
            )
        amount = _decimal(text.replace(",", "").replace("，", ""))
    if amount < 0:
        raise CellError("invalid_money", "an amount cannot be negative")
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise CellError("invalid_money", "an amount in yuan has at most two decimals (fen)")
    return int(fen)


def _decimal(text: str) -> Decimal:
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise CellError("invalid_money", msg("'{text}' is not an amount in yuan", text=text)) from None
    if not amount.is_finite():
        raise CellError("invalid_money", msg("'{text}' is not an amount in yuan", text=text))
    return amount


def fen_or_negotiable(value: CellValue) -> int | bool | _Missing:
    """An amount in yuan (as fen), or True for 面议."""
    if isinstance(value, str) and value.strip().lower() in NEGOTIABLE:
        return True
    return as_fen(value)


def as_int(value: CellValue) -> int | _Missing:
    if is_blank(value):
        return MISSING
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,9}", value.strip()):
        return int(value.strip())
    raise CellError("invalid_number", msg("'{value}' is not a whole number", value=value))


_DATE = re.compile(r"^([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?$")


def as_date(value: CellValue) -> date | _Missing:
    """A date cell, or text as 2027-06-30, 2027/6/30, 2027.6.30 or 2027年6月30日."""
    if is_blank(value):
        return MISSING
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _DATE.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise CellError("invalid_date", msg("'{value}' is not a date; write it as 2027-06-30", value=value))
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise CellError("invalid_date", msg("'{value}' is not a day of the calendar", value=value)) from None
