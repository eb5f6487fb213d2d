"""Why a file or a cell is refused."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.errors import DomainError
from app.core.i18n import Text


class InvalidFile(DomainError):
    """The file is not what it claims to be (an XLSX that is no workbook, a binary CSV, ...)."""

    status = 422
    code = "invalid_file"
    title = "The file cannot be read"


class UnsupportedFileType(DomainError):
    status = 415
    code = "unsupported_file_type"
    title = "Unsupported file type"


class FileTooLarge(DomainError):
    status = 413
    code = "payload_too_large"
    title = "File too large"


class CellError(ValueError):
    """A cell that cannot be read as its column asks: a stable `code` and a message for people."""

    def __init__(self, code: str, message: Text) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem of an imported file: its spreadsheet row (1 = the header row), the column's header
    as the file wrote it (None for a rule across columns), a stable code and a message."""

    row: int
    column: str | None
    code: str
    message: Text
