"""Job kinds and a consumer that exist only for the worker's tests, and the tables they write.

Registered in-process (`background_registry(register)`) or in a `techtransfer worker --with
tests.worker.kinds` subprocess. Every execution that commits leaves a row in `worker_test_runs`, in the
transaction that completes the job, so counting rows counts the job's committed executions.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import dialect
from app.models import Event
from app.worker.queue import GiveUp
from app.worker.registry import Registry
from app.worker.runner import JobContext

RECORD = "test.record"
HAPPENED = "test.happened"
CONSUMER = "test.effects"
# Appended to (outside any transaction) at every delivery of an event: what at-least-once repeats.
DELIVERY_LOG = "WORKER_TEST_DELIVERY_LOG"

metadata = MetaData()
runs = Table(
    "worker_test_runs",
    metadata,
    Column("job_id", BigInteger, nullable=False),
    Column("owner", String(64), nullable=False),
    Column("attempt", Integer, nullable=False),
)
starts = Table(
    "worker_test_starts",
    metadata,
    Column("job_id", BigInteger, nullable=False),
    Column("owner", String(64), nullable=False),
    Column("attempt", Integer, nullable=False),
)
effects = Table(
    "worker_test_effects",
    metadata,
    Column("event_id", BigInteger, primary_key=True, autoincrement=False),
    Column("consumer", String(80), nullable=False),
)


def register(registry: Registry) -> None:
    registry.add_job_kind(RECORD, record)
    registry.add_consumer(CONSUMER, [HAPPENED], remember)


async def record(context: JobContext) -> None:
    """Payload: `sleep` seconds of work, `hang_on_attempt` (that attempt sleeps a minute: long enough
    to be killed), `fail_until` (raise while attempts <= it), `give_up`."""
    job, payload = context.job, context.job.payload
    async with context.sessionmaker() as session, session.begin():
        await session.execute(insert(starts).values(job_id=job.id, owner=context.owner, attempt=job.attempts))
    if payload.get("give_up"):
        raise GiveUp("told to give up")
    if job.attempts <= int(payload.get("fail_until", 0)):
        raise RuntimeError(f"failing on purpose, attempt {job.attempts}")
    hang = job.attempts == payload.get("hang_on_attempt")
    await asyncio.sleep(60.0 if hang else float(payload.get("sleep", 0)))
    async with context.finishing() as session:
        await session.execute(insert(runs).values(job_id=job.id, owner=context.owner, attempt=job.attempts))


async def remember(session: AsyncSession, event: Event) -> None:
    """Idempotent by event id. Payload `sleep_first`: on the first delivery only, wait that long
    before the transaction can commit (a worker killed then leaves the events undelivered)."""
    first = _log_delivery(event.id)
    if event.payload.get("fail"):
        raise RuntimeError(f"event {event.id} refused on purpose")
    await dialect.insert_ignoring_conflicts(session, effects, [{"event_id": event.id, "consumer": CONSUMER}])
    if first and event.payload.get("sleep_first"):
        await asyncio.sleep(float(event.payload["sleep_first"]))


def _log_delivery(event_id: int) -> bool:
    """Append the delivery to the log file (if any); True when it is the event's first."""
    path = os.environ.get(DELIVERY_LOG)
    if not path:
        return True
    log = Path(path)
    seen = log.read_text(encoding="utf-8").split() if log.exists() else []
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"{event_id}\n")
    return str(event_id) not in seen


async def count(session: AsyncSession, table: Table, **where: object) -> int:
    statement = select(func.count()).select_from(table)
    for name, value in where.items():
        statement = statement.where(table.c[name] == value)
    return int(await session.scalar(statement) or 0)
