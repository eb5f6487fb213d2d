"""Reading and writing the mapping's rows."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.core.enums import LocalIndustry, TechField
from app.industries.mapping import in_policy_order
from app.models import IndustryMapping, TechFieldIndustry


async def pairs(db: AsyncSession | AsyncConnection) -> dict[TechField, tuple[LocalIndustry, ...]]:
    """Every technology field's local industries (a field mapped to none is absent)."""
    rows = await db.execute(select(TechFieldIndustry.tech_field, TechFieldIndustry.local_industry))
    found: dict[TechField, list[LocalIndustry]] = {}
    for field, industry in rows:
        found.setdefault(TechField(field), []).append(LocalIndustry(industry))
    return {field: in_policy_order(industries) for field, industries in found.items()}


async def fields(session: AsyncSession) -> list[IndustryMapping]:
    """The mapping rows of every technology field, in the order of the national statistics."""
    rows = {row.tech_field: row for row in await session.scalars(select(IndustryMapping))}
    return [rows[field] for field in TechField if field in rows]


async def industries_of(session: AsyncSession, field: TechField) -> tuple[LocalIndustry, ...]:
    statement = select(TechFieldIndustry.local_industry).where(TechFieldIndustry.tech_field == field)
    return in_policy_order(await session.scalars(statement))


async def replace_industries(
    session: AsyncSession, field: TechField, industries: Sequence[LocalIndustry]
) -> None:
    await session.execute(delete(TechFieldIndustry).where(TechFieldIndustry.tech_field == field))
    if industries:
        rows = [{"tech_field": field, "local_industry": industry} for industry in industries]
        await session.execute(insert(TechFieldIndustry), rows)
