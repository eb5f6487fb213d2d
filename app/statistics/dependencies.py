"""The tally's query parameters, shared by the JSON answer and its files."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from app.core.errors import ValidationFailed
from app.core.i18n import msg
from app.core.pagination import MAX_LIMIT, MAX_OFFSET, PageParams
from app.core.schemas import EntityId, IsoDate
from app.statistics import service
from app.statistics.dimensions import MAX_DIMENSIONS, Dimension, PeriodBucket, Side, parse_by
from app.statistics.schemas import MAX_YEAR, MIN_YEAR

_NAMES = "|".join(dimension.value for dimension in Dimension)
BY_PATTERN = rf"^({_NAMES})(,({_NAMES}))?$"

YearQuery = Annotated[
    int | None, Query(ge=MIN_YEAR, le=MAX_YEAR, description="A calendar year (default: the current one)")
]
RegionQuery = Annotated[
    EntityId | None,
    Query(
        description="Count the region and its descendants only (on the chosen side); default: all you "
        "may read (the city for its administrators, your district for a district administrator)"
    ),
]


def _dimensions(by: str) -> tuple[Dimension, ...]:
    names = [name.strip() for name in by.split(",")]
    known = {dimension.value for dimension in Dimension}
    if not 1 <= len(names) <= MAX_DIMENSIONS or not set(names) <= known:
        raise ValidationFailed(
            msg("by takes one or two of: {allowed}", allowed=", ".join(sorted(known))),
            field="by",
            location="query",
            error_code="invalid_dimension",
        )
    return parse_by(by)


async def _tally_request(
    by: Annotated[
        str,
        Query(
            max_length=100,
            json_schema_extra={"pattern": BY_PATTERN},
            description="One or two dimensions, comma-separated: " + ", ".join(d.value for d in Dimension),
        ),
    ],
    side: Annotated[
        Side, Query(description="output (输出): by the seller's region; absorption (吸纳): by the buyer's")
    ] = Side.OUTPUT,
    period: Annotated[
        PeriodBucket, Query(description="The bucket of the period dimension")
    ] = PeriodBucket.MONTH,
    year: YearQuery = None,
    from_: Annotated[
        IsoDate | None, Query(alias="from", description="First day of a range (with `to`, not `year`)")
    ] = None,
    to: Annotated[IsoDate | None, Query(description="Last day of the range, included")] = None,
    region_id: RegionQuery = None,
) -> service.TallyRequest:
    dimensions = _dimensions(by)
    start, end = service.date_range(year, from_, to)
    return service.TallyRequest(dimensions, side, period, start, end, region_id)


TallyRequestDep = Annotated[service.TallyRequest, Depends(_tally_request)]


async def _top_page(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size")] = 10,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


# The top ten by default.
TopPageDep = Annotated[PageParams, Depends(_top_page)]
