"""Filters every listing list shares: scope, text, field and local industry, region, dates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    ScalarSelect,
    Select,
    and_,
    cast,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB, aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import defer
from sqlalchemy.sql import Subquery

from app.auth.principal import Principal
from app.core.clock import CHINA_STANDARD_TIME
from app.core.enums import ListingStatus, LocalIndustry, RevisionStatus, TechField
from app.core.errors import Unauthorized
from app.listings import search
from app.listings.kinds import REVISIONS
from app.listings.review import reviewable_regions
from app.models import Achievement, Demand, IndustryMapping
from app.regions.repository import subtree_ids

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


@dataclass(frozen=True, slots=True)
class Filtered:
    """The WHERE clauses of a list, and the (id, rank) matches to join when `q` is searched."""

    conditions: list[ColumnElement[bool]]
    matches: Subquery | None = None


async def filtered(
    db: AsyncSession | AsyncConnection,
    model: type[Listing],
    principal: Principal | None,
    f: ListingFilter,
    today: date,
) -> Filtered:
    """What `f` asks of `model`, for the ORM list (a session) and the public read path (a connection)."""
    conditions = [await _scope(db, model, principal, f.scope)]
    if f.tech_field is not None:
        conditions.append(model.tech_field == f.tech_field)
    if f.local_industry is not None:
        fields = select(IndustryMapping.tech_field).where(IndustryMapping.local_industry == f.local_industry)
        conditions.append(model.tech_field.in_(fields))
    if f.region_id is not None:
        # Sorted: one statement text and parameter order per subtree, whatever the set's order.
        conditions.append(model.region_id.in_(sorted(await subtree_ids(db, f.region_id))))
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
    words = search.query_tokens(f.q) if f.q else []
    if f.q and not words:
        return Filtered([*conditions, false()])
    if not words:
        return Filtered(conditions)
    return Filtered(conditions, search.ranked_matches(model.__tablename__, dialect_of(db), words))


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


def dialect_of(db: AsyncSession | AsyncConnection) -> str:
    return db.dialect.name if isinstance(db, AsyncConnection) else db.get_bind().dialect.name


async def _scope(
    db: AsyncSession | AsyncConnection, model: type[Listing], principal: Principal | None, scope: Scope
) -> Any:
    if scope == Scope.PUBLIC:
        return model.status == ListingStatus.PUBLISHED
    if principal is None:
        raise Unauthorized(f"scope={scope.value} needs a signed-in caller")
    if scope == Scope.MINE:
        return model.organization_id.in_(list(principal.memberships)) if principal.memberships else false()
    assert isinstance(db, AsyncSession)  # noqa: S101 - only signed-in callers review, on the ORM path
    regions = await reviewable_regions(db, principal)
    own = model.organization_id.not_in(list(principal.memberships)) if principal.memberships else true()
    in_regions = true() if regions is None else model.region_id.in_(regions)
    revision = REVISIONS[model]
    pending = select(revision.listing_id).where(revision.status == RevisionStatus.SUBMITTED)
    awaiting = or_(
        model.status == ListingStatus.SUBMITTED,
        and_(model.status == ListingStatus.PUBLISHED, model.id.in_(pending)),
    )
    return and_(awaiting, in_regions, own)


def json_list_has(dialect: str, column: Any, value: str) -> ColumnElement[bool]:
    """Whether the JSON list in `column` holds `value` (a transfer or cooperation mode, say)."""
    if dialect == "postgresql":
        return cast(column, JSONB).contains([value])
    elements = func.json_each(column).table_valued("value")
    return select(literal(1)).select_from(elements).where(elements.c.value == value).exists()


def json_array(
    dialect: str,
    fields: Mapping[str, ColumnElement[Any]],
    where: ColumnElement[bool],
    order: ColumnElement[Any],
    correlate: Any,
) -> ScalarSelect[Any]:
    """A correlated subquery: the rows of `fields`' table passing `where`, in `order`, as a JSON array
    of {name: value} objects ([] for none), so a listing's collection (its patents) comes back with
    the listing's own row instead of in a query of its own."""
    pairs = [part for name, column in fields.items() for part in (literal_column(f"'{name}'"), column)]
    if dialect == "postgresql":
        rows = func.json_agg(aggregate_order_by(func.json_build_object(*pairs), order))
        return select(func.coalesce(rows, literal_column("'[]'"), type_=JSON)).where(where).scalar_subquery()
    # SQLite (3.40) has no ORDER BY inside an aggregate: an ordered subquery feeds json_group_array.
    labelled = [column.label(name) for name, column in fields.items()]
    ordered = select(*labelled).where(where).order_by(order).correlate(correlate).subquery("ordered")
    members = [part for name in fields for part in (literal_column(f"'{name}'"), ordered.c[name])]
    return select(func.json_group_array(func.json_object(*members), type_=JSON)).scalar_subquery()


def _start_of(day: date) -> datetime:
    """The instant a calendar day (China Standard Time) begins; the first day ever has no earlier
    midnight in UTC, so it starts at the earliest instant."""
    if day == date.min:
        return datetime.min.replace(tzinfo=UTC)
    return datetime.combine(day, time.min, tzinfo=CHINA_STANDARD_TIME).astimezone(UTC)
