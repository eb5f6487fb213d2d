"""What the caller may do, decided once per request.

Authentication loads everything a decision needs in one statement (`app.auth.identity`): the caller's
organizations with its role in each, the region subtrees it administers, and the regions covered by
the verified transfer agencies it belongs to. `Access` holds those facts and answers every
authorization question from them: pure checks for one object (no I/O) and SQL filters for lists, so
each rule is written once here and no list awaits a check per row. Features read it as
`principal.access` (or `access_of(principal)` when the caller may be anonymous).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import ColumnElement, exists, false, or_, select, true

from app.core.enums import (
    ContractStatus,
    ListingStatus,
    MembershipRole,
    MembershipStatus,
    OrganizationKind,
    PlatformRole,
    RevisionStatus,
)
from app.models import Membership, Organization, RoleGrant, User

ADMIN_MEMBERSHIP_ROLES = frozenset({MembershipRole.OWNER, MembershipRole.ADMIN})
PLATFORM_ADMIN_ROLES = frozenset({PlatformRole.CITY_ADMIN, PlatformRole.SYSTEM_ADMIN})
PUBLIC_LISTING_STATUSES = frozenset({ListingStatus.PUBLISHED, ListingStatus.CLOSED})
# Agencies vouch for the organizations that trade; their peers and the authorities are verified by
# the administrators, so that no agency can un-verify a rival or the bureau that supervises it.
AGENCY_VERIFIABLE_KINDS = frozenset(
    {
        OrganizationKind.ENTERPRISE,
        OrganizationKind.UNIVERSITY,
        OrganizationKind.RESEARCH_INSTITUTE,
        OrganizationKind.BROKER_FIRM,
        OrganizationKind.OTHER,
    }
)


class ListingLike(Protocol):
    @property
    def organization_id(self) -> int: ...
    @property
    def region_id(self) -> int: ...
    @property
    def status(self) -> ListingStatus: ...


class ContractLike(Protocol):
    @property
    def organization_id(self) -> int: ...
    @property
    def region_id(self) -> int: ...
    @property
    def status(self) -> ContractStatus: ...


class OrganizationLike(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def region_id(self) -> int: ...
    @property
    def kind(self) -> OrganizationKind: ...


@dataclass(frozen=True, slots=True)
class RegionCoverage:
    """Region ids, subtrees expanded: administered as a district administrator, covered by the
    verified transfer agencies the caller belongs to, and registered as a contract registrar."""

    administered: frozenset[int] = frozenset()
    agency: frozenset[int] = frozenset()
    registered: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Access:
    user_id: int | None = None
    is_machine: bool = False
    memberships: Mapping[int, MembershipRole] = field(default_factory=dict)
    roles: frozenset[PlatformRole] = frozenset()
    coverage: RegionCoverage = field(default_factory=RegionCoverage)

    # --- who the caller is ---------------------------------------------------------------------

    @property
    def everywhere(self) -> bool:
        """City and system administrators administer the whole network."""
        return not self.is_machine and bool(self.roles & PLATFORM_ADMIN_ROLES)

    def has_role(self, *roles: PlatformRole) -> bool:
        return any(role in self.roles for role in roles)

    def is_member(self, organization_id: int) -> bool:
        return organization_id in self.memberships

    def administers_organization(self, organization_id: int) -> bool:
        """Owner or admin of the organization (a plain member is neither)."""
        return self.memberships.get(organization_id) in ADMIN_MEMBERSHIP_ROLES

    def administers_region(self, region_id: int) -> bool:
        return self.everywhere or region_id in self.coverage.administered

    def reviews(self, region_id: int, organization_id: int) -> bool:
        """An administrator of the region or a verified agency covering it; never the owner's members
        and never an API key."""
        if self.is_machine or self.is_member(organization_id):
            return False
        return self.administers_region(region_id) or region_id in self.coverage.agency

    def administered_filter(self, region_column: Any) -> ColumnElement[bool]:
        """SQL: the rows whose region the caller administers."""
        if self.everywhere:
            return true()
        return _in(region_column, self.coverage.administered)

    def reviewed_filter(self, region_column: Any, organization_column: Any) -> ColumnElement[bool]:
        """SQL: `reviews` for lists."""
        if self.is_machine:
            return false()
        regions = self.administered_filter(region_column)
        if not self.everywhere and self.coverage.agency:
            regions = or_(regions, region_column.in_(sorted(self.coverage.agency)))
        return regions & self.not_member_filter(organization_column)

    def member_filter(self, organization_column: Any) -> ColumnElement[bool]:
        return _in(organization_column, self.memberships)

    def not_member_filter(self, organization_column: Any) -> ColumnElement[bool]:
        if not self.memberships:
            return true()
        outside: ColumnElement[bool] = organization_column.not_in(sorted(self.memberships))
        return outside

    # --- listings --------------------------------------------------------------------------------

    def may_read_listing(self, listing: ListingLike) -> bool:
        """Published and closed listings are public; a draft or a returned or rejected listing is the
        owner's alone; a submitted one also its reviewers'."""
        if listing.status in PUBLIC_LISTING_STATUSES or self.is_member(listing.organization_id):
            return True
        return listing.status == ListingStatus.SUBMITTED and self.may_review_listing(listing)

    def may_review_listing(self, listing: ListingLike) -> bool:
        return self.reviews(listing.region_id, listing.organization_id)

    def may_edit_listing(self, listing: ListingLike) -> bool:
        return self.is_member(listing.organization_id)

    def sees_listing_unmasked(self, listing: ListingLike) -> bool:
        """Contacts and confidential detail: the owner, and its reviewers while it awaits review."""
        if self.is_member(listing.organization_id):
            return True
        return listing.status == ListingStatus.SUBMITTED and self.may_review_listing(listing)

    def may_see_revisions(self, listing: ListingLike) -> bool:
        return self.is_member(listing.organization_id) or self.may_review_listing(listing)

    def sees_revision_unmasked(self, listing: ListingLike, revision_status: RevisionStatus) -> bool:
        """A reviewer reads a proposed edit in full while reviewing it; afterwards only the owner."""
        if self.is_member(listing.organization_id):
            return True
        return revision_status == RevisionStatus.SUBMITTED and self.may_review_listing(listing)

    def may_decide_access(self, listing: ListingLike) -> bool:
        """Granting confidential detail speaks for the organization: its owner or admins."""
        return not self.is_machine and self.administers_organization(listing.organization_id)

    def may_read_access_request(self, listing: ListingLike, requesting_organization_id: int) -> bool:
        return self.is_member(listing.organization_id) or self.is_member(requesting_organization_id)

    # --- technology contracts ------------------------------------------------------------------

    def registers(self, region_id: int) -> bool:
        """A registrar of the region (or of a region containing it) decides its registrations; a
        registrar never decides a contract of an organization of their own."""
        return not self.is_machine and region_id in self.coverage.registered

    def may_read_contract(self, contract: ContractLike) -> bool:
        """The seller side's members, and once filed, the registrars of its region and the
        administrators of the region (who see their district's figures anyway)."""
        if self.is_member(contract.organization_id):
            return True
        if contract.status == ContractStatus.DRAFT:
            return False
        return self.registers(contract.region_id) or (
            not self.is_machine and self.administers_region(contract.region_id)
        )

    def may_decide_contract(self, contract: ContractLike) -> bool:
        return self.registers(contract.region_id) and not self.is_member(contract.organization_id)

    def contract_filter(
        self, organization_column: Any, region_column: Any, status_column: Any
    ) -> ColumnElement[bool]:
        """SQL: `may_read_contract` for lists."""
        own = self.member_filter(organization_column)
        if self.is_machine:
            return own
        regions = set(self.coverage.registered)
        reviewed = or_(
            _in(region_column, regions),
            self.administered_filter(region_column),
        )
        return or_(own, reviewed & (status_column != ContractStatus.DRAFT))

    # --- statistics ------------------------------------------------------------------------------

    @property
    def reads_statistics(self) -> bool:
        """City and system administrators read the whole network's tallies and targets, district
        administrators their districts'; nobody else (registrars neither), never an API key."""
        return self.everywhere or (not self.is_machine and bool(self.coverage.administered))

    def reads_statistics_of(self, region_id: int) -> bool:
        """The tallies of `region_id` (its subtree) are the caller's to read."""
        return self.reads_statistics and self.administers_region(region_id)

    # --- organizations ---------------------------------------------------------------------------

    def sees_organization_private(self, organization: OrganizationLike) -> bool:
        return self.is_member(organization.id) or self.administers_region(organization.region_id)

    def may_edit_organization(self, organization: OrganizationLike) -> bool:
        return self.administers_organization(organization.id) or self.everywhere

    def may_verify(self, organization: OrganizationLike) -> bool:
        """Administrators of its region; a verified agency covering it, for trading organizations
        other than its own."""
        if self.administers_region(organization.region_id):
            return True
        if self.is_machine or self.is_member(organization.id):
            return False
        return organization.kind in AGENCY_VERIFIABLE_KINDS and organization.region_id in self.coverage.agency

    # --- users and roles -------------------------------------------------------------------------

    def user_filter(self) -> ColumnElement[bool]:
        """SQL over `User`: the accounts whose profile (e-mail, phone) the caller reads. Platform
        administrators read all; a district administrator the members of its district's
        organizations and the holders of roles bound to its district (the registrars it manages);
        everyone else only themselves."""
        if self.everywhere:
            return true()
        own = User.id == self.user_id if self.user_id is not None else false()
        if self.is_machine or not self.coverage.administered:
            return own
        district = sorted(self.coverage.administered)
        member = exists(
            select(Membership.id)
            .join(Organization, Organization.id == Membership.organization_id)
            .where(
                Membership.user_id == User.id,
                Membership.status == MembershipStatus.ACTIVE,
                Organization.region_id.in_(district),
            )
        )
        bound = exists(
            select(RoleGrant.id).where(
                RoleGrant.user_id == User.id,
                RoleGrant.revoked_at.is_(None),
                RoleGrant.region_id.in_(district),
            )
        )
        return or_(own, member, bound)

    def may_manage_role(self, role: PlatformRole, region_id: int | None) -> bool:
        """System admins manage every role; city admins all but system_admin; a district admin
        brokers and the registrars of its own district."""
        if self.is_machine:
            return False
        if self.has_role(PlatformRole.SYSTEM_ADMIN):
            return True
        if self.has_role(PlatformRole.CITY_ADMIN) and role != PlatformRole.SYSTEM_ADMIN:
            return True
        if not self.has_role(PlatformRole.DISTRICT_ADMIN):
            return False
        if role == PlatformRole.BROKER:
            return True
        return role == PlatformRole.REGISTRAR and region_id in self.coverage.administered

    def may_set_active(self, held_roles: Collection[PlatformRole]) -> bool:
        """City and system administrators (de)activate accounts, but only those whose every role they
        could grant: a city administrator cannot lock out the system administrator."""
        return self.everywhere and all(self.may_manage_role(role, None) for role in held_roles)


ANONYMOUS = Access()


def _in(column: Any, ids: Collection[int]) -> ColumnElement[bool]:
    return column.in_(sorted(ids)) if ids else false()
