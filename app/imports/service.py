"""Running an import: the organization and the lookups, validation of every row, then the rows stored
in batches, all or nothing, as the feature's own create stores them (app/<feature>/bulk.py).

The steps are separate so that the request (small files, the CLI) runs them in one transaction and a
background job (large files) runs validation outside it; `run` is the former.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.core.enums import ImportKind, JobStatus
from app.core.errors import Conflict, DomainError
from app.core.i18n import msg
from app.db import dialect
from app.imports.kinds import KINDS, Kind
from app.imports.schemas import ImportReport, RowErrorRead
from app.imports.storing import insert_batch
from app.imports.tokenizing import Derived, Source, Tokenizer
from app.imports.validation import Outcome, PreparedRow, Validator
from app.listings import service as listings
from app.listings.columns import REGIONS
from app.models import Region
from app.tabular.errors import RowError
from app.tabular.reading import Sheet

# (phase, rows done, rows in the phase): "validating" then "storing".
ProgressHook = Callable[[str, int, int], None]
VALIDATING = "validating"
STORING = "storing"
BATCH_ROWS = 500


class ImportRejected(DomainError):
    """A real import with row errors: nothing was written; `row_errors` says what to fix."""

    status = 422
    code = "import_rejected"
    title = "The file has errors; nothing was imported"

    def __init__(self, errors: Sequence[RowError], error_count: int) -> None:
        super().__init__(msg("{count} error(s) in the file; nothing was imported", count=error_count))
        self.row_errors = list(errors)
        self.error_count = error_count

    @property
    def extensions(self) -> dict[str, Any]:
        errors = [row_error_read(error).model_dump() for error in self.row_errors]
        return {"row_errors": errors, "error_count": self.error_count}


@dataclass(slots=True)
class _Batch:
    rows: list[PreparedRow]
    texts: asyncio.Future[list[Derived]]


class Importer:
    """One file's import: `prepare` (reads), `validate` batch by batch (pure, may run in a thread;
    each valid batch is handed to the tokenizer at once), then `store` (writes)."""

    def __init__(self, kind: ImportKind, principal: Principal, organization_id: int, sheet: Sheet) -> None:
        self.kind: Kind = KINDS[kind]
        self.principal = principal
        self.organization_id = organization_id
        self.sheet = sheet
        self.organization_region_id = 0
        self.validator: Validator | None = None
        self._batches: list[_Batch] = []

    async def prepare(self, session: AsyncSession, *, max_errors: int) -> None:
        """The organization (the caller must be its member), regions, and the keys imported before."""
        organization = await listings.posting_organization(session, self.principal, self.organization_id)
        self.organization_region_id = organization.region_id
        regions: dict[str, int] = {}
        names: dict[str, list[int]] = {}
        for region in await session.execute(select(Region.id, Region.code, Region.name)):
            if region.code:
                regions[region.code] = region.id
            names.setdefault(region.name, []).append(region.id)
        regions |= {name: ids[0] for name, ids in names.items() if len(ids) == 1}
        model = self.kind.model
        keys = await session.scalars(
            select(model.client_key).where(
                model.organization_id == self.organization_id, model.client_key.is_not(None)
            )
        )
        self.validator = Validator(
            self.kind,
            self.kind.spec.match_headers(self.sheet.headers, self.sheet.header_row),
            organization_id=self.organization_id,
            lookups={REGIONS: regions},
            existing_keys={key for key in keys if key is not None},
            max_errors=max_errors,
        )

    async def validate(self, tokenizer: Tokenizer | None, progress: Callable[[int], Awaitable[None]]) -> None:
        """Check every row, a batch at a time in a thread; while no error is found, hand each batch
        that passed to `tokenizer` at once, so that its derived texts are ready when it is stored."""
        total = len(self.sheet.rows)
        for start in range(0, total, BATCH_ROWS):
            passed = await asyncio.to_thread(self._validate_batch, start)
            if tokenizer is not None and passed and not self.outcome.error_count:
                self._batches.append(_Batch(passed, tokenizer.submit([self._source(row) for row in passed])))
            await progress(min(start + BATCH_ROWS, total))

    def _source(self, row: PreparedRow) -> Source:
        data: Any = row.data  # the kind's create schema: every kind has a title
        return Source(data.title, self.kind.listing.search_recipe(data))

    def _validate_batch(self, start: int) -> list[PreparedRow]:
        before = len(self.outcome.rows)
        self._prepared().feed(self.sheet.rows[start : start + BATCH_ROWS])
        return self.outcome.rows[before:]

    def _prepared(self) -> Validator:
        if self.validator is None:
            raise RuntimeError("Importer.prepare() must run first")
        return self.validator

    def reject_if_invalid(self) -> None:
        outcome = self.outcome
        if outcome.error_count:
            raise ImportRejected(outcome.errors, outcome.error_count)

    @property
    def outcome(self) -> Outcome:
        return self._prepared().outcome

    async def store(
        self, session: AsyncSession, progress: Callable[[int], Awaitable[None]] | None = None
    ) -> int:
        """Insert the batches in the caller's transaction: one statement per table and batch.

        On PostgreSQL a batch is stored as soon as its derived texts are ready. SQLite has one writer,
        and the first INSERT takes the database's write lock until the commit: there every text is
        awaited first, so that other writers wait for the inserts only, not for the tokenization."""
        if dialect.has_single_writer(session):
            await asyncio.gather(*(batch.texts for batch in self._batches))
        done = 0
        for batch in self._batches:
            texts = await batch.texts
            await self._store_batch(session, batch.rows, texts)
            done += len(batch.rows)
            if progress is not None:
                await progress(done)
        return done

    async def _store_batch(
        self, session: AsyncSession, rows: list[PreparedRow], texts: list[Derived]
    ) -> None:
        try:
            await insert_batch(session, self.kind, self.principal, self.organization_region_id, rows, texts)
        except IntegrityError:
            # The validation saw no stored key; a concurrent import of the same file stored one since.
            raise Conflict(
                "Another import stored some of these rows meanwhile; nothing was imported",
                code="concurrent_import",
            ) from None

    def report(self, *, dry_run: bool) -> ImportReport:
        outcome = self.outcome
        return ImportReport(
            kind=self.kind.kind,
            is_dry_run=dry_run,
            status=JobStatus.FAILED if outcome.error_count else JobStatus.SUCCEEDED,
            total_rows=len(self.sheet.rows),
            created_count=0 if outcome.error_count else len(outcome.rows),
            skipped_count=outcome.skipped,
            error_count=outcome.error_count,
            errors=[row_error_read(error) for error in outcome.errors],
        )


async def run(
    session: AsyncSession,
    principal: Principal,
    kind: ImportKind,
    organization_id: int,
    sheet: Sheet,
    *,
    dry_run: bool,
    max_errors: int,
    progress: ProgressHook | None = None,
) -> ImportReport:
    """The whole import in the caller's transaction (a request's, or the CLI's): a dry run reports;
    a real one with errors raises ImportRejected, so that the caller rolls everything back."""
    importer = Importer(kind, principal, organization_id, sheet)
    await importer.prepare(session, max_errors=max_errors)

    def report(phase: str, total: int) -> Callable[[int], Awaitable[None]]:
        async def hook(done: int) -> None:
            if progress is not None:
                progress(phase, done, total)

        return hook

    with Tokenizer(0 if dry_run else len(sheet.rows)) as tokenizer:
        await importer.validate(None if dry_run else tokenizer, report(VALIDATING, len(sheet.rows)))
        if dry_run:
            return importer.report(dry_run=True)
        importer.reject_if_invalid()
        await importer.store(session, report(STORING, len(importer.outcome.rows)))
    return importer.report(dry_run=False)


def row_error_read(error: RowError) -> RowErrorRead:
    return RowErrorRead.model_validate(
        {"row": error.row, "column": error.column, "code": error.code, "message": error.message}
    )
