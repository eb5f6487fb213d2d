"""Checking every row of a file before anything is written: the cells by their columns, then the row
by the feature's own Create schema. Pure Python (no database), so a job can run it in a thread."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from app.core.i18n import Text, msg
from app.core.validation_text import validation_message, with_note
from app.imports.kinds import Kind
from app.tabular.cells import CellValue, is_blank
from app.tabular.columns import HeaderMap, Lookups
from app.tabular.errors import RowError

DERIVED_KEY_PREFIX = "sha256:"


@dataclass(frozen=True, slots=True)
class PreparedRow:
    row: int
    data: BaseModel


@dataclass(slots=True)
class Outcome:
    rows: list[PreparedRow] = field(default_factory=list)
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0


class Validator:
    """Feeds on a file's rows (in batches, if need be) and collects prepared rows and errors."""

    def __init__(
        self,
        kind: Kind,
        headers: HeaderMap,
        *,
        organization_id: int,
        lookups: Lookups,
        existing_keys: set[str],
        max_errors: int,
    ) -> None:
        self.kind = kind
        self.headers = headers
        self.organization_id = organization_id
        self.lookups = lookups
        self.existing_keys = existing_keys
        self.max_errors = max_errors
        self.outcome = Outcome()
        self._keys_seen: dict[str, int] = {}
        self._header_of = {name: column.header for column in kind.spec.columns for name in column.fields}
        self._column_of = {name: column for column in kind.spec.columns for name in column.fields}
        self.add_errors(headers.errors)

    def add_errors(self, errors: Sequence[RowError]) -> None:
        room = self.max_errors - len(self.outcome.errors)
        self.outcome.errors.extend(errors[: max(room, 0)])
        self.outcome.error_count += len(errors)

    def feed(self, rows: Iterable[tuple[int, Sequence[CellValue]]]) -> None:
        if self.headers.errors:
            return  # rows read under wrong headers would only repeat the header's errors
        for number, cells in rows:
            self._row(number, cells)

    def _row(self, number: int, cells: Sequence[CellValue]) -> None:
        values, errors, written = self.kind.spec.parse_row(number, cells, self.headers, self.lookups)
        given = values.get("client_key")
        key = given if isinstance(given, str) else self._derived_key(cells)
        if key in self.existing_keys:
            self.outcome.skipped += 1  # imported before: re-importing a file creates nothing new
            return
        if key in self._keys_seen:
            first = self._keys_seen[key]
            if given:
                message = msg("the same client_key as row {row}", row=first)
                errors.append(RowError(number, written.get("client_key"), "duplicate_client_key", message))
            else:
                errors.append(
                    RowError(number, None, "duplicate_row", msg("the same row as row {row}", row=first))
                )
        self._keys_seen.setdefault(key, number)
        values |= {"client_key": key, "organization_id": self.organization_id}
        failed = {error.column for error in errors}
        try:
            data = self.kind.schema.model_validate(values)
        except ValidationError as error:
            errors.extend(self._schema_errors(number, error, written, failed))
        else:
            if not errors:
                self.outcome.rows.append(PreparedRow(number, data))
                return
        self.add_errors(errors)

    def _schema_errors(
        self, number: int, error: ValidationError, written: dict[str, str], failed: set[str | None]
    ) -> list[RowError]:
        found = []
        for item in error.errors():
            location = item["loc"]
            name = str(location[0]) if location else None
            header = written.get(name or "") or self._header_of.get(name or "")
            if (header is not None and header in failed) or (not location and failed):
                continue  # a refused cell, or a rule across columns that one may have broken
            column = self._column_of.get(name or "")
            if not location:
                code = "invalid_row"  # a rule across columns (a budget range, the maturity)
            elif item["type"] == "missing":
                code = "required"
            else:
                code = (column.error_code if column else None) or str(item["type"])
            message: Text = validation_message(item)
            if item["type"] == "string_pattern_mismatch" and column is not None and column.note:
                # the pattern says less to a person than the column's note
                message = with_note(item, str(item["input"]), column.note)
            if len(location) > 1:
                where = ".".join(str(part) for part in location[1:])
                message = msg("{where}: {message}", where=where, message=message)
            found.append(RowError(number, header, code, message))
        return found

    def _derived_key(self, cells: Sequence[CellValue]) -> str:
        """A row without a client_key is keyed by its content: the same row imported again is skipped."""
        content = sorted(
            (column.key, _canonical(cells[position] if position < len(cells) else None))
            for position, column in enumerate(self.headers.columns)
            if column is not None and column.parse is not None and column.key != "client_key"
        )
        digest = hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()
        return DERIVED_KEY_PREFIX + digest


def _canonical(value: CellValue) -> Any:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
