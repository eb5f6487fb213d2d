"""A column spec: one list of columns drives the template, the import and the export of a kind.

Each column has a Chinese header (the template's) and an English key; an import accepts either. It
knows how to read its cell into the fields of the feature's Create schema, and how to write those
fields of a read model back into a cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from app.core.enums import LabelledEnum
from app.core.i18n import msg
from app.tabular import cells
from app.tabular.cells import MISSING, CellValue
from app.tabular.errors import CellError, RowError

# Lookups an import fills from the database (e.g. regions by code and name), by name.
Lookups = Mapping[str, Mapping[str, Any]]
Parse = Callable[[CellValue, Lookups], dict[str, Any]]
Render = Callable[[Mapping[str, Any]], CellValue]


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    # The Create-schema fields the column fills: a refusal of one of them is reported on this column.
    fields: tuple[str, ...]
    parse: Parse | None
    render: Render
    note: str = ""
    required: bool = False
    # The code a schema refusal of this column's fields gets (pydantic's own type otherwise).
    error_code: str | None = None
    # The labels a choice column accepts, for the template's notes and drop-down list.
    choices: tuple[str, ...] = ()
    # Other headers an import accepts for it (标题 for 需求名称, say).
    aliases: tuple[str, ...] = ()

    @property
    def is_export_only(self) -> bool:
        return self.parse is None


def simple(
    key: str,
    header: str,
    parser: Callable[[CellValue], Any],
    *,
    field: str | None = None,
    render: Callable[[Any], CellValue] | None = None,
    note: str = "",
    required: bool = False,
    error_code: str | None = None,
    choices: type[LabelledEnum] | None = None,
) -> Column:
    """A column holding one schema field (`field`, by default named as `key`)."""
    name = field or key

    def parse(cell: CellValue, _lookups: Lookups) -> dict[str, Any]:
        value = parser(cell)
        return {} if value is MISSING else {name: value}

    def write(values: Mapping[str, Any]) -> CellValue:
        value = values.get(name)
        return render(value) if render is not None else to_cell(value)

    labels = tuple(member.label for member in choices) if choices else ()
    return Column(key, header, (name,), parse, write, note, required, error_code, labels)


def choice_column(
    key: str,
    header: str,
    enum: type[LabelledEnum],
    *,
    many: bool = False,
    required: bool = False,
    note: str = "",
) -> Column:
    """A column of one of `enum`'s members (or, `many`, a list of them), its labels in the note."""
    labels = "、".join(member.label for member in enum)
    separators = "一个或多个，以“；”或“、”分隔：" if many else ""
    return simple(
        key,
        header,
        (cells.choice_list if many else cells.choice)(enum),
        required=required,
        choices=None if many else enum,
        note=f"{note}{separators}{labels}",
    )


def export_only(key: str, header: str, render: Callable[[Any], CellValue] | None = None) -> Column:
    """A column the export writes and an import ignores (the public number, the status)."""

    def write(values: Mapping[str, Any]) -> CellValue:
        value = values.get(key)
        return render(value) if render is not None else to_cell(value)

    return Column(key, header, (), None, write)


def to_cell(value: Any) -> CellValue:
    """A read model's value as a cell: enums by Chinese label, lists joined with ；."""
    if isinstance(value, LabelledEnum):
        return value.label
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, list | tuple):
        return "；".join(str(to_cell(item)) for item in value) or None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value
    if value is None or isinstance(value, str | int | float | bool | date | Decimal):
        return value
    return str(value)


def fen_to_yuan(fen: int | None) -> Decimal | None:
    if fen is None:
        return None
    return Decimal(fen) / 100 if fen % 100 else Decimal(fen // 100)


def _normal(header: str) -> str:
    return re.sub(r"[\s*＊]", "", header).lower()


def _without_unit(header: str) -> str:
    return re.sub(r"[（(].*?[）)]", "", header)


@dataclass(frozen=True, slots=True)
class HeaderMap:
    """Which column each position of the file holds (None: ignored), and what was wrong."""

    columns: list[Column | None]
    written: list[str]
    errors: list[RowError] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Spec:
    kind: str
    sheet_title: str
    columns: tuple[Column, ...]

    @property
    def importable(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if not column.is_export_only)

    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def template_headers(self) -> list[str]:
        return [column.header for column in self.importable]

    def match_headers(self, headers: Sequence[str], header_row: int) -> HeaderMap:
        """Map the file's header row onto the columns: Chinese header (with or without its unit) or
        English key, any case, spaces and a required-mark * ignored."""
        names: dict[str, Column] = {}
        for column in self.columns:
            for name in (column.header, _without_unit(column.header), column.key, *column.aliases):
                names.setdefault(_normal(name), column)
        found: list[Column | None] = []
        errors: list[RowError] = []
        seen: dict[str, str] = {}
        for written in headers:
            match = names.get(_normal(written))
            if match is None and _normal(written):
                errors.append(RowError(header_row, written, "unknown_column", "not a column of the template"))
            elif match is not None and match.key in seen:
                message = msg("the same column as '{other}'", other=seen[match.key])
                errors.append(RowError(header_row, written, "duplicate_column", message))
                match = None
            elif match is not None:
                seen[match.key] = written
            found.append(match)
        for column in self.importable:
            if column.required and column.key not in seen:
                message = msg("the file has no {header} ({key}) column", header=column.header, key=column.key)
                errors.append(RowError(header_row, column.header, "missing_column", message))
        return HeaderMap(found, list(headers), errors)

    def parse_row(
        self, row: int, cells: Sequence[CellValue], headers: HeaderMap, lookups: Lookups
    ) -> tuple[dict[str, Any], list[RowError], dict[str, str]]:
        """The row's schema fields, its cell errors, and each filled field's column header as written."""
        values: dict[str, Any] = {}
        errors: list[RowError] = []
        written: dict[str, str] = {}
        for position, column in enumerate(headers.columns):
            if column is None or column.parse is None:
                continue
            header = headers.written[position]
            for name in column.fields:
                written[name] = header
            cell = cells[position] if position < len(cells) else None
            try:
                values.update(column.parse(cell, lookups))
            except CellError as error:
                errors.append(RowError(row, header, error.code, error.message))
        return values, errors, written

    def render(self, values: Mapping[str, Any]) -> list[CellValue]:
        return [column.render(values) for column in self.columns]
