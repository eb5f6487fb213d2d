"""The mapping: what a listing counts under, and the administrators' edits of it.

Listings ask `mapping` for the current pairs (one small query: the mapping is a dozen rows, read
fresh so that every reader, the public read path included, sees an edit at once) and build their
filter with `counts_under`. Edits are a compare-and-set on the field's row (`transition`), recorded
as `industry_mapping.set` with the industries before and after.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.auth.principal import Principal
from app.core.enums import LocalIndustry, TechField
from app.core.errors import NotFound
from app.core.i18n import msg
from app.core.pagination import check_if_match
from app.db import dialect
from app.events.transitions import transition
from app.industries import repository
from app.industries.mapping import in_policy_order
from app.industries.schemas import IndustryMappingRead
from app.models import IndustryMapping, TechFieldIndustry

ETAG_KIND = "industry-mapping"


async def mapping(db: AsyncSession | AsyncConnection) -> dict[TechField, tuple[LocalIndustry, ...]]:
    """Each technology field's local industries, in the policy's order (absent: none)."""
    return await repository.pairs(db)


def counts_under(explicit: Any, tech_field: Any, industry: LocalIndustry) -> ColumnElement[bool]:
    """SQL: a listing counts under `industry` when it names it, or names none and its technology
    field maps to it."""
    mapped = select(TechFieldIndustry.tech_field).where(TechFieldIndustry.local_industry == industry)
    return or_(explicit == industry, and_(explicit.is_(None), tech_field.in_(mapped)))


def mapped_industries(db: dialect.Db, tech_field: Any, correlate: Any) -> ScalarSelect[Any]:
    """SQL: the local industries `tech_field` maps to, as a JSON array of {"industry": …} objects,
    for a listing read in one statement (app.listings.public)."""
    pairs = TechFieldIndustry.__table__.c
    return dialect.json_array(
        db,
        {"industry": pairs.local_industry},
        where=pairs.tech_field == tech_field,
        order=pairs.local_industry,
        correlate=correlate,
    )


async def list_fields(
    session: AsyncSession, local_industry: LocalIndustry | None
) -> list[IndustryMappingRead]:
    """Every technology field's mapping (those mapped to `local_industry`, when given)."""
    current = await repository.pairs(session)
    reads = [_read(row, current.get(row.tech_field, ())) for row in await repository.fields(session)]
    if local_industry is None:
        return reads
    return [read for read in reads if local_industry in read.local_industries]


async def get_field(session: AsyncSession, field: TechField) -> IndustryMappingRead:
    row = await _row(session, field)
    return _read(row, await repository.industries_of(session, field))


async def set_field(
    session: AsyncSession,
    principal: Principal,
    field: TechField,
    industries: Sequence[LocalIndustry],
    *,
    if_match: str,
) -> IndustryMappingRead:
    """Map `field` to exactly `industries` if `if_match` names the version last read (412 if not,
    409 if another edit won the race meanwhile). Setting what is there already changes nothing."""
    row = await _row(session, field)
    check_if_match(if_match, ETAG_KIND, field.value, row.version)
    before = await repository.industries_of(session, field)
    after = in_policy_order(industries)
    if after == before:
        return _read(row, before)
    await transition(
        session,
        principal.actor,
        row,
        "industry_mapping.set",
        values={"updated_by_id": principal.user_id},
        before={"local_industries": [industry.value for industry in before]},
        after={"local_industries": [industry.value for industry in after]},
        entity_type="industry_mapping",
        entity_id=field.value,
    )
    await repository.replace_industries(session, field, after)
    return _read(row, after)


async def _row(session: AsyncSession, field: TechField) -> IndustryMapping:
    row = await session.get(IndustryMapping, field)
    if row is None:  # every field is seeded by the migrations
        raise NotFound(msg("No mapping for the technology field {field}", field=field))
    return row


def _read(row: IndustryMapping, industries: Sequence[LocalIndustry]) -> IndustryMappingRead:
    return IndustryMappingRead(
        tech_field=row.tech_field,
        local_industries=list(industries),
        version=row.version,
        updated_at=row.updated_at,
        updated_by_id=row.updated_by_id,
    )
