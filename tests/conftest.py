"""Test harness: each test runs inside a transaction that is rolled back, on a migrated database.

TEST_DATABASE_URL picks the database: unset means SQLite files; a postgresql+asyncpg URL means
databases created on that server for this run (and dropped afterwards). The schema is migrated once
per run into a template that every database is copied from (tests/databases.py): one copy per
pytest-xdist worker (`database_url`), and one per module that needs a database of its own
(`module_database`).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.config import Settings
from app.listings import search_index
from app.main import create_app
from app.worker.runner import Worker
from tests.databases import Databases, Run, is_postgres, server_execute_async

TEST_SECRET = "test-secret-" + "x" * 40
BASE_URL = "http://testserver"
RUN = pytest.StashKey[Run]()


def pytest_configure(config: pytest.Config) -> None:
    # An xdist worker joins its controller's run; otherwise this process starts one.
    workerinput: dict[str, Any] | None = getattr(config, "workerinput", None)
    config.stash[RUN] = Run.from_dict(workerinput["tt_run"]) if workerinput else Run.start()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist's controller, for each worker it starts: the worker shares this run's template."""
    node.workerinput["tt_run"] = node.config.stash[RUN].as_dict()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _databases(config).is_postgres:
        return
    needs_postgres = pytest.mark.skip(
        reason="needs PostgreSQL (postgres_only): SQLite serialises writers, so requests cannot truly race"
    )
    for item in items:
        if item.get_closest_marker("postgres_only"):
            item.add_marker(needs_postgres)


def pytest_unconfigure(config: pytest.Config) -> None:
    # Only the process that started the run cleans up, after every worker has finished.
    if not hasattr(config, "workerinput") and RUN in config.stash:
        _databases(config).drop_everything()


def _databases(config: pytest.Config) -> Databases:
    configured = os.environ.get("TEST_DATABASE_URL")
    return Databases(config.stash[RUN], configured if configured and is_postgres(configured) else None)


# Kept for test modules that create databases by hand; new ones use `databases` or `module_database`.
def _is_postgres(url: str) -> bool:
    return is_postgres(url)


async def _admin_execute(url: str, statement: str) -> None:
    await server_execute_async(url, statement)


@pytest.fixture(scope="session")
def databases(pytestconfig: pytest.Config) -> Databases:
    return _databases(pytestconfig)


@pytest.fixture(scope="session")
def database_url(databases: Databases, pytestconfig: pytest.Config) -> Iterator[str]:
    """This process's database (each xdist worker has its own copy of the template)."""
    worker = getattr(pytestconfig, "workerinput", {}).get("workerid", "main")
    with databases.database(worker) as url:
        yield url


@pytest.fixture(scope="module")
def module_database(databases: Databases, request: pytest.FixtureRequest) -> Iterator[str]:
    """A database of the module's own, for tests that commit for real or start other processes."""
    with databases.database(request.module.__name__.rsplit(".", 1)[-1][:30]) as url:
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
        # The matching index in memory, one per app (tests/matching replace it per test).
        "index_dir": None,
        **overrides,
    }
    return Settings.model_validate(values)


async def run_until_idle(app: FastAPI) -> None:
    """Run the app's queued jobs and event consumers in this process, in the test's transaction,
    until nothing is due (what `techtransfer worker` would do, without timers)."""
    worker = Worker(app.state.sessionmaker, app.state.worker_registry, app.state.settings, name="test-worker")
    await worker.run_until_idle()


@asynccontextmanager
async def app_on(database_url: str, **overrides: object) -> AsyncIterator[FastAPI]:
    """The app on a database, its engine disposed afterwards. A module with a database of its own
    overrides `app` with it, and `client` and `db` follow (tests/demo/test_demo_network.py):

        @pytest.fixture(scope="module")
        async def app(module_database: str) -> AsyncIterator[FastAPI]:
            async with app_on(module_database) as application:
                yield application
    """
    application = create_app(make_settings(database_url, **overrides))
    try:
        yield application
    finally:
        await application.state.engine.dispose()


@pytest.fixture(scope="session")
async def app(database_url: str) -> AsyncIterator[FastAPI]:
    async with app_on(database_url) as application:
        yield application


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
def index(app: FastAPI) -> Iterator[search_index.SearchIndex]:
    """A fresh in-memory matching index for this test (the app's is shared by the session's tests,
    whose listings roll back while an index would keep them); `run_until_idle(app)` fills it."""
    settings: Settings = app.state.settings
    fresh = search_index.in_memory(settings)
    search_index.use_index(settings, fresh)
    yield fresh
    search_index.use_index(settings, search_index.in_memory(settings))


Indexed = Callable[[], Awaitable[None]]


@pytest.fixture
def indexed(app: FastAPI, index: search_index.SearchIndex) -> Indexed:
    """`await indexed()` brings this test's fresh matching index up to date with what the test
    published (the worker's consumer, run here): what a search with `q` reads."""

    async def catch_up() -> None:
        await run_until_idle(app)

    return catch_up


@pytest.fixture
def db(app: FastAPI, client: AsyncClient) -> async_sessionmaker[AsyncSession]:
    """Direct database access inside the test's transaction (set-up the API cannot do, and checks)."""
    sessionmaker: async_sessionmaker[AsyncSession] = app.state.sessionmaker
    return sessionmaker
