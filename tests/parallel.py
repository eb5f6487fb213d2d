"""Truly parallel requests (PostgreSQL), for the tests that check a race is settled by the database.

They cannot run inside the rolled-back test transaction (both requests would share one connection),
so each module that uses the `parallel` fixture gets a database of its own (a copy of the run's
migrated template, tests/databases.py), dropped afterwards. On SQLite they are skipped: it serialises
writers, so requests cannot truly race.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient, Response

from app.main import create_app
from tests.conftest import BASE_URL, make_settings
from tests.databases import Databases


@dataclass
class Parallel:
    app: FastAPI
    clients: tuple[AsyncClient, AsyncClient]

    @property
    def setup(self) -> AsyncClient:
        return self.clients[0]

    async def both(
        self, first: Awaitable[Response], second: Awaitable[Response]
    ) -> tuple[Response, Response]:
        results = await asyncio.gather(first, second)
        return results[0], results[1]


@pytest.fixture(scope="module")
async def parallel(databases: Databases) -> AsyncIterator[Parallel]:
    if not databases.is_postgres:
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so requests cannot truly race")
    url = await asyncio.to_thread(databases.copy, "parallel")
    try:
        # Its own engine and pool: every request gets its own connection and commits for real.
        application = create_app(make_settings(url))
        async with (
            AsyncClient(transport=ASGITransport(app=application), base_url=BASE_URL) as first,
            AsyncClient(transport=ASGITransport(app=application), base_url=BASE_URL) as second,
        ):
            yield Parallel(application, (first, second))
        await application.state.engine.dispose()
    finally:
        await asyncio.to_thread(databases.drop, url)
