"""Demand rules: posting, editing before publication, reading as a given caller."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.core.errors import Conflict, ValidationFailed
from app.db import dialect
from app.demands.kind import DEMAND
from app.demands.schemas import DemandCreate, DemandFilter, DemandRead, DemandUpdate
from app.events import recording as audit
from app.listings import service as listings
from app.listings.kinds import Listing, ReadKind
from app.models import Demand

AUDITED = (
    *listings.AUDITED,
    "description",
    "demand_type",
    "cooperation_modes",
    "budget_min_fen",
    "budget_max_fen",
    "is_budget_negotiable",
)


def demand_number(demand: Demand) -> str:
    return DEMAND.number(demand)


async def create(session: AsyncSession, principal: Principal, data: DemandCreate) -> Demand:
    organization = await listings.posting_organization(session, principal, data.organization_id)
    if data.client_key is not None and await listings.client_key_taken(
        session, Demand, organization.id, data.client_key
    ):
        raise Conflict("A demand with this client_key exists already", code="duplicate_client_key")
    demand = DEMAND.build(
        data,
        organization_id=organization.id,
        region_id=await listings.listing_region(session, organization, data.region_id),
        created_by_id=principal.user_id,
    )
    session.add(demand)
    await session.flush()
    await listings.record(session, principal, demand, "create", after=audit.snapshot(demand, AUDITED))
    return demand


async def update(session: AsyncSession, principal: Principal, demand: Demand, data: DemandUpdate) -> Demand:
    listings.require_editable(principal, demand)
    await _edit(session, principal, demand, data, "update")
    return demand


async def edit(
    session: AsyncSession, principal: Principal, listing: Listing, changes: dict[str, Any], verb: str
) -> None:
    """The revisions' Editor: apply an update given as DemandUpdate JSON (see app.listings.revisions)."""
    assert isinstance(listing, Demand)  # noqa: S101 - registered for demands only
    await _edit(session, principal, listing, DemandUpdate.model_validate(changes), verb)


async def _edit(
    session: AsyncSession, principal: Principal, demand: Demand, data: DemandUpdate, verb: str
) -> None:
    changes = data.model_dump(exclude_unset=True)
    if changes.get("budget_min_fen") is not None or changes.get("budget_max_fen") is not None:
        changes.setdefault("is_budget_negotiable", False)  # giving a range ends 面议
    before = audit.snapshot(demand, AUDITED)
    await listings.apply_update(session, demand, changes)
    _check_budget(demand)
    demand.search_text = DEMAND.search_text(demand)
    await session.flush()
    await listings.record(
        session, principal, demand, verb, before=before, after=audit.snapshot(demand, AUDITED)
    )


async def to_read(
    session: AsyncSession, principal: Principal | None, demands: Sequence[Demand]
) -> list[DemandRead]:
    return await listings.present_all(
        session, principal, DemandRead, demands, lambda demand: {"number": demand_number(demand)}
    )


# How demands are read (app.listings.reading).
READS = ReadKind(Demand, DemandRead, DEMAND.number_prefix, to_read)


def conditions(db: dialect.Db, f: DemandFilter) -> list[ColumnElement[bool]]:
    """The WHERE clauses of the demand-only filters."""
    found: list[ColumnElement[bool]] = []
    if f.cooperation_mode is not None:
        found.append(dialect.json_list_has(db, Demand.cooperation_modes, f.cooperation_mode.value))
    # Overlap of [budget_min_fen, budget_max_fen] with the asked range; no floor means from 0.
    ranged: list[ColumnElement[bool]] = []
    if f.budget_from_fen is not None:
        ranged.append(Demand.budget_max_fen >= f.budget_from_fen)
    if f.budget_to_fen is not None:
        ranged.append(or_(Demand.budget_min_fen.is_(None), Demand.budget_min_fen <= f.budget_to_fen))
    if not f.include_negotiable:
        return [*found, Demand.is_budget_negotiable.is_(False), *ranged]
    if ranged:
        found.append(or_(Demand.is_budget_negotiable.is_(True), and_(*ranged)))
    return found


def _check_budget(demand: Demand) -> None:
    low, high = demand.budget_min_fen, demand.budget_max_fen
    if demand.is_budget_negotiable and (low is not None or high is not None):
        demand.budget_min_fen = demand.budget_max_fen = None  # 面议 replaces a range set earlier
    elif low is not None and high is not None and low > high:
        raise ValidationFailed("budget_min_fen must not exceed budget_max_fen", field="budget_min_fen")
    elif not demand.is_budget_negotiable and high is None:
        raise ValidationFailed(
            "give budget_max_fen (and optionally budget_min_fen), or is_budget_negotiable",
            field="budget_max_fen",
        )
