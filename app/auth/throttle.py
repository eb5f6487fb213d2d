"""Login throttling: failures counted per account and per client address in a fixed window.

Counters live in the database so that every worker process shares them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import TooManyRequests
from app.db.base import UTCDateTime
from app.models import LoginThrottle


@dataclass(frozen=True, slots=True)
class ThrottleRule:
    key: str
    max_failures: int


async def refuse_if_throttled(
    session: AsyncSession, rules: list[ThrottleRule], *, now: datetime, window: timedelta
) -> None:
    rows = await session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_([r.key for r in rules])))
    counters = {row.key: row for row in rows}
    for rule in rules:
        row = counters.get(rule.key)
        if row is None or row.window_started_at <= now - window:
            continue
        if row.failures >= rule.max_failures:
            retry_after = (row.window_started_at + window - now).total_seconds()
            raise TooManyRequests(
                "Too many failed sign-in attempts; try again later", retry_after_seconds=int(retry_after) + 1
            )


async def count_failure(session: AsyncSession, keys: list[str], *, now: datetime, window: timedelta) -> None:
    dialect = session.get_bind().dialect.name
    insert: Any = pg_insert if dialect == "postgresql" else sqlite_insert
    for key in keys:
        statement = insert(LoginThrottle).values(key=key, failures=1, window_started_at=now)
        expired = LoginThrottle.window_started_at <= now - window
        statement = statement.on_conflict_do_update(
            index_elements=[LoginThrottle.key],
            set_={
                "failures": case((expired, 1), else_=LoginThrottle.failures + 1),
                "window_started_at": case(
                    (expired, literal(now, UTCDateTime())), else_=LoginThrottle.window_started_at
                ),
            },
        )
        await session.execute(statement)


async def clear(session: AsyncSession, key: str) -> None:
    await session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))
