"""The queue and the consumers run in this process, inside the test's transaction, on a fixed clock:
retries with back-off, the dead state and who may see it, leases that run out, consumer cursors."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.background import background_registry
from app.core.clock import FixedClock, SystemClock, use_clock
from app.core.enums import WorkStatus
from app.events.recording import SYSTEM_ACTOR, record
from app.models import Event, EventCursor, Job
from app.worker import queue
from app.worker.runner import Worker
from tests import factories
from tests.worker import kinds

BASE = 10.0


@pytest.fixture
def clock() -> Iterator[FixedClock]:
    fixed = FixedClock(SystemClock().now())
    with use_clock(fixed):
        yield fixed


@pytest.fixture
async def worker(app: FastAPI, db: async_sessionmaker[AsyncSession]) -> Worker:
    async with db() as session:
        await session.run_sync(lambda sync: kinds.metadata.create_all(sync.connection()))
        await session.commit()
    settings = app.state.settings.model_copy(
        update={"worker_retry_base_seconds": BASE, "worker_retry_max_seconds": 25.0}
    )
    return Worker(db, background_registry(kinds.register), settings, name="worker-a")


async def _enqueue(
    db: async_sessionmaker[AsyncSession], payload: dict[str, object], **options: object
) -> int:
    async with db() as session:
        job = await queue.enqueue(session, kinds.RECORD, payload, **options)  # type: ignore[arg-type]
        await session.commit()
        return job.id


async def _job(db: async_sessionmaker[AsyncSession], job_id: int) -> Job:
    async with db() as session:
        job = await session.get(Job, job_id)
        assert job is not None
        return job


async def _count(db: async_sessionmaker[AsyncSession], table: object, **where: object) -> int:
    async with db() as session:
        return await kinds.count(session, table, **where)  # type: ignore[arg-type]


async def test_a_job_runs_once_and_succeeds(worker: Worker, db: async_sessionmaker[AsyncSession]) -> None:
    job_id = await _enqueue(db, {})
    await worker.run_until_idle()
    job = await _job(db, job_id)
    assert (job.status, job.attempts, job.lease_owner) == (WorkStatus.SUCCEEDED, 1, None)
    assert job.finished_at is not None
    assert await _count(db, kinds.runs, job_id=job_id) == 1
    await worker.run_until_idle()
    assert await _count(db, kinds.runs, job_id=job_id) == 1


async def test_failures_back_off_exponentially_then_the_job_is_dead(
    worker: Worker, clock: FixedClock, db: async_sessionmaker[AsyncSession]
) -> None:
    job_id = await _enqueue(db, {"fail_until": 99}, max_attempts=4)
    await worker.run_until_idle()
    job = await _job(db, job_id)
    assert (job.status, job.attempts) == (WorkStatus.FAILED, 1)
    assert job.run_after == clock.now() + timedelta(seconds=BASE)
    assert "failing on purpose, attempt 1" in (job.last_error or "")

    clock.advance(timedelta(seconds=BASE - 1))
    await worker.run_until_idle()
    assert (await _job(db, job_id)).attempts == 1  # not due yet
    for attempt, wait in ((2, 2 * BASE), (3, 25.0), (4, 0.0)):  # 4 * BASE is capped at 25 s
        clock.set((await _job(db, job_id)).run_after)
        await worker.run_until_idle()
        job = await _job(db, job_id)
        assert job.attempts == attempt
        if attempt < 4:
            assert (job.status, job.run_after) == (WorkStatus.FAILED, clock.now() + timedelta(seconds=wait))
    assert job.status == WorkStatus.DEAD
    assert job.finished_at == clock.now()
    assert await _count(db, kinds.starts, job_id=job_id) == 4
    assert await _count(db, kinds.runs, job_id=job_id) == 0
    clock.advance(timedelta(days=1))
    await worker.run_until_idle()
    assert (await _job(db, job_id)).attempts == 4  # dead stays dead


def test_backoff_doubles_up_to_its_cap() -> None:
    waits = [queue.backoff(n, base_seconds=5, max_seconds=60).total_seconds() for n in range(1, 7)]
    assert waits == [5, 10, 20, 40, 60, 60]


async def test_giving_up_is_dead_at_once(worker: Worker, db: async_sessionmaker[AsyncSession]) -> None:
    job_id = await _enqueue(db, {"give_up": True})
    await worker.run_until_idle()
    job = await _job(db, job_id)
    assert (job.status, job.attempts) == (WorkStatus.DEAD, 1)
    assert job.last_error == "GiveUp: told to give up"


async def test_dead_jobs_are_listed_for_administrators_only(
    client: AsyncClient, worker: Worker, db: async_sessionmaker[AsyncSession]
) -> None:
    admin = await factories.admin(client, db)
    someone = await factories.account(client)
    dead = await _enqueue(db, {"give_up": True})
    alive = await _enqueue(db, {})
    await worker.run_until_idle()
    listed = await client.get("/api/v1/jobs", params={"status": "dead"}, headers=admin.headers)
    assert listed.status_code == 200, listed.text
    assert dead in [item["id"] for item in listed.json()["items"]]
    assert alive not in [item["id"] for item in listed.json()["items"]]
    one = (await client.get(f"/api/v1/jobs/{dead}", headers=admin.headers)).json()
    assert (one["status"], one["kind"], one["attempts"]) == ("dead", kinds.RECORD, 1)
    assert (await client.get("/api/v1/jobs", headers=someone.headers)).status_code == 403
    assert (await client.get(f"/api/v1/jobs/{dead}", headers=someone.headers)).status_code == 403
    assert (await client.get("/api/v1/jobs")).status_code == 401
    assert (await client.get("/api/v1/jobs/999999999", headers=admin.headers)).status_code == 404
    cursors = await client.get("/api/v1/jobs/consumers", headers=admin.headers)
    assert cursors.status_code == 200, cursors.text
    [mine] = [cursor for cursor in cursors.json()["items"] if cursor["consumer"] == kinds.CONSUMER]
    assert (mine["failures"], mine["last_error"]) == (0, None)
    assert (await client.get("/api/v1/jobs/consumers", headers=someone.headers)).status_code == 403


async def _claim_as(db: async_sessionmaker[AsyncSession], owner: str) -> queue.ClaimedJob:
    async with db() as session:
        job = await queue.claim(session, owner=owner, kinds=[kinds.RECORD], lease=timedelta(seconds=30))
        await session.commit()
    assert job is not None
    return job


async def test_a_job_whose_lease_ran_out_runs_again_counting_the_attempt(
    worker: Worker, clock: FixedClock, db: async_sessionmaker[AsyncSession]
) -> None:
    job_id = await _enqueue(db, {})
    await _claim_as(db, "a-worker-that-was-killed")
    await worker.run_until_idle()
    assert (await _job(db, job_id)).status == WorkStatus.RUNNING  # still leased
    clock.advance(timedelta(seconds=31))
    await worker.run_until_idle()
    job = await _job(db, job_id)
    assert (job.status, job.attempts) == (WorkStatus.SUCCEEDED, 2)
    assert await _count(db, kinds.runs, job_id=job_id, owner="worker-a") == 1


async def test_a_lease_that_ran_out_on_the_last_attempt_makes_the_job_dead(
    worker: Worker, clock: FixedClock, db: async_sessionmaker[AsyncSession]
) -> None:
    job_id = await _enqueue(db, {}, max_attempts=1)
    await _claim_as(db, "a-worker-that-was-killed")
    clock.advance(timedelta(seconds=31))
    await worker.run_until_idle()
    job = await _job(db, job_id)
    assert (job.status, job.last_error) == (WorkStatus.DEAD, queue.EXPIRED)
    assert await _count(db, kinds.starts, job_id=job_id) == 0


async def test_a_worker_that_lost_its_lease_commits_nothing(
    clock: FixedClock, worker: Worker, db: async_sessionmaker[AsyncSession]
) -> None:
    job_id = await _enqueue(db, {})
    first = await _claim_as(db, "slow-worker")
    clock.advance(timedelta(seconds=31))
    await _claim_as(db, "other-worker")  # the first one's lease ran out meanwhile

    async def finish_late() -> None:
        async with db() as session, session.begin():
            await session.execute(kinds.runs.insert().values(job_id=job_id, owner="slow-worker", attempt=1))
            await queue.mark_succeeded(session, first.id, "slow-worker")

    with pytest.raises(queue.LeaseLost):
        await finish_late()
    assert await _count(db, kinds.runs, job_id=job_id) == 0
    assert (await _job(db, job_id)).lease_owner == "other-worker"


async def _happened(db: async_sessionmaker[AsyncSession], n: int, **payload: object) -> list[int]:
    """Record `n` test events (through the one recorder) and return their ids."""
    async with db() as session:
        for number in range(n):
            await record(
                session,
                SYSTEM_ACTOR,
                kinds.HAPPENED,
                entity_type="test",
                entity_id=number,
                payload=dict(payload),
            )
        await session.commit()
        ids = await session.scalars(select(Event.id).where(Event.type == kinds.HAPPENED).order_by(Event.id))
        return list(ids)[-n:]


async def _cursor(db: async_sessionmaker[AsyncSession]) -> EventCursor:
    async with db() as session:
        cursor = await session.get(EventCursor, kinds.CONSUMER)
        assert cursor is not None
        return cursor


async def test_a_consumer_handles_each_event_and_moves_its_cursor(
    worker: Worker, db: async_sessionmaker[AsyncSession]
) -> None:
    await worker.run_until_idle()
    start = (await _cursor(db)).last_event_id
    ids = await _happened(db, 3)
    assert ids[0] > start
    await worker.run_until_idle()
    assert (await _cursor(db)).last_event_id == ids[-1]
    for event_id in ids:
        assert await _count(db, kinds.effects, event_id=event_id) == 1


async def test_a_consumer_delivered_again_changes_nothing(
    worker: Worker, db: async_sessionmaker[AsyncSession]
) -> None:
    ids = await _happened(db, 2)
    await worker.run_until_idle()
    async with db() as session:  # as if the worker had died after the handler, before the cursor moved
        await session.execute(
            update(EventCursor).where(EventCursor.consumer == kinds.CONSUMER).values(last_event_id=ids[0] - 1)
        )
        await session.commit()
    await worker.run_until_idle()
    assert (await _cursor(db)).last_event_id == ids[-1]
    assert [await _count(db, kinds.effects, event_id=event_id) for event_id in ids] == [1, 1]


async def test_a_failing_consumer_retries_and_skips_nothing(
    worker: Worker, clock: FixedClock, db: async_sessionmaker[AsyncSession]
) -> None:
    await worker.run_until_idle()
    before = (await _cursor(db)).last_event_id
    good = await _happened(db, 1)
    bad = await _happened(db, 1, fail=True)
    await worker.run_until_idle()
    cursor = await _cursor(db)
    assert cursor.last_event_id == before  # the whole batch rolled back, the good event with it
    assert (cursor.failures, cursor.retry_after) == (1, clock.now() + timedelta(seconds=BASE))
    assert f"event {bad[0]} refused on purpose" in (cursor.last_error or "")
    assert await _count(db, kinds.effects, event_id=good[0]) == 0
    clock.advance(timedelta(seconds=BASE))
    await worker.run_until_idle()
    cursor = await _cursor(db)
    assert (cursor.last_event_id, cursor.failures) == (before, 2)
    assert cursor.retry_after == clock.now() + timedelta(seconds=2 * BASE)


async def test_a_consumer_registered_from_latest_skips_the_events_before_it(
    worker: Worker, db: async_sessionmaker[AsyncSession]
) -> None:
    ids = await _happened(db, 2)

    async def ignore(_session: AsyncSession, _event: Event) -> None:
        raise AssertionError("an event from before the consumer existed was delivered")

    worker.registry.add_consumer("test.late", [kinds.HAPPENED], ignore, from_latest=True)
    await worker.run_until_idle()
    async with db() as session:
        late = await session.get(EventCursor, "test.late")
        assert late is not None
        assert late.last_event_id >= ids[-1]


def test_a_name_is_registered_once() -> None:
    registry = background_registry(kinds.register)
    with pytest.raises(ValueError, match="registered twice"):
        kinds.register(registry)
