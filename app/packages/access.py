"""Who curates packages: an administrator of the package's region. City (and system) administrators
curate for the city and every district in it; a district administrator only within their district."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal, access_of
from app.core.enums import PlatformRole, RegionLevel
from app.core.errors import Forbidden, ValidationFailed
from app.models import Region
from app.regions import service as regions

CURATOR_ROLES = (PlatformRole.DISTRICT_ADMIN, PlatformRole.CITY_ADMIN, PlatformRole.SYSTEM_ADMIN)


def require_curator_role(principal: Principal) -> None:
    if principal.is_machine or not principal.has_role(*CURATOR_ROLES):
        raise Forbidden(
            "Only city and district administrators curate achievement packages",
            code="curator_role_required",
        )


def may_curate(principal: Principal | None, region_id: int) -> bool:
    access = access_of(principal)
    return not access.is_machine and access.administers_region(region_id)


def curated_regions(principal: Principal | None) -> set[int] | None:
    """The regions whose packages the caller curates (None: all of them)."""
    access = access_of(principal)
    if access.is_machine:
        return set()
    return None if access.everywhere else set(access.coverage.administered)


async def curating_region(session: AsyncSession, principal: Principal, region_id: int | None) -> int:
    """The region a new package of the caller's belongs to: the one asked for, which they must
    administer, or by default their district (a district administrator) or the city."""
    require_curator_role(principal)
    if region_id is None:
        region_id = await _default_region(session, principal)
    region = await regions.get_region(session, region_id)
    if not principal.access.administers_region(region.id):
        raise Forbidden("You do not administer this region", code="region_not_curated")
    return region.id


async def _default_region(session: AsyncSession, principal: Principal) -> int:
    if principal.is_platform_admin:
        # The network's city; should a deployment configure several, the first one (say region_id
        # to choose another).
        city = await session.scalar(
            select(Region.id)
            .where(Region.level == RegionLevel.CITY, Region.is_active.is_(True))
            .order_by(Region.id)
            .limit(1)
        )
        if city is not None:
            return city
    districts = principal.role_regions(PlatformRole.DISTRICT_ADMIN)
    if len(districts) == 1:
        return next(iter(districts))
    raise ValidationFailed("say which region the package is for", field="region_id")
