"""Organization rules: registration, who sees private details, who edits, who verifies."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.core.clock import utcnow
from app.core.enums import MembershipRole, MembershipStatus
from app.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.events import recording as audit
from app.events.transitions import transition
from app.models import Membership, Organization
from app.organizations import repository
from app.organizations.schemas import OrganizationCreate, OrganizationRead, OrganizationUpdate
from app.regions import repository as regions_repository
from app.regions import service as regions

AUDITED = (
    "name",
    "kind",
    "legal_person_type",
    "credit_code",
    "region_id",
    "description",
    "website",
    "contact_email",
    "contact_phone",
    "address",
    "is_verified",
)
_PRIVATE_FIELDS = ("contact_email", "contact_phone", "address")


async def get_organization(session: AsyncSession, organization_id: int) -> Organization:
    organization = await session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(f"No organization {organization_id}")
    return organization


async def sees_private(
    session: AsyncSession, principal: Principal | None, organization: Organization
) -> bool:
    """Members and the administrators of the organization's region see contact details."""
    if principal is None:
        return False
    if principal.is_member(organization.id):
        return True
    return await regions.administers_region(session, principal, organization.region_id)


async def to_read(
    session: AsyncSession, principal: Principal | None, organization: Organization
) -> OrganizationRead:
    read = OrganizationRead.model_validate(organization)
    if await sees_private(session, principal, organization):
        return read
    return read.model_copy(update=dict.fromkeys(_PRIVATE_FIELDS))


async def register(session: AsyncSession, principal: Principal, data: OrganizationCreate) -> Organization:
    """A signed-in person registers an organization and becomes its owner; it starts unverified."""
    user_id = principal.require_user()
    await regions.get_region(session, data.region_id)
    if await repository.credit_code_taken(session, data.credit_code):
        raise Conflict(
            "An organization with this credit code is already registered", code="credit_code_taken"
        )
    organization = Organization(**data.model_dump(), is_verified=False)
    session.add(organization)
    await session.flush()
    now = utcnow()
    session.add(
        Membership(
            user_id=user_id,
            organization_id=organization.id,
            role=MembershipRole.OWNER,
            status=MembershipStatus.ACTIVE,
            requested_by_id=user_id,
            decided_by_id=user_id,
            decided_at=now,
        )
    )
    await session.flush()
    await audit.record(
        session,
        principal.actor,
        "organization.register",
        entity_type="organization",
        entity_id=organization.id,
        after=audit.snapshot(organization, AUDITED),
    )
    return organization


async def update(
    session: AsyncSession, principal: Principal, organization: Organization, data: OrganizationUpdate
) -> Organization:
    if not (principal.administers_organization(organization.id) or principal.is_platform_admin):
        raise Forbidden("Only the organization's owner or admins may edit it", code="not_organization_admin")
    changes = data.model_dump(exclude_unset=True)
    if "name" in changes and changes["name"] is None:
        raise ValidationFailed("name cannot be null", field="name")
    if "description" in changes and changes["description"] is None:
        changes["description"] = ""
    await transition(
        session, principal.actor, organization, "organization.update", values=changes, audited=AUDITED
    )
    return organization


async def set_verified(
    session: AsyncSession, principal: Principal, organization: Organization, is_verified: bool
) -> Organization:
    """Only a verified transfer agency covering the region, or an administrator of it, verifies."""
    if not await _may_verify(session, principal, organization):
        raise Forbidden(
            "Only a transfer agency or an administrator may verify organizations", code="not_verifier"
        )
    if organization.is_verified == is_verified:
        return organization
    await transition(
        session,
        principal.actor,
        organization,
        "organization.verify" if is_verified else "organization.unverify",
        expected={"is_verified": not is_verified},
        values={
            "is_verified": is_verified,
            "verified_at": utcnow() if is_verified else None,
            "verified_by_id": principal.user_id if is_verified else None,
        },
        audited=AUDITED,
        conflict=Conflict("The organization's verification changed meanwhile", code="concurrent_change"),
    )
    return organization


async def _may_verify(session: AsyncSession, principal: Principal, organization: Organization) -> bool:
    if await regions.administers_region(session, principal, organization.region_id):
        return True
    if principal.is_machine or principal.is_member(organization.id):
        return False  # an agency does not vouch for itself
    agency_regions = await repository.verified_agency_regions(session, list(principal.memberships))
    if not agency_regions:
        return False
    return bool(agency_regions & await regions_repository.ancestor_ids(session, organization.region_id))
