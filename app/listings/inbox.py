"""Access requests across every listing of both kinds: an owner's incoming ones to decide, a
requester's outgoing ones to follow."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import Select, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.core.enums import AccessRequestStatus
from app.core.pagination import PageParams
from app.listings.kinds import ACCESS_REQUESTS, kind_of
from app.models import Organization


class Direction(StrEnum):
    INCOMING = "incoming"  # requests for your organizations' listings
    OUTGOING = "outgoing"  # your organizations' requests


async def page(
    session: AsyncSession,
    principal: Principal,
    direction: Direction,
    status: AccessRequestStatus | None,
    params: PageParams,
) -> tuple[list[dict[str, Any]], int]:
    """One page of rows (the request's columns plus `listing_kind` and `listing_title`), newest first."""
    mine = list(principal.memberships)
    if not mine:
        return [], 0
    combined = union_all(*(_select(model, direction, mine, status) for model in ACCESS_REQUESTS)).subquery()
    total = await session.scalar(select(func.count()).select_from(combined))
    ordered = select(combined).order_by(combined.c.created_at.desc(), combined.c.id.desc())
    rows = await session.execute(ordered.limit(params.limit).offset(params.offset))
    return [dict(row._mapping) for row in rows], int(total or 0)


def _select(
    listing_model: Any, direction: Direction, mine: list[int], status: AccessRequestStatus | None
) -> Select[Any]:
    request = ACCESS_REQUESTS[listing_model]
    statement = (
        select(
            request,
            Organization.name.label("organization_name"),
            literal(kind_of(listing_model)).label("listing_kind"),
            listing_model.title.label("listing_title"),
        )
        .join(listing_model, listing_model.id == request.listing_id)
        .join(Organization, Organization.id == request.organization_id)
    )
    if direction == Direction.INCOMING:
        statement = statement.where(listing_model.organization_id.in_(mine))
    else:
        statement = statement.where(request.organization_id.in_(mine))
    if status is not None:
        statement = statement.where(request.status == status)
    return statement
