"""Filters every listing list shares: scope, text, field and local industry, region, dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import defer
from sqlalchemy.sql import Subquery

from app.auth.principal import Principal
from app.core.clock import CHINA_STANDARD_TIME
from app.core.enums import ListingStatus, LocalIndustry, RevisionStatus, TechField
from app.core.errors import Unauthorized
from app.core.i18n import msg
from app.db import dialect
from app.industries import service as industries
from app.listings import search
from app.listings.kinds import REVISIONS, kind_of
from app.listings.search_index import SearchIndex
from app.models import Achievement, Demand
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
    valid_until_from: date | None = None
    # The index that answers `q` for published listings (app.listings.search); without it, `q` is
    # searched in SQL as for scope=mine.
    index: SearchIndex | None = field(default=None, compare=False)


# Filters the matching index does not answer (it holds kind, publication, expiry and field).
_SQL_ONLY = (
    "local_industry",
    "region_id",
    "organization_id",
    "status",
    "published_from",
    "published_to",
    "valid_until_from",
)


@dataclass(frozen=True, slots=True)
class Filtered:
    """The WHERE clauses of a list, and the (id, rank) matches to join when `q` is searched."""

    conditions: list[ColumnElement[bool]]
    matches: Subquery | None = None


def searched_by_engine(f: ListingFilter) -> bool:
    """Whether `f.q` goes through the matching engine (published listings, with an index)."""
    return bool(f.q) and f.scope == Scope.PUBLIC and f.index is not None


def ranking_is_the_answer(f: ListingFilter) -> bool:
    """Whether the engine's ranking alone answers `f`: it is searched by the engine and asks nothing
    the index does not hold (kind, publication, expiry, field). A page can then be cut from the
    ranking and its length is the total, with no COUNT in SQL (a feature's own filters and another
    sort are the caller's to rule out)."""
    return searched_by_engine(f) and not any(getattr(f, name) is not None for name in _SQL_ONLY)


async def engine_ids(model: type[Listing], f: ListingFilter, today: date) -> tuple[int, ...]:
    """The published listings of `model` the engine finds for `f.q`, best first (none without an
    index or a query: see searched_by_engine)."""
    if f.index is None or not f.q:
        return ()
    return await search.engine_ids(
        f.index,
        kind_of(model),
        f.q,
        tech_field=f.tech_field.value if f.tech_field is not None else None,
        today=None if f.include_expired else today,
    )


async def filtered(
    db: AsyncSession | AsyncConnection,
    model: type[Listing],
    principal: Principal | None,
    f: ListingFilter,
    today: date,
) -> Filtered:
    """What `f` asks of `model`, for the ORM list (a session) and the public read path (a connection)."""
    conditions = [_scope(model, principal, f.scope)]
    if f.tech_field is not None:
        conditions.append(model.tech_field == f.tech_field)
    if f.local_industry is not None:
        conditions.append(industries.counts_under(model.local_industry, model.tech_field, f.local_industry))
    if f.region_id is not None:
        # Sorted: one statement text and parameter order per subtree, whatever the set's order.
        conditions.append(model.region_id.in_(sorted(await subtree_ids(db, f.region_id))))
    if f.organization_id is not None:
        conditions.append(model.organization_id == f.organization_id)
    if f.status is not None:
        conditions.append(model.status == f.status)
    if f.scope == Scope.PUBLIC and not f.include_expired:
        conditions.append(or_(model.valid_until.is_(None), model.valid_until >= today))
    if f.valid_until_from is not None:
        conditions.append(or_(model.valid_until.is_(None), model.valid_until >= f.valid_until_from))
    if f.published_from is not None:
        conditions.append(model.published_at >= _start_of(f.published_from))
    if f.published_to is not None and f.published_to < date.max:  # the last day has no day after
        # Both ends are whole days (China Standard Time): published_to includes the day itself.
        conditions.append(model.published_at < _start_of(f.published_to + timedelta(days=1)))
    return await _searched(db, model, f, today, conditions)


async def _searched(
    db: AsyncSession | AsyncConnection,
    model: type[Listing],
    f: ListingFilter,
    today: date,
    conditions: list[ColumnElement[bool]],
) -> Filtered:
    """`conditions`, with the matches of `f.q` to join: the engine's for published listings, SQL's
    full-text search for a caller's own and those under review."""
    if not f.q:
        return Filtered(conditions)
    if searched_by_engine(f):
        ids = await engine_ids(model, f, today)
        if not ids:
            return Filtered([*conditions, false()])
        return Filtered(conditions, dialect.ranked_ids(db, ids))
    words = search.query_tokens(f.q)
    if not words:
        return Filtered([*conditions, false()])
    return Filtered(conditions, search.ranked_matches(db, model.__tablename__, words))


async def build(
    session: AsyncSession, model: type[Listing], principal: Principal | None, f: ListingFilter, today: date
) -> tuple[Select[Any], Any | None]:
    """The filtered ORM statement over `model`, and the rank column when `q` is searched."""
    found = await filtered(session, model, principal, f, today)
    # search_text (the index's tokens, often kilobytes) is never shown: lists leave it unread.
    statement: Select[Any] = select(model).options(defer(model.search_text)).where(*found.conditions)
    if found.matches is None:
        return statement, None
    return statement.join(found.matches, found.matches.c.id == model.id), found.matches.c.rank


def _scope(model: type[Listing], principal: Principal | None, scope: Scope) -> Any:
    if scope == Scope.PUBLIC:
        return model.status == ListingStatus.PUBLISHED
    if principal is None:
        raise Unauthorized(msg("scope={scope} needs a signed-in caller", scope=scope.value))
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
