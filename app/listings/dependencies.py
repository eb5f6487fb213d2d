"""Query parameters every listing list takes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from app.core.enums import ListingStatus, LocalIndustry, TechField
from app.core.query_parameters import check_range
from app.core.schemas import NO_NUL_PATTERN, EntityId, IsoDate
from app.listings.queries import ListingFilter, Scope
from app.listings.search_index import index_for


async def _listing_filter(
    request: Request,
    scope: Annotated[
        Scope, Query(description="public: published; mine: your organizations'; review: to review")
    ] = (Scope.PUBLIC),
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            pattern=NO_NUL_PATTERN,
            description="Search by words or a listing number (traditional or simplified Chinese, "
            "any width); public lists rank the best 1,000 matches, those with every important word "
            "first, and each item carries a `snippet` with the words marked",
        ),
    ] = None,
    tech_field: TechField | None = None,
    local_industry: Annotated[
        LocalIndustry | None,
        Query(description="Listings that name it, or name none and whose tech_field maps to it"),
    ] = None,
    region_id: Annotated[EntityId | None, Query(description="Includes the region's districts")] = None,
    organization_id: EntityId | None = None,
    status: ListingStatus | None = None,
    include_expired: bool = False,
    published_from: Annotated[IsoDate | None, Query(description="Published on or after this day")] = None,
    published_to: Annotated[IsoDate | None, Query(description="Published on or before this day")] = None,
    valid_until_from: Annotated[
        IsoDate | None, Query(description="Deadline on or after this day (open-ended ones included)")
    ] = None,
) -> ListingFilter:
    check_range("published_from", published_from, "published_to", published_to)
    return ListingFilter(
        scope=scope,
        q=q,
        tech_field=tech_field,
        local_industry=local_industry,
        region_id=region_id,
        organization_id=organization_id,
        status=status,
        include_expired=include_expired,
        published_from=published_from,
        published_to=published_to,
        valid_until_from=valid_until_from,
        index=index_for(request.app.state.settings) if q else None,
    )


ListingFilterDep = Annotated[ListingFilter, Depends(_listing_filter)]
