"""Validation dependencies: the package (or version) exists and the caller may see it, or edit it.

A package without a published version, and any draft version, exist only for the curators of the
package's region (404 for everyone else). A published package is public: writing to it without being
its curator is 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path

from app.auth.dependencies import OptionalPrincipalDep, PrincipalDep
from app.core.enums import PackageVersionStatus
from app.core.errors import Forbidden, NotFound
from app.core.i18n import msg
from app.core.pagination import IfMatchDep
from app.core.schemas import EntityId
from app.db.dependencies import SessionDep
from app.models import AchievementPackage, PackageVersion
from app.packages import access, repository
from app.packages.schemas import MAX_VERSION_NUMBER
from app.packages.service import DraftEdit


@dataclass(frozen=True, slots=True)
class SeenPackage:
    package: AchievementPackage
    is_curator: bool


@dataclass(frozen=True, slots=True)
class SeenVersion:
    package: AchievementPackage
    version: PackageVersion
    is_curator: bool


VersionNumber = Annotated[int, Path(ge=1, le=MAX_VERSION_NUMBER, description="The version number")]


async def _visible_package(
    package_id: EntityId, session: SessionDep, principal: OptionalPrincipalDep
) -> SeenPackage:
    package = await session.get(AchievementPackage, package_id)
    if package is None:
        raise NotFound(msg("No package {package_id}", package_id=package_id))
    is_curator = access.may_curate(principal, package.region_id)
    if package.published_number is None and not is_curator:
        raise NotFound(msg("No package {package_id}", package_id=package_id))
    return SeenPackage(package, is_curator)


VisiblePackageDep = Annotated[SeenPackage, Depends(_visible_package)]


async def _visible_version(
    number: VersionNumber, seen: VisiblePackageDep, session: SessionDep
) -> SeenVersion:
    version = await repository.version(session, seen.package.id, number)
    if version is None or (version.status == PackageVersionStatus.DRAFT and not seen.is_curator):
        raise NotFound(msg("Package {id} has no version {number}", id=seen.package.id, number=number))
    return SeenVersion(seen.package, version, seen.is_curator)


VisibleVersionDep = Annotated[SeenVersion, Depends(_visible_version)]


# The principal comes first: an anonymous write is 401 before the package is looked up.
def _require_curator(is_curator: bool) -> None:
    if not is_curator:
        raise Forbidden("Only an administrator of the package's region curates it", code="not_curator")


async def _curated_package(principal: PrincipalDep, seen: VisiblePackageDep) -> AchievementPackage:
    _require_curator(seen.is_curator)
    return seen.package


async def _curated_version(principal: PrincipalDep, seen: VisibleVersionDep) -> SeenVersion:
    _require_curator(seen.is_curator)
    return seen


CuratedPackageDep = Annotated[AchievementPackage, Depends(_curated_package)]
CuratedVersionDep = Annotated[SeenVersion, Depends(_curated_version)]


async def _draft_edit(
    seen: CuratedVersionDep, session: SessionDep, principal: PrincipalDep, if_match: IfMatchDep
) -> DraftEdit:
    return DraftEdit(session, principal, seen.package, seen.version, if_match)


# A write to a version by one of its curators, with If-Match (whether it is still a draft, and at
# that ETag, is the service's to check: a published version answers 409 whatever the If-Match).
DraftEditDep = Annotated[DraftEdit, Depends(_draft_edit)]
