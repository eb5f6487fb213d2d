"""The access object's rules for one object, without a database: the same facts, every question."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.auth.access import Access, RegionCoverage
from app.core.enums import ListingStatus, MembershipRole, OrganizationKind, PlatformRole, RevisionStatus

CITY, HAIZHOU, GANYU = 1, 2, 3


@dataclass(frozen=True)
class Thing:
    """Stands for a listing or an organization: the fields the rules read."""

    id: int
    organization_id: int
    region_id: int
    status: ListingStatus = ListingStatus.SUBMITTED
    kind: OrganizationKind = OrganizationKind.ENTERPRISE


AGENCY = Access(
    user_id=7, memberships={50: MembershipRole.MEMBER}, coverage=RegionCoverage(agency=frozenset({HAIZHOU}))
)
DISTRICT = Access(
    user_id=8, roles=frozenset({PlatformRole.DISTRICT_ADMIN}), coverage=RegionCoverage(frozenset({HAIZHOU}))
)
CITY_ADMIN = Access(user_id=9, roles=frozenset({PlatformRole.CITY_ADMIN}))


@pytest.mark.parametrize(
    ("status", "readable"),
    [
        (ListingStatus.DRAFT, False),
        (ListingStatus.SUBMITTED, True),
        (ListingStatus.RETURNED, False),
        (ListingStatus.REJECTED, False),
        (ListingStatus.PUBLISHED, True),
    ],
)
def test_reviewers_read_others_listings_only_while_submitted_or_public(
    status: ListingStatus, readable: bool
) -> None:
    listing = Thing(id=1, organization_id=60, region_id=HAIZHOU, status=status)
    for reviewer in (AGENCY, DISTRICT, CITY_ADMIN):
        assert reviewer.may_read_listing(listing) is readable
        assert reviewer.sees_listing_unmasked(listing) is (status == ListingStatus.SUBMITTED)


def test_review_needs_the_region_and_never_the_own_organization_or_a_key() -> None:
    elsewhere = Thing(id=1, organization_id=60, region_id=GANYU)
    own = Thing(id=2, organization_id=50, region_id=HAIZHOU)
    assert not AGENCY.may_review_listing(elsewhere)
    assert not DISTRICT.may_review_listing(elsewhere)
    assert CITY_ADMIN.may_review_listing(elsewhere)
    assert not AGENCY.may_review_listing(own)
    key = Access(is_machine=True, roles=frozenset({PlatformRole.CITY_ADMIN}))
    assert not key.may_review_listing(elsewhere)


def test_a_revision_is_unmasked_for_a_reviewer_only_while_it_awaits_review() -> None:
    listing = Thing(id=1, organization_id=60, region_id=HAIZHOU, status=ListingStatus.PUBLISHED)
    owner = Access(memberships={60: MembershipRole.MEMBER})
    assert DISTRICT.sees_revision_unmasked(listing, RevisionStatus.SUBMITTED)
    for decided in (RevisionStatus.PUBLISHED, RevisionStatus.RETURNED, RevisionStatus.REJECTED):
        assert not DISTRICT.sees_revision_unmasked(listing, decided)
        assert owner.sees_revision_unmasked(listing, decided)


@pytest.mark.parametrize("kind", list(OrganizationKind))
def test_an_agency_vouches_for_trading_organizations_only(kind: OrganizationKind) -> None:
    organization = Thing(id=70, organization_id=70, region_id=HAIZHOU, kind=kind)
    trading = kind not in (OrganizationKind.TRANSFER_AGENCY, OrganizationKind.GOVERNMENT)
    assert AGENCY.may_verify(organization) is trading
    assert DISTRICT.may_verify(organization)


def test_account_status_follows_the_roles_one_could_grant() -> None:
    assert CITY_ADMIN.may_set_active({PlatformRole.CITY_ADMIN, PlatformRole.BROKER})
    assert not CITY_ADMIN.may_set_active({PlatformRole.SYSTEM_ADMIN})
    assert not DISTRICT.may_set_active(set())
    system = Access(roles=frozenset({PlatformRole.SYSTEM_ADMIN}))
    assert system.may_set_active({PlatformRole.SYSTEM_ADMIN})


def test_only_owners_and_admins_decide_on_confidential_detail() -> None:
    listing = Thing(id=1, organization_id=60, region_id=HAIZHOU, status=ListingStatus.PUBLISHED)
    decides = {role: Access(memberships={60: role}).may_decide_access(listing) for role in MembershipRole}
    assert decides == {MembershipRole.OWNER: True, MembershipRole.ADMIN: True, MembershipRole.MEMBER: False}
