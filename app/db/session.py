"""Engine and session factory. SQLite gets foreign keys, WAL and real transactions (with savepoints).

PostgreSQL connections are checked before use, as `pool_pre_ping` would, except where the caller
says it will retry instead (`unchecked`): the public read path (app.db.reader) skips the ping, a
round trip per request, and retries its idempotent read once on a fresh connection.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

from app.db.dialect import has_single_writer

SQLITE_BUSY_TIMEOUT_MS = 5000
# Connections kept open. SQLAlchemy's default keeps 5 and closes the overflow ones on return, so a
# worker serving more than 5 requests at once opens (and PostgreSQL forks) a new connection for
# many of them; bench/listings.py saw 19 new sessions in 331 requests at 10 concurrent.
POOL_SIZE = 10
MAX_OVERFLOW = 10
_FRESH = "techtransfer_fresh"
# Execution option of a connection whose transaction will write (SQLite: BEGIN IMMEDIATE).
WRITES = "techtransfer_writes"

# Set while a caller that retries on a dead connection checks one out: no ping for it.
_unchecked: ContextVar[bool] = ContextVar("unchecked_checkout", default=False)


def create_engine(database_url: str, *, echo: bool = False) -> AsyncEngine:
    if database_url.startswith("sqlite"):
        engine = create_async_engine(database_url, echo=echo)
        _configure_sqlite(engine)
        return engine
    engine = create_async_engine(database_url, echo=echo, pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW)
    _ping_on_checkout(engine)
    return engine


@contextmanager
def unchecked() -> Iterator[None]:
    """Connections checked out in this block are not pinged: the caller retries a dead one itself."""
    token = _unchecked.set(True)
    try:
        yield
    finally:
        _unchecked.reset(token)


def _ping_on_checkout(engine: AsyncEngine) -> None:
    """`pool_pre_ping`, but skipped for `unchecked()` checkouts. As SQLAlchemy's own pre-ping, a
    failed ping invalidates every pooled connection older than now and the checkout reconnects."""
    pool = engine.sync_engine.pool
    dialect = engine.sync_engine.dialect

    @event.listens_for(pool, "connect")
    def _on_connect(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info[_FRESH] = True  # just opened: nothing to check

    @event.listens_for(pool, "checkout")
    def _on_checkout(
        dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection
    ) -> None:
        if record.info.pop(_FRESH, False) or _unchecked.get():
            return
        if not _ping(dialect, dbapi_connection):
            raise exc.InvalidatePoolError("the connection failed its ping")


def _ping(dialect: Dialect, dbapi_connection: Any) -> bool:
    try:
        dialect.do_ping(dbapi_connection)
    except dialect.loaded_dbapi.Error as error:
        if dialect.is_disconnect(error, dbapi_connection, None):
            return False
        raise
    return True


def _configure_sqlite(engine: AsyncEngine) -> None:
    # pysqlite's own transaction handling skips BEGIN before some statements and breaks SAVEPOINT;
    # the documented remedy is to switch it off and emit BEGIN ourselves.
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A transaction that will write takes the write lock at once: a deferred one that has read
        # cannot upgrade once another writer committed (SQLITE_BUSY at once, the busy timeout never
        # applies). Writers then queue on the lock for up to the busy timeout; readers never wait.
        immediate = connection.get_execution_options().get(WRITES, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


async def will_write(session: AsyncSession) -> None:
    """Declare, before its first statement, that this session's transaction writes: on SQLite it
    then begins with BEGIN IMMEDIATE (see _configure_sqlite); elsewhere nothing changes."""
    if has_single_writer(session):
        await session.connection(execution_options={WRITES: True})


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


KEEP_ON_FAILURE = "keep_on_failure"


async def keep_so_far(session: AsyncSession) -> None:
    """Keep what this request has written so far even if it then fails.

    A savepoint is taken here; a request that fails with a domain error is rolled back to it and
    committed, so only the writes made before this call survive, and nothing written after it (no
    change, no event). Used by exactly two things: the sign-in throttle's count of a failed guess and
    the revocation of a reused refresh token's family.
    """
    session.info[KEEP_ON_FAILURE] = await session.begin_nested()
