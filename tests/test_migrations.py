"""Migrations round-trip (upgrade, downgrade to nothing, upgrade) and leave no drift (`alembic check`).

This is the project's one migration round trip per database (CI runs it in the SQLite and the
PostgreSQL pytest steps), so it goes through the command line an operator uses, `techtransfer db
upgrade` and `techtransfer db downgrade base`, run in-process. It needs an empty database of its own,
of the kind TEST_DATABASE_URL names (tests/databases.py). app.migrate drives Alembic with asyncio.run,
so the test is synchronous.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from typer.testing import CliRunner

from app import cli, migrate
from app.db.session import create_engine
from app.models import Base
from tests.conftest import make_settings
from tests.databases import Databases


@pytest.fixture
def fresh_database_url(databases: Databases) -> Iterator[str]:
    url = databases.empty("migrations")
    try:
        yield url
    finally:
        databases.drop(url)


@pytest.fixture
def techtransfer_db(fresh_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """`techtransfer db ARGS…` against the fresh database, as an operator would run it."""
    settings = make_settings(fresh_database_url)
    monkeypatch.setattr(cli, "get_settings", lambda: settings)

    def run(*arguments: str) -> None:
        result = CliRunner().invoke(cli.app, ["db", *arguments])
        assert result.exit_code == 0, result.output + repr(result.exception)

    return run


def _table_names(url: str) -> set[str]:
    def names(connection: Connection) -> set[str]:
        return set(inspect(connection).get_table_names())

    async def read() -> set[str]:
        engine = create_engine(url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(names)
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_upgrade_downgrade_upgrade_then_no_drift(
    fresh_database_url: str, techtransfer_db: Callable[..., None]
) -> None:
    techtransfer_db("upgrade")
    created = _table_names(fresh_database_url)
    # SQLite's full-text index is an FTS5 table with shadow tables, made by the migration alone.
    search_tables = {name for name in created if "_fts" in name}
    if fresh_database_url.startswith("sqlite"):
        assert {"demands_fts", "achievements_fts"} <= search_tables
    assert created - search_tables == {*Base.metadata.tables, "alembic_version"}

    techtransfer_db("downgrade", "base")
    assert _table_names(fresh_database_url) <= {"alembic_version"}

    techtransfer_db("upgrade")
    assert _table_names(fresh_database_url) == created
    migrate.check(fresh_database_url)  # raises if the models and the migrated schema differ
