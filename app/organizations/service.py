"""Organization rules: registration, who sees private details, who edits, who verifies."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal, access_of
from app.core.clock import utcnow
from app.core.enums import MembershipRole, MembershipStatus, OrganizationKind
from app.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.core.i18n import msg
from app.core.pagination import PageParams, order_by
from app.db.repository import fetch_page
from app.events import recording as audit
from app.events.transitions import transition
from app.models import Membership, Organization
from app.organizations import repository
from app.organizations.schemas import OrganizationCreate, OrganizationRead, OrganizationUpdate
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
# What verification vouches for: changing either of them needs verification again.
_VOUCHED = ("name", "credit_code")
SORTABLE = {"name": Organization.name, "created_at": Organization.created_at}


async def list_organizations(
    session: AsyncSession,
    page: PageParams,
    *,
    q: str | None,
    kind: OrganizationKind | None,
    region_id: int | None,
    is_verified: bool | None,
    sort: str | None,
) -> tuple[list[Organization], int]:
    """One page of the directory (`region_id` includes its districts), and how many pass the filters."""
    region_ids = await regions.subtree_ids(session, region_id) if region_id is not None else None
    statement = repository.search(q=q, kind=kind, region_ids=region_ids, is_verified=is_verified)
    statement = statement.order_by(*order_by(sort, SORTABLE, [Organization.id]))
    return await fetch_page(session, statement, limit=page.limit, offset=page.offset)


async def get_organization(session: AsyncSession, organization_id: int) -> Organization:
    organization = await session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(msg("No organization {organization_id}", organization_id=organization_id))
    return organization


async def names(session: AsyncSession, organization_ids: Collection[int]) -> dict[int, str]:
    """id -> name of the organizations `organization_ids` (one statement; none for no ids): what
    other features' lists and details show beside an organization id."""
    return await repository.names(session, organization_ids)


async def to_reads(
    session: AsyncSession,
    principal: Principal | None,
    organizations: Sequence[Organization],
    *,
    full: bool = False,
) -> list[OrganizationRead]:
    """The organizations as `principal` reads them, with their regions' names (one statement).
    Members and the administrators of the organization's region see contact details (`full`: the
    registrant, whose membership is newer than the request's access)."""
    access = access_of(principal)
    region_names = await regions.names(session, {item.region_id for item in organizations})
    reads = []
    for organization in organizations:
        read = OrganizationRead.read(organization, region_name=region_names[organization.region_id])
        if not (full or access.sees_organization_private(organization)):
            read = read.model_copy(update=dict.fromkeys(_PRIVATE_FIELDS))
        reads.append(read)
    return reads


async def to_read(
    session: AsyncSession, principal: Principal | None, organization: Organization, *, full: bool = False
) -> OrganizationRead:
    return (await to_reads(session, principal, [organization], full=full))[0]


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
    if not principal.access.may_edit_organization(organization):
        raise Forbidden("Only the organization's owner or admins may edit it", code="not_organization_admin")
    changes = data.model_dump(exclude_unset=True)
    if "name" in changes and changes["name"] is None:
        raise ValidationFailed("name cannot be null", field="name")
    if "description" in changes and changes["description"] is None:
        changes["description"] = ""
    if any(
        changes.get(name, getattr(organization, name)) != getattr(organization, name) for name in _VOUCHED
    ):
        # A verifier vouched for this name and credit code; a different one needs vouching again.
        changes |= {"is_verified": False, "verified_at": None, "verified_by_id": None}
    await transition(
        session, principal.actor, organization, "organization.update", values=changes, audited=AUDITED
    )
    return organization


async def set_verified(
    session: AsyncSession, principal: Principal, organization: Organization, is_verified: bool
) -> Organization:
    """Only a verified transfer agency covering the region, or an administrator of it, verifies."""
    if not principal.access.may_verify(organization):
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
