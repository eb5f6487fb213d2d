"""Region queries, including the tree walks (a city's filter covers its districts)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.core.enums import RegionLevel
from app.db.reader import all_rows
from app.models import Region


async def get(session: AsyncSession, region_id: int) -> Region | None:
    return await session.get(Region, region_id)


async def get_by_code(session: AsyncSession, code: str) -> Region | None:
    return await session.scalar(select(Region).where(Region.code == code))


def search(
    *, parent_id: int | None, level: RegionLevel | None, q: str | None, include_inactive: bool
) -> Select[Region]:
    statement = select(Region)
    if parent_id is not None:
        statement = statement.where(Region.parent_id == parent_id)
    if level is not None:
        statement = statement.where(Region.level == level)
    if q:
        statement = statement.where(Region.name.contains(q, autoescape=True) | (Region.code == q))
    if not include_inactive:
        statement = statement.where(Region.is_active.is_(True))
    return statement


async def names(session: AsyncSession, region_ids: Collection[int]) -> dict[int, str]:
    if not region_ids:
        return {}
    statement = select(Region.id, Region.name).where(Region.id.in_(sorted(set(region_ids))))
    return {row.id: row.name for row in await session.execute(statement)}


async def subtree_ids(db: AsyncSession | AsyncConnection, region_id: int) -> set[int]:
    """`region_id` and every region below it (through a session, or a connection of the public read
    path)."""
    tree = select(Region.id).where(Region.id == region_id).cte("tree", recursive=True)
    tree = tree.union_all(select(Region.id).where(Region.parent_id == tree.c.id))
    return set(await db.scalars(select(tree.c.id)))


# One statement, compiled once and sent past SQLAlchemy's execution machinery (app.db.reader): the
# statistics read the tree on every request.
_NODE_COLUMNS: tuple[Any, ...] = (Region.id, Region.parent_id, Region.name, Region.code, Region.level)
_NODES: Select[Any] = select(*_NODE_COLUMNS)


async def nodes(db: AsyncSession | AsyncConnection) -> list[tuple[int, int | None, str, str | None, str]]:
    """Every region's id, parent, name, code and level, inactive ones included."""
    connection = db if isinstance(db, AsyncConnection) else await db.connection()
    rows = await all_rows(connection, _NODES)
    return [(row["id"], row["parent_id"], row["name"], row["code"], row["level"]) for row in rows]


async def parents(db: AsyncSession | AsyncConnection) -> dict[int, int | None]:
    """Every region's parent (the regional network is a few hundred rows at most)."""
    return {row.id: row.parent_id for row in await db.execute(select(Region.id, Region.parent_id))}
