"""What differs between SQLite and PostgreSQL, in one place; features never read the dialect's name.

Each function takes the session (or its bind) and returns a construct that means the same thing on
both databases: JSON-list containment, upserts, calendar buckets in China Standard Time, and whether
the database has a single writer (SQLite) that long work must not hold.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    cast,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Subquery

POSTGRESQL = "postgresql"
# China Standard Time is UTC+8 all year, so a fixed offset is exact.
_CST_OFFSET_HOURS = 8


class Bucket(StrEnum):
    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


def _is_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == POSTGRESQL


def has_single_writer(session: AsyncSession) -> bool:
    """SQLite: the first write takes the database's only write lock until the commit."""
    return not _is_postgres(session)


def insert(session: AsyncSession, model: Any) -> Any:
    """An INSERT that supports `on_conflict_do_update` / `on_conflict_do_nothing` (an upsert)."""
    return (pg_insert if _is_postgres(session) else sqlite_insert)(model)


def json_list_has(session: AsyncSession, column: Any, value: str) -> ColumnElement[bool]:
    """Whether the JSON list in `column` holds `value` (a transfer or cooperation mode, say)."""
    if _is_postgres(session):
        return cast(column, JSONB).contains([value])
    elements = func.json_each(column).table_valued("value")
    return select(literal(1)).select_from(elements).where(elements.c.value == value).exists()


def calendar_bucket(session: AsyncSession, instant: Any, bucket: Bucket) -> ColumnElement[str]:
    """The China Standard Time calendar period of a UTC timestamp column, as sortable text:
    `2026-11-25` (day), `2026-11` (month), `2026-Q4` (quarter), `2026` (year)."""
    if _is_postgres(session):
        local = func.timezone("UTC", instant) + func.make_interval(0, 0, 0, 0, _CST_OFFSET_HOURS)
        formats = {Bucket.DAY: "YYYY-MM-DD", Bucket.MONTH: "YYYY-MM", Bucket.QUARTER: 'YYYY-"Q"Q'}
        if bucket == Bucket.YEAR:
            return func.to_char(local, "YYYY")
        return func.to_char(local, formats[bucket])
    local = func.datetime(instant, f"+{_CST_OFFSET_HOURS} hours")
    if bucket == Bucket.QUARTER:
        month = cast(func.strftime("%m", local), Integer)
        quarter = cast((month + 2) // 3, String)
        return func.strftime("%Y", local).concat("-Q").concat(quarter)
    patterns = {Bucket.DAY: "%Y-%m-%d", Bucket.MONTH: "%Y-%m", Bucket.YEAR: "%Y"}
    return func.strftime(patterns[bucket], local)


def text_matches(session: AsyncSession, table_name: str, words: list[str]) -> Subquery:
    """(id, rank) of the rows of `table_name` whose search_text has any of `words`; higher ranks
    better on both databases. SQLite: the FTS5 table beside it (bm25); PostgreSQL: its stored
    tsvector with a GIN index (ts_rank)."""
    if _is_postgres(session):
        return _postgres_text_matches(table_name, words)
    return _sqlite_text_matches(table_name, words)


def _sqlite_text_matches(table_name: str, words: list[str]) -> Subquery:
    fts = table(f"{table_name}_fts", column("rowid"))
    # Tokens are word characters only; quoting makes FTS5 read each as one literal term.
    expression = " OR ".join(f'"{word}"' for word in words)
    match: ColumnElement[bool] = literal_column(f"{table_name}_fts").op("MATCH")(expression)
    # bm25() is lower for better matches; negate it so that, as on PostgreSQL, higher is better.
    rank = (-func.bm25(literal_column(f"{table_name}_fts"))).label("rank")
    statement: Select[tuple[int, float]] = select(fts.c.rowid.label("id"), rank).where(match)
    return statement.subquery("matches")


def _postgres_text_matches(table_name: str, words: list[str]) -> Subquery:
    # search_vector is a stored generated column (to_tsvector('simple', search_text)) with a GIN
    # index: ts_rank reads it instead of re-parsing search_text for every matching row.
    listings = table(table_name, column("id"), column("search_vector"))
    vector = listings.c.search_vector
    query = func.to_tsquery(text("'simple'"), " | ".join(f"'{word}'" for word in words))
    statement: Select[tuple[int, float]] = select(
        listings.c.id, func.ts_rank(vector, query).label("rank")
    ).where(vector.op("@@")(query))
    return statement.subquery("matches")
