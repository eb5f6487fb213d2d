"""Truly parallel requests (PostgreSQL only), for tests of compare-and-set under a real race.

They cannot run inside the rolled-back test transaction (both requests would share one connection),
so each user gets a fresh, migrated database of its own, dropped afterwards. (tests/auth and
tests/organizations still carry their own copies of this set-up.)
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg
import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient, Response
from sqlalchemy.engine import make_url

from app import migrate
from app.main import create_app
from tests.conftest import BASE_URL, make_settings


@dataclass
class Parallel:
    app: FastAPI
    clients: tuple[AsyncClient, AsyncClient]

    @property
    def setup(self) -> AsyncClient:
        return self.clients[0]

    async def both(self, first: Awaitable[Response], second: Awaitable[Response]) -> list[Response]:
        return list(await asyncio.gather(first, second))


async def _on_server(url: str, statement: str) -> None:
    server = make_url(url).set(drivername="postgresql", database="postgres")
    connection = await asyncpg.connect(server.render_as_string(hide_password=False))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@asynccontextmanager
async def parallel_database(database_url: str, label: str) -> AsyncIterator[Parallel]:
    """Two clients on an app over a database of its own; skips the test on SQLite."""
    if not database_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so requests cannot truly race")
    name = f"tt_{label}_{uuid.uuid4().hex[:12]}"
    url = make_url(database_url).set(database=name).render_as_string(hide_password=False)
    await _on_server(database_url, f'CREATE DATABASE "{name}"')
    try:
        await asyncio.to_thread(migrate.upgrade, url)
        # Its own engine and pool: every request gets its own connection and commits for real.
        application = create_app(make_settings(url))
        async with (
            AsyncClient(transport=ASGITransport(app=application), base_url=BASE_URL) as first,
            AsyncClient(transport=ASGITransport(app=application), base_url=BASE_URL) as second,
        ):
            yield Parallel(application, (first, second))
        await application.state.engine.dispose()
    finally:
        await _on_server(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
