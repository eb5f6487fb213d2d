"""What differs between SQLite and PostgreSQL, in one module: features call these and never read the
dialect's name themselves.

- Upserts, JSON-list containment, full-text matching, calendar buckets (day, month, quarter, year)
  of a UTC timestamp in China Standard Time, and byte-wise text order.
- Claiming work: one statement, `UPDATE … WHERE id = (SELECT … LIMIT 1 FOR UPDATE SKIP LOCKED)
  RETURNING`. On PostgreSQL the sub-select locks the row it picks and skips rows other workers hold,
  so several workers claim different rows at once. SQLite has no row locks (its compiler leaves the
  FOR UPDATE out): the UPDATE takes the database's single write lock before it reads, so claimers
  queue on that lock and each one sees the previous one's claim. As the transaction's first
  statement it also avoids SQLite's deferred-transaction upgrade failure (a read followed by a write
  in WAL mode fails with SQLITE_BUSY when another writer committed in between).
- Transactions in flight: ids from a PostgreSQL sequence are taken at INSERT and committed in any
  order, so a reader may see id 12 before the transaction holding id 11 commits. SQLite serialises
  writers, so ids become visible in order and a missing id is final. See `in_flight_marker`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ColumnElement,
    Integer,
    ScalarSelect,
    Select,
    String,
    Table,
    Update,
    bindparam,
    cast,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, aggregate_order_by
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql import Subquery

from app.db.base import Base

POSTGRESQL = "postgresql"
# China Standard Time is UTC+8 all year, so a fixed offset is exact.
_CST_OFFSET_HOURS = 8


class Bucket(StrEnum):
    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


# What the functions below take to know the database: the request's session, a connection, or the
# dialect name the public read path's reader gives (app.db.reader, which runs outside any session).
# Features pass it through; only this module looks inside.
Db = AsyncSession | AsyncConnection | str


def key(db: Db) -> str:
    """Which kind of database `db` is, as a value to pass on or cache statements by (never to branch
    on outside this module)."""
    if isinstance(db, str):
        return db
    return db.dialect.name if isinstance(db, AsyncConnection) else db.get_bind().dialect.name


def _is_postgres(db: Db) -> bool:
    return key(db) == POSTGRESQL


def has_single_writer(session: AsyncSession) -> bool:
    """SQLite: the first write takes the database's only write lock until the commit."""
    return not _is_postgres(session)


def insert(session: AsyncSession, model: Any) -> Any:
    """An INSERT that supports `on_conflict_do_update` / `on_conflict_do_nothing` (an upsert)."""
    return (pg_insert if _is_postgres(session) else sqlite_insert)(model)


def json_list_has(db: Db, column: Any, value: str) -> ColumnElement[bool]:
    """Whether the JSON list in `column` holds `value` (a transfer or cooperation mode, say)."""
    if _is_postgres(db):
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


def bytewise(db: Db, column: Any) -> ColumnElement[Any]:
    """`column` ordered byte by byte, which for UTF-8 text is code point order: the `C` collation on
    PostgreSQL (a locale collation would order names differently from SQLite), BINARY on SQLite."""
    if _is_postgres(db):
        ordered: ColumnElement[Any] = column.collate("C")
        return ordered
    return column  # type: ignore[no-any-return]


def text_matches(db: Db, table_name: str, words: list[str]) -> Subquery:
    """(id, rank) of the rows of `table_name` whose search_text has any of `words`; higher ranks
    better on both databases. SQLite: the FTS5 table beside it (bm25); PostgreSQL: its stored
    tsvector with a GIN index (ts_rank)."""
    if _is_postgres(db):
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


def ranked_ids(db: Db, ids: Sequence[int] | None = None) -> Subquery:
    """(id, rank) of `ids` in the order given (the search engine's ranking), the first ranked highest,
    as a selectable to join: one bound parameter, `ranked_ids`, whatever the number of ids (an array
    on PostgreSQL, a JSON list on SQLite), so the statement's text and plan stay the same. Without
    `ids` the parameter is left to the execution (`ranked_ids_value`): a statement built once."""
    value = ranked_ids_value(db, ids) if ids is not None else None
    if _is_postgres(db):
        values = bindparam("ranked_ids", value, type_=ARRAY(BigInteger))
        unnested = func.unnest(values).table_valued("id", with_ordinality="position").render_derived()
        statement = select(unnested.c.id, (-unnested.c.position).label("rank"))
        return statement.subquery("matches")
    elements = func.json_each(bindparam("ranked_ids", value, type_=String)).table_valued("key", "value")
    ranked = select(elements.c.value.label("id"), (-elements.c.key).label("rank"))
    return ranked.subquery("matches")


def ranked_ids_value(db: Db, ids: Sequence[int]) -> Any:
    """The `ranked_ids` parameter's value for `ids`."""
    return list(ids) if _is_postgres(db) else json.dumps(list(ids))


def claim_one(pick: Select[Any], update: Update, *, key: Any = None) -> Update:
    """`update` restricted to the one row that `pick` (a select of its key column, `id` unless
    `key` says otherwise) finds first, skipping rows that other transactions hold (PostgreSQL);
    on SQLite the UPDATE's write lock serialises claimers instead."""
    chosen = pick.limit(1).with_for_update(skip_locked=True).scalar_subquery()
    column = key if key is not None else update.table.c.id
    return update.where(column == chosen)


async def insert_ignoring_conflicts(
    session: AsyncSession, model: type[Base] | Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """INSERT rows, leaving out those whose key is stored already (`ON CONFLICT DO NOTHING`)."""
    if not rows:
        return
    await session.execute(insert(session, model).on_conflict_do_nothing(), [dict(row) for row in rows])


async def in_flight_marker(session: AsyncSession) -> int | None:
    """A mark of the transactions running now, or None where ids become visible in commit order.

    PostgreSQL: the next transaction id to be assigned (`pg_snapshot_xmax` of a fresh snapshot).
    Every transaction that holds an id not yet visible has a transaction id below it, because the
    recorder writes the audit row before it takes an event id (so the transaction already has one).
    When `marker_passed` says every transaction below the mark has ended, ids missing below what
    was visible at the mark were rolled back: skipping them loses nothing.
    """
    if not _is_postgres(session):
        return None
    value = await session.scalar(text("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint"))
    return int(value)


# Transactions of this database, other than the caller's, whose id precedes the marker. Transaction
# ids in pg_stat_activity are 32-bit and wrap around; running ones are always within 2^31 of each
# other, so "precedes" is the circular comparison PostgreSQL itself uses. Other databases of the
# cluster are left out: their transactions cannot hold our event ids.
_RUNNING_BEFORE = text(
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL "
    "AND ((backend_xid::text::bigint - :marker + 4294967296) % 4294967296) >= 2147483648"
)


async def marker_passed(session: AsyncSession, marker: int) -> bool:
    """Whether every other transaction of this database running when `marker` was taken has ended
    (committed or rolled back). The caller's own transaction is left out: its own rows are visible
    to it, so they leave no gap in what it reads."""
    if not _is_postgres(session):
        return True
    running_before = await session.scalar(_RUNNING_BEFORE, {"marker": marker % 4294967296})
    return not running_before


def json_array(
    db: Db,
    fields: Mapping[str, ColumnElement[Any]],
    where: ColumnElement[bool],
    order: ColumnElement[Any],
    correlate: Any,
) -> ScalarSelect[Any]:
    """A correlated subquery: the rows of `fields`' table passing `where`, in `order`, as a JSON array
    of {name: value} objects ([] for none), so a listing's collection (its patents) comes back with
    the listing's own row instead of in a query of its own."""
    pairs = [part for name, column in fields.items() for part in (literal_column(f"'{name}'"), column)]
    if _is_postgres(db):
        rows = func.json_agg(aggregate_order_by(func.json_build_object(*pairs), order))
        return select(func.coalesce(rows, literal_column("'[]'"), type_=JSON)).where(where).scalar_subquery()
    # SQLite (3.40) has no ORDER BY inside an aggregate: an ordered subquery feeds json_group_array.
    labelled = [column.label(name) for name, column in fields.items()]
    ordered = select(*labelled).where(where).order_by(order).correlate(correlate).subquery("ordered")
    members = [part for name in fields for part in (literal_column(f"'{name}'"), ordered.c[name])]
    return select(func.json_group_array(func.json_object(*members), type_=JSON)).scalar_subquery()
