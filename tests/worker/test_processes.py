"""Real `techtransfer worker` processes against a database of their own (a SQLite file, or a fresh
PostgreSQL database): killed with SIGKILL mid-job, several at once, and consumers delivering again
after a crash. Jobs and events are the test kinds of tests/worker/kinds.py; leases are 1.5 s."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
import uuid
from asyncio.subprocess import Process
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.background import background_registry
from app.core.enums import WorkStatus
from app.db.session import create_engine, create_sessionmaker
from app.events.recording import SYSTEM_ACTOR, record
from app.main import create_app
from app.models import Demand, EventCursor, Job
from app.worker import queue
from app.worker.runner import Worker
from tests.conftest import BASE_URL, TEST_SECRET, make_settings
from tests.demands.support import poster
from tests.imports.support import DEMAND_ROW, csv_bytes, table, upload
from tests.worker import kinds

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = "1.5"
WAIT_SECONDS = 30.0
# Enough rows that validating and tokenizing them takes the worker a few seconds: time to kill it.
IMPORT_ROWS = 300


@dataclass
class Processes:
    url: str
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    directory: Path
    started: list[Process] = field(default_factory=list)

    @property
    def is_postgres(self) -> bool:
        return self.url.startswith("postgresql")

    @property
    def delivery_log(self) -> Path:
        return self.directory / "deliveries.log"

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.url,
            "TECHTRANSFER_ENVIRONMENT": "test",
            "TECHTRANSFER_SECRET_KEY": TEST_SECRET,
            "TECHTRANSFER_WORKER_LEASE_SECONDS": LEASE_SECONDS,
            "TECHTRANSFER_WORKER_POLL_SECONDS": "0.05",
            "TECHTRANSFER_WORKER_RETRY_BASE_SECONDS": "0.1",
            # The module's own matching index, not one in the checkout the tests run from.
            "TECHTRANSFER_INDEX_DIR": str(self.directory / "index"),
            kinds.DELIVERY_LOG: str(self.delivery_log),
            "PYTHONPATH": str(ROOT),
        }

    async def start(self, name: str) -> Process:
        """A `techtransfer worker` process, once it says it has started."""
        log = self.directory / f"{name}-{uuid.uuid4().hex[:6]}.log"
        command = [
            str(Path(sys.executable).parent / "techtransfer"),
            "worker",
            "--with",
            "tests.worker.kinds",
        ]
        with log.open("wb") as output:
            process = await asyncio.create_subprocess_exec(
                *command, env=self.env(), stdout=output, stderr=asyncio.subprocess.STDOUT, cwd=ROOT
            )
        self.started.append(process)

        async def ready() -> bool:
            assert process.returncode is None, log.read_text(encoding="utf-8")
            return "started" in log.read_text(encoding="utf-8")

        await until(ready)
        return process

    async def enqueue(self, payloads: list[dict[str, object]]) -> list[int]:
        async with self.sessionmaker() as session, session.begin():
            jobs = [await queue.enqueue(session, kinds.RECORD, payload) for payload in payloads]
        return [job.id for job in jobs]

    async def job(self, job_id: int) -> Job:
        async with self.sessionmaker() as session:
            job = await session.get(Job, job_id)
            assert job is not None
            return job

    async def count(self, table: object, **where: object) -> int:
        async with self.sessionmaker() as session:
            return await kinds.count(session, table, **where)  # type: ignore[arg-type]


async def until(condition: Callable[[], Awaitable[bool]], seconds: float = WAIT_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not await condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def kill(process: Process) -> None:
    process.send_signal(signal.SIGKILL)
    await asyncio.wait_for(process.wait(), 10)


async def stop(process: Process) -> int:
    """SIGTERM, as a service manager stops a worker; its exit status."""
    process.send_signal(signal.SIGTERM)
    return await asyncio.wait_for(process.wait(), 20)


@pytest.fixture(scope="module")
async def processes(
    module_database: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Processes]:
    """A migrated database of the module's own (the workers commit for real), with the test kinds'
    table, and the worker processes the tests start, killed at the end."""
    directory = tmp_path_factory.mktemp("workers")
    engine = create_engine(module_database)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(kinds.metadata.create_all)
        fixture = Processes(module_database, engine, create_sessionmaker(engine), directory)
        yield fixture
        for process in fixture.started:
            if process.returncode is None:
                await kill(process)
    finally:
        await engine.dispose()


async def test_a_job_of_a_killed_worker_completes_once_on_the_next(processes: Processes) -> None:
    [job_id] = await processes.enqueue([{"hang_on_attempt": 1}])
    first = await processes.start("first")

    async def started() -> bool:
        return await processes.count(kinds.starts, job_id=job_id) == 1

    await until(started)
    await kill(first)
    assert (await processes.job(job_id)).status == WorkStatus.RUNNING  # left behind, leased
    second = await processes.start("second")

    async def done() -> bool:
        return (await processes.job(job_id)).status == WorkStatus.SUCCEEDED

    await until(done)
    job = await processes.job(job_id)
    assert job.attempts == 2
    assert await processes.count(kinds.starts, job_id=job_id) == 2
    assert await processes.count(kinds.runs, job_id=job_id) == 1
    assert await stop(second) == 0


@pytest.mark.postgres_only
async def test_two_workers_share_the_jobs_and_do_each_exactly_once(processes: Processes) -> None:
    if not processes.is_postgres:
        pytest.skip("needs PostgreSQL: SQLite workers take turns")
    workers = list(await asyncio.gather(processes.start("one"), processes.start("two")))
    job_ids = await processes.enqueue([{"sleep": 0.05} for _ in range(40)])

    async def all_done() -> bool:
        async with processes.sessionmaker() as session:
            statement = select(func.count()).where(Job.id.in_(job_ids), Job.status == WorkStatus.SUCCEEDED)
            return await session.scalar(statement) == len(job_ids)

    await until(all_done)
    async with processes.sessionmaker() as session:
        per_job = await session.execute(
            select(kinds.runs.c.job_id, func.count())
            .where(kinds.runs.c.job_id.in_(job_ids))
            .group_by(kinds.runs.c.job_id)
        )
        counts: dict[int, int] = {row[0]: row[1] for row in per_job}
        owners = set(
            await session.scalars(select(kinds.runs.c.owner).where(kinds.runs.c.job_id.in_(job_ids)))
        )
    assert counts == dict.fromkeys(job_ids, 1)
    assert len(owners) == 2, "both workers took jobs"
    assert await processes.count(kinds.starts) >= len(job_ids)
    assert [await stop(worker) for worker in workers] == [0, 0]


async def test_events_are_delivered_again_after_a_crash_and_handled_once(processes: Processes) -> None:
    async with processes.sessionmaker() as session, session.begin():
        for number in range(3):
            payload = {"sleep_first": 60} if number == 0 else {}
            await record(
                session, SYSTEM_ACTOR, kinds.HAPPENED, entity_type="test", entity_id=number, payload=payload
            )
    first = await processes.start("consumer-first")

    async def delivered() -> bool:
        return processes.delivery_log.exists() and bool(processes.delivery_log.read_text(encoding="utf-8"))

    await until(delivered)
    await kill(first)  # in the first event's handler, before the tick commits
    [first_id] = [int(line) for line in processes.delivery_log.read_text(encoding="utf-8").split()]
    ids = [first_id, first_id + 1, first_id + 2]
    assert await processes.count(kinds.effects) == 0
    second = await processes.start("consumer-second")

    async def caught_up() -> bool:
        async with processes.sessionmaker() as session:
            cursor = await session.get(EventCursor, kinds.CONSUMER)
            return cursor is not None and cursor.last_event_id >= ids[-1]

    await until(caught_up)
    deliveries = [int(line) for line in processes.delivery_log.read_text(encoding="utf-8").split()]
    assert deliveries == [ids[0], *ids]  # the first event twice: at least once
    assert [await processes.count(kinds.effects, event_id=event_id) for event_id in ids] == [1, 1, 1]
    assert await stop(second) == 0


@pytest.mark.postgres_only
async def test_a_consumer_waits_for_a_lower_id_committed_later(processes: Processes) -> None:
    if not processes.is_postgres:
        pytest.skip("needs PostgreSQL: SQLite makes ids visible in commit order")
    worker = Worker(
        processes.sessionmaker, background_registry(kinds.register), make_settings(processes.url), name="gaps"
    )
    await worker.run_consumers_once()

    async def happened(session: AsyncSession, number: int) -> None:
        await record(session, SYSTEM_ACTOR, kinds.HAPPENED, entity_type="test", entity_id=number, payload={})

    async def cursor() -> int:
        async with processes.sessionmaker() as session:
            row = await session.get(EventCursor, kinds.CONSUMER)
            assert row is not None
            return row.last_event_id

    for outcome in ("commit", "rollback"):
        async with processes.sessionmaker() as slow:
            await happened(slow, 1)  # takes the lower id, commits (or not) after the next one
            async with processes.sessionmaker() as fast, fast.begin():
                await happened(fast, 2)
            before = await cursor()
            await worker.run_consumers_once()
            await worker.run_consumers_once()
            assert await cursor() == before, "the cursor must not pass an id still in flight"
            await (slow.commit() if outcome == "commit" else slow.rollback())
        await worker.run_consumers_once()
        await worker.run_consumers_once()
        after = await cursor()
        assert after > before, (outcome, before, after)
        expected = 2 if outcome == "commit" else 1
        async with processes.sessionmaker() as session:
            handled = await session.scalar(
                select(func.count()).select_from(kinds.effects).where(kinds.effects.c.event_id > before)
            )
        assert handled == expected


async def test_the_server_runs_a_worker_and_stops_it_cleanly(processes: Processes) -> None:
    app = create_app(make_settings(processes.url, worker_in_server=True, worker_poll_seconds=0.05))
    app.state.worker_registry = background_registry(kinds.register)
    [job_id] = await processes.enqueue([{}])
    async with app.router.lifespan_context(app):

        async def done() -> bool:
            return (await processes.job(job_id)).status == WorkStatus.SUCCEEDED

        await until(done)
    assert await processes.count(kinds.runs, job_id=job_id) == 1


async def test_an_import_whose_worker_was_killed_completes_on_the_next(processes: Processes) -> None:
    app = create_app(make_settings(processes.url, import_job_threshold_rows=3))
    rows = [
        DEMAND_ROW | {"客户编号": f"K-{n}", "需求名称": f"中断后续跑的需求{n}"} for n in range(IMPORT_ROWS)
    ]
    async with AsyncClient(transport=ASGITransport(app=app), base_url=BASE_URL) as client:
        owner, org = await poster(client)
        response = await upload(client, owner, "demands", org["id"], csv_bytes(table(rows)), filename="k.csv")
        assert response.status_code == 202, response.text
        location = response.headers["location"]

        async def status() -> str:
            return str((await client.get(location, headers=owner.headers)).json()["status"])

        first = await processes.start("import-first")

        async def running() -> bool:
            return await status() == "running"

        await until(running)
        await kill(first)
        assert await status() == "running"
        second = await processes.start("import-second")

        async def finished() -> bool:
            return await status() in ("succeeded", "failed")

        await until(finished, seconds=60)
        done = (await client.get(location, headers=owner.headers)).json()
    await app.state.engine.dispose()
    assert (done["status"], done["created_count"]) == ("succeeded", IMPORT_ROWS)
    async with processes.sessionmaker() as session:
        stored = await session.scalar(
            select(func.count()).select_from(Demand).where(Demand.organization_id == org["id"])
        )
        job = await session.scalar(
            select(Job).where(Job.entity_type == "import_job", Job.entity_id == str(done["id"]))
        )
    assert stored == IMPORT_ROWS
    assert job is not None
    assert (job.status, job.attempts) == (WorkStatus.SUCCEEDED, 2)
    assert await stop(second) == 0


async def test_a_stopping_worker_gives_its_job_back(processes: Processes) -> None:
    worker = Worker(
        processes.sessionmaker,
        background_registry(kinds.register),
        make_settings(processes.url, worker_poll_seconds=0.05),
        name="stopping",
    )
    [job_id] = await processes.enqueue([{"hang_on_attempt": 1}])
    running = asyncio.create_task(worker.run())

    async def started() -> bool:
        return await processes.count(kinds.starts, job_id=job_id) == 1

    await until(started)
    worker.stop()
    await asyncio.wait_for(running, 10)
    job = await processes.job(job_id)
    assert (job.status, job.attempts, job.lease_owner) == (WorkStatus.QUEUED, 0, None)
    assert await processes.count(kinds.runs, job_id=job_id) == 0
    async with processes.sessionmaker() as session, session.begin():  # it would hang the next worker
        await session.execute(delete(Job).where(Job.id == job_id))
