"""Organizations: public profiles, registration, edits and verification."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from app.auth.dependencies import OptionalPrincipalDep, PrincipalDep
from app.core.enums import OrganizationKind
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
from app.organizations import service
from app.organizations.dependencies import OrganizationDep
from app.organizations.schemas import (
    OrganizationCreate,
    OrganizationRead,
    OrganizationUpdate,
    VerificationUpdate,
)

router = APIRouter(prefix="/organizations", tags=["organizations"])


@router.get("", operation_id="list_organizations", responses=problem_responses(401, 422, 500))
async def list_organizations(
    session: SessionDep,
    principal: OptionalPrincipalDep,
    page: PageDep,
    q: Annotated[
        str | None,
        Query(max_length=100, pattern=NO_NUL_PATTERN, description="Name fragment or exact credit code"),
    ] = None,
    kind: OrganizationKind | None = None,
    region_id: Annotated[EntityId | None, Query(description="Includes the region's districts")] = None,
    is_verified: bool | None = None,
    sort: Annotated[str | None, sort_query(service.SORTABLE)] = None,
) -> Page[OrganizationRead]:
    """Public directory of organizations."""
    items, total = await service.list_organizations(
        session, page, q=q, kind=kind, region_id=region_id, is_verified=is_verified, sort=sort
    )
    return page_of(await service.to_reads(session, principal, items), total, page)


@router.post(
    "",
    operation_id="register_organization",
    status_code=status.HTTP_201_CREATED,
    responses={**CREATED, **problem_responses(401, 403, 404, 409, 413, 422, 500)},
)
async def register(
    body: OrganizationCreate,
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
) -> OrganizationRead:
    """Register an organization; you become its owner. It starts unverified."""
    organization = await service.register(session, principal, body)
    response.headers["ETag"] = etag("organization", organization.id, organization.version)
    set_location(request, response, "get_organization", organization_id=organization.id)
    return await service.to_read(session, principal, organization, full=True)  # the caller owns it now


@router.get(
    "/{organization_id}", operation_id="get_organization", responses=problem_responses(401, 404, 422, 500)
)
async def get_organization(
    organization: OrganizationDep, session: SessionDep, principal: OptionalPrincipalDep, response: Response
) -> OrganizationRead:
    """One organization; contact details only for its members and administrators."""
    response.headers["ETag"] = etag("organization", organization.id, organization.version)
    return await service.to_read(session, principal, organization)


@router.patch(
    "/{organization_id}",
    operation_id="update_organization",
    responses=problem_responses(401, 403, 404, 412, 413, 422, 428, 500),
)
async def update_organization(
    body: OrganizationUpdate,
    organization: OrganizationDep,
    session: SessionDep,
    principal: PrincipalDep,
    if_match: IfMatchDep,
    response: Response,
) -> OrganizationRead:
    """Edit the profile (owner or admins; needs If-Match)."""
    check_if_match(if_match, "organization", organization.id, organization.version)
    organization = await service.update(session, principal, organization, body)
    response.headers["ETag"] = etag("organization", organization.id, organization.version)
    return await service.to_read(session, principal, organization)


@router.put(
    "/{organization_id}/verification",
    operation_id="set_organization_verification",
    responses=problem_responses(401, 403, 404, 409, 413, 422, 500),
)
async def set_verification(
    body: VerificationUpdate,
    organization: OrganizationDep,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
) -> OrganizationRead:
    """Verify or un-verify (a transfer agency or an administrator of the region)."""
    organization = await service.set_verified(session, principal, organization, body.is_verified)
    response.headers["ETag"] = etag("organization", organization.id, organization.version)
    return await service.to_read(session, principal, organization)
