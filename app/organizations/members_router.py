"""Members of an organization: invitations, join requests and their decisions, roles, removal."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response, status

from app.auth.dependencies import PrincipalDep
from app.core.bodies import NoFieldsBody
from app.core.enums import MembershipStatus
from app.core.pagination import (
    CREATED,
    IfMatchDep,
    Page,
    PageDep,
    check_if_match,
    etag,
    page_of,
    set_location,
)
from app.core.problems import problem_responses
from app.db.dependencies import SessionDep
from app.organizations import memberships
from app.organizations.dependencies import MembershipDep, OrganizationDep
from app.organizations.schemas import InvitationCreate, MembershipRead, MembershipRoleUpdate

router = APIRouter(tags=["memberships"])

_WRITE_ERRORS = problem_responses(401, 403, 404, 409, 413, 422, 500)


@router.get(
    "/organizations/{organization_id}/members",
    operation_id="list_members",
    responses=problem_responses(401, 404, 422, 500),
)
async def list_members(
    organization: OrganizationDep,
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    status_filter: Annotated[MembershipStatus | None, Query(alias="status")] = None,
) -> Page[MembershipRead]:
    """Members of an organization (visible to its members and platform administrators)."""
    items, total = await memberships.list_members(session, principal, organization, page, status_filter)
    return page_of(await memberships.to_reads(session, items), total, page)


@router.post(
    "/organizations/{organization_id}/invitations",
    operation_id="invite_member",
    status_code=status.HTTP_201_CREATED,
    responses={**CREATED, **_WRITE_ERRORS},
)
async def invite(
    body: InvitationCreate,
    request: Request,
    organization: OrganizationDep,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
) -> MembershipRead:
    """Invite a registered user by e-mail; they accept or decline."""
    membership = await memberships.invite(session, principal, organization, body.email, body.role)
    set_location(request, response, "get_membership", membership_id=membership.id)
    return await memberships.to_read(session, membership)


@router.post(
    "/organizations/{organization_id}/membership-requests",
    operation_id="request_membership",
    status_code=status.HTTP_201_CREATED,
    responses={**CREATED, **_WRITE_ERRORS},
)
async def request_membership(
    request: Request,
    organization: OrganizationDep,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
    _body: NoFieldsBody,
) -> MembershipRead:
    """Ask to join an organization; one of its admins approves or rejects."""
    membership = await memberships.request_to_join(session, principal, organization)
    set_location(request, response, "get_membership", membership_id=membership.id)
    return await memberships.to_read(session, membership)


@router.get("/memberships", operation_id="list_my_memberships", responses=problem_responses(401, 422, 500))
async def list_my_memberships(
    session: SessionDep,
    principal: PrincipalDep,
    page: PageDep,
    status_filter: Annotated[MembershipStatus | None, Query(alias="status")] = None,
) -> Page[MembershipRead]:
    """Your memberships, invitations and requests."""
    items, total = await memberships.list_of_user(session, principal, page, status_filter)
    return page_of(await memberships.to_reads(session, items), total, page)


@router.get(
    "/memberships/{membership_id}",
    operation_id="get_membership",
    responses=problem_responses(401, 404, 422, 500),
)
async def get_membership(
    membership: MembershipDep, session: SessionDep, response: Response
) -> MembershipRead:
    """One membership (its user, its organization's admins, platform administrators)."""
    response.headers["ETag"] = etag("membership", membership.id, membership.version)
    return await memberships.to_read(session, membership)


@router.post(
    "/memberships/{membership_id}/{membership_action}",
    operation_id="decide_membership",
    responses=_WRITE_ERRORS,
)
async def decide(
    membership_action: Literal["accept", "decline", "approve", "reject"],
    membership: MembershipDep,
    session: SessionDep,
    principal: PrincipalDep,
    _body: NoFieldsBody,
) -> MembershipRead:
    """accept/decline an invitation (the invitee), approve/reject a request (an admin)."""
    return await memberships.to_read(
        session, await memberships.decide(session, principal, membership, membership_action)
    )


@router.patch(
    "/memberships/{membership_id}",
    operation_id="change_membership_role",
    responses=problem_responses(401, 403, 404, 409, 412, 413, 422, 428, 500),
)
async def change_role(
    body: MembershipRoleUpdate,
    membership: MembershipDep,
    session: SessionDep,
    principal: PrincipalDep,
    if_match: IfMatchDep,
    response: Response,
) -> MembershipRead:
    """Make a member an admin or back (needs If-Match)."""
    check_if_match(if_match, "membership", membership.id, membership.version)
    membership = await memberships.change_role(session, principal, membership, body.role)
    response.headers["ETag"] = etag("membership", membership.id, membership.version)
    return await memberships.to_read(session, membership)


@router.delete(
    "/memberships/{membership_id}",
    operation_id="remove_membership",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=_WRITE_ERRORS,
)
async def remove(membership: MembershipDep, session: SessionDep, principal: PrincipalDep) -> None:
    """Remove a member (an admin) or leave (the member)."""
    await memberships.remove(session, principal, membership)
