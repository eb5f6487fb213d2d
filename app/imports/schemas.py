from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.core.enums import ImportKind, JobStatus
from app.core.problems import Problem
from app.core.schemas import OutputModel, ShownText


class RowErrorRead(BaseModel):
    row: int = Field(description="Spreadsheet row number (1 is the header row)")
    column: str | None = Field(description="The column's header as the file wrote it; null for a row rule")
    code: str = Field(description="Stable machine-readable code, e.g. invalid_choice, formula_injection")
    message: ShownText


class ImportReport(OutputModel):
    """The outcome of an import run inside its request (or of a finished job)."""

    kind: ImportKind
    is_dry_run: bool
    status: JobStatus = Field(description="succeeded, or failed with `errors` (nothing was written)")
    total_rows: int
    created_count: int = Field(description="Rows created (in a dry run: that would be created)")
    skipped_count: int = Field(description="Rows whose client_key was imported before")
    error_count: int = Field(description="All errors found; `errors` lists the first of them")
    errors: list[RowErrorRead]


class ImportJobRead(ImportReport):
    """A large import running in the background."""

    id: int
    organization_id: int
    file_name: str
    phase: str | None = Field(description="While running: validating, then storing")
    processed_rows: int = Field(description="Rows done in the current phase, of total_rows")
    detail: ShownText | None = Field(description="Why a job failed when no row is to blame")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ImportProblem(Problem):
    """A 422 of an import: invalid form fields (`errors`), or row errors (`row_errors`)."""

    row_errors: list[RowErrorRead] | None = Field(
        default=None, description="import_rejected: the rows' errors (up to the limit); nothing was written"
    )
    error_count: int | None = Field(default=None, description="import_rejected: all errors found")
