"""The scratch PostgreSQL database of the listings benchmark: schema, demo network, N achievements.

Achievement text comes from the CSL sample (../shared/data/csl, 3,766 real abstracts); each record is
reused for about N/3,766 rows with different owners, maturity, prices and dates. A row's search_text
depends only on its record, so each record is tokenized once (in worker processes), not each row.
Rows are written with COPY, then ANALYZEd so the planner sees the real table.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import random
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from app import migrate
from app.achievements.kind import ACHIEVEMENT
from app.bootstrap import load_demo
from app.core.collation import pinyin_sort_key
from app.core.config import Settings
from app.core.enums import AchievementLevel, IpForm, TechField, TransferMode
from app.core.identifiers import patent_check_char
from app.demo.achievements import DISCIPLINES

CSL_PATH = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "csl" / "dev.tsv"
CLIENT_KEY_PREFIX = "bench-"
COPY_BATCH = 5_000

_T = TechField
# Disciplines the demo does not map (it only ships technical ones): by discipline, then by category.
_DISCIPLINE_FIELDS = {
    "中医学/中药学": _T.BIOMEDICINE,
    "口腔医学": _T.BIOMEDICINE,
    "公共卫生与预防医学": _T.BIOMEDICINE,
    "航空宇航科学与技术": _T.AEROSPACE,
    "林学/林业工程": _T.AGRICULTURE,
    "植物保护": _T.AGRICULTURE,
    "矿业工程": _T.ENVIRONMENT,
    "地质学/地质资源与地质工程": _T.ENVIRONMENT,
    "大气科学": _T.ENVIRONMENT,
    "土木工程": _T.URBAN_SOCIAL,
    "建筑学": _T.URBAN_SOCIAL,
    "水利工程": _T.URBAN_SOCIAL,
    "测绘科学与技术": _T.URBAN_SOCIAL,
}
_CATEGORY_FIELDS = {"工学": _T.ADVANCED_MANUFACTURING, "理学": _T.NEW_MATERIALS, "医学": _T.BIOMEDICINE}
_LEVELS = list(AchievementLevel)
_LEVEL_WEIGHTS = (3, 10, 30, 30, 7, 20)
_IP_FORMS = (IpForm.INVENTION_PATENT, IpForm.UTILITY_MODEL, IpForm.TECHNICAL_SECRET, IpForm.NONE)
_PRICES_WAN = (5, 8, 10, 15, 20, 30, 50, 80, 120, 200, 350, 500)
_NAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
_GIVEN = ("建华", "志强", "晓燕", "海涛", "文博", "丽娟", "国庆", "春雷", "明辉", "思远", "伟", "敏")


@dataclass(frozen=True, slots=True)
class Record:
    title: str
    abstract: str
    keywords: list[str]
    discipline: str
    field: TechField

    @property
    def summary(self) -> str:
        match = re.match(r"(.{20,200}?(?:[。；;]|\.(?!\d)))", self.abstract)
        return match.group(1) if match else self.abstract[:200]

    @property
    def industries(self) -> list[str]:
        return list(dict.fromkeys((self.field.label, self.discipline.split("/")[0])))


@dataclass(frozen=True, slots=True)
class Owner:
    organization_id: int
    region_id: int
    user_id: int | None


def read_csl(path: Path = CSL_PATH) -> list[Record]:
    if not path.exists():
        raise SystemExit(f"the CSL sample is missing: {path} (the shared/ folder beside the repository)")
    records = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        title, abstract, keywords, discipline, category = line.split("\t")
        words = list(dict.fromkeys(word.strip() for word in keywords.split("_") if word.strip()))[:12]
        records.append(Record(title[:200], abstract, words, discipline, _field(discipline, category)))
    return records


def _field(discipline: str, category: str) -> TechField:
    if discipline in DISCIPLINES:
        return DISCIPLINES[discipline][0]
    if discipline in _DISCIPLINE_FIELDS:
        return _DISCIPLINE_FIELDS[discipline]
    return _CATEGORY_FIELDS.get(category, _T.URBAN_SOCIAL)


def _tokenize(record: Record) -> str:
    """What the app writes to search_text: the achievement kind's own definition of it."""
    return ACHIEVEMENT.search_text(
        {
            "title": record.title,
            "abstract": record.abstract,
            "public_summary": record.summary,
            "keywords": record.keywords,
            "application_industries": record.industries,
        }
    )


def tokenize_all(records: list[Record]) -> list[str]:
    """search_text of every record, on every core, with a progress line."""
    started = time.perf_counter()
    found: list[str] = []
    with multiprocessing.get_context("spawn").Pool() as pool:
        for text in pool.imap(_tokenize, records, chunksize=32):
            found.append(text)
            if len(found) % 250 == 0 or len(found) == len(records):
                _progress(f"tokenizing CSL records {len(found)}/{len(records)}")
    _progress(f"tokenized {len(records)} records in {time.perf_counter() - started:.1f} s", end=True)
    return found


def _progress(message: str, *, end: bool = False) -> None:
    sys.stderr.write(f"\r  {message}   " + ("\n" if end else ""))
    sys.stderr.flush()


def server_dsn(database_url: str) -> str:
    """An asyncpg DSN from a SQLAlchemy URL (postgresql+asyncpg://...)."""
    return re.sub(r"^postgresql\+\w+://", "postgresql://", database_url)


def with_database(database_url: str, name: str) -> str:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def count_rows(database_url: str) -> int | None:
    """How many benchmark achievements the database holds; None when it does not exist."""
    try:
        connection = await asyncpg.connect(server_dsn(database_url))
    except asyncpg.InvalidCatalogNameError:
        return None
    try:
        exists = await connection.fetchval("SELECT to_regclass('achievements') IS NOT NULL")
        if not exists:
            return 0
        sql = "SELECT count(*) FROM achievements WHERE client_key LIKE $1"
        return int(await connection.fetchval(sql, CLIENT_KEY_PREFIX + "%"))
    finally:
        await connection.close()


async def recreate_database(database_url: str) -> None:
    name = urlsplit(database_url).path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"refusing to drop a database named {name!r}")
    admin = await asyncpg.connect(server_dsn(with_database(database_url, "postgres")))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


def seed(database_url: str, rows: int, seed_value: int = 7) -> None:
    """A fresh database with the schema, the demo network and `rows` published achievements."""
    started = time.perf_counter()
    asyncio.run(recreate_database(database_url))
    migrate.upgrade(database_url)
    _progress("schema migrated; loading the demo network", end=True)
    settings = Settings.model_validate({"DATABASE_URL": database_url, "environment": "development"})
    asyncio.run(load_demo(settings, seed_value, only_if_empty=True))
    records = read_csl()
    texts = tokenize_all(records)
    asyncio.run(_insert(database_url, rows, records, texts, random.Random(seed_value)))
    _progress(f"seeded {rows} achievements in {time.perf_counter() - started:.1f} s", end=True)


async def _insert(
    database_url: str, rows: int, records: list[Record], texts: list[str], rng: random.Random
) -> None:
    connection = await asyncpg.connect(server_dsn(database_url))
    try:
        owners = await _owners(connection)
        reviewer = await connection.fetchval("SELECT id FROM users WHERE email = 'reviewer@example.com'")
        columns, patent_columns = _ACHIEVEMENT_COLUMNS, _PATENT_COLUMNS
        first_id = int(await connection.fetchval("SELECT coalesce(max(id), 0) FROM achievements")) + 1
        order = list(range(len(records)))
        rng.shuffle(order)
        done = 0
        now = datetime.now(UTC)
        for start in range(0, rows, COPY_BATCH):
            batch, patents = [], []
            for position in range(start, min(rows, start + COPY_BATCH)):
                index = order[position % len(order)]
                row_id = first_id + position
                row, row_patents = _row(rng, now, row_id, position, records[index], texts[index])
                batch.append(row | _placed(rng.choice(owners), reviewer))
                patents.extend(row_patents)
            async with connection.transaction():
                await connection.copy_records_to_table(
                    "achievements", records=[tuple(r[c] for c in columns) for r in batch], columns=columns
                )
                await connection.copy_records_to_table(
                    "achievement_patents", records=patents, columns=patent_columns
                )
            done += len(batch)
            _progress(f"inserted {done}/{rows} achievements")
        _progress(f"inserted {done} achievements", end=True)
        for table in ("achievements", "achievement_patents"):
            await connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"  # noqa: S608
            )
        await connection.execute("VACUUM ANALYZE achievements")
        await connection.execute("VACUUM ANALYZE achievement_patents")
    finally:
        await connection.close()


async def _owners(connection: asyncpg.Connection) -> list[Owner]:
    """Enterprises, universities and institutes, each with a member account as the creator."""
    found = await connection.fetch(
        "SELECT o.id, o.region_id, min(m.user_id) AS user_id FROM organizations o "
        "LEFT JOIN memberships m ON m.organization_id = o.id "
        "WHERE o.kind IN ('enterprise', 'university', 'research_institute') GROUP BY o.id ORDER BY o.id"
    )
    return [Owner(row["id"], row["region_id"], row["user_id"]) for row in found]


def _placed(owner: Owner, reviewer: int | None) -> dict[str, Any]:
    return {
        "organization_id": owner.organization_id,
        "region_id": owner.region_id,
        "created_by_id": owner.user_id,
        "reviewed_by_id": reviewer,
    }


_ACHIEVEMENT_COLUMNS = [
    "id", "title", "title_sort", "tech_field", "keywords", "abstract", "public_summary",
    "application_industries", "trl", "stage", "level", "ip_form", "transfer_modes", "asking_price_fen",
    "is_price_negotiable", "team",
    "technical_indicators", "commercial_analysis", "valid_until", "confidentiality", "confidential_detail",
    "contact_name", "contact_phone", "status", "created_at", "updated_at", "submitted_at", "published_at",
    "revision", "version", "search_text", "client_key", "organization_id", "region_id", "created_by_id",
    "reviewed_by_id",
]  # fmt: skip
_PATENT_COLUMNS = ["achievement_id", "application_number", "patent_type", "status", "title"]


def _row(
    rng: random.Random, now: datetime, row_id: int, position: int, record: Record, text: str
) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    trl = rng.choices(range(2, 10), weights=(3, 8, 14, 18, 18, 16, 10, 5))[0]
    ip_form = rng.choices(_IP_FORMS, weights=(62, 16, 14, 8))[0]
    priced = rng.random() < 0.6
    nda = rng.random() < 0.15
    created = now - timedelta(days=rng.randint(20, 1100), minutes=rng.randrange(24 * 60))
    published = created + timedelta(hours=rng.randint(5, 300))
    modes = sorted(rng.sample(list(TransferMode), rng.choice((1, 2, 2, 3))), key=list(TransferMode).index)
    row = {
        "id": row_id,
        "title": record.title,
        "title_sort": pinyin_sort_key(record.title),
        "tech_field": record.field.value,
        "keywords": json.dumps(record.keywords, ensure_ascii=False),
        "abstract": record.abstract,
        "public_summary": record.summary,
        "application_industries": json.dumps(record.industries, ensure_ascii=False),
        "trl": trl,
        "stage": "early" if trl <= 4 else ("pilot" if trl <= 6 else "industrialized"),
        "level": rng.choices(_LEVELS, weights=_LEVEL_WEIGHTS)[0].value,
        "ip_form": ip_form.value,
        "transfer_modes": json.dumps([mode.value for mode in modes]),
        "asking_price_fen": rng.choice(_PRICES_WAN) * 1_000_000 if priced else None,
        "is_price_negotiable": not priced,
        "team": json.dumps(_team(rng), ensure_ascii=False),
        "technical_indicators": f"核心技术：{'、'.join(record.keywords[:3])}。技术就绪度 TRL {trl}。",
        "commercial_analysis": f"面向{record.field.label}领域，支持与企业共建中试线。",
        "valid_until": _valid_until(rng, now.date()),
        "confidentiality": "nda" if nda else "public",
        "confidential_detail": "完整工艺参数及检测报告（签署保密协议后提供）。" if nda else "",
        "contact_name": _person(rng),
        "contact_phone": f"1{rng.choice('35789')}{rng.randrange(10**9):09d}",
        "status": "published",
        "created_at": created,
        "updated_at": published,
        "submitted_at": created + timedelta(hours=rng.randint(1, 4)),
        "published_at": published,
        "revision": 1,
        "version": 3,
        "search_text": text,
        "client_key": f"{CLIENT_KEY_PREFIX}{position:07d}",
    }
    return row, list(_patents(rng, row_id, ip_form, record.title))


def _team(rng: random.Random) -> list[dict[str, str]]:
    return [
        {"name": _person(rng), "title": rng.choice(("教授", "研究员", "副教授", "高级工程师")), "role": role}
        for role in ("项目负责人", *["核心成员"] * rng.choice((1, 2, 3)))
    ]


def _person(rng: random.Random) -> str:
    return rng.choice(_NAMES) + rng.choice(_GIVEN)


def _valid_until(rng: random.Random, today: date) -> date | None:
    draw = rng.random()
    if draw < 0.7:
        return None
    if draw < 0.95:
        return today + timedelta(days=rng.randint(30, 720))
    return today - timedelta(days=rng.randint(1, 200))  # expired: hidden from the default public list


def _patents(rng: random.Random, row_id: int, ip_form: IpForm, title: str) -> Iterator[tuple[Any, ...]]:
    if ip_form == IpForm.INVENTION_PATENT:
        kinds = [("1", "invention")] * rng.choice((1, 1, 2, 3))
    elif ip_form == IpForm.UTILITY_MODEL:
        kinds = [("2", "utility_model")] * rng.choice((1, 2))
    else:
        return
    for position, (digit, kind) in enumerate(kinds):
        digits = f"{rng.randint(2014, 2024)}{digit}{rng.randrange(10**7):07d}"
        status = "granted" if rng.random() < 0.7 else "pending"
        name = title if position == 0 else f"{title[:190]}的装置"
        yield (row_id, f"{digits}.{patent_check_char(digits)}", kind, status, name)
