"""Imports too large for their request run as jobs of the background worker (`app.worker`).

- The request checks the form and the headers, stores the upload (`import_uploads`) with an
  `import_jobs` row (the resource `GET /api/v1/imports/{id}` shows) and enqueues a worker job of kind
  `import`, all in its own transaction: the job exists exactly when the request succeeded.
- A worker claims it, acts as the uploader as they are NOW (`authorize_import_job`: a removed
  member, a revoked API key get nothing), reads the file, validates it batch by batch with
  progress written between batches, then stores every row in ONE transaction that also marks the
  import succeeded, deletes the upload and completes the worker's job (`JobContext.finishing`):
  data, import state and queue state commit together, once.
- A worker killed mid-import (`kill -9`) leaves nothing stored; its lease runs out and the next
  worker runs the import again from the start (`running` again, progress from zero). If it fails
  unexpectedly it is retried with back-off; once the worker gives up, `import_died` marks it failed in
  the same transaction that marks the worker's job dead. It is never left `running`.
- Progress while storing is written in separate short transactions, except where the database has
  a single writer (SQLite): the storing transaction holds it, so the phase reads `storing` with the
  rows done unknown until it commits.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.principal import Principal
from app.core.clock import utcnow
from app.core.enums import ImportKind, JobStatus
from app.core.errors import DomainError
from app.core.i18n import Message, Text, msg
from app.db import dialect
from app.imports import service
from app.imports.authorization import authorize_import_job
from app.imports.schemas import ImportReport
from app.imports.service import Importer, ImportRejected
from app.imports.tokenizing import Tokenizer
from app.models import ImportJob, ImportUpload
from app.tabular.errors import RowError
from app.tabular.reading import FileFormat, Sheet, read_sheet
from app.worker.queue import ClaimedJob, LeaseLost, enqueue
from app.worker.registry import Registry
from app.worker.runner import JobContext

logger = logging.getLogger("app.imports")
IMPORT_JOB = "import"
ENTITY = "import_job"
# A file that breaks the importer three times will break it a fourth time.
MAX_ATTEMPTS = 3
PROGRESS_SECONDS = 1.0
LIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
RETRYING = msg("The import stopped unexpectedly; it will be tried again").stored_text()


def register(registry: Registry) -> None:
    registry.add_job_kind(IMPORT_JOB, run_import, on_dead=import_died)


@dataclass(frozen=True, slots=True)
class Upload:
    kind: ImportKind
    organization_id: int
    file_name: str
    file_format: FileFormat
    content: bytes
    total_rows: int
    dry_run: bool


async def enqueue_import(session: AsyncSession, principal: Principal, upload: Upload) -> ImportJob:
    """The import's row, its file and its worker job, in the caller's (the request's) transaction."""
    record = ImportJob(
        kind=upload.kind,
        status=JobStatus.QUEUED,
        is_dry_run=upload.dry_run,
        file_name=upload.file_name[:255],
        organization_id=upload.organization_id,
        created_by_id=principal.user_id,
        created_by_api_key_id=principal.api_key_id,
        total_rows=upload.total_rows,
        errors=[],
    )
    session.add(record)
    await session.flush()
    session.add(
        ImportUpload(import_job_id=record.id, file_format=upload.file_format.value, content=upload.content)
    )
    await enqueue(
        session,
        IMPORT_JOB,
        {"import_job_id": record.id},
        entity=(ENTITY, record.id),
        max_attempts=MAX_ATTEMPTS,
    )
    return record


async def record_imported(
    session: AsyncSession,
    principal: Principal,
    upload: Upload,
    report: ImportReport,
) -> ImportJob:
    """The `import_jobs` row of an import done inside its request (succeeded, as `report` says), so
    that it is a resource like a queued one (`GET /api/v1/imports/{id}`, the 201's Location)."""
    now = utcnow()
    record = ImportJob(
        kind=upload.kind,
        status=report.status,
        is_dry_run=upload.dry_run,
        file_name=upload.file_name[:255],
        organization_id=upload.organization_id,
        created_by_id=principal.user_id,
        created_by_api_key_id=principal.api_key_id,
        total_rows=report.total_rows,
        processed_rows=report.total_rows,
        created_count=report.created_count,
        skipped_count=report.skipped_count,
        error_count=report.error_count,
        errors=[error.model_dump() for error in report.errors],
        started_at=now,
        finished_at=now,
    )
    session.add(record)
    await session.flush()
    return record


@dataclass(frozen=True, slots=True)
class _Run:
    job_id: int
    record: ImportJob
    sheet: Sheet
    principal: Principal


async def run_import(context: JobContext) -> None:
    """The worker's handler: from queued to succeeded or failed (the import's own state)."""
    job_id = int(context.job.payload["import_job_id"])
    async with context.sessionmaker() as session:
        record = await session.get(ImportJob, job_id)
        upload = await session.get(ImportUpload, job_id)
    if record is None or upload is None or record.status not in LIVE:
        return  # finished by an earlier attempt, or removed: nothing left to do
    try:
        async with context.sessionmaker() as session:
            # THE authorization of a queued import when it runs: the uploader's rights now, not at upload.
            principal = await authorize_import_job(session, record)
        sheet = await asyncio.to_thread(
            read_sheet,
            upload.content,
            FileFormat(upload.file_format),
            max_rows=context.settings.import_max_rows,
        )
        await _start(context.sessionmaker, job_id)
        await _work(context, _Run(job_id, record, sheet, principal))
    except ImportRejected as rejected:
        await _fail(context, job_id, rejected.row_errors, rejected.error_count)
    except DomainError as error:  # the uploader's rights, the organization, a concurrent import
        await _fail(context, job_id, [], 0, detail=Message.from_stored(error.detail).stored_text())
    except LeaseLost:
        raise  # another worker runs it now: leave its state alone
    except Exception:
        await _set_status(context.sessionmaker, job_id, JobStatus.QUEUED, detail=RETRYING)
        raise


async def import_died(session: AsyncSession, job: ClaimedJob, error: str) -> None:
    """The worker gave up (in the transaction that says so): the import is failed, never left live."""
    job_id = int(job.payload["import_job_id"])
    attempts = min(job.attempts, job.max_attempts)
    detail = (
        f"The import failed {attempts} time(s) and was given up; nothing was imported. Upload the file again."
    )
    await session.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id, ImportJob.status.in_(LIVE))
        .values(status=JobStatus.FAILED, detail=detail, phase=None, finished_at=utcnow())
    )
    await session.execute(delete(ImportUpload).where(ImportUpload.import_job_id == job_id))
    logger.error("import %s failed for good: %s", job_id, error)


async def _work(context: JobContext, run: _Run) -> None:
    record = run.record
    importer = Importer(record.kind, run.principal, record.organization_id, run.sheet)
    progress = _Progress(context.sessionmaker, run.job_id)
    async with context.sessionmaker() as session:
        await importer.prepare(session, max_errors=context.settings.import_max_errors)
        single_writer = dialect.has_single_writer(session)

    async def validated(done: int) -> None:
        await progress.report(service.VALIDATING, done, write=True)

    async def stored(done: int) -> None:
        await progress.report(service.STORING, done, write=not single_writer)

    with Tokenizer(0 if record.is_dry_run else len(run.sheet.rows)) as tokenizer:
        await importer.validate(None if record.is_dry_run else tokenizer, validated)
        importer.reject_if_invalid()
        counts = {"created_count": len(importer.outcome.rows), "skipped_count": importer.outcome.skipped}
        if not record.is_dry_run:
            await progress.report(service.STORING, 0, write=True)
        async with context.finishing() as session:
            if not record.is_dry_run:
                await importer.store(session, stored)
            await _succeed(session, run.job_id, counts)


class _Progress:
    """The phase and its rows done, written to the import's row at most once a second (always at a
    change of phase), each time in a short transaction of its own."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], job_id: int) -> None:
        self._sessionmaker = sessionmaker
        self._job_id = job_id
        self._written_at = 0.0
        self._phase = ""

    async def report(self, phase: str, done: int, *, write: bool) -> None:
        changed, self._phase = phase != self._phase, phase
        if not write or (not changed and time.monotonic() - self._written_at < PROGRESS_SECONDS):
            return
        self._written_at = time.monotonic()
        async with self._sessionmaker() as session, session.begin():
            await session.execute(
                update(ImportJob)
                .where(ImportJob.id == self._job_id, ImportJob.status == JobStatus.RUNNING)
                .values(phase=phase, processed_rows=done, heartbeat_at=utcnow())
            )


async def _start(sessionmaker: async_sessionmaker[AsyncSession], job_id: int) -> None:
    now = utcnow()
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id, ImportJob.status.in_(LIVE))
            .values(
                status=JobStatus.RUNNING,
                started_at=now,
                heartbeat_at=now,
                phase=None,
                processed_rows=0,
                detail=None,
            )
        )


async def _set_status(
    sessionmaker: async_sessionmaker[AsyncSession], job_id: int, status: JobStatus, *, detail: str
) -> None:
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id, ImportJob.status.in_(LIVE))
            .values(status=status, detail=detail, phase=None, heartbeat_at=utcnow())
        )


async def _succeed(session: AsyncSession, job_id: int, counts: dict[str, int]) -> None:
    now = utcnow()
    await session.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id, ImportJob.status.in_(LIVE))
        .values(
            status=JobStatus.SUCCEEDED,
            phase=None,
            processed_rows=ImportJob.total_rows,
            finished_at=now,
            heartbeat_at=now,
            **counts,
        )
    )
    await session.execute(delete(ImportUpload).where(ImportUpload.import_job_id == job_id))


def _stored(message: Text) -> dict[str, Any]:
    """A message kept as its template and fields, shown later in the language of whoever reads it."""
    return Message.from_stored(message).stored()


async def _fail(
    context: JobContext, job_id: int, errors: list[RowError], error_count: int, *, detail: str | None = None
) -> None:
    """The import is refused (its rows, or its uploader's rights): failed, and the worker's job done."""
    now = utcnow()
    values: dict[str, Any] = {
        "status": JobStatus.FAILED,
        "errors": [
            {"row": e.row, "column": e.column, "code": e.code, "message": _stored(e.message)} for e in errors
        ],
        "error_count": error_count,
        "created_count": 0,
        "detail": detail,
        "phase": None,
        "finished_at": now,
        "heartbeat_at": now,
    }
    async with context.finishing() as session:
        await session.execute(
            update(ImportJob).where(ImportJob.id == job_id, ImportJob.status.in_(LIVE)).values(**values)
        )
        await session.execute(delete(ImportUpload).where(ImportUpload.import_job_id == job_id))
