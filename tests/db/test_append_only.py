"""Nobody rewrites the logs: the database refuses to change or remove audit events and events, on
SQLite also through REPLACE, and on PostgreSQL the application's own role may only add and read."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db import roles
from tests import factories
from tests.conftest import BASE_URL, app_on
from tests.databases import server_execute_async

Db = async_sessionmaker[AsyncSession]


async def _refused(db: Db, statement: str) -> str:
    async with db() as session:
        savepoint = await session.begin_nested()
        with pytest.raises(DBAPIError) as refused:
            await session.execute(text(statement))
        await savepoint.rollback()
    return str(refused.value.orig)


@pytest.mark.parametrize("table", ["audit_events", "events"])
async def test_a_log_cannot_be_changed_or_emptied(client: AsyncClient, db: Db, table: str) -> None:
    await factories.account(client)  # signing up records one change in each log
    assert "append-only" in await _refused(db, f"UPDATE {table} SET entity_id = 'x'")  # noqa: S608
    assert "append-only" in await _refused(db, f"DELETE FROM {table}")  # noqa: S608


@pytest.mark.parametrize("table", ["audit_events", "events"])
async def test_replace_into_a_log_is_refused_on_sqlite(
    client: AsyncClient, db: Db, database_url: str, table: str
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("REPLACE is SQLite's; PostgreSQL has no such statement")
    await factories.account(client)
    async with db() as session:
        newest = await session.scalar(text(f"SELECT max(id) FROM {table}"))  # noqa: S608
    columns = "(id, entity_type, entity_id)" if table == "audit_events" else "(id, type, entity_type)"
    # Whatever the other columns, the row with that id must not be deleted to make room.
    assert "append-only" in await _refused(db, f"REPLACE INTO {table} {columns} VALUES ({newest}, 'x', 'y')")  # noqa: S608


@pytest.fixture
async def app_role(database_url: str) -> AsyncIterator[str]:
    """A login role granted as the application's, on this database; the URL that connects as it."""
    if not database_url.startswith("postgresql"):
        pytest.skip("roles are PostgreSQL's")
    role = f"tt_app_{uuid.uuid4().hex[:10]}"
    await server_execute_async(database_url, f"CREATE ROLE {role} LOGIN")
    try:
        await roles.grant_app_role(database_url, role)
        yield make_url(database_url).set(username=role).render_as_string(hide_password=False)
    finally:
        owner = await asyncpg.connect(make_url(database_url).set(drivername="postgresql").render_as_string())
        try:
            await owner.execute(f"DROP OWNED BY {role}")
        finally:
            await owner.close()
        await server_execute_async(database_url, f"DROP ROLE IF EXISTS {role}")


@pytest.mark.postgres_only
async def test_the_app_role_works_but_cannot_rewrite_the_logs(app_role: str) -> None:
    async with (
        app_on(app_role) as application,
        AsyncClient(transport=ASGITransport(app=application), base_url=BASE_URL) as http,
    ):
        me = await factories.account(http, "approle")  # writes users, tokens, both logs
        owner_org = await factories.organization(http, me)
        assert int(str(owner_org["id"])) > 0
    connection = await asyncpg.connect(make_url(app_role).set(drivername="postgresql").render_as_string())
    try:
        for statement in (
            "UPDATE audit_events SET entity_id = 'x'",
            "DELETE FROM events",
            "TRUNCATE audit_events",
            "ALTER TABLE audit_events DISABLE TRIGGER ALL",
            "SET session_replication_role = replica",
        ):
            with pytest.raises(asyncpg.PostgresError) as refused:
                await connection.execute(statement)
            assert refused.value.sqlstate in ("42501", "42P01") or "permission" in str(refused.value), (
                statement
            )
        assert int(await connection.fetchval("SELECT count(*) FROM audit_events")) > 0  # reading is allowed
    finally:
        await connection.close()


def test_role_names_are_plain_identifiers() -> None:
    with pytest.raises(ValueError, match="plain role name"):
        roles.grant_statements("app; DROP TABLE users")
    assert all("tt_app" in statement for statement in roles.grant_statements("tt_app"))
