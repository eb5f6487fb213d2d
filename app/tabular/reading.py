"""Reading an uploaded CSV or XLSX file into rows of cells, refusing a file that is not what it claims.

- CSV: UTF-8 with or without BOM, else GB18030 (a superset of GBK, what Excel in Chinese saves), or
  UTF-16 with its BOM (Excel's "Unicode text"); bytes none of them decodes, NUL bytes or other
  control characters mean it is not text.
- XLSX: a zip holding an Office Open XML workbook, whose unpacked size is bounded (a zip bomb is
  refused before it is inflated); read by calamine (python-calamine, Rust): cached values only, and
  an XML parser that expands no entities. It reads 10,000 rows in well under a second, where
  openpyxl's read-only mode takes about eight (see docs/decisions.md).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Any

from python_calamine import CalamineWorkbook

from app.core.i18n import msg
from app.tabular.cells import CellValue, is_blank
from app.tabular.errors import FileTooLarge, InvalidFile, UnsupportedFileType

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv"
# An XLSX compresses text about tenfold; more than this many times the upload is a zip bomb.
MAX_INFLATION = 50
_XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
# A template has about thirty columns; a sheet or a CSV record wider than this is no import.
MAX_COLUMNS = 200
# Blank rows a sheet may have on top of its data rows (titles, spacing), within its bounding box.
BLANK_ROW_ALLOWANCE = 1000
# The longest CSV record accepted (all its cells together), in characters.
MAX_RECORD_CHARS = 200_000
# A worksheet's cell and row references (`<c r="AZ400000">`, `<row r="7">`), with any namespace prefix.
_CELL_REF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br\s*=\s*[\"']([A-Za-z]{1,3})([0-9]{1,7})[\"']")
_ROW_REF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\s[^>]*?\br\s*=\s*[\"']([0-9]{1,7})[\"']")
_SCAN_CHUNK = 1 << 20
_SCAN_OVERLAP = 256
_CONTROL = frozenset(chr(code) for code in range(32)) - {"\t", "\n", "\r"}


def spreadsheet_responses(description: str) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI `responses` entry of a 200 whose body is a CSV or XLSX file."""
    return {
        200: {
            "description": description,
            "content": {
                CSV_MEDIA_TYPE: {"schema": {"type": "string"}},
                XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
            },
        }
    }


class FileFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"

    @property
    def media_type(self) -> str:
        return CSV_MEDIA_TYPE if self is FileFormat.CSV else XLSX_MEDIA_TYPE


@dataclass(frozen=True, slots=True)
class Sheet:
    """The header row and the data rows of a file; blank rows are left out, numbers kept."""

    header_row: int
    headers: list[str]
    rows: list[tuple[int, Sequence[CellValue]]]


def file_format(filename: str | None, content_type: str | None) -> FileFormat:
    """The format the upload claims, by its file name's extension, else its content type."""
    suffix = PurePosixPath(filename or "").suffix.lower().lstrip(".")
    if suffix in ("csv", "xlsx"):
        return FileFormat(suffix)
    if not suffix and content_type in (CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE):
        return FileFormat.CSV if content_type == CSV_MEDIA_TYPE else FileFormat.XLSX
    if suffix in ("xls", "et", "numbers"):
        raise UnsupportedFileType(
            msg(
                "{name} is an older spreadsheet format; save it as .xlsx (Excel 2007 or later) or as CSV",
                name=filename,
            )
        )
    raise UnsupportedFileType(
        msg("Expected a .csv or .xlsx file, not {name}", name=filename)
        if filename
        else msg("Expected a .csv or .xlsx file, not an unnamed file")
    )


def check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise FileTooLarge(
            msg("The file has {size} bytes; at most {max_bytes} are accepted", size=size, max_bytes=max_bytes)
        )


def read_sheet(data: bytes, fmt: FileFormat, *, max_rows: int) -> Sheet:
    """The rows of the file's first sheet; more than `max_rows` data rows is refused (413)."""
    rows = _csv_rows(data) if fmt is FileFormat.CSV else _xlsx_rows(data, max_rows + BLANK_ROW_ALLOWANCE)
    header: tuple[int, list[str]] | None = None
    found: list[tuple[int, Sequence[CellValue]]] = []
    for number, cells in rows:
        if all(is_blank(cell) for cell in cells):
            continue
        if header is None:
            header = (number, [_header_text(cell) for cell in cells])
            continue
        if len(found) == max_rows:
            raise FileTooLarge(
                msg("The file has more than {max_rows} rows; split it", max_rows=max_rows),
                code="too_many_rows",
            )
        found.append((number, cells))
    if header is None:
        raise InvalidFile("The file is empty: it needs a header row (see the template)", code="empty_file")
    return Sheet(header[0], header[1], found)


def _header_text(cell: CellValue) -> str:
    return "" if cell is None else str(cell).strip()


def decode_text(data: bytes) -> str:
    """CSV bytes as text: UTF-8 (BOM or not), UTF-16 with a BOM, or GB18030/GBK."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode(data, "utf-16")
    else:
        if b"\x00" in data:
            raise InvalidFile("This is not a CSV file: it holds binary data", code="binary_file")
        text = _decode(data, "utf-8-sig") or _decode(data, "gb18030")
    if text is None:
        raise InvalidFile(
            "The CSV file is neither UTF-8 nor GBK/GB18030 text; save it as 'CSV UTF-8'",
            code="undecodable_file",
        )
    if any(char in _CONTROL for char in text):
        raise InvalidFile("This is not a CSV file: it holds control characters", code="binary_file")
    return text


def _decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _csv_rows(data: bytes) -> Iterator[tuple[int, Sequence[CellValue]]]:
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # Records, not lines: a quoted cell may span lines, and a spreadsheet shows it in one row.
        for number, cells in enumerate(reader, start=1):
            if len(cells) > MAX_COLUMNS or sum(map(len, cells)) > MAX_RECORD_CHARS:
                raise FileTooLarge(
                    msg(
                        "Record {number} of the CSV file has more than {cells} cells or {characters} "
                        "characters; is it the import template?",
                        number=number,
                        cells=MAX_COLUMNS,
                        characters=MAX_RECORD_CHARS,
                    ),
                    code="record_too_large",
                )
            yield number, list(cells)
    except csv.Error as error:
        raise InvalidFile(
            msg(
                "The CSV file cannot be parsed near line {line_num}: {error}",
                line_num=reader.line_num,
                error=error,
            )
        ) from None


def _xlsx_rows(data: bytes, max_row: int) -> Iterator[tuple[int, Sequence[CellValue]]]:
    _check_workbook_zip(data)
    _check_extent(data, max_row)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise InvalidFile("The XLSX workbook has no worksheet", code="empty_file")
        # From A1, empty rows included, so that a row's index is its spreadsheet row number.
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except InvalidFile:
        raise
    except Exception as error:  # whatever the reader trips on, the file is at fault
        raise InvalidFile(
            msg("The XLSX workbook cannot be read: {error}", error=type(error).__name__)
        ) from None
    for number, cells in enumerate(rows, start=1):
        yield number, [_cell(value) for value in cells]


def _cell(value: object) -> CellValue:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)  # the reader gives every number as a float; 6 is a whole number
    if value is None or isinstance(value, str | int | float | bool | datetime | date):
        return value
    if isinstance(value, time | timedelta):
        return str(value)
    return str(value)


def _check_workbook_zip(data: bytes) -> None:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InvalidFile("This is not an XLSX workbook (not a zip archive)", code="not_xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InvalidFile("This is not an XLSX workbook (a damaged zip archive)", code="not_xlsx") from None
    names = {member.filename for member in members}
    if not all(part in names for part in _XLSX_PARTS):
        raise InvalidFile("This zip archive is not an XLSX workbook", code="not_xlsx")
    if sum(member.file_size for member in members) > MAX_INFLATION * max(len(data), 1 << 20):
        raise InvalidFile("The XLSX workbook unpacks to an implausible size", code="not_xlsx")


def _check_extent(data: bytes, max_row: int) -> None:
    """Refuse a first worksheet whose cells reach past `max_row` or MAX_COLUMNS, before the reader
    sees it: the reader fills the whole rectangle from A1 to the last cell, so two cells at A1 and
    AZ400000 (a 1.5 KB file) would become twenty million. The worksheet's XML is scanned as a
    stream for its cell and row references, which costs milliseconds and no memory to speak of."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            path = _first_sheet_path(archive)
            if path is None:
                return  # the reader reports a workbook without a worksheet
            last_row, last_column = _last_reference(archive, path)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, KeyError, ValueError):
        raise InvalidFile("The XLSX workbook cannot be read: it is damaged") from None
    if last_row > max_row or last_column > MAX_COLUMNS:
        raise FileTooLarge(
            msg(
                "The worksheet reaches row {last_row} and column {last_column}; at most {max_row} rows "
                "and {max_columns} columns are read: delete the stray cells far below or right of the data",
                last_row=last_row,
                last_column=last_column,
                max_row=max_row,
                max_columns=MAX_COLUMNS,
            ),
            code="sheet_too_large",
        )


def _first_sheet_path(archive: zipfile.ZipFile) -> str | None:
    """The zip path of the workbook's first worksheet (the one the reader takes)."""
    workbook = archive.read("xl/workbook.xml")
    sheet = re.search(rb"<(?:[\w.-]+:)?sheet\s[^>]*?\b(?:[\w.-]+:)?id\s*=\s*[\"']([^\"']+)[\"']", workbook)
    if sheet is None:
        return None
    try:
        relations = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    for relation in re.finditer(rb"<(?:[\w.-]+:)?Relationship\s[^>]*>", relations):
        tag = relation.group(0)
        identifier = re.search(rb"\bId\s*=\s*[\"']([^\"']+)[\"']", tag)
        target = re.search(rb"\bTarget\s*=\s*[\"']([^\"']+)[\"']", tag)
        if identifier and target and identifier.group(1) == sheet.group(1):
            name = target.group(1).decode("utf-8", "replace")
            return name.lstrip("/") if name.startswith("/") else f"xl/{name}"
    return None


def _last_reference(archive: zipfile.ZipFile, path: str) -> tuple[int, int]:
    """The largest row number and column number referenced in the worksheet at `path`."""
    last_row = last_column = 0
    try:
        stream = archive.open(path)
    except KeyError:
        return 0, 0
    with stream:
        tail = b""
        while chunk := stream.read(_SCAN_CHUNK):
            text = tail + chunk
            for match in _CELL_REF.finditer(text):
                last_column = max(last_column, _column_number(match.group(1)))
                last_row = max(last_row, int(match.group(2)))
            for match in _ROW_REF.finditer(text):
                last_row = max(last_row, int(match.group(1)))
            # A reference cut in two by the chunk boundary is found whole in the next round.
            tail = text[-_SCAN_OVERLAP:]
    return last_row, last_column


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - ord("A") + 1
    return number
