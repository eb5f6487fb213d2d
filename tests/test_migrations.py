"""Migrations round-trip (upgrade, downgrade to nothing, upgrade) and leave no drift (`alembic check`).

They run on a database of their own, of the kind TEST_DATABASE_URL names: a new SQLite file, or a new
PostgreSQL database created and dropped here. app.migrate drives Alembic with asyncio.run, so the test
is synchronous.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Connection, make_url

from app import migrate
from app.db.session import create_engine
from app.models import Base
from tests.conftest import _admin_execute, _is_postgres


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    configured = os.environ.get("TEST_DATABASE_URL")
    if configured and _is_postgres(configured):
        name = f"tt_migrations_{uuid.uuid4().hex[:12]}"
        asyncio.run(_admin_execute(configured, f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(configured).set(database=name).render_as_string(hide_password=False)
        finally:
            asyncio.run(_admin_execute(configured, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        return
    yield f"sqlite+aiosqlite:///{tmp_path / 'migrations.db'}"


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


def test_upgrade_downgrade_upgrade_then_no_drift(fresh_database_url: str) -> None:
    migrate.upgrade(fresh_database_url)
    created = _table_names(fresh_database_url)
    # SQLite's full-text index is an FTS5 table with shadow tables, made by the migration alone.
    search_tables = {name for name in created if "_fts" in name}
    if fresh_database_url.startswith("sqlite"):
        assert {"demands_fts", "achievements_fts"} <= search_tables
    assert created - search_tables == {*Base.metadata.tables, "alembic_version"}

    migrate.downgrade(fresh_database_url, "base")
    assert _table_names(fresh_database_url) <= {"alembic_version"}

    migrate.upgrade(fresh_database_url)
    assert _table_names(fresh_database_url) == created
    migrate.check(fresh_database_url)  # raises if the models and the migrated schema differ
