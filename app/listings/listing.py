"""Running a filtered, sorted, paginated listing query (shared by demands and achievements)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.core.clock import today
from app.core.pagination import PageParams
from app.db.repository import fetch_page
from app.listings import queries
from app.models import Achievement, Demand

ListingT = TypeVar("ListingT", Demand, Achievement)
Listing = Demand | Achievement


class ListingSort(StrEnum):
    RELEVANCE = "relevance"  # with q; newest first without it
    NEWEST = "newest"
    DEADLINE = "deadline"  # soonest valid_until first, open-ended last
    TITLE = "title"  # in pinyin order, as a Chinese dictionary sorts


async def run(
    session: AsyncSession,
    model: type[ListingT],
    principal: Principal | None,
    listing_filter: queries.ListingFilter,
    sort: ListingSort,
    page: PageParams,
    conditions: Sequence[ColumnElement[bool]] = (),
) -> tuple[list[ListingT], int]:
    """One page of `model` rows passing `listing_filter` and a feature's own `conditions`."""
    statement = await ordered(session, model, principal, listing_filter, sort, conditions)
    return await fetch_page(session, statement, limit=page.limit, offset=page.offset)


async def ordered(
    session: AsyncSession,
    model: type[ListingT],
    principal: Principal | None,
    listing_filter: queries.ListingFilter,
    sort: ListingSort,
    conditions: Sequence[ColumnElement[bool]] = (),
) -> Select[Any]:
    """The sorted, unpaginated statement of a list (an export runs it over ids only)."""
    statement, rank = await queries.build(session, model, principal, listing_filter, today())
    return statement.where(*conditions).order_by(*order_by(model, sort, rank))


def order_by(model: type[Listing], sort: ListingSort, rank: Any | None) -> list[Any]:
    """The ORDER BY of `sort`; `rank` is the search's rank column when `q` was searched."""
    newest: list[Any] = [model.published_at.desc().nulls_last(), model.id.desc()]
    if sort == ListingSort.RELEVANCE and rank is not None:
        return [rank.desc(), *newest]
    if sort == ListingSort.DEADLINE:
        return [model.valid_until.asc().nulls_last(), model.id.desc()]
    if sort == ListingSort.TITLE:
        return [model.title_sort.asc(), model.id.asc()]  # pinyin order (app.core.collation)
    return newest
