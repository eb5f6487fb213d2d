"""What the matching index holds of a stored listing or package: its record (app.matching.records),
with the public text and what matching scores. Read in batches with the `Context` they share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import CHINA_STANDARD_TIME
from app.core.enums import LocalIndustry, TechField
from app.industries import service as industries
from app.industries.mapping import local_industries
from app.listings.kinds import kind_of
from app.listings.spec import NUMBER_PREFIXES, format_number
from app.matching import records
from app.models import Achievement, AchievementPackage, Demand, PackageMember, PackageVersion
from app.regions import service as regions


@dataclass(frozen=True, slots=True)
class Context:
    """What turning listings into records needs besides the rows: read once per batch."""

    mapping: dict[TechField, tuple[LocalIndustry, ...]]
    paths: dict[int, tuple[int, ...]]


async def context(session: AsyncSession) -> Context:
    return Context(await industries.mapping(session), await regions.ancestry(session))


def record(listing: Demand | Achievement, context: Context) -> records.Listing:
    """The engine's record of a stored listing: its public text and what matching scores."""
    named = local_industries(listing.local_industry, context.mapping.get(listing.tech_field, ()))
    common: dict[str, Any] = {
        "id": listing.id,
        "title": listing.title,
        "keywords": tuple(listing.keywords or ()),
        "number": _number(listing),
        "tech_field": listing.tech_field.value,
        "local_industries": tuple(industry.value for industry in named),
        "organization_id": listing.organization_id,
        "region_id": listing.region_id,
        "region_path": context.paths.get(listing.region_id, (listing.region_id,)),
        "published_on": _day(listing),
        "valid_until": listing.valid_until,
    }
    if isinstance(listing, Demand):
        budget = listing.budget_max_fen or listing.budget_min_fen
        return records.Listing(
            kind=records.Kind.DEMAND,
            body=listing.description,
            modes=tuple(str(mode) for mode in listing.cooperation_modes),
            price_fen=None if listing.is_budget_negotiable else budget,
            demand_type=listing.demand_type.value,
            **common,
        )
    body = "\n".join(part for part in (listing.abstract, listing.public_summary) if part)
    keywords = (*common.pop("keywords"), *(listing.application_industries or ()))
    return records.Listing(
        kind=records.Kind.ACHIEVEMENT,
        body=body,
        keywords=keywords,
        modes=tuple(str(mode) for mode in listing.transfer_modes),
        price_fen=None if listing.is_price_negotiable else listing.asking_price_fen,
        trl=listing.trl,
        **common,
    )


def _number(listing: Demand | Achievement) -> str:
    return format_number(NUMBER_PREFIXES[kind_of(listing)], listing.created_at, listing.id)


def _day(listing: Demand | Achievement) -> date | None:
    if listing.published_at is None:
        return None
    return listing.published_at.astimezone(CHINA_STANDARD_TIME).date()


async def package_records(
    session: AsyncSession, about: Context, package_ids: set[int] | None
) -> list[records.Listing]:
    """The records of the published packages among `package_ids` (None: all of them; there are tens
    or hundreds, read at once): the published version's title and summary, the theme, and the titles
    of its achievements, which is what someone searching for a package's subject types."""
    if package_ids is not None and not package_ids:
        return []
    published = and_(
        PackageVersion.package_id == AchievementPackage.id,
        PackageVersion.number == AchievementPackage.published_number,
    )
    statement = select(AchievementPackage, PackageVersion).join(PackageVersion, published)
    if package_ids is not None:
        statement = statement.where(AchievementPackage.id.in_(sorted(package_ids)))
    rows = (await session.execute(statement.order_by(AchievementPackage.id))).all()
    titles: dict[int, list[str]] = {version.id: [] for _, version in rows}
    if titles:
        members = (
            select(PackageMember.version_id, Achievement.title)
            .join(Achievement, Achievement.id == PackageMember.achievement_id)
            .where(PackageMember.version_id.in_(sorted(titles)))
            .order_by(PackageMember.version_id, PackageMember.position)
        )
        for version_id, title in await session.execute(members):
            titles[version_id].append(title)
    return [
        records.Listing(
            id=package.id,
            kind=records.Kind.PACKAGE,
            title=version.title,
            body="\n".join([version.summary, *titles[version.id]]),
            keywords=(package.theme,) if package.theme else (),
            local_industries=(package.industry.value,) if package.industry else (),
            region_id=package.region_id,
            region_path=about.paths.get(package.region_id, (package.region_id,)),
            published_on=package.published_at.astimezone(CHINA_STANDARD_TIME).date()
            if package.published_at
            else None,
        )
        for package, version in rows
    ]
