"""Writing rows to CSV or XLSX, a chunk at a time, with formula injection neutralised.

A text cell starting with =, +, -, @, tab or carriage return, also behind invisible leading characters
(a control character, a zero-width space), gets a leading apostrophe (OWASP's CSV-injection advice):
a spreadsheet then shows the text instead of running it. XLSX cells are checked after the characters
XML cannot hold are removed, so the check reads what is written. Numbers and dates
are written as such, so -5 stays a number.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from app.tabular.cells import CellValue, looks_like_formula

CSV_BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only with it; without, Chinese turns to mojibake
CHUNK_BYTES = 64 * 1024


def neutralise(value: CellValue) -> CellValue:
    """The text with a leading apostrophe when a spreadsheet could run it as a formula."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


class CsvWriter:
    """CSV text in UTF-8 with a BOM; `rows` encodes a batch of rows at a time."""

    def __init__(self) -> None:
        self._started = False

    def rows(self, rows: Iterable[Sequence[CellValue]]) -> bytes:
        buffer = io.StringIO()
        if not self._started:
            buffer.write(CSV_BOM)
            self._started = True
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerows([_csv_cell(value) for value in row] for row in rows)
        return buffer.getvalue().encode("utf-8")


def _csv_cell(value: CellValue) -> str:
    value = neutralise(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


class XlsxWriter:
    """An XLSX workbook written in openpyxl's write-only mode (rows go to a temporary file, not to
    memory); `chunks` then reads the saved workbook back in pieces for a streamed response."""

    def __init__(self, sheet_title: str, *, column_widths: Sequence[int] = ()) -> None:
        self._workbook = Workbook(write_only=True)
        self._sheet = self._workbook.create_sheet(title=sheet_title)
        for index, width in enumerate(column_widths, start=1):
            self._sheet.column_dimensions[get_column_letter(index)].width = width

    def rows(self, rows: Iterable[Sequence[CellValue]]) -> None:
        for row in rows:
            self._sheet.append([_xlsx_cell(value) for value in row])

    def save(self) -> IO[bytes]:
        """The finished workbook in a temporary file (blocking: run it in a thread)."""
        target = tempfile.SpooledTemporaryFile(max_size=4 * CHUNK_BYTES)  # noqa: SIM115 - the caller closes it
        self._workbook.save(target)
        target.seek(0)
        return target


def chunks(file: IO[bytes]) -> Iterator[bytes]:
    with file:
        while chunk := file.read(CHUNK_BYTES):
            yield chunk


def _xlsx_cell(value: CellValue) -> Any:
    if isinstance(value, str):
        # Control characters are not allowed in XLSX XML (openpyxl would raise mid-stream), so they
        # go first, and the formula check reads the text that is actually written.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    value = neutralise(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value
