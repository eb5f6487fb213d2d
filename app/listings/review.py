"""Who reviews a listing: an administrator of its region, or a verified transfer agency covering it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.core.enums import PlatformRole
from app.organizations import repository as organizations
from app.regions import repository as regions_repository
from app.regions import service as regions


async def may_review(
    session: AsyncSession, principal: Principal, *, region_id: int, organization_id: int
) -> bool:
    if principal.is_machine or principal.is_member(organization_id):
        return False  # nobody reviews their own organization's listings
    if await regions.administers_region(session, principal, region_id):
        return True
    agency_regions = await organizations.verified_agency_regions(session, list(principal.memberships))
    return bool(agency_regions & await regions_repository.ancestor_ids(session, region_id))


async def reviewable_regions(session: AsyncSession, principal: Principal) -> set[int] | None:
    """Regions whose submitted listings the caller may review (None: all of them)."""
    if principal.is_machine:
        return set()  # as in may_review: an API key never reviews
    if principal.is_platform_admin:
        return None
    roots = set(principal.role_regions(PlatformRole.DISTRICT_ADMIN))
    roots |= await organizations.verified_agency_regions(session, list(principal.memberships))
    covered: set[int] = set()
    for root in roots:
        covered |= await regions_repository.subtree_ids(session, root)
    return covered
