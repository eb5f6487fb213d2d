"""Loading the demo network into the test database (rolled back afterwards): once, however often.

The tests that read the loaded network are in test_demo_network.py, which loads it once for all.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.demo import DEFAULT_SEED
from app.demo.loader import DemoSummary, load_demo_data
from app.demo.network import ORGANIZATIONS
from app.models import Achievement, Demand, Membership, Organization, Patent, Region, RoleGrant, User

COUNTED = (Region, Organization, User, Membership, RoleGrant, Achievement, Patent, Demand)


async def _load(db: async_sessionmaker[AsyncSession], seed: int = DEFAULT_SEED) -> DemoSummary:
    async with db() as session:
        summary = await load_demo_data(session, seed)
        await session.commit()
        return summary


async def _counts(db: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with db() as session:
        return {
            model.__tablename__: int(await session.scalar(select(func.count()).select_from(model)) or 0)
            for model in COUNTED
        }


async def test_loads_the_network_once(db: async_sessionmaker[AsyncSession]) -> None:
    before = await _counts(db)
    first = await _load(db)
    after_first = await _counts(db)
    second = await _load(db)
    third = await _load(db, seed=7)  # another seed does not add a second network either

    assert (first.organizations, first.achievements, first.demands) == (len(ORGANIZATIONS), 300, 100)
    assert first.regions == 3  # the functional zones; the city and its districts come from migration 1
    assert after_first["users"] - before["users"] == first.users
    assert after_first["achievement_patents"] - before["achievement_patents"] == first.patents > 0
    assert not second.created_anything
    assert not third.created_anything
    assert await _counts(db) == after_first
