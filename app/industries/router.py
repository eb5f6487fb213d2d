"""The local industry mapping: read by anyone, edited by city and system administrators."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.auth.dependencies import AdminDep
from app.core.enums import LocalIndustry, TechField
from app.core.pagination import IfMatchDep, Page, PageDep, etag, page_of
from app.core.problems import problem_responses
from app.db.dependencies import SessionDep
from app.industries import service
from app.industries.schemas import IndustryMappingRead, IndustryMappingUpdate

router = APIRouter(prefix="/industry-mappings", tags=["industries"])


@router.get("", operation_id="list_industry_mappings", responses=problem_responses(422, 500))
async def list_mappings(
    session: SessionDep,
    page: PageDep,
    local_industry: Annotated[
        LocalIndustry | None, Query(description="Only the fields mapped to this local industry")
    ] = None,
) -> Page[IndustryMappingRead]:
    """Each national technology field with the city's priority industries it maps to, in the order
    of the technology-market statistics. A listing that names no local industry of its own counts
    under those of its field."""
    items = await service.list_fields(session, local_industry)
    return page_of(items[page.offset : page.offset + page.limit], len(items), page)


@router.get("/{tech_field}", operation_id="get_industry_mapping", responses=problem_responses(404, 422, 500))
async def get_mapping(tech_field: TechField, session: SessionDep, response: Response) -> IndustryMappingRead:
    """One technology field's local industries, with the ETag to send when changing them."""
    read = await service.get_field(session, tech_field)
    response.headers["ETag"] = etag(service.ETAG_KIND, tech_field.value, read.version)
    return read


@router.put(
    "/{tech_field}",
    operation_id="set_industry_mapping",
    responses=problem_responses(401, 403, 404, 409, 412, 413, 422, 428, 500),
)
async def set_mapping(
    tech_field: TechField,
    body: IndustryMappingUpdate,
    session: SessionDep,
    principal: AdminDep,
    if_match: IfMatchDep,
    response: Response,
) -> IndustryMappingRead:
    """Replace the field's set of local industries (city and system administrators; audited as
    `industry_mapping.set`). Listings follow at once, except those that name their own."""
    read = await service.set_field(session, principal, tech_field, body.local_industries, if_match=if_match)
    response.headers["ETag"] = etag(service.ETAG_KIND, tech_field.value, read.version)
    return read
