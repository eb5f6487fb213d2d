"""Reading packages and versions. Members always read as the public sees them, whoever asks: a package
is a public document, and what a curator prepares is what will be published."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from app.achievements import service as achievements
from app.core.clock import utcnow
from app.core.enums import ListingStatus, PackageVersionStatus
from app.listings.visibility import PUBLIC_STATUSES, effective_status
from app.models import Achievement, AchievementPackage, PackageVersion
from app.packages import repository
from app.packages.schemas import MemberRead, PackageRead, PackageSummary, VersionInfo, VersionRead

# An achievement that is neither published nor closed (it cannot get there from published today,
# but a member must never reveal one): shown without its content.
UNAVAILABLE = "unavailable"


def draft_number(package: AchievementPackage) -> int | None:
    return package.latest_number if package.latest_number != package.published_number else None


def is_available(achievement: Achievement) -> bool:
    today = utcnow().date()
    return effective_status(achievement.status, achievement.valid_until, today) == ListingStatus.PUBLISHED


async def version_read(
    session: AsyncSession, package: AchievementPackage, version: PackageVersion
) -> VersionRead:
    rows = await repository.members(session, version.id)
    stored = await repository.achievements(session, [row.achievement_id for row in rows])
    public = [achievement for achievement in stored.values() if achievement.status in PUBLIC_STATUSES]
    reads = {read.id: read for read in await achievements.to_read(session, None, public)}
    names = await repository.organization_names(session, {a.organization_id for a in stored.values()})
    today = utcnow().date()
    members = []
    for row in rows:
        achievement = stored[row.achievement_id]
        shown = achievement.status in PUBLIC_STATUSES
        status = effective_status(achievement.status, achievement.valid_until, today) if shown else None
        members.append(
            MemberRead(
                position=row.position,
                achievement_id=row.achievement_id,
                note=row.note,
                effective_status=status or UNAVAILABLE,
                is_available=status == ListingStatus.PUBLISHED,
                organization_name=names.get(achievement.organization_id) if shown else None,
                achievement=reads.get(achievement.id),
            )
        )
    region = (await repository.region_names(session, {package.region_id}))[package.region_id]
    return VersionRead(
        **_info(version, len(members)).model_dump(),
        package_id=package.id,
        summary=version.summary,
        region_id=package.region_id,
        region_name=region,
        industry=package.industry,
        theme=package.theme,
        updated_at=version.updated_at,
        members=members,
    )


async def package_read(
    session: AsyncSession, package: AchievementPackage, *, is_curator: bool
) -> PackageRead:
    versions = await repository.versions(session, package.id)
    if not is_curator:
        versions = [item for item in versions if item.status == PackageVersionStatus.PUBLISHED]
    counts = await repository.member_counts(session, [item.id for item in versions])
    latest = next((item for item in versions if item.number == package.published_number), None)
    region = (await repository.region_names(session, {package.region_id}))[package.region_id]
    return PackageRead(
        id=package.id,
        region_id=package.region_id,
        region_name=region,
        industry=package.industry,
        theme=package.theme,
        published_version=package.published_number,
        draft_version=draft_number(package) if is_curator else None,
        published_at=package.published_at,
        created_at=package.created_at,
        updated_at=package.updated_at,
        may_curate=is_curator,
        versions=[_info(item, counts.get(item.id, 0)) for item in versions],
        latest=await version_read(session, package, latest) if latest is not None else None,
    )


async def summaries(
    session: AsyncSession, packages: list[AchievementPackage], *, curated: set[int] | None, latest: bool
) -> list[PackageSummary]:
    """List items; `latest` shows each package's latest version (a draft, perhaps) instead of its
    latest published one. Draft numbers are shown for packages of the `curated` regions only."""

    def shown(package: AchievementPackage) -> int:
        return package.latest_number if latest else package.published_number or package.latest_number

    versions = await repository.versions_by_number(session, [(p.id, shown(p)) for p in packages])
    counts = await repository.member_counts(session, [item.id for item in versions.values()])
    region_names = await repository.region_names(session, {package.region_id for package in packages})
    items = []
    for package in packages:
        version = versions[(package.id, shown(package))]
        curates = curated is None or package.region_id in curated
        items.append(
            PackageSummary(
                id=package.id,
                region_id=package.region_id,
                region_name=region_names[package.region_id],
                industry=package.industry,
                theme=package.theme,
                title=version.title,
                summary=version.summary,
                number=version.number,
                status=version.status,
                member_count=counts.get(version.id, 0),
                published_version=package.published_number,
                draft_version=draft_number(package) if curates else None,
                published_at=package.published_at,
                updated_at=package.updated_at,
            )
        )
    return items


def _info(version: PackageVersion, member_count: int) -> VersionInfo:
    return VersionInfo(
        number=version.number,
        status=version.status,
        title=version.title,
        member_count=member_count,
        based_on=version.based_on,
        created_at=version.created_at,
        published_at=version.published_at,
    )
