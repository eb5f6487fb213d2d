"""Test harness: one migrated database per run; each test inside a transaction that is rolled back.

TEST_DATABASE_URL picks the database: unset means a fresh SQLite file; a postgresql+asyncpg URL
means a fresh database created on that server for this run (and dropped afterwards).
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app import migrate
from app.core.config import Settings
from app.main import create_app
from app.worker.runner import Worker

TEST_SECRET = "test-secret-" + "x" * 40
BASE_URL = "http://testserver"


def _is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


async def _admin_execute(url: str, statement: str) -> None:
    server = make_url(url).set(drivername="postgresql", database="postgres")
    connection = await asyncpg.connect(server.render_as_string(hide_password=False))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    configured = os.environ.get("TEST_DATABASE_URL")
    if configured and _is_postgres(configured):
        name = f"tt_test_{uuid.uuid4().hex[:12]}"
        url = make_url(configured).set(database=name).render_as_string(hide_password=False)
        asyncio.run(_admin_execute(configured, f'CREATE DATABASE "{name}"'))
        migrate.upgrade(url)
        yield url
        asyncio.run(_admin_execute(configured, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        return
    path: Path = tmp_path_factory.mktemp("db") / "test.db"
    url = configured or f"sqlite+aiosqlite:///{path}"
    migrate.upgrade(url)
    yield url


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": "test",
        "database_url": database_url,
        "secret_key": TEST_SECRET,
        # Cheap argon2 for speed; production parameters are checked by Settings.check_production_ready.
        "password_hash_time_cost": 1,
        "password_hash_memory_kib": 1024,
        # Tests drain the queue themselves (run_until_idle), deterministically, inside their transaction.
        "worker_in_server": False,
        **overrides,
    }
    return Settings.model_validate(values)


async def run_until_idle(app: FastAPI) -> None:
    """Run the app's queued jobs and event consumers in this process, in the test's transaction,
    until nothing is due (what `techtransfer worker` would do, without timers)."""
    worker = Worker(app.state.sessionmaker, app.state.worker_registry, app.state.settings, name="test-worker")
    await worker.run_until_idle()


@pytest.fixture(scope="session")
async def app(database_url: str) -> AsyncIterator[FastAPI]:
    application = create_app(make_settings(database_url))
    yield application
    await application.state.engine.dispose()


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    """An HTTP client whose requests all run inside one outer transaction, rolled back afterwards."""
    original = app.state.sessionmaker
    async with app.state.engine.connect() as connection:
        outer = await connection.begin()
        app.state.sessionmaker = async_sessionmaker(
            bind=connection, expire_on_commit=False, autoflush=False, join_transaction_mode="create_savepoint"
        )
        try:
            async with AsyncClient(transport=ASGITransport(app=app), base_url=BASE_URL) as http:
                yield http
        finally:
            app.state.sessionmaker = original
            await outer.rollback()


@pytest.fixture
def db(app: FastAPI, client: AsyncClient) -> async_sessionmaker[AsyncSession]:
    """Direct database access inside the test's transaction (set-up the API cannot do, and checks)."""
    sessionmaker: async_sessionmaker[AsyncSession] = app.state.sessionmaker
    return sessionmaker
