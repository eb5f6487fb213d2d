"""Imports too large for their request run as jobs, off the request path, in this process.

- The upload is parsed in the request; the rows wait in memory for the job's task, which starts once
  the request has committed the job row (a background task of the response).
- Validation reads what it needs in a short session, then checks the rows in a thread, batch by
  batch, writing progress between batches. The rows are then stored in ONE transaction (all or
  nothing), which also marks the job succeeded, so the data and the job's state commit together.
- Progress while storing is written in separate short transactions on PostgreSQL. SQLite has a single
  writer, which the storing transaction holds: there progress is kept in this process's memory and
  merged in when the job is read.
- A job left queued or running by a process that died is failed when it is read (see `abandoned`).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.clock import utcnow
from app.core.enums import ImportKind, JobStatus
from app.core.errors import DomainError, NotFound
from app.imports import service
from app.imports.authorization import authorize_import_job
from app.imports.service import Importer, ImportRejected
from app.imports.tokenizing import Tokenizer
from app.models import ImportJob
from app.tabular.errors import RowError
from app.tabular.reading import Sheet

logger = logging.getLogger("app.imports")
PROGRESS_SECONDS = 1.0
LIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
INTERRUPTED = "The server stopped before the import finished; nothing was imported. Upload the file again."


class JobRegistry:
    """The jobs this process runs: their tasks, their live progress, one at a time."""

    def __init__(self) -> None:
        self.runner_id = uuid.uuid4().hex
        self._tasks: dict[int, asyncio.Task[None]] = {}
        # job id -> (phase, rows done in it), fresher than the job row (see the module docstring).
        self.progress: dict[int, tuple[str, int]] = {}
        self._slot: asyncio.Lock | None = None

    async def start(self, job_id: int, work: Callable[[], Awaitable[None]]) -> None:
        """Run `work` as a task of its own (async, so that a response's background runs it on the loop)."""
        task = asyncio.create_task(self._run(job_id, work), name=f"import-job-{job_id}")
        self._tasks[job_id] = task

    async def _run(self, job_id: int, work: Callable[[], Awaitable[None]]) -> None:
        # One job at a time per process: imports are CPU-bound (validation, tokenization) and the
        # machine small; the others wait as `queued`.
        self._slot = self._slot or asyncio.Lock()
        try:
            async with self._slot:
                await work()
        finally:
            self._tasks.pop(job_id, None)
            self.progress.pop(job_id, None)

    def is_running(self, job_id: int) -> bool:
        return job_id in self._tasks

    async def wait(self, job_id: int) -> None:
        task = self._tasks.get(job_id)
        if task is not None:
            await asyncio.wait([task])

    async def close(self) -> None:
        """At shutdown: cancel the jobs (their transactions roll back and they are marked failed)."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


@dataclass(frozen=True, slots=True)
class JobInput:
    job_id: int
    kind: ImportKind
    organization_id: int
    sheet: Sheet
    dry_run: bool
    max_errors: int


def abandoned(
    job: ImportJob, registry: JobRegistry, *, dialect: str, now: datetime, stale_seconds: int
) -> bool:
    """Whether a queued or running job has no live runner any more.

    A job this process runs has its task in the registry. A job of this process without one lost it.
    SQLite is served by one process (it has one writer), so there a job of any other process is dead:
    the server restarted. On PostgreSQL other worker processes may run jobs; theirs is dead when it
    has not reported progress for `stale_seconds`.
    """
    if job.status not in LIVE or registry.is_running(job.id):
        return False
    if job.runner_id == registry.runner_id or dialect == "sqlite":
        return True
    return now - (job.heartbeat_at or job.created_at) > timedelta(seconds=stale_seconds)


async def fail_abandoned(session: AsyncSession, job: ImportJob) -> None:
    now = utcnow()
    values = {"status": JobStatus.FAILED, "detail": INTERRUPTED, "finished_at": now}
    await session.execute(
        update(ImportJob).where(ImportJob.id == job.id, ImportJob.status.in_(LIVE)).values(**values)
    )
    for name, value in values.items():
        setattr(job, name, value)


async def run_job(
    sessionmaker: async_sessionmaker[AsyncSession], registry: JobRegistry, job: JobInput
) -> None:
    """The job's work, from queued to succeeded or failed; never raises (except when cancelled)."""
    dialect = ""
    try:
        async with sessionmaker() as session:
            dialect = session.get_bind().dialect.name
        if not await _transition(sessionmaker, job.job_id, JobStatus.QUEUED, JobStatus.RUNNING, registry):
            return
        await _work(sessionmaker, registry, job, writes_while_storing=dialect != "sqlite")
    except ImportRejected as rejected:
        await _finish(sessionmaker, job.job_id, rejected.row_errors, rejected.error_count)
    except DomainError as error:  # the organization, a concurrent import of the same rows
        await _finish(sessionmaker, job.job_id, [], 0, detail=error.detail)
    except asyncio.CancelledError:
        await _finish(sessionmaker, job.job_id, [], 0, detail=INTERRUPTED)
        raise
    except Exception:
        logger.exception("import job %s failed", job.job_id)
        await _finish(
            sessionmaker, job.job_id, [], 0, detail="The import failed unexpectedly; nothing was imported"
        )


async def _work(
    sessionmaker: async_sessionmaker[AsyncSession],
    registry: JobRegistry,
    job: JobInput,
    *,
    writes_while_storing: bool,
) -> None:
    progress = _Progress(sessionmaker, registry, job.job_id)
    async with sessionmaker() as session:
        # The uploader's permissions as they are now, not as they were at upload.
        principal = await authorize_import_job(session, await _stored(session, job.job_id))
        importer = Importer(job.kind, principal, job.organization_id, job.sheet)
        await importer.prepare(session, max_errors=job.max_errors)

    async def validated(done: int) -> None:
        await progress.report(service.VALIDATING, done, write=True)

    async def stored(done: int) -> None:
        await progress.report(service.STORING, done, write=writes_while_storing)

    with Tokenizer(0 if job.dry_run else len(job.sheet.rows)) as tokenizer:
        await importer.validate(None if job.dry_run else tokenizer, validated)
        importer.reject_if_invalid()
        counts = {"created_count": len(importer.outcome.rows), "skipped_count": importer.outcome.skipped}
        if job.dry_run:
            await _succeed_in_own_transaction(sessionmaker, job.job_id, counts)
            return
        async with sessionmaker() as session, session.begin():
            await importer.store(session, stored)
            await session.execute(_succeeded(job.job_id, counts))


async def _stored(session: AsyncSession, job_id: int) -> ImportJob:
    job = await session.get(ImportJob, job_id)
    if job is None:  # its organization's data was removed meanwhile
        raise NotFound(f"No import {job_id}")
    return job


class _Progress:
    """The phase and its rows done, kept in the registry, written to the job row at most once a second
    (always at a change of phase)."""

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], registry: JobRegistry, job_id: int
    ) -> None:
        self._sessionmaker = sessionmaker
        self._registry = registry
        self._job_id = job_id
        self._written_at = 0.0
        self._phase = ""

    async def report(self, phase: str, done: int, *, write: bool) -> None:
        self._registry.progress[self._job_id] = (phase, done)
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


async def _transition(
    sessionmaker: async_sessionmaker[AsyncSession],
    job_id: int,
    expected: JobStatus,
    to: JobStatus,
    registry: JobRegistry,
) -> bool:
    now = utcnow()
    async with sessionmaker() as session, session.begin():
        result: Any = await session.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id, ImportJob.status == expected)
            .values(status=to, started_at=now, heartbeat_at=now, runner_id=registry.runner_id)
        )
        return bool(result.rowcount == 1)


def _succeeded(job_id: int, counts: dict[str, int]) -> Any:
    now = utcnow()
    return (
        update(ImportJob)
        .where(ImportJob.id == job_id, ImportJob.status == JobStatus.RUNNING)
        .values(
            status=JobStatus.SUCCEEDED,
            phase=None,
            processed_rows=ImportJob.total_rows,
            finished_at=now,
            heartbeat_at=now,
            **counts,
        )
    )


async def _succeed_in_own_transaction(
    sessionmaker: async_sessionmaker[AsyncSession], job_id: int, counts: dict[str, int]
) -> None:
    async with sessionmaker() as session, session.begin():
        await session.execute(_succeeded(job_id, counts))


async def _finish(
    sessionmaker: async_sessionmaker[AsyncSession],
    job_id: int,
    errors: list[RowError],
    error_count: int,
    *,
    detail: str | None = None,
) -> None:
    now = utcnow()
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id, ImportJob.status.in_(LIVE))
            .values(
                status=JobStatus.FAILED,
                errors=[
                    {"row": e.row, "column": e.column, "code": e.code, "message": e.message} for e in errors
                ],
                error_count=error_count,
                created_count=0,
                detail=detail,
                finished_at=now,
                heartbeat_at=now,
            )
        )
