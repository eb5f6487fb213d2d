"""Demo achievement packages: curated by the city's and Haizhou's science and technology bureaus for
the city's priority industries, from the published demo achievements of matching fields.

A package is recognised by its theme, so a second load adds nothing. The members are the best stored
candidates (level, then maturity, then client key), so they follow from the stored achievements, not
from the seed. The 新材料 package has two published versions: the second drops one achievement of the
first and adds three.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.enums import AchievementLevel, ListingStatus, LocalIndustry, PackageVersionStatus, TechField
from app.demo.achievements import CLIENT_KEY_PREFIX
from app.demo.network import ENTERPRISES
from app.demo.network_loader import Placed
from app.demo.summary import DemoSummary
from app.models import Achievement, AchievementPackage, PackageMember, PackageVersion

CITY_CURATOR = "city-admin@example.com"
HAIZHOU_CURATOR = "haizhou-admin@example.com"
# The bureaus' organizations stand for their regions (the city, Haizhou district).
_REGION_OF = {CITY_CURATOR: "lyg-kjj", HAIZHOU_CURATOR: "haizhou-kjj"}
_LEVEL_RANK = {level: rank for rank, level in enumerate(AchievementLevel)}


@dataclass(frozen=True, slots=True)
class VersionSpec:
    title: str
    summary: str
    members: slice  # of the package's ranked candidates
    published_days_ago: int
    dropped: int | None = None  # a candidate of the previous version left out of this one


@dataclass(frozen=True, slots=True)
class PackageSpec:
    theme: str  # the natural key
    industry: LocalIndustry
    fields: tuple[TechField, ...]
    curator: str
    versions: tuple[VersionSpec, ...]
    # What a curator looks for first: words in the title, then the disciplines of the CSL record
    # (the second of an achievement's application industries, see app.demo.achievements).
    words: re.Pattern[str]
    disciplines: tuple[str, ...]


_T = TechField
PACKAGES: tuple[PackageSpec, ...] = (
    PackageSpec(
        "创新药物与医药关键技术",
        LocalIndustry.NEW_MEDICINE,
        (_T.BIOMEDICINE,),
        CITY_CURATOR,
        (
            VersionSpec(
                "新医药产业科技成果包",
                "汇集在连高校和新型研发机构在原料药合成、药物制剂、生物技术方向的已发布成果，"
                "服务“中国医药名城”建设，供本地医药企业对接技术升级与新品研发。",
                slice(0, 6),
                75,
            ),
        ),
        re.compile("药|制剂|注射|合成|蛋白|抗"),
        ("药学", "基础医学/临床医学"),
    ),
    PackageSpec(
        "硅材料与高性能复合材料",
        LocalIndustry.NEW_MATERIALS,
        (_T.NEW_MATERIALS,),
        CITY_CURATOR,
        (
            VersionSpec(
                "新材料产业科技成果包（第一批）",
                "围绕东海硅材料、高新区碳纤维及复合材料产业链，遴选技术成熟度较高、具备中试条件的成果。",
                slice(0, 5),
                120,
            ),
            VersionSpec(
                "新材料产业科技成果包（第二批）",
                "在第一批基础上新增三项功能材料成果，撤下一项已进入企业合作开发的成果，"
                "重点面向石英制品、改性塑料和复合材料企业。",
                slice(0, 8),
                18,
                dropped=4,
            ),
        ),
        re.compile("硅|石英|碳纤维|复合|纳米|高分子|涂层"),
        ("材料科学与工程",),
    ),
    PackageSpec(
        "海州区智能制造与高端装备",
        LocalIndustry.INTELLIGENT_EQUIPMENT,
        (_T.ADVANCED_MANUFACTURING, _T.ELECTRONIC_INFORMATION),
        HAIZHOU_CURATOR,
        (
            VersionSpec(
                "海州区高端智能装备科技成果包",
                "海州区科技局联合区内高校，推介智能控制、机械装备与工业软件方向的成果，"
                "支持区内装备制造企业开展技术改造和数字化升级。",
                slice(0, 6),
                40,
            ),
        ),
        re.compile("控制|机床|机器人|装备|数控|传感|刀具|机械"),
        ("机械工程", "控制科学与工程"),
    ),
    PackageSpec(
        "新能源与储能",
        LocalIndustry.NEW_ENERGY,
        (_T.NEW_ENERGY,),
        CITY_CURATOR,
        (
            VersionSpec(
                "新能源产业科技成果包",
                "聚焦储能电池、光伏与风电、高效节能方向，服务徐圩新区和各县区新能源项目的技术需求。",
                slice(0, 6),
                55,
            ),
        ),
        re.compile("电池|储能|光伏|风电|风力|太阳能|电源|节能"),
        ("电气工程", "动力工程及工程热物理"),
    ),
)


async def load_packages(
    session: AsyncSession,
    now: datetime,
    organizations: dict[str, Placed],
    users: dict[str, int],
    summary: DemoSummary,
) -> None:
    """Add the demo packages not stored yet (by theme)."""
    themes = [spec.theme for spec in PACKAGES]
    stored = set(
        await session.scalars(select(AchievementPackage.theme).where(AchievementPackage.theme.in_(themes)))
    )
    for spec in PACKAGES:
        if spec.theme in stored:
            continue
        region_id = organizations[_REGION_OF[spec.curator]].region_id
        candidates = await _candidates(session, spec, now, region_id)
        if candidates:
            await _insert(session, spec, now, region_id, users[spec.curator], candidates)
            summary.packages += 1


async def _candidates(
    session: AsyncSession, spec: PackageSpec, now: datetime, region_id: int
) -> list[Achievement]:
    """Published demo achievements of the package's fields, best first."""
    statement = select(Achievement).where(
        Achievement.client_key.like(f"{CLIENT_KEY_PREFIX}%"),
        Achievement.status == ListingStatus.PUBLISHED,
        Achievement.tech_field.in_(spec.fields),
        # Not about to expire: a curator would not recommend what lapses within the quarter.
        or_(Achievement.valid_until.is_(None), Achievement.valid_until > (now + timedelta(days=90)).date()),
    )
    found = list(await session.scalars(statement))

    def rank(achievement: Achievement) -> tuple[bool, bool, bool, bool, int, int, str]:
        return (
            not spec.words.search(achievement.title),
            not set(spec.disciplines) & set(achievement.application_industries),
            achievement.region_id != region_id,
            (achievement.trl or 0) < 5,  # a curator recommends what is past the laboratory first
            _LEVEL_RANK[achievement.level],
            -(achievement.trl or 0),
            achievement.client_key or "",
        )

    return sorted(found, key=rank)


async def _insert(
    session: AsyncSession,
    spec: PackageSpec,
    now: datetime,
    region_id: int,
    curator_id: int,
    candidates: list[Achievement],
) -> None:
    first = now - timedelta(days=spec.versions[0].published_days_ago + 10)
    package = AchievementPackage(
        region_id=region_id,
        industry=spec.industry,
        theme=spec.theme,
        latest_number=len(spec.versions),
        published_number=len(spec.versions),
        published_at=now - timedelta(days=spec.versions[-1].published_days_ago),
        created_by_id=curator_id,
        created_at=first,
        updated_at=now - timedelta(days=spec.versions[-1].published_days_ago),
        version=1 + 2 * len(spec.versions),
    )
    session.add(package)
    await session.flush()
    for number, version_spec in enumerate(spec.versions, 1):
        published = now - timedelta(days=version_spec.published_days_ago)
        version = PackageVersion(
            package_id=package.id,
            number=number,
            status=PackageVersionStatus.PUBLISHED,
            title=version_spec.title,
            summary=version_spec.summary,
            based_on=number - 1 or None,
            created_by_id=curator_id,
            published_at=published,
            published_by_id=curator_id,
            created_at=published - timedelta(days=7),
            updated_at=published,
            version=2,
        )
        session.add(version)
        await session.flush()
        chosen = [
            achievement
            for index, achievement in enumerate(candidates[version_spec.members])
            if index != version_spec.dropped
        ]
        session.add_all(
            PackageMember(
                version_id=version.id,
                achievement_id=achievement.id,
                position=position,
                note=_note(spec.industry, achievement, position),
            )
            for position, achievement in enumerate(chosen, 1)
        )
    await session.flush()


def _note(industry: LocalIndustry, achievement: Achievement, position: int) -> str:
    """The curator's note: maturity and level, and which local enterprise to talk to."""
    partners = [spec.name for spec in ENTERPRISES if spec.industry == industry]
    maturity = f"TRL {achievement.trl}" if achievement.trl else "成熟度待评价"
    if achievement.stage is not None:
        maturity += f"（{achievement.stage.label}）"
    note = f"{maturity}，{achievement.level.label}。"
    if partners:
        note += f"建议对接：{partners[position % len(partners)]}。"
    return note
