"""The dialect seam answers the same on SQLite and PostgreSQL (the suite runs on both)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from httpx import AsyncClient
from sqlalchemy import literal, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db import dialect
from app.db.base import UTCDateTime
from app.models import Demand, LoginThrottle
from tests.demands import support as demands


@pytest.mark.parametrize(
    ("instant", "bucket", "expected"),
    [
        # 2026-03-31 17:00 UTC is already 1 April in China: the next day, month and quarter.
        (datetime(2026, 3, 31, 17, 0, tzinfo=UTC), dialect.Bucket.DAY, "2026-04-01"),
        (datetime(2026, 3, 31, 17, 0, tzinfo=UTC), dialect.Bucket.MONTH, "2026-04"),
        (datetime(2026, 3, 31, 17, 0, tzinfo=UTC), dialect.Bucket.QUARTER, "2026-Q2"),
        (datetime(2026, 3, 31, 15, 59, tzinfo=UTC), dialect.Bucket.QUARTER, "2026-Q1"),
        (datetime(2026, 12, 31, 16, 0, tzinfo=UTC), dialect.Bucket.YEAR, "2027"),
        (datetime(2026, 11, 5, 1, 0, tzinfo=UTC), dialect.Bucket.QUARTER, "2026-Q4"),
    ],
)
async def test_calendar_buckets_are_china_standard_time(
    client: AsyncClient,
    db: async_sessionmaker[AsyncSession],
    instant: datetime,
    bucket: dialect.Bucket,
    expected: str,
) -> None:
    async with db() as session:
        value = literal(instant, UTCDateTime())
        assert await session.scalar(select(dialect.calendar_bucket(session, value, bucket))) == expected


async def test_json_list_containment(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    owner, organization = await demands.poster(client)
    demand = await demands.create(client, owner, organization["id"], cooperation_modes=["transfer"])
    async with db() as session:
        has = dialect.json_list_has(session, Demand.cooperation_modes, "transfer")
        lacks = dialect.json_list_has(session, Demand.cooperation_modes, "licensing")
        found = await session.scalars(select(Demand.id).where(Demand.id == demand["id"], has))
        missing = await session.scalars(select(Demand.id).where(Demand.id == demand["id"], lacks))
        assert (list(found), list(missing)) == ([demand["id"]], [])


async def test_upsert(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    async with db() as session:
        for _ in range(2):
            statement = dialect.insert(session, LoginThrottle).values(
                key="dialect-test", failures=1, window_started_at=now
            )
            statement = statement.on_conflict_do_update(
                index_elements=[LoginThrottle.key], set_={"failures": LoginThrottle.failures + 1}
            )
            await session.execute(statement)
        stored = await session.scalar(
            select(LoginThrottle.failures).where(LoginThrottle.key == "dialect-test")
        )
        await session.rollback()
    assert stored == 2
