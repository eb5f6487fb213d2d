"""Package queries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, delete, func, insert, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Subquery

from app.core.enums import LocalIndustry
from app.models import Achievement, AchievementPackage, Organization, PackageMember, PackageVersion, Region


async def version(session: AsyncSession, package_id: int, number: int) -> PackageVersion | None:
    return await session.scalar(
        select(PackageVersion).where(PackageVersion.package_id == package_id, PackageVersion.number == number)
    )


async def versions(session: AsyncSession, package_id: int) -> list[PackageVersion]:
    """Every version of a package, newest first."""
    statement = select(PackageVersion).where(PackageVersion.package_id == package_id)
    return list(await session.scalars(statement.order_by(PackageVersion.number.desc())))


async def versions_by_number(
    session: AsyncSession, wanted: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], PackageVersion]:
    """The versions named by (package id, number) pairs, in one query."""
    pairs = list(wanted)
    if not pairs:
        return {}
    statement = select(PackageVersion).where(
        tuple_(PackageVersion.package_id, PackageVersion.number).in_(pairs)
    )
    return {(row.package_id, row.number): row for row in await session.scalars(statement)}


async def member_counts(session: AsyncSession, version_ids: list[int]) -> dict[int, int]:
    if not version_ids:
        return {}
    statement = (
        select(PackageMember.version_id, func.count())
        .where(PackageMember.version_id.in_(version_ids))
        .group_by(PackageMember.version_id)
    )
    return dict((await session.execute(statement)).all())


async def members(session: AsyncSession, version_id: int) -> list[PackageMember]:
    statement = select(PackageMember).where(PackageMember.version_id == version_id)
    return list(await session.scalars(statement.order_by(PackageMember.position)))


async def replace_members(session: AsyncSession, version_id: int, rows: list[tuple[int, str | None]]) -> None:
    """Store `rows` (achievement id, note), in order, as the version's members.

    A delete and an insert rather than updates of positions: moving rows one by one would break the
    (version, position) unique constraint on the way, which PostgreSQL checks row by row."""
    await session.execute(delete(PackageMember).where(PackageMember.version_id == version_id))
    if rows:
        values = [
            {"version_id": version_id, "achievement_id": achievement_id, "position": position, "note": note}
            for position, (achievement_id, note) in enumerate(rows, 1)
        ]
        await session.execute(insert(PackageMember), values)


async def achievements(session: AsyncSession, achievement_ids: list[int]) -> dict[int, Achievement]:
    if not achievement_ids:
        return {}
    statement = select(Achievement).where(Achievement.id.in_(achievement_ids))
    return {row.id: row for row in await session.scalars(statement)}


async def organization_names(session: AsyncSession, organization_ids: set[int]) -> dict[int, str]:
    if not organization_ids:
        return {}
    statement = select(Organization.id, Organization.name).where(Organization.id.in_(organization_ids))
    return dict((await session.execute(statement)).all())


async def region_names(session: AsyncSession, region_ids: set[int]) -> dict[int, str]:
    if not region_ids:
        return {}
    statement = select(Region.id, Region.name).where(Region.id.in_(sorted(region_ids)))
    return dict((await session.execute(statement)).all())


def listing(
    *,
    published_only: bool,
    curated: set[int] | None,
    region_ids: set[int] | None,
    industry: LocalIndustry | None,
    matches: Subquery | None = None,
    text: str | None = None,
) -> Select[AchievementPackage]:
    """Packages passing the filters: those with a published version, or (not `published_only`) those
    of the `curated` regions (None: all regions), in `region_ids` (None: anywhere), newest first.
    `matches` (id, rank) are the search engine's, best first; `text` is looked for, as it is, in the
    title and summary of the package's latest version (a curator's drafts are not in the index)."""
    conditions: list[Any] = []
    if text is not None:
        latest = select(PackageVersion.package_id).where(
            PackageVersion.package_id == AchievementPackage.id,
            PackageVersion.number == AchievementPackage.latest_number,
            or_(
                func.lower(PackageVersion.title).contains(text.lower(), autoescape=True),
                func.lower(PackageVersion.summary).contains(text.lower(), autoescape=True),
            ),
        )
        conditions.append(latest.exists())
    if published_only:
        conditions.append(AchievementPackage.published_number.is_not(None))
    elif curated is not None:
        conditions.append(AchievementPackage.region_id.in_(curated))
    if region_ids is not None:
        conditions.append(AchievementPackage.region_id.in_(region_ids))
    if industry is not None:
        conditions.append(AchievementPackage.industry == industry)
    newest = AchievementPackage.published_at if published_only else AchievementPackage.updated_at
    statement = select(AchievementPackage)
    order: list[Any] = [newest.desc().nulls_last(), AchievementPackage.id.desc()]
    if matches is not None:
        statement = statement.join(matches, matches.c.id == AchievementPackage.id)
        order = [matches.c.rank.desc(), *order]
    return statement.where(*conditions).order_by(*order)
