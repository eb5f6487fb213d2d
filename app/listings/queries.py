"""Filters every listing list shares: scope, text, field and local industry, region, dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, and_, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from app.auth.principal import Principal
from app.core.clock import CHINA_STANDARD_TIME
from app.core.enums import ListingStatus, LocalIndustry, RevisionStatus, TechField
from app.core.errors import Unauthorized
from app.listings import search
from app.listings.kinds import REVISIONS
from app.models import Achievement, Demand, IndustryMapping
from app.regions.service import subtree_ids

Listing = Demand | Achievement


class Scope(StrEnum):
    PUBLIC = "public"  # published listings (anyone)
    MINE = "mine"  # every listing of the caller's organizations, whatever its status
    REVIEW = "review"  # submitted listings, and published ones with a revision, the caller may review


@dataclass(frozen=True, slots=True)
class ListingFilter:
    scope: Scope = Scope.PUBLIC
    q: str | None = None
    tech_field: TechField | None = None
    local_industry: LocalIndustry | None = None
    region_id: int | None = None
    organization_id: int | None = None
    status: ListingStatus | None = None
    include_expired: bool = False
    published_from: date | None = None
    published_to: date | None = None
    valid_on_or_after: date | None = None


async def build(
    session: AsyncSession, model: type[Listing], principal: Principal | None, f: ListingFilter, today: date
) -> tuple[Select[Any], Any | None]:
    """The filtered statement over `model`, and the rank column when `q` is searched."""
    # search_text (the index's tokens, often kilobytes) is never shown: lists leave it unread.
    scope = _scope(model, principal, f.scope)
    statement: Select[Any] = select(model).options(defer(model.search_text)).where(scope)
    conditions: list[Any] = []
    if f.tech_field is not None:
        conditions.append(model.tech_field == f.tech_field)
    if f.local_industry is not None:
        fields = select(IndustryMapping.tech_field).where(IndustryMapping.local_industry == f.local_industry)
        conditions.append(model.tech_field.in_(fields))
    if f.region_id is not None:
        conditions.append(model.region_id.in_(await subtree_ids(session, f.region_id)))
    if f.organization_id is not None:
        conditions.append(model.organization_id == f.organization_id)
    if f.status is not None:
        conditions.append(model.status == f.status)
    if f.scope == Scope.PUBLIC and not f.include_expired:
        conditions.append(or_(model.valid_until.is_(None), model.valid_until >= today))
    if f.valid_on_or_after is not None:
        conditions.append(or_(model.valid_until.is_(None), model.valid_until >= f.valid_on_or_after))
    if f.published_from is not None:
        conditions.append(model.published_at >= _start_of(f.published_from))
    if f.published_to is not None and f.published_to < date.max:  # the last day has no day after
        # Both ends are whole days (China Standard Time): published_to includes the day itself.
        conditions.append(model.published_at < _start_of(f.published_to + timedelta(days=1)))
    statement = statement.where(*conditions)
    words = search.query_tokens(f.q) if f.q else []
    if f.q and not words:
        return statement.where(false()), None
    if not words:
        return statement, None
    matches = search.ranked_matches(session, model.__tablename__, words)
    return statement.join(matches, matches.c.id == model.id), matches.c.rank


def _scope(model: type[Listing], principal: Principal | None, scope: Scope) -> Any:
    if scope == Scope.PUBLIC:
        return model.status == ListingStatus.PUBLISHED
    if principal is None:
        raise Unauthorized(f"scope={scope.value} needs a signed-in caller")
    access = principal.access
    if scope == Scope.MINE:
        return access.member_filter(model.organization_id)
    revision = REVISIONS[model]
    pending = select(revision.listing_id).where(revision.status == RevisionStatus.SUBMITTED)
    awaiting = or_(
        model.status == ListingStatus.SUBMITTED,
        and_(model.status == ListingStatus.PUBLISHED, model.id.in_(pending)),
    )
    return and_(awaiting, access.reviewed_filter(model.region_id, model.organization_id))


def _start_of(day: date) -> datetime:
    """The instant a calendar day (China Standard Time) begins; the first day ever has no earlier
    midnight in UTC, so it starts at the earliest instant."""
    if day == date.min:
        return datetime.min.replace(tzinfo=UTC)
    return datetime.combine(day, time.min, tzinfo=CHINA_STANDARD_TIME).astimezone(UTC)
