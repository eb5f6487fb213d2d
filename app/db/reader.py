"""Idempotent reads outside the request's transaction: the public read path's access to the database.

A public read (an anonymous list or get) needs neither the ORM nor a transaction: it runs one to
three SELECTs on a connection in autocommit mode, so PostgreSQL sees no BEGIN/COMMIT round trips,
and its checkout skips the ping that guards the request sessions (app.db.session.unchecked).
Instead, a read that meets a dead connection (PostgreSQL restarted, the backend was terminated)
runs once more on a fresh one, which is safe because it only reads. If the database is still out
of reach, the caller gets a 503 problem, never a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.util import greenlet_spawn

from app.core.errors import DatabaseUnavailable
from app.db.session import unchecked

T = TypeVar("T")
# How a statement is sent on a driver connection (_fetch, _fetchrow).
Send = Callable[[Any, Select[Any], Dialect, dict[str, Any]], Awaitable[T]]
logger = logging.getLogger(__name__)


class Reader:
    """Runs read-only work on a connection of `bind`: an engine (the app's pool), or a connection
    that the caller owns (the tests' connection inside their rolled-back transaction)."""

    def __init__(self, bind: AsyncEngine | AsyncConnection) -> None:
        self._connection = bind if isinstance(bind, AsyncConnection) else None
        self._engine: AsyncEngine | None = None
        if isinstance(bind, AsyncEngine):
            # SQLite has no round trips to save, and its BEGIN is ours (app.db.session).
            sqlite = bind.dialect.name == "sqlite"
            self._engine = bind if sqlite else bind.execution_options(isolation_level="AUTOCOMMIT")

    @property
    def dialect(self) -> str:
        """The database's dialect name, for the few statements written per dialect."""
        bind = self._connection if self._connection is not None else self._engine
        assert bind is not None  # noqa: S101 - one of the two is always set
        return bind.dialect.name

    async def run(self, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        """`work` on a connection; again on a fresh one if the first was dead; 503 if both fail."""
        if self._connection is not None:
            return await work(self._connection)
        return await _retrying(lambda: self._attempt(work))

    async def first(self, statement: Select[Any], **params: Any) -> Mapping[str, Any] | None:
        """The first row of `statement`, by column name; see the module function `first`. On the
        app's own asyncpg pool it borrows the pooled driver connection itself, without the
        SQLAlchemy Connection around it (nor its autocommit setting and resetting)."""
        if self._engine is None or self._engine.dialect.driver != "asyncpg":
            return await self.run(lambda connection: first(connection, statement, **params))
        return await _retrying(lambda: self._on_driver(statement, params, _fetchrow))

    async def all(self, statement: Select[Any], **params: Any) -> Sequence[Mapping[str, Any]]:
        """Every row of `statement`, by column name, as `first` reads one (the driver connection
        itself on asyncpg; the statement takes only these `params`)."""
        if self._engine is None or self._engine.dialect.driver != "asyncpg":
            return await self.run(lambda connection: all_rows(connection, statement, **params))
        return await _retrying(lambda: self._on_driver(statement, params, _fetch))

    async def _attempt(self, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        assert self._engine is not None  # noqa: S101 - set whenever no connection was given
        try:
            with unchecked():
                connection = await self._engine.connect()
        except (DBAPIError, OSError) as error:  # the server is down or refuses connections
            raise _unavailable(error) from error
        try:
            return await work(connection)
        finally:
            await connection.close()

    async def _on_driver(self, statement: Select[Any], params: dict[str, Any], send: Send[T]) -> T:
        assert self._engine is not None  # noqa: S101 - the caller checked
        try:
            with unchecked():
                pooled = await self._engine.raw_connection()
        except (DBAPIError, OSError) as error:
            raise _unavailable(error) from error
        try:
            return await send(pooled.driver_connection, statement, self._engine.dialect, params)
        except DeadConnection as error:
            await greenlet_spawn(pooled.invalidate, error)  # never pooled again
            raise
        finally:
            await greenlet_spawn(pooled.close)  # back to the pool (or away, if invalidated)


class DeadConnection(Exception):
    """The driver found its connection closed under a statement sent past SQLAlchemy (`first`)."""


async def first(
    connection: AsyncConnection, statement: Select[Any], **params: Any
) -> Mapping[str, Any] | None:
    """The first row of `statement` (None if none), by column name.

    On asyncpg the statement, compiled once by SQLAlchemy, goes to the driver connection directly:
    SQLAlchemy's per-statement machinery (execution context, cursor emulation, result processing)
    costs about 0.25 ms of CPU, as much again as the driver's own work, and the hottest public read
    (a get by id) is a single statement. Its columns then come as the driver decodes them: strings
    for enumerations, aware datetimes, JSON decoded (SQLAlchemy's codec on the connection). The
    statement must take only these `params` as bound parameters (constants as literals).
    """
    if connection.dialect.driver != "asyncpg":
        found: Mapping[str, Any] | None = (await connection.execute(statement, params)).mappings().first()
        return found
    return await _on_connection(connection, statement, params, _fetchrow)


async def all_rows(
    connection: AsyncConnection, statement: Select[Any], **params: Any
) -> Sequence[Mapping[str, Any]]:
    """Every row of `statement`, by column name, as `first` reads one."""
    if connection.dialect.driver != "asyncpg":
        return list((await connection.execute(statement, params)).mappings().all())
    return await _on_connection(connection, statement, params, _fetch)


async def _on_connection(
    connection: AsyncConnection, statement: Select[Any], params: dict[str, Any], send: Send[T]
) -> T:
    pooled = await connection.get_raw_connection()
    try:
        return await send(pooled.driver_connection, statement, connection.dialect, params)
    except DeadConnection as error:
        await connection.invalidate(error)  # as SQLAlchemy does for what it runs: never pooled again
        raise


async def _fetch(
    driver: Any, statement: Select[Any], dialect: Dialect, params: dict[str, Any]
) -> Sequence[Mapping[str, Any]]:
    rows: Sequence[Mapping[str, Any]] = await _sent(driver, "fetch", statement, dialect, params)
    return rows


async def _fetchrow(
    driver: Any, statement: Select[Any], dialect: Dialect, params: dict[str, Any]
) -> Mapping[str, Any] | None:
    row: Mapping[str, Any] | None = await _sent(driver, "fetchrow", statement, dialect, params)
    return row


async def _sent(
    driver: Any, method: str, statement: Select[Any], dialect: Dialect, params: dict[str, Any]
) -> Any:
    """`statement`, compiled once, sent with the driver's `method` (fetch, fetchrow)."""
    sql, names = _driver_sql(statement, dialect)
    try:
        return await getattr(driver, method)(sql, *(params[name] for name in names))
    except Exception as error:
        if driver.is_closed():
            raise DeadConnection(str(error)) from error
        raise


async def _retrying(attempt: Callable[[], Awaitable[T]]) -> T:
    try:
        return await attempt()
    except Exception as error:
        if not _dead(error):
            raise
        logger.info("a pooled connection was dead (%s); reading again", type(error).__name__)
    try:
        return await attempt()
    except Exception as error:
        if not _dead(error):
            raise
        raise _unavailable(error) from error


@lru_cache(maxsize=64)
def _driver_sql(statement: Select[Any], dialect: Dialect) -> tuple[str, tuple[str, ...]]:
    compiled = statement.compile(dialect=dialect)
    return compiled.string, tuple(compiled.positiontup or ())


def _dead(error: Exception) -> bool:
    return isinstance(error, DeadConnection) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    )


def _unavailable(error: Exception) -> DatabaseUnavailable:
    logger.warning("the database is out of reach: %s", type(error).__name__)
    return DatabaseUnavailable()
