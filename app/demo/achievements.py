"""Demo achievements: real abstracts from the shipped CSL subset, owned by the city's universities and
institutes, with maturity, IP, patents, price and team generated around them."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any

from app.core.enums import (
    AchievementLevel,
    Confidentiality,
    IpForm,
    ListingStatus,
    MaturityStage,
    PatentStatus,
    PatentType,
    TechField,
    TransferMode,
)
from app.core.identifiers import patent_check_char
from app.demo.common import history, mobile, person_name, pick_status, wan_to_fen
from app.demo.network import ORGANIZATION_BY_KEY

ACHIEVEMENT_COUNT = 300
CLIENT_KEY_PREFIX = "demo-achievement-"

_T = TechField
# CSL discipline -> (national technology field, the universities/institutes that would own such work).
DISCIPLINES: dict[str, tuple[TechField, tuple[str, ...]]] = {
    "材料科学与工程": (_T.NEW_MATERIALS, ("cas-materials", "silicon-institute", "jsou", "hhit")),
    "冶金工程": (_T.NEW_MATERIALS, ("cas-materials",)),
    "纺织科学与工程": (_T.NEW_MATERIALS, ("cas-materials",)),
    "化学/化学工程与技术": (_T.NEW_MATERIALS, ("cas-energy", "jsou", "pharma-institute")),
    "药学": (_T.BIOMEDICINE, ("pharma-institute", "jsou")),
    "生物学/生物科学与工程": (_T.BIOMEDICINE, ("pharma-institute", "lyg-agri")),
    "基础医学/临床医学": (_T.BIOMEDICINE, ("pharma-institute",)),
    "食品科学与工程": (_T.AGRICULTURE, ("jsou", "lygvc", "lyg-agri")),
    "水产": (_T.AGRICULTURE, ("jsou", "lyg-agri")),
    "作物学": (_T.AGRICULTURE, ("lyg-agri",)),
    "园艺学": (_T.AGRICULTURE, ("lyg-agri",)),
    "农业资源利用": (_T.AGRICULTURE, ("lyg-agri",)),
    "畜牧学/兽医学": (_T.AGRICULTURE, ("lyg-agri",)),
    "农业工程": (_T.AGRICULTURE, ("lyg-agri", "lygvc")),
    "海洋科学": (_T.ENVIRONMENT, ("jsou", "ship-electronics")),
    "环境科学与工程": (_T.ENVIRONMENT, ("cas-energy", "jsou")),
    "船舶与海洋工程": (_T.MODERN_TRANSPORT, ("jsou", "ship-electronics")),
    "交通运输工程": (_T.MODERN_TRANSPORT, ("hhit", "lygvc")),
    "机械工程": (_T.ADVANCED_MANUFACTURING, ("hhit", "jsou", "lygvc")),
    "控制科学与工程": (_T.ADVANCED_MANUFACTURING, ("ship-electronics", "hhit")),
    "计算机科学与技术": (_T.ELECTRONIC_INFORMATION, ("hhit", "ship-electronics")),
    "电子科学与技术": (_T.ELECTRONIC_INFORMATION, ("ship-electronics", "hhit")),
    "信息与通信工程": (_T.ELECTRONIC_INFORMATION, ("ship-electronics",)),
    "光学工程": (_T.ELECTRONIC_INFORMATION, ("silicon-institute", "ship-electronics")),
    "电气工程": (_T.NEW_ENERGY, ("hhit", "cas-energy")),
    "动力工程及工程热物理": (_T.NEW_ENERGY, ("cas-energy", "hhit")),
    "石油与天然气工程": (_T.NEW_ENERGY, ("cas-energy",)),
    "核科学与技术": (_T.NUCLEAR, ("cas-energy",)),
}
# A title about one of these belongs to that field whatever the discipline (an engineering one).
_OVERRIDES = (
    (re.compile("卫星|航天|飞行器|空间相机|航空"), _T.AEROSPACE),
    (re.compile("电池|发电|储能|光伏|太阳能|风电|风力|燃料"), _T.NEW_ENERGY),
    (re.compile("废水|污水|污染|脱硫|废气|排放|修复|降解"), _T.ENVIRONMENT),
)
_LIVING = frozenset({_T.BIOMEDICINE, _T.AGRICULTURE})
_LEVELS = {
    AchievementLevel.INTERNATIONAL_LEADING: 3,
    AchievementLevel.INTERNATIONAL_ADVANCED: 10,
    AchievementLevel.DOMESTIC_LEADING: 30,
    AchievementLevel.DOMESTIC_ADVANCED: 30,
    AchievementLevel.DOMESTIC_ORDINARY: 7,
    AchievementLevel.UNEVALUATED: 20,
}
_STATUSES = {
    ListingStatus.PUBLISHED: 80,
    ListingStatus.SUBMITTED: 8,
    ListingStatus.DRAFT: 6,
    ListingStatus.RETURNED: 5,
    ListingStatus.CLOSED: 1,
}
RETURN_REASONS = (
    "成熟度描述不清：请补充小试/中试数据和技术指标。",
    "与现有技术相比的优势不明确，请补充对比数据。",
    "转化路径与商业化前景不清晰，请补充目标市场和合作方式。",
    "专利信息不完整：请补充专利号及法律状态。",
)
_TITLES = ("教授", "研究员", "副教授", "副研究员", "高级工程师", "博士", "讲师", "工程师")


@dataclass(frozen=True, slots=True)
class CslRecord:
    title: str
    abstract: str
    keywords: tuple[str, ...]
    discipline: str
    category: str


@cache
def csl_records() -> tuple[CslRecord, ...]:
    """The curated CSL subset shipped in app/demo/data (see the README there)."""
    text = resources.files("app.demo").joinpath("data/csl_sample.tsv").read_text(encoding="utf-8")
    records = []
    for line in text.splitlines()[1:]:
        title, abstract, keywords, discipline, category = line.split("\t")
        words = tuple(dict.fromkeys(word.strip() for word in keywords.split("_") if word.strip()))
        records.append(CslRecord(title, abstract, words[:12], discipline, category))
    return tuple(records)


def tech_field(record: CslRecord) -> TechField:
    field = DISCIPLINES[record.discipline][0]
    if field in _LIVING:
        return field
    for pattern, override in _OVERRIDES:
        if pattern.search(record.title):
            return override
    return field


@dataclass(frozen=True, slots=True)
class DemoAchievement:
    client_key: str
    owner_key: str
    # The achievements row, except what the loader knows: organization, region, creator, reviewer id
    # (reviewed_by_id holds a reviewer key) and search_text.
    row: dict[str, Any]
    patents: list[dict[str, Any]]


def generate(rng: random.Random, now: datetime) -> list[DemoAchievement]:
    """ACHIEVEMENT_COUNT achievements, a seeded sample of the CSL subset, in a seeded order."""
    records = rng.sample(csl_records(), ACHIEVEMENT_COUNT)
    patents_taken: set[str] = set()
    return [_achievement(rng, now, index, record, patents_taken) for index, record in enumerate(records, 1)]


def _achievement(
    rng: random.Random, now: datetime, index: int, record: CslRecord, patents_taken: set[str]
) -> DemoAchievement:
    field = tech_field(record)
    owner = rng.choice(DISCIPLINES[record.discipline][1])
    trl = rng.choices(range(2, 10), weights=(3, 8, 14, 18, 18, 16, 10, 5))[0]
    ip_form = _ip_form(rng, record, field)
    priced = rng.random() < 0.6
    confidential = rng.random() < 0.15
    row: dict[str, Any] = {
        "title": record.title,
        "tech_field": field,
        "keywords": list(record.keywords),
        "abstract": record.abstract,
        "public_summary": _first_sentence(record.abstract),
        "application_industries": _industries(record, field),
        "trl": trl,
        "stage": _stage(trl),
        "level": rng.choices(list(_LEVELS), weights=list(_LEVELS.values()))[0],
        "ip_form": ip_form,
        "transfer_modes": _transfer_modes(rng),
        "asking_price_fen": wan_to_fen(rng.choice((5, 8, 10, 15, 20, 30, 50, 80, 120, 200, 350, 500)))
        if priced
        else None,
        "is_price_negotiable": not priced,
        "team": _team(rng),
        "technical_indicators": _indicators(record, trl),
        "commercial_analysis": _commercial(field, record),
        "valid_until": _valid_until(rng, now.date()),
        "confidentiality": Confidentiality.NDA if confidential else Confidentiality.PUBLIC,
        "confidential_detail": "完整工艺参数、配方、中试数据及检测报告（签署保密协议后提供）。"
        if confidential
        else "",
        "contact_name": person_name(rng),
        "contact_phone": mobile(rng),
        "client_key": f"{CLIENT_KEY_PREFIX}{index:04d}",
    }
    status = pick_status(rng, _STATUSES)
    row |= history(rng, now, status, ORGANIZATION_BY_KEY[owner].region, RETURN_REASONS)
    patents = _patents(rng, record, ip_form, patents_taken)
    return DemoAchievement(row["client_key"], owner, row, patents)


def _first_sentence(abstract: str) -> str:
    # CSL writes "." for "。" in many abstracts; a "." before a digit is a decimal point.
    match = re.match(r"(.{20,200}?(?:[。；;]|\.(?!\d)))", abstract)
    return match.group(1) if match else abstract[:200]


def _stage(trl: int) -> MaturityStage:
    if trl <= 4:
        return MaturityStage.EARLY
    return MaturityStage.PILOT if trl <= 6 else MaturityStage.INDUSTRIALIZED


def _ip_form(rng: random.Random, record: CslRecord, field: TechField) -> IpForm:
    if field == _T.ELECTRONIC_INFORMATION and rng.random() < 0.4:
        return IpForm.SOFTWARE_COPYRIGHT
    if record.discipline in ("作物学", "园艺学") and rng.random() < 0.4:
        return IpForm.PLANT_VARIETY
    forms = (IpForm.INVENTION_PATENT, IpForm.UTILITY_MODEL, IpForm.TECHNICAL_SECRET, IpForm.NONE)
    return rng.choices(forms, weights=(62, 16, 14, 8))[0]


def _transfer_modes(rng: random.Random) -> list[TransferMode]:
    modes = rng.sample(list(TransferMode), rng.choice((1, 2, 2, 3)))
    return sorted(modes, key=list(TransferMode).index)


def _industries(record: CslRecord, field: TechField) -> list[str]:
    return list(dict.fromkeys((field.label, record.discipline.split("/")[0])))


def _team(rng: random.Random) -> list[dict[str, Any]]:
    size = rng.choice((2, 3, 3, 4, 5))
    leader = {"name": person_name(rng), "title": rng.choice(_TITLES[:2]), "role": "项目负责人"}
    members = [
        {"name": person_name(rng), "title": rng.choice(_TITLES[2:]), "role": "核心成员"}
        for _ in range(size - 1)
    ]
    return [leader, *members]


def _indicators(record: CslRecord, trl: int) -> str:
    words = "、".join(record.keywords[:3])
    return f"核心技术：{words}。技术就绪度 TRL {trl}（GB/T 22900），{_stage(trl).label}阶段，关键指标见摘要。"


def _commercial(field: TechField, record: CslRecord) -> str:
    return (
        f"面向{field.label}领域，可服务连云港市相关企业的{record.keywords[0]}技术升级；"
        "支持与企业共建中试线，转化周期预计 6–18 个月。"
    )


def _valid_until(rng: random.Random, today: date) -> date | None:
    return None if rng.random() < 0.7 else today + timedelta(days=rng.randint(60, 720))


def _patents(rng: random.Random, record: CslRecord, ip_form: IpForm, taken: set[str]) -> list[dict[str, Any]]:
    if ip_form == IpForm.INVENTION_PATENT:
        kinds = [PatentType.INVENTION] * rng.choice((1, 1, 2, 3))
    elif ip_form == IpForm.UTILITY_MODEL:
        kinds = [PatentType.UTILITY_MODEL] * rng.choice((1, 2))
    else:
        return []
    patents = []
    for position, kind in enumerate(kinds):
        number = _patent_number(rng, kind, taken)
        granted = rng.random() < (0.55 if kind == PatentType.INVENTION else 0.9)
        title = record.title if position == 0 else f"一种{rng.choice(record.keywords)}的{_SUFFIXES[position]}"
        patents.append(
            {
                "application_number": number,
                "patent_type": kind,
                "status": PatentStatus.GRANTED if granted else PatentStatus.PENDING,
                "title": title[:200],
            }
        )
    return patents


_SUFFIXES = ("方法", "制备方法", "装置及系统")
_TYPE_DIGITS = {PatentType.INVENTION: "1", PatentType.UTILITY_MODEL: "2"}


def _patent_number(rng: random.Random, kind: PatentType, taken: set[str]) -> str:
    while True:
        digits = f"{rng.randint(2014, 2024)}{_TYPE_DIGITS[kind]}{rng.randrange(10**7):07d}"
        number = f"{digits}.{patent_check_char(digits)}"
        if number not in taken:
            taken.add(number)
            return number
