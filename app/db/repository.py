"""Small helpers every repository uses: compare-and-set updates and counted pages."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.base import Base

ModelT = TypeVar("ModelT", bound=Base)


async def compare_and_set(
    session: AsyncSession,
    model: type[Base],
    *,
    where: list[ColumnElement[bool]],
    values: dict[str, Any],
) -> bool:
    """`UPDATE model SET values WHERE <where>`; True when exactly one row matched.

    Callers put the expected current state (status, version, revoked_at IS NULL) in `where`, so a
    concurrent change makes this a no-op that the caller reports as a conflict.
    """
    statement = update(model).where(*where).values(**values).execution_options(synchronize_session=False)
    result = await session.execute(statement)
    return result.rowcount == 1  # type: ignore[attr-defined,no-any-return]


async def fetch_page(
    session: AsyncSession, statement: Select[ModelT], *, limit: int, offset: int
) -> tuple[list[ModelT], int]:
    """One page of `statement` plus the total number of rows it matches."""
    total = await session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    rows = await session.scalars(statement.limit(limit).offset(offset))
    return list(rows), int(total or 0)
