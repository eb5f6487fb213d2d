"""Membership rules: invitations, requests, decisions, role changes and removal.

Every transition is a compare-and-set on the membership's status, so two admins deciding the same
request at once produce one decision and one 409.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.core.clock import utcnow
from app.core.enums import MembershipRole, MembershipStatus
from app.core.errors import Conflict, Forbidden, InvalidTransition, NotFound
from app.core.i18n import msg
from app.core.pagination import PageParams
from app.db.repository import fetch_page
from app.events import recording as audit
from app.events.transitions import transition
from app.models import Membership, Organization, User
from app.organizations import repository
from app.organizations.schemas import MembershipRead

_AUDITED = ("user_id", "organization_id", "role", "status", "decided_by_id")
_REOPENABLE = (MembershipStatus.DECLINED, MembershipStatus.REMOVED)


async def to_reads(session: AsyncSession, items: Sequence[Membership]) -> list[MembershipRead]:
    """Memberships with their organization's name and their user's display name (two statements
    for a page, none for an empty one)."""
    organizations = await repository.names(session, {item.organization_id for item in items})
    users = await repository.user_names(session, {item.user_id for item in items})
    return [
        MembershipRead.read(
            item, organization_name=organizations[item.organization_id], user_display_name=users[item.user_id]
        )
        for item in items
    ]


async def to_read(session: AsyncSession, membership: Membership) -> MembershipRead:
    return (await to_reads(session, [membership]))[0]


async def get_membership(session: AsyncSession, principal: Principal, membership_id: int) -> Membership:
    """A membership visible to its user, its organization's admins, or platform administrators."""
    membership = await session.get(Membership, membership_id)
    if membership is None or not _may_see(principal, membership):
        raise NotFound(msg("No membership {membership_id}", membership_id=membership_id))
    return membership


def _may_see(principal: Principal, membership: Membership) -> bool:
    return (
        membership.user_id == principal.user_id
        or principal.administers_organization(membership.organization_id)
        or principal.is_platform_admin
    )


def require_member_view(principal: Principal, organization: Organization) -> None:
    """The member list is private: outsiders get 404, as if it did not exist."""
    if not (principal.is_member(organization.id) or principal.is_platform_admin):
        raise NotFound(msg("No organization {id}", id=organization.id))


def require_org_admin(principal: Principal, organization: Organization) -> None:
    if principal.is_member(organization.id) or principal.is_platform_admin:
        if principal.administers_organization(organization.id) or principal.is_platform_admin:
            return
        raise Forbidden("Only the organization's owner or admins may do this", code="not_organization_admin")
    raise NotFound(msg("No organization {id}", id=organization.id))


async def list_members(
    session: AsyncSession,
    principal: Principal,
    organization: Organization,
    page: PageParams,
    status: MembershipStatus | None,
) -> tuple[list[Membership], int]:
    """One page of the organization's memberships in `status` (any when None), oldest first."""
    require_member_view(principal, organization)
    statuses = [status] if status else None
    if not (principal.administers_organization(organization.id) or principal.is_platform_admin):
        statuses = [MembershipStatus.ACTIVE]  # pending requests are the admins' business
    statement = repository.members(organization.id, statuses).order_by(Membership.id)
    return await fetch_page(session, statement, limit=page.limit, offset=page.offset)


async def list_of_user(
    session: AsyncSession, principal: Principal, page: PageParams, status: MembershipStatus | None
) -> tuple[list[Membership], int]:
    """One page of the caller's own memberships, invitations and requests, oldest first."""
    statement = repository.memberships_of_user(principal.require_user(), status).order_by(Membership.id)
    return await fetch_page(session, statement, limit=page.limit, offset=page.offset)


async def invite(
    session: AsyncSession, principal: Principal, organization: Organization, email: str, role: MembershipRole
) -> Membership:
    require_org_admin(principal, organization)
    if role == MembershipRole.OWNER:
        raise Forbidden("Ownership cannot be given by invitation", code="owner_not_invitable")
    user = await session.scalar(select(User).where(User.email == email.lower()))
    if user is None:
        raise NotFound("No account with this e-mail; ask them to sign up first", code="user_not_found")
    return await _open(session, principal, organization, user.id, role, MembershipStatus.INVITED, "invite")


async def request_to_join(
    session: AsyncSession, principal: Principal, organization: Organization
) -> Membership:
    user_id = principal.require_user()
    return await _open(
        session,
        principal,
        organization,
        user_id,
        MembershipRole.MEMBER,
        MembershipStatus.REQUESTED,
        "request",
    )


async def _open(
    session: AsyncSession,
    principal: Principal,
    organization: Organization,
    user_id: int,
    role: MembershipRole,
    status: MembershipStatus,
    verb: str,
) -> Membership:
    existing = await repository.membership(session, user_id, organization.id)
    if existing is not None:
        return await transition(
            session,
            principal.actor,
            existing,
            f"membership.{verb}",
            expected={"status": _REOPENABLE},
            values={
                "status": status,
                "role": role,
                "requested_by_id": principal.user_id,
                "decided_by_id": None,
                "decided_at": None,
            },
            audited=_AUDITED,
            conflict=Conflict(
                msg("Membership is already {status}", status=existing.status), code="membership_exists"
            ),
        )
    membership = Membership(
        user_id=user_id,
        organization_id=organization.id,
        role=role,
        status=status,
        requested_by_id=principal.user_id,
    )
    session.add(membership)
    await session.flush()
    await audit.record(
        session,
        principal.actor,
        f"membership.{verb}",
        entity_type="membership",
        entity_id=membership.id,
        after=audit.snapshot(membership, _AUDITED),
    )
    return membership


async def decide(
    session: AsyncSession, principal: Principal, membership: Membership, action: str
) -> Membership:
    """accept/decline (the invitee) or approve/reject (an organization admin)."""
    if action in ("accept", "decline"):
        if membership.user_id != principal.user_id:
            raise Forbidden("Only the invited person may answer an invitation", code="not_invitee")
        expected = MembershipStatus.INVITED
    else:
        if not (
            principal.administers_organization(membership.organization_id) or principal.is_platform_admin
        ):
            raise Forbidden(
                "Only the organization's owner or admins may decide", code="not_organization_admin"
            )
        expected = MembershipStatus.REQUESTED
    target = MembershipStatus.ACTIVE if action in ("accept", "approve") else MembershipStatus.DECLINED
    return await _transition(session, principal, membership, expected, {"status": target}, action)


async def change_role(
    session: AsyncSession, principal: Principal, membership: Membership, role: MembershipRole
) -> Membership:
    if not (principal.administers_organization(membership.organization_id) or principal.is_platform_admin):
        raise Forbidden(
            "Only the organization's owner or admins may change roles", code="not_organization_admin"
        )
    if MembershipRole.OWNER in (role, membership.role):
        raise Forbidden("Ownership cannot be changed here", code="owner_role_fixed")
    return await _transition(
        session, principal, membership, MembershipStatus.ACTIVE, {"role": role}, "change_role"
    )


async def remove(session: AsyncSession, principal: Principal, membership: Membership) -> Membership:
    """An admin removes a member, or a member leaves. The owner stays."""
    leaving = membership.user_id == principal.user_id
    if not leaving and not (
        principal.administers_organization(membership.organization_id) or principal.is_platform_admin
    ):
        raise Forbidden(
            "Only the organization's owner or admins may remove members", code="not_organization_admin"
        )
    if membership.role == MembershipRole.OWNER:
        raise Forbidden("The owner cannot be removed", code="owner_not_removable")
    return await _transition(
        session, principal, membership, membership.status, {"status": MembershipStatus.REMOVED}, "remove"
    )


async def _transition(
    session: AsyncSession,
    principal: Principal,
    membership: Membership,
    expected: MembershipStatus,
    values: dict[str, object],
    action: str,
) -> Membership:
    if membership.status != expected or membership.status in _REOPENABLE:
        raise InvalidTransition(
            msg("Cannot {action} a membership that is {status}", action=action, status=membership.status)
        )
    return await transition(
        session,
        principal.actor,
        membership,
        f"membership.{action}",
        expected={"status": expected},
        values={**values, "decided_by_id": principal.user_id, "decided_at": utcnow()},
        audited=_AUDITED,
        conflict=Conflict("The membership changed meanwhile; read it again", code="concurrent_change"),
    )
