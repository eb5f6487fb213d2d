"""Consumers of the `events` table: each reads the log in id order from its own cursor.

One tick of a consumer is one transaction: lock its cursor row (other workers skip it meanwhile),
read the next events after the cursor, call the handler for those of its types, and move the cursor
past them. The handler's writes and the cursor commit together: a crash before the commit leaves
the cursor where it was, and the events are delivered again (at least once). Handlers are therefore
idempotent by event id (an `INSERT … ON CONFLICT DO NOTHING` keyed on it, or a check of state).

**Ids that are not visible yet.** On PostgreSQL event ids come from a sequence at INSERT, and
transactions commit in any order: the reader may see 12 while 11 is still uncommitted. Moving the
cursor past 11 would lose it. So the cursor stops at the first missing id unless that gap is known
to be final: when a gap is first seen, the consumer stores a mark of the transactions running
(`app.db.dialect.in_flight_marker`) and the highest id it could see; once every one of those
transactions has ended (`marker_passed`), missing ids up to that height were rolled back and are
skipped. This is exact (no time window to tune), holds back only while a transaction that could own
the gap is still running, and costs one small query per gap. SQLite serialises writers, so ids
become visible in order and a missing id is always final there.

A handler that raises rolls its tick back; the consumer retries the same events after a back-off
and records the error on its cursor. It never skips an event: a poison event stalls that consumer
(visibly, `last_error`) until fixed, which is the price of at-least-once delivery.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.core.config import Settings
from app.db import dialect
from app.models import Event, EventCursor
from app.worker.queue import ERROR_MAX_CHARS
from app.worker.registry import Consumer


@dataclass(slots=True)
class _Gaps:
    """What a tick knows about the missing ids after the cursor."""

    final_through: int
    pending_marker: int | None
    pending_through: int | None


async def ensure_cursors(session: AsyncSession, consumers: Sequence[Consumer]) -> None:
    """A cursor row per consumer: at the start of the log, or after its current end (`from_latest`)."""
    if not consumers:
        return
    latest = int(await session.scalar(select(func.coalesce(func.max(Event.id), 0))) or 0)
    rows = [
        {
            "consumer": consumer.name,
            "last_event_id": latest if consumer.from_latest else 0,
            "gaps_final_through": latest if consumer.from_latest else 0,
            "updated_at": utcnow(),
        }
        for consumer in consumers
    ]
    await dialect.insert_ignoring_conflicts(session, EventCursor, rows)


async def behind(session: AsyncSession, consumers: Sequence[Consumer]) -> list[Consumer]:
    """The consumers with events after their cursor that may be read now (no lock, a cheap look)."""
    latest = int(await session.scalar(select(func.coalesce(func.max(Event.id), 0))) or 0)
    cursors = {
        row.consumer: row
        for row in await session.execute(
            select(EventCursor.consumer, EventCursor.last_event_id, EventCursor.retry_after)
        )
    }
    now = utcnow()
    due = []
    for consumer in consumers:
        cursor = cursors.get(consumer.name)
        if cursor is None or cursor.last_event_id >= latest:
            continue
        if cursor.retry_after is None or cursor.retry_after <= now:
            due.append(consumer)
    return due


@dataclass(frozen=True, slots=True)
class Tick:
    moved: int  # events the cursor moved past
    # Stopped at a gap that transactions running now may still fill: look again a little later.
    waiting: bool = False


async def tick(session: AsyncSession, consumer: Consumer, settings: Settings, *, batch: int) -> Tick:
    """Handle the next events of `consumer` in the caller's transaction (which the caller commits).
    Moves nothing when another worker holds the cursor."""
    cursor = await _lock(session, consumer.name)
    if cursor is None:
        return Tick(0)
    rows = (
        await session.execute(
            select(Event.id, Event.type)
            .where(Event.id > cursor.last_event_id)
            .order_by(Event.id)
            .limit(batch)
        )
    ).all()
    gaps = _Gaps(cursor.gaps_final_through, cursor.pending_marker, cursor.pending_through)
    accepted = await _contiguous(session, cursor.last_event_id, [row.id for row in rows], gaps)
    wanted = [row.id for row in rows[: len(accepted)] if row.type in consumer.event_types]
    if wanted:
        events = await session.scalars(select(Event).where(Event.id.in_(wanted)).order_by(Event.id))
        await consumer.handler(session, list(events), settings)
    values: dict[str, Any] = {
        "gaps_final_through": gaps.final_through,
        "pending_marker": gaps.pending_marker,
        "pending_through": gaps.pending_through,
        "failures": 0,
        "retry_after": None,
        "last_error": None,
        "updated_at": utcnow(),
    }
    if accepted:
        values["last_event_id"] = accepted[-1]
    await session.execute(update(EventCursor).where(EventCursor.consumer == consumer.name).values(**values))
    return Tick(len(accepted), waiting=gaps.pending_marker is not None)


async def _lock(session: AsyncSession, name: str) -> Any:
    """The cursor row, locked for this transaction (written first, so SQLite takes its write lock)."""
    pick = select(EventCursor.consumer).where(EventCursor.consumer == name)
    statement = dialect.claim_one(
        pick,
        update(EventCursor)
        .values(updated_at=utcnow())
        .returning(
            EventCursor.last_event_id,
            EventCursor.gaps_final_through,
            EventCursor.pending_marker,
            EventCursor.pending_through,
        ),
        key=EventCursor.consumer,
    )
    return (await session.execute(statement)).one_or_none()


async def _contiguous(session: AsyncSession, last: int, ids: list[int], gaps: _Gaps) -> list[int]:
    """The prefix of `ids` that can be handled now: each next id follows the previous one, or the
    ids missing between them are final (see the module docstring). Updates `gaps`."""
    if gaps.pending_marker is not None and await dialect.marker_passed(session, gaps.pending_marker):
        gaps.final_through = max(gaps.final_through, gaps.pending_through or 0)
        gaps.pending_marker = gaps.pending_through = None
    accepted: list[int] = []
    expected = last + 1
    for event_id in ids:
        if event_id != expected and event_id - 1 > gaps.final_through:
            marker = await dialect.in_flight_marker(session)
            if marker is not None:
                if gaps.pending_marker is None:
                    gaps.pending_marker, gaps.pending_through = marker, ids[-1]
                break
        accepted.append(event_id)
        expected = event_id + 1
    return accepted


async def record_failure(session: AsyncSession, name: str, error: str, retry_in: timedelta) -> None:
    """A tick failed (rolled back): try the same events again after `retry_in`."""
    await session.execute(
        update(EventCursor)
        .where(EventCursor.consumer == name)
        .values(
            failures=EventCursor.failures + 1,
            retry_after=utcnow() + retry_in,
            last_error=error[:ERROR_MAX_CHARS],
            updated_at=utcnow(),
        )
    )


async def failures(session: AsyncSession, name: str) -> int:
    return int(await session.scalar(select(EventCursor.failures).where(EventCursor.consumer == name)) or 0)
