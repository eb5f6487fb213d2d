"""What differs between SQLite and PostgreSQL, in one module: features call these and never read the
dialect's name themselves.

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

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Select, Table, Update, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.base import Base

POSTGRESQL = "postgresql"


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


def has_single_writer(session: AsyncSession) -> bool:
    """Whether one writing transaction at a time holds the whole database (SQLite).

    Then a long write transaction blocks every other writer (progress reports, heartbeats) until it
    commits, and those writers should not try."""
    return _dialect(session) != POSTGRESQL


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
    insert: Any = pg_insert if _dialect(session) == POSTGRESQL else sqlite_insert
    await session.execute(insert(model).on_conflict_do_nothing(), [dict(row) for row in rows])


async def in_flight_marker(session: AsyncSession) -> int | None:
    """A mark of the transactions running now, or None where ids become visible in commit order.

    PostgreSQL: the next transaction id to be assigned (`pg_snapshot_xmax` of a fresh snapshot).
    Every transaction that holds an id not yet visible has a transaction id below it, because the
    recorder writes the audit row before it takes an event id (so the transaction already has one).
    When `marker_passed` says every transaction below the mark has ended, ids missing below what
    was visible at the mark were rolled back: skipping them loses nothing.
    """
    if _dialect(session) != POSTGRESQL:
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
    if _dialect(session) != POSTGRESQL:
        return True
    running_before = await session.scalar(_RUNNING_BEFORE, {"marker": marker % 4294967296})
    return not running_before
