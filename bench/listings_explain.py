"""EXPLAIN ANALYZE of the statements the app sends for the benchmark's requests.

The app's own public read path (app.listings.public) runs one representative list, search and get
against the benchmark database while the statements it sends are recorded (text and parameters, as
asyncpg receives them); each is then explained with the same parameters at the benchmark's size.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import event
from sqlalchemy.ext.asyncio import create_async_engine

from app.achievements import service as achievements
from app.achievements.schemas import AchievementFilter
from app.core.enums import TechField
from app.core.pagination import PageParams
from app.db.reader import Reader
from app.listings import public, queries
from app.listings.listing import ListingSort
from app.listings.search_index import SearchIndex
from app.matching.engine import Engine


@dataclass(frozen=True, slots=True)
class Plan:
    label: str
    milliseconds: float
    indexes: list[str]
    seq_scans: list[str]
    top: str
    lines: list[str]


async def explain_all(database_url: str, dsn: str, case: dict[str, Any]) -> list[Plan]:
    """Plans of a filtered list (subtree, COUNT(*), page), a search (COUNT(*), page) and a get."""
    statements = await _statements(database_url, case)
    connection = await asyncpg.connect(dsn)
    try:
        return [await _explain(connection, label, sql, params) for label, sql, params in statements]
    finally:
        await connection.close()


async def _statements(database_url: str, case: dict[str, Any]) -> list[tuple[str, str, list[Any]]]:
    engine = create_async_engine(database_url)
    sent: list[tuple[str, list[Any]]] = []

    def record(*args: Any) -> None:
        sent.append((args[2], list(args[3])))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    fetchrow, fetch = asyncpg.Connection.fetchrow, asyncpg.Connection.fetch

    async def recording_fetchrow(self: asyncpg.Connection, query: str, *args: Any, **options: Any) -> Any:
        sent.append((query, list(args)))  # a get goes past SQLAlchemy (app.db.reader.first)
        return await fetchrow(self, query, *args, **options)

    async def recording_fetch(self: asyncpg.Connection, query: str, *args: Any, **options: Any) -> Any:
        sent.append((query, list(args)))  # so does a search's page (app.db.reader.all)
        return await fetch(self, query, *args, **options)

    asyncpg.Connection.fetchrow = recording_fetchrow
    asyncpg.Connection.fetch = recording_fetch
    reader, kind, page = Reader(engine), achievements.READS, PageParams(limit=20, offset=0)
    found: list[tuple[str, str, list[Any]]] = []
    try:
        listed = queries.ListingFilter(tech_field=TechField(case["tech_field"]), region_id=case["region_id"])
        trl = achievements.conditions(reader.dialect, AchievementFilter(trl_from=case["trl_from"]))
        await public.page(reader, kind, listed, ListingSort.NEWEST, page, trl)
        found += _labelled(["list: region subtree", "list: COUNT(*)", "list: page"], sent)
        sent.clear()
        index_dir = Path(case["index_dir"])
        index = SearchIndex(Engine.open(index_dir), index_dir, refresh_seconds=60)
        searched = queries.ListingFilter(q=case["q"], index=index)  # the engine's ids, joined
        await public.page(reader, kind, searched, ListingSort.RELEVANCE, page)
        # The engine's ranking is the answer: no COUNT, one SELECT of the page's 20 ids.
        found += _labelled([f"search {case['q']}: page of the ranking"], sent)
        sent.clear()
        await public.get(reader, kind, case["id"])
        found += _labelled(["get by id (with patents)"], sent)
    finally:
        asyncpg.Connection.fetchrow = fetchrow
        asyncpg.Connection.fetch = fetch
        await engine.dispose()
    return found


def _labelled(labels: list[str], sent: list[tuple[str, list[Any]]]) -> list[tuple[str, str, list[Any]]]:
    selects = [(sql, params) for sql, params in sent if sql.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert len(selects) == len(labels), [sql[:60] for sql, _ in selects]  # noqa: S101 - bench sanity
    return [(label, sql, params) for label, (sql, params) in zip(labels, selects, strict=True)]


async def _explain(connection: asyncpg.Connection, label: str, sql: str, params: list[Any]) -> Plan:
    rows = await connection.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", *params)
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
