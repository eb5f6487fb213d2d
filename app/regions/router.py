"""The regional network: read by anyone, changed by city and system administrators."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from app.auth.dependencies import AdminDep
from app.core.enums import RegionLevel
from app.core.pagination import (
    CREATED,
    IfMatchDep,
    Page,
    PageDep,
    check_if_match,
    etag,
    page_of,
    set_location,
    sort_query,
)
from app.core.problems import problem_responses
from app.core.schemas import NO_NUL_PATTERN, EntityId
from app.db.dependencies import SessionDep
from app.regions import service
from app.regions.schemas import RegionCreate, RegionRead, RegionUpdate

router = APIRouter(prefix="/regions", tags=["regions"])


@router.get("", operation_id="list_regions", responses=problem_responses(422, 500))
async def list_regions(
    session: SessionDep,
    page: PageDep,
    parent_id: Annotated[EntityId | None, Query()] = None,
    level: RegionLevel | None = None,
    q: Annotated[
        str | None, Query(max_length=100, pattern=NO_NUL_PATTERN, description="Name fragment or exact code")
    ] = None,
    include_inactive: bool = False,
    sort: Annotated[str | None, sort_query(service.SORTABLE)] = None,
) -> Page[RegionRead]:
    """List regions, filtered by parent, level or name."""
    items, total = await service.list_regions(
        session, page, parent_id=parent_id, level=level, q=q, include_inactive=include_inactive, sort=sort
    )
    return page_of([RegionRead.model_validate(r) for r in items], total, page)


@router.get("/{region_id}", operation_id="get_region", responses=problem_responses(404, 422, 500))
async def get_region(region_id: EntityId, session: SessionDep, response: Response) -> RegionRead:
    """One region."""
    region = await service.get_region(session, region_id)
    response.headers["ETag"] = etag("region", region.id, region.version)
    return RegionRead.model_validate(region)


@router.post(
    "",
    operation_id="create_region",
    status_code=status.HTTP_201_CREATED,
    responses={**CREATED, **problem_responses(401, 403, 404, 409, 413, 422, 500)},
)
async def create_region(
    body: RegionCreate, request: Request, session: SessionDep, principal: AdminDep, response: Response
) -> RegionRead:
    """Add a region, e.g. a functional zone (开发区) without a GB/T 2260 code."""
    region = await service.create_region(session, principal, body)
    response.headers["ETag"] = etag("region", region.id, region.version)
    set_location(request, response, "get_region", region_id=region.id)
    return RegionRead.model_validate(region)


@router.patch(
    "/{region_id}",
    operation_id="update_region",
    responses=problem_responses(401, 403, 404, 412, 413, 422, 428, 500),
)
async def update_region(
    region_id: EntityId,
    body: RegionUpdate,
    session: SessionDep,
    principal: AdminDep,
    if_match: IfMatchDep,
    response: Response,
) -> RegionRead:
    """Rename or deactivate a region (needs If-Match)."""
    region = await service.get_region(session, region_id)
    check_if_match(if_match, "region", region.id, region.version)
    region = await service.update_region(session, principal, region, body)
    response.headers["ETag"] = etag("region", region.id, region.version)
    return RegionRead.model_validate(region)
