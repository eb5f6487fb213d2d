"""Engine and session factory. SQLite gets foreign keys, WAL and real transactions (with savepoints)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

SQLITE_BUSY_TIMEOUT_MS = 5000
# Connections kept open. SQLAlchemy's default keeps 5 and closes the overflow ones on return, so a
# worker serving more than 5 requests at once opens (and PostgreSQL forks) a new connection for
# many of them; bench/listings.py saw 19 new sessions in 331 requests at 10 concurrent.
POOL_SIZE = 10
MAX_OVERFLOW = 10


def create_engine(database_url: str, *, echo: bool = False) -> AsyncEngine:
    if database_url.startswith("sqlite"):
        engine = create_async_engine(database_url, echo=echo)
        _configure_sqlite(engine)
        return engine
    return create_async_engine(
        database_url, echo=echo, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW
    )


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
        connection.exec_driver_sql("BEGIN")


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
