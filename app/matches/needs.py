"""A stored listing as the need the engine matches against (its own text and terms)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.listings import index_records
from app.matching.records import Need
from app.models import Achievement, Demand


async def need_of(session: AsyncSession, listing: Demand | Achievement) -> Need:
    record = index_records.record(listing, await index_records.context(session))
    return Need(
        text=f"{record.title}\n{record.body}",
        keywords=record.keywords,
        tech_field=record.tech_field,
        local_industries=record.local_industries,
        modes=record.modes,
        price_fen=record.price_fen,
        trl=record.trl,
        demand_type=record.demand_type,
        region_path=record.region_path,
        listing_id=record.id,
        listing_kind=record.kind,
        organization_id=record.organization_id,
    )
