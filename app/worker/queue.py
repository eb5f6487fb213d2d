"""The job queue: rows of `jobs`, moved between states by compare-and-set on their lease.

    queued ──claim──> running ──finish──> succeeded
      ^                  │  └──error, attempts left──> failed (claimable again at run_after)
      │                  └──error, none left / GiveUp──> dead
      └──release (shutdown)

A claim counts an attempt and leases the job to one worker until `lease_expires_at`; the worker
renews the lease while it works. A lease that runs out (the process was killed) makes the job
claimable again, and a claim past `max_attempts` marks it dead instead of running it. Every change
after the claim is `… WHERE id = :id AND status = 'running' AND lease_owner = :me`, so a worker that
lost its lease can change nothing, and a job's writes commit at most once (see `mark_succeeded`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.core.enums import WorkStatus
from app.db import dialect
from app.models import Job

ERROR_MAX_CHARS = 4000
DEFAULT_MAX_ATTEMPTS = 5
EXPIRED = "The worker running it stopped (its lease ran out)"


class LeaseLost(RuntimeError):
    """Another worker holds the job now (this one's lease ran out): its writes must not commit."""


class GiveUp(Exception):
    """Raised by a handler when retrying cannot help (the job's subject is gone): the job goes dead."""


@dataclass(frozen=True, slots=True)
class ClaimedJob:
    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int
    max_attempts: int
    entity_type: str | None
    entity_id: str | None


async def enqueue(
    session: AsyncSession,
    kind: str,
    payload: dict[str, Any],
    *,
    entity: tuple[str, int | str] | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    run_after: datetime | None = None,
) -> Job:
    """Add a job in the caller's transaction: it becomes claimable when that transaction commits."""
    job = Job(
        kind=kind,
        payload=payload,
        status=WorkStatus.QUEUED,
        attempts=0,
        max_attempts=max_attempts,
        run_after=run_after or utcnow(),
        entity_type=entity[0] if entity else None,
        entity_id=str(entity[1]) if entity else None,
    )
    session.add(job)
    await session.flush()
    return job


def _claimable(now: datetime, kinds: list[str]) -> Any:
    due = Job.status.in_((WorkStatus.QUEUED, WorkStatus.FAILED)) & (Job.run_after <= now)
    expired = (Job.status == WorkStatus.RUNNING) & (Job.lease_expires_at < now)
    return select(Job.id).where(or_(due, expired), Job.kind.in_(kinds)).order_by(Job.run_after, Job.id)


async def any_due(session: AsyncSession, kinds: list[str]) -> bool:
    """A read before the claim: an idle worker then takes no write lock (SQLite's is the database's)."""
    found = await session.scalar(_claimable(utcnow(), kinds).limit(1))
    return found is not None


async def unfinished(session: AsyncSession, kind: str) -> bool:
    """Whether a job of `kind` is queued, running or waiting for a retry (so not to enqueue another)."""
    pending = (WorkStatus.QUEUED, WorkStatus.RUNNING, WorkStatus.FAILED)
    found = await session.scalar(select(Job.id).where(Job.kind == kind, Job.status.in_(pending)).limit(1))
    return found is not None


async def claim(
    session: AsyncSession, *, owner: str, kinds: list[str], lease: timedelta
) -> ClaimedJob | None:
    """Lease the oldest due job of `kinds` to `owner` (one statement; see app.db.dialect.claim_one)."""
    if not kinds:
        return None
    now = utcnow()
    statement = dialect.claim_one(
        _claimable(now, kinds),
        update(Job)
        .values(
            status=WorkStatus.RUNNING,
            lease_owner=owner,
            lease_expires_at=now + lease,
            attempts=Job.attempts + 1,
            started_at=now,
            updated_at=now,
        )
        .returning(
            Job.id, Job.kind, Job.payload, Job.attempts, Job.max_attempts, Job.entity_type, Job.entity_id
        ),
    )
    row = (await session.execute(statement)).one_or_none()
    if row is None:
        return None
    return ClaimedJob(
        row.id, row.kind, row.payload, row.attempts, row.max_attempts, row.entity_type, row.entity_id
    )


def _held(job_id: int, owner: str) -> list[Any]:
    return [Job.id == job_id, Job.status == WorkStatus.RUNNING, Job.lease_owner == owner]


async def _set(session: AsyncSession, job_id: int, owner: str, **values: Any) -> None:
    statement = update(Job).where(*_held(job_id, owner)).values(updated_at=utcnow(), **values)
    result: Any = await session.execute(statement.execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise LeaseLost(f"job {job_id} is no longer leased to {owner}")


async def renew(session: AsyncSession, job_id: int, owner: str, lease: timedelta) -> None:
    """Extend the lease (the heartbeat); LeaseLost when another worker took the job meanwhile."""
    await _set(session, job_id, owner, lease_expires_at=utcnow() + lease)


async def mark_succeeded(session: AsyncSession, job_id: int, owner: str) -> None:
    """In the transaction of the job's last writes: they commit together, or (LeaseLost) not at all."""
    await _set(
        session,
        job_id,
        owner,
        status=WorkStatus.SUCCEEDED,
        finished_at=utcnow(),
        lease_owner=None,
        lease_expires_at=None,
        last_error=None,
    )


def backoff(attempts: int, *, base_seconds: float, max_seconds: float) -> timedelta:
    """The wait before attempt `attempts + 1`: base, 2·base, 4·base, … at most `max_seconds`."""
    return timedelta(seconds=min(max_seconds, base_seconds * 2 ** max(attempts - 1, 0)))


async def mark_failed(
    session: AsyncSession, job: ClaimedJob, owner: str, error: str, *, retry_in: timedelta | None
) -> WorkStatus:
    """An attempt failed: retried after `retry_in` while attempts are left, else (or None) dead."""
    now = utcnow()
    error = error[:ERROR_MAX_CHARS]
    common = {"lease_owner": None, "lease_expires_at": None, "last_error": error}
    if retry_in is not None and job.attempts < job.max_attempts:
        await _set(session, job.id, owner, status=WorkStatus.FAILED, run_after=now + retry_in, **common)
        return WorkStatus.FAILED
    await _set(session, job.id, owner, status=WorkStatus.DEAD, finished_at=now, **common)
    return WorkStatus.DEAD


async def release(session: AsyncSession, job: ClaimedJob, owner: str) -> None:
    """Give the job back unfinished (the worker is stopping): claimable at once, the attempt uncounted."""
    await _set(
        session,
        job.id,
        owner,
        status=WorkStatus.QUEUED,
        attempts=Job.attempts - 1,
        run_after=utcnow(),
        lease_owner=None,
        lease_expires_at=None,
    )


def out_of_attempts(job: ClaimedJob) -> bool:
    """A claim beyond the last attempt: the previous one's worker died (its lease ran out)."""
    return job.attempts > job.max_attempts
