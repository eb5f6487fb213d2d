"""Access to a listing's confidential detail (保密信息) under a non-disclosure agreement.

An organization asks for one listing's detail and accepts the NDA in the same step (the version of
its text and the time are stored); the owner grants or denies, and may revoke a grant later. While
a grant stands, members of the granted organization read the detail on the listing's own page, and
every such release is written to the audit log: who read which listing's detail under which grant.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TypeVar, cast

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.core.clock import utcnow
from app.core.enums import AccessRequestStatus, Confidentiality, ListingStatus
from app.core.errors import Conflict, Forbidden, InvalidTransition, NotFound
from app.core.i18n import msg, term
from app.core.pagination import PageParams
from app.db.repository import fetch_page
from app.events import recording as audit
from app.events.transitions import transition
from app.listings.kinds import ACCESS_REQUESTS, AccessRequest, Listing, kind_of
from app.listings.schemas import AccessRequestRead, ListingRead
from app.listings.service import record
from app.organizations import service as organizations

ReadT = TypeVar("ReadT", bound=ListingRead)
NDA_VERSION = "2026-11"
NDA_TEXT = (
    "保密承诺：本单位仅为评估与本成果/需求开展技术合作之目的使用所获取的保密信息，"
    "不向任何第三方披露，不用于其他目的；合作未达成的，应删除所获信息。"
    "本承诺自接受之时起生效，有效期三年。"
)


class AccessAction(StrEnum):
    GRANT = "grant"  # the owner, from requested
    DENY = "deny"  # the owner, from requested
    REVOKE = "revoke"  # the owner, from granted


# What the listing's audit trail shows of an access request at each step.
_RECORDED = ("id", "organization_id", "status", "nda_version", "nda_accepted_at")

_MOVES = {
    AccessAction.GRANT: (AccessRequestStatus.REQUESTED, AccessRequestStatus.GRANTED),
    AccessAction.DENY: (AccessRequestStatus.REQUESTED, AccessRequestStatus.DENIED),
    AccessAction.REVOKE: (AccessRequestStatus.GRANTED, AccessRequestStatus.REVOKED),
}


async def ask(
    session: AsyncSession, principal: Principal, listing: Listing, *, organization_id: int, purpose: str
) -> AccessRequest:
    """An organization asks for the detail and accepts the NDA (the caller's schema insists on it)."""
    principal.require_user()
    if not principal.is_member(organization_id):
        raise Forbidden("You can only ask for an organization you belong to", code="not_member")
    if organization_id == listing.organization_id:
        raise Conflict("This is your organization's own listing", code="own_listing")
    if listing.status != ListingStatus.PUBLISHED or listing.confidentiality != Confidentiality.NDA:
        raise InvalidTransition(
            "Only a published listing with NDA-protected detail takes access requests",
            code="no_confidential_detail",
        )
    model = ACCESS_REQUESTS[type(listing)]
    if await _open_request(session, model, listing.id, organization_id) is not None:
        raise Conflict("Your organization has an open request for this listing", code="access_request_open")
    now = utcnow()
    request = model(
        listing_id=listing.id,
        organization_id=organization_id,
        requested_by_id=principal.user_id,
        purpose=purpose,
        nda_version=NDA_VERSION,
        nda_accepted_at=now,
        status=AccessRequestStatus.REQUESTED,
    )
    session.add(request)
    try:
        await session.flush()
    except IntegrityError as race:  # a concurrent request won between the check above and here
        raise Conflict(
            "Your organization has an open request for this listing", code="access_request_open"
        ) from race
    await _record(session, principal, listing, request, "access_request")
    return request


async def list_for(
    session: AsyncSession, principal: Principal, listing: Listing, page: PageParams
) -> tuple[Sequence[AccessRequest], int]:
    """One page of the requests, newest first, and how many there are: the owner sees every request
    for its listing, others only their own organizations'."""
    model = ACCESS_REQUESTS[type(listing)]
    statement = select(model).where(model.listing_id == listing.id)
    if not principal.access.is_member(listing.organization_id):
        statement = statement.where(principal.access.member_filter(model.organization_id))
    rows, total = await fetch_page(
        session, statement.order_by(model.id.desc()), limit=page.limit, offset=page.offset
    )
    return cast(list[AccessRequest], rows), total


async def to_reads(session: AsyncSession, requests: Sequence[AccessRequest]) -> list[AccessRequestRead]:
    """Access requests with the requesting organization's name (one statement for a page)."""
    names = await organizations.names(session, {request.organization_id for request in requests})
    return [
        AccessRequestRead.read(request, organization_name=names[request.organization_id])
        for request in requests
    ]


async def to_read(session: AsyncSession, request: AccessRequest) -> AccessRequestRead:
    return (await to_reads(session, [request]))[0]


async def get_for(
    session: AsyncSession, principal: Principal, listing: Listing, request_id: int
) -> AccessRequest:
    request = cast(AccessRequest | None, await session.get(ACCESS_REQUESTS[type(listing)], request_id))
    visible = request is not None and principal.access.may_read_access_request(
        listing, request.organization_id
    )
    if request is None or request.listing_id != listing.id or not visible:
        raise NotFound(
            msg(
                "No access request {request_id} for {kind} {id}",
                request_id=request_id,
                kind=term(kind_of(listing)),
                id=listing.id,
            )
        )
    return request


async def decide(
    session: AsyncSession,
    principal: Principal,
    listing: Listing,
    request: AccessRequest,
    action: AccessAction,
    *,
    reason: str | None,
) -> AccessRequest:
    if not principal.access.may_decide_access(listing):
        # The request is visible to every member of the owner; only its owner and admins decide.
        raise Forbidden(
            "Only the owner or an admin of the owning organization decides", code="not_organization_admin"
        )
    source, target = _MOVES[action]
    if request.status != source:
        raise InvalidTransition(
            msg("cannot {action} a request that is {status}", action=action.value, status=request.status)
        )
    await transition(
        session,
        principal.actor,
        request,
        f"{kind_of(listing)}.access_{action.value}",
        expected={"status": source},
        values={
            "status": target,
            "decided_by_id": principal.user_id,
            "decided_at": utcnow(),
            "decision_reason": reason,
        },
        audited=_RECORDED,
        entity_type=kind_of(listing),
        entity_id=listing.id,
        conflict=Conflict("The request changed meanwhile; read it again", code="concurrent_change"),
    )
    return request


async def with_released_detail(
    session: AsyncSession, principal: Principal | None, listing: Listing, read: ReadT
) -> ReadT:
    """`read` with the confidential detail filled in when a grant releases it to `principal`."""
    if read.confidential_detail is not None or not await release_detail(session, principal, listing):
        return read
    return read.model_copy(
        update={"confidential_detail": listing.confidential_detail, "is_detail_withheld": False}
    )


async def release_detail(session: AsyncSession, principal: Principal | None, listing: Listing) -> bool:
    """Whether `principal` reads the detail under a standing grant; if so, the release is logged."""
    if principal is None or principal.is_member(listing.organization_id) or not principal.memberships:
        return False
    if listing.confidentiality != Confidentiality.NDA or not listing.confidential_detail:
        return False
    model = ACCESS_REQUESTS[type(listing)]
    grant: AccessRequest | None = await session.scalar(
        select(model)
        .where(
            model.listing_id == listing.id,
            model.organization_id.in_(list(principal.memberships)),
            model.status == AccessRequestStatus.GRANTED,
        )
        .order_by(model.id)
        .limit(1)
    )
    if grant is None:
        return False
    await audit.record(
        session,
        principal.actor,
        f"{kind_of(listing)}.detail_release",
        entity_type=kind_of(listing),
        entity_id=listing.id,
        after={"access_request_id": grant.id, "organization_id": grant.organization_id},
    )
    return True


async def _open_request(
    session: AsyncSession, model: type[AccessRequest], listing_id: int, organization_id: int
) -> AccessRequest | None:
    statement = select(model).where(
        model.listing_id == listing_id,
        model.organization_id == organization_id,
        model.status.in_([AccessRequestStatus.REQUESTED, AccessRequestStatus.GRANTED]),
    )
    return cast(AccessRequest | None, await session.scalar(statement))


async def _record(
    session: AsyncSession, principal: Principal, listing: Listing, request: AccessRequest, verb: str
) -> None:
    await record(session, principal, listing, verb, after=audit.snapshot(request, _RECORDED))
