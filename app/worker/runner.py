"""The worker: claims jobs and runs them under a renewed lease, and moves the event consumers along.

`Worker.run()` is the long-running loop (`techtransfer worker`, and a task in `techtransfer serve`):
one job at a time (imports are CPU-bound and the machine small; run more processes to do more at
once) beside one loop over the consumers. `Worker.run_until_idle()` does the same work in turn
without timers or a heartbeat until nothing is due: the tests' and the CLI's way to drain the queue
deterministically.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.config import Settings
from app.core.enums import WorkStatus
from app.worker import consumers, queue
from app.worker.queue import ClaimedJob, GiveUp, LeaseLost
from app.worker.registry import JobKind, Registry

logger = logging.getLogger("app.worker")


@dataclass(frozen=True, slots=True)
class Timing:
    lease: timedelta
    poll_seconds: float
    retry_base_seconds: float
    retry_max_seconds: float
    event_batch: int

    @classmethod
    def from_settings(cls, settings: Settings) -> Timing:
        return cls(
            lease=timedelta(seconds=settings.worker_lease_seconds),
            poll_seconds=settings.worker_poll_seconds,
            retry_base_seconds=settings.worker_retry_base_seconds,
            retry_max_seconds=settings.worker_retry_max_seconds,
            event_batch=settings.worker_event_batch,
        )

    def backoff(self, attempts: int) -> timedelta:
        return queue.backoff(
            attempts, base_seconds=self.retry_base_seconds, max_seconds=self.retry_max_seconds
        )


class JobContext:
    """What a job handler gets: its job, sessions, the settings, and the transaction that finishes it."""

    def __init__(
        self,
        job: ClaimedJob,
        owner: str,
        sessionmaker: async_sessionmaker[AsyncSession],
        settings: Settings,
    ) -> None:
        self.job = job
        self.owner = owner
        self.sessionmaker = sessionmaker
        self.settings = settings
        self.finished = False

    @asynccontextmanager
    async def finishing(self) -> AsyncIterator[AsyncSession]:
        """A transaction whose commit also marks the job succeeded: the job's last writes go here, so
        they commit exactly once. If another worker took the job meanwhile (this lease ran out),
        LeaseLost is raised inside it and nothing commits."""
        async with self.sessionmaker() as session, session.begin():
            yield session
            await queue.mark_succeeded(session, self.job.id, self.owner)
        self.finished = True


def worker_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Worker:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        registry: Registry,
        settings: Settings,
        *,
        name: str | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.registry = registry
        self.settings = settings
        self.timing = Timing.from_settings(settings)
        self.name = name or worker_name()
        self._stopping = asyncio.Event()
        self._running: asyncio.Task[None] | None = None
        self._with_cursor: set[str] = set()
        self._waiting = False

    # --- the loop -------------------------------------------------------------------------------

    async def run(self) -> None:
        """Work until `stop()`: jobs and consumers side by side."""
        logger.info("worker %s started (%d job kinds, %d consumers)", self.name, *self._sizes())
        loops = [self._loop(self._one_job_round)]
        if self.registry.consumers:
            loops.append(self._loop(self.run_consumers_once))
        await asyncio.gather(*loops)
        logger.info("worker %s stopped", self.name)

    def stop(self) -> None:
        """Stop claiming; a running job is given back (released) and runs again on some worker."""
        self._stopping.set()
        if self._running is not None:
            self._running.cancel()

    def _sizes(self) -> tuple[int, int]:
        return len(self.registry.kinds), len(self.registry.consumers)

    async def _one_job_round(self) -> int:
        return int(await self.run_one_job(heartbeat=True))

    async def _loop(self, step: Callable[[], Awaitable[int]]) -> None:
        while not self._stopping.is_set():
            try:
                worked = await step()
            except Exception:
                # The database went away, or a bug: log it, wait, try again; the loop never dies of it.
                logger.exception("worker %s: a round failed", self.name)
                worked = 0
            if not worked:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self.timing.poll_seconds)

    async def run_until_idle(self, *, max_rounds: int = 10_000) -> None:
        """Run due jobs and consumers in turn, without a heartbeat, until none is left to do."""
        waited = False
        for _ in range(max_rounds):
            if self._stopping.is_set():
                return
            worked = await self.run_one_job(heartbeat=False)
            moved = await self.run_consumers_once()
            if not worked and not moved:
                # A consumer that stopped at a gap looks once more: the transactions that could
                # fill it may have ended since (always so in a test, where nothing else runs).
                if not self._waiting or waited:
                    return
                waited = True
            else:
                waited = False
        raise RuntimeError(f"still busy after {max_rounds} rounds")

    # --- jobs -----------------------------------------------------------------------------------

    async def run_one_job(self, *, heartbeat: bool) -> bool:
        """Claim one due job and run it to an end; False when none was due."""
        kinds = list(self.registry.kinds)
        async with self.sessionmaker() as session:
            if not await queue.any_due(session, kinds):
                return False
        async with self.sessionmaker() as session, session.begin():
            job = await queue.claim(session, owner=self.name, kinds=kinds, lease=self.timing.lease)
        if job is None:
            return False
        kind = self.registry.kinds[job.kind]
        if queue.out_of_attempts(job):
            await self._fail(job, kind, queue.EXPIRED, retry=False)
            return True
        context = JobContext(job, self.name, self.sessionmaker, self.settings)
        running = self._running = asyncio.create_task(self._execute(context, kind), name=f"job-{job.id}")
        beat = asyncio.create_task(self._heartbeat(job, running)) if heartbeat else None
        try:
            await asyncio.wait([running])
        except asyncio.CancelledError:
            # The loop itself was cancelled (shutdown): give the job back before going.
            self._stopping.set()
            running.cancel()
            await asyncio.wait([running])
            raise
        finally:
            if beat is not None:
                beat.cancel()
            self._running = None
        if not running.cancelled() and running.exception() is not None:
            raise running.exception()  # type: ignore[misc]
        return True

    async def _execute(self, context: JobContext, kind: JobKind) -> None:
        job = context.job
        try:
            await kind.handler(context)
            if not context.finished:
                async with context.finishing():
                    pass
        except LeaseLost:
            logger.warning(
                "job %s (%s): lease lost to another worker; its writes were dropped", job.id, job.kind
            )
        except asyncio.CancelledError:
            if self._stopping.is_set():
                await asyncio.shield(self._release(job))
        except GiveUp as error:
            await self._fail(job, kind, f"{type(error).__name__}: {error}", retry=False)
        except Exception as error:
            logger.exception(
                "job %s (%s) failed, attempt %s of %s", job.id, job.kind, job.attempts, job.max_attempts
            )
            await self._fail(job, kind, f"{type(error).__name__}: {error}", retry=True)

    async def _fail(self, job: ClaimedJob, kind: JobKind, error: str, *, retry: bool) -> None:
        retry_in = self.timing.backoff(job.attempts) if retry else None
        try:
            async with self.sessionmaker() as session, session.begin():
                status = await queue.mark_failed(session, job, self.name, error, retry_in=retry_in)
                if status is WorkStatus.DEAD and kind.on_dead is not None:
                    await kind.on_dead(session, job, error)
        except LeaseLost:
            logger.warning("job %s: lease lost before its failure could be recorded", job.id)
            return
        if status is WorkStatus.DEAD:
            logger.error("job %s (%s) is dead after %s attempt(s): %s", job.id, job.kind, job.attempts, error)

    async def _release(self, job: ClaimedJob) -> None:
        with contextlib.suppress(LeaseLost):
            async with self.sessionmaker() as session, session.begin():
                await queue.release(session, job, self.name)

    async def _heartbeat(self, job: ClaimedJob, task: asyncio.Task[None]) -> None:
        """Renew the lease every third of it; cancel the job when another worker has taken it."""
        interval = self.timing.lease.total_seconds() / 3
        while not task.done():
            await asyncio.sleep(interval)
            try:
                async with self.sessionmaker() as session, session.begin():
                    await queue.renew(session, job.id, self.name, self.timing.lease)
            except LeaseLost:
                logger.warning("job %s: lease lost; stopping it", job.id)
                task.cancel()
                return
            except SQLAlchemyError as error:
                # SQLite: the job's own long write transaction holds the database; nobody else can
                # claim the job meanwhile either, so a missed renewal is harmless there.
                logger.debug("job %s: lease not renewed this time (%s)", job.id, error)

    # --- consumers ------------------------------------------------------------------------------

    async def run_consumers_once(self) -> int:
        """One tick of every consumer with events to read; the number of events moved past."""
        registered = list(self.registry.consumers.values())
        if not registered:
            return 0
        new = [consumer for consumer in registered if consumer.name not in self._with_cursor]
        if new:
            async with self.sessionmaker() as session, session.begin():
                await consumers.ensure_cursors(session, new)
            self._with_cursor.update(consumer.name for consumer in new)
        async with self.sessionmaker() as session:
            due = await consumers.behind(session, registered)
        moved = 0
        self._waiting = False
        for consumer in due:
            try:
                async with self.sessionmaker() as session, session.begin():
                    tick = await consumers.tick(
                        session, consumer, self.settings, batch=self.timing.event_batch
                    )
                moved += tick.moved
                self._waiting |= tick.waiting
            except Exception as error:
                logger.exception("consumer %s failed", consumer.name)
                await self._consumer_failed(consumer.name, f"{type(error).__name__}: {error}")
        return moved

    async def _consumer_failed(self, name: str, error: str) -> None:
        async with self.sessionmaker() as session, session.begin():
            failures = await consumers.failures(session, name)
            await consumers.record_failure(session, name, error, self.timing.backoff(failures + 1))
