"""Login throttling: failures counted per account and per client address in a fixed window.

Counters live in the database so that every worker process shares them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, literal, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import TooManyRequests
from app.db import dialect
from app.db.base import UTCDateTime
from app.db.session import keep_so_far
from app.models import LoginThrottle


@dataclass(frozen=True, slots=True)
class ThrottleRule:
    key: str
    max_failures: int


async def reserve_attempt(
    session: AsyncSession, rules: list[ThrottleRule], *, now: datetime, window: timedelta
) -> None:
    """Count this attempt against every rule before the password is checked; 429 past a limit.

    The count is one atomic upsert per key, and the row stays locked until the transaction ends, so
    parallel guesses queue up and each sees the attempts before it (check-then-count would let a
    burst of parallel guesses through). A refused attempt is rolled back and does not count;
    the counts of a failed one are kept (`keep_so_far`: the request's failure rolls back to just
    after them and commits); a successful one is given back.
    """
    for rule in rules:
        failures, window_started_at = await _count(session, rule.key, now=now, window=window)
        if failures > rule.max_failures:
            retry_after = (window_started_at + window - now).total_seconds()
            raise TooManyRequests(
                "Too many failed sign-in attempts; try again later", retry_after_seconds=int(retry_after) + 1
            )
    await keep_so_far(session)


async def _count(
    session: AsyncSession, key: str, *, now: datetime, window: timedelta
) -> tuple[int, datetime]:
    statement = dialect.insert(session, LoginThrottle).values(key=key, failures=1, window_started_at=now)
    expired = LoginThrottle.window_started_at <= now - window
    statement = statement.on_conflict_do_update(
        index_elements=[LoginThrottle.key],
        set_={
            "failures": case((expired, 1), else_=LoginThrottle.failures + 1),
            "window_started_at": case(
                (expired, literal(now, UTCDateTime())), else_=LoginThrottle.window_started_at
            ),
        },
    ).returning(LoginThrottle.failures, LoginThrottle.window_started_at)
    failures, window_started_at = (await session.execute(statement)).one()
    return int(failures), window_started_at


async def give_back(session: AsyncSession, key: str) -> None:
    """Un-count a successful attempt (its address may still have failures of its own)."""
    await session.execute(
        update(LoginThrottle).where(LoginThrottle.key == key).values(failures=LoginThrottle.failures - 1)
    )


async def clear(session: AsyncSession, key: str) -> None:
    await session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))
