"""EXPLAIN ANALYZE of the statements the app runs for the benchmark's requests.

The statements are built by the app's own query code (app.listings.queries.build, the achievement
filters and the orders of app.listings.listing.run), compiled with their values inlined, so what is
explained is what the app sends, at the benchmark's table size.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg
from sqlalchemy import Select, func, select
from sqlalchemy.dialects.postgresql.base import PGDialect
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from app.achievements import service as achievements
from app.achievements.schemas import AchievementFilter
from app.core.enums import TechField
from app.listings import queries
from app.models import Achievement, Patent


@dataclass(frozen=True, slots=True)
class Plan:
    label: str
    milliseconds: float
    indexes: list[str]
    seq_scans: list[str]
    top: str
    lines: list[str]


async def explain_all(database_url: str, dsn: str, case: dict[str, Any]) -> list[Plan]:
    """Plans of a filtered list, a search, and a get by id (with their COUNT(*) and patents)."""
    statements = await _statements(database_url, case)
    connection = await asyncpg.connect(dsn)
    try:
        return [await _explain(connection, label, sql) for label, sql in statements]
    finally:
        await connection.close()


async def _statements(database_url: str, case: dict[str, Any]) -> list[tuple[str, str]]:
    engine = create_async_engine(database_url)
    today = datetime.now(UTC).date()
    found: list[tuple[str, str]] = []
    try:
        async with AsyncSession(engine) as session:
            listed = queries.ListingFilter(
                tech_field=TechField(case["tech_field"]), region_id=case["region_id"]
            )
            statement, _ = await queries.build(session, Achievement, None, listed, today)
            statement = statement.where(
                *achievements.conditions(session, AchievementFilter(trl_min=case["trl_min"]))
            )
            found += _page_and_count("list", statement, _newest())
            searched, rank = await queries.build(
                session, Achievement, None, queries.ListingFilter(q=case["q"]), today
            )
            assert rank is not None  # noqa: S101 - a query with tokens is ranked
            found += _page_and_count(f"search {case['q']}", searched, [rank.desc(), *_newest()])
    finally:
        await engine.dispose()
    by_id = select(Achievement).where(Achievement.id == case["id"])
    patents = select(Patent).where(Patent.achievement_id.in_(case["page_ids"])).order_by(Patent.id)
    found += [("get by id", _sql(by_id)), ("patents of a page", _sql(patents))]
    return found


def _newest() -> list[Any]:
    return [Achievement.published_at.desc().nulls_last(), Achievement.id.desc()]


def _page_and_count(label: str, statement: Select[Any], order: list[Any]) -> list[tuple[str, str]]:
    page = statement.order_by(*order).limit(20).offset(0)
    count = select(func.count()).select_from(statement.order_by(None).subquery())
    return [(f"{label}: page", _sql(page)), (f"{label}: COUNT(*)", _sql(count))]


def _sql(statement: Select[Any]) -> str:
    return str(
        statement.compile(
            dialect=PGDialect(),  # type: ignore[no-untyped-call]
            compile_kwargs={"literal_binds": True},
        )
    )


async def _explain(connection: asyncpg.Connection, label: str, sql: str) -> Plan:
    rows = await connection.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
    lines = [row[0] for row in rows]
    milliseconds = next(
        float(match.group(1)) for line in lines if (match := re.search(r"Execution Time: ([\d.]+) ms", line))
    )
    return Plan(
        label=label,
        milliseconds=milliseconds,
        indexes=list(
            dict.fromkeys(_matches(lines, r"Index (?:Only )?Scan (?:Backward )?(?:using|on) (\w+)"))
        ),
        seq_scans=list(dict.fromkeys(_matches(lines, r"Seq Scan on (\w+)"))),
        top=lines[0].split("  (")[0].strip(),
        lines=lines,
    )


def _matches(lines: list[str], pattern: str) -> Iterator[str]:
    for line in lines:
        yield from re.findall(pattern, line)
