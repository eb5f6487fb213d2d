"""Parallel writers on both databases: twenty different creates all succeed, twenty identical
transitions give one success and 409s, never a 500 (SQLite used to answer 'database is locked').

The requests run at once against a database of the module's own (they commit for real), through an
app of their own whose pool gives each request its own connection.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from app.core.enums import PlatformRole
from tests import factories
from tests.conftest import BASE_URL, app_on
from tests.demands.support import URL, demand_body

WRITERS = 20


@pytest.fixture(scope="module")
async def own_app(module_database: str) -> AsyncIterator[FastAPI]:
    async with app_on(module_database) as application:
        yield application


@pytest.fixture
async def http(own_app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(transport=ASGITransport(app=own_app), base_url=BASE_URL) as client:
        yield client


async def test_twenty_different_creates_at_once_all_succeed(http: AsyncClient) -> None:
    owner = await factories.account(http, "parallel")
    organization = await factories.organization(http, owner)
    bodies = [demand_body(organization["id"], title=f"并行创建的技术需求第{n}号") for n in range(WRITERS)]
    responses = await asyncio.gather(*(http.post(URL, json=body, headers=owner.headers) for body in bodies))
    assert [r.status_code for r in responses] == [201] * WRITERS, [
        r.text for r in responses if r.status_code != 201
    ]
    mine = await http.get(URL, params={"scope": "mine", "limit": 100}, headers=owner.headers)
    assert mine.json()["total"] == WRITERS


async def test_twenty_identical_transitions_at_once_give_one_success(
    http: AsyncClient, own_app: FastAPI
) -> None:
    owner = await factories.account(http, "racer")
    organization = await factories.organization(http, owner)
    created = await http.post(URL, json=demand_body(organization["id"]), headers=owner.headers)
    demand_id = created.json()["id"]
    submitted = await http.post(f"{URL}/{demand_id}/submit", headers=owner.headers)
    assert submitted.status_code == 200, submitted.text
    reviewer = await factories.role_holder(http, own_app.state.sessionmaker, PlatformRole.CITY_ADMIN)
    responses = await asyncio.gather(
        *(http.post(f"{URL}/{demand_id}/publish", headers=reviewer.headers) for _ in range(WRITERS))
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * (WRITERS - 1), [r.text for r in responses if r.status_code >= 500]
    assert {r.json()["code"] for r in responses if r.status_code == 409} <= {
        "invalid_transition",
        "concurrent_change",
    }


async def test_reads_go_on_while_writers_queue(http: AsyncClient) -> None:
    """Reads begin deferred and take no write lock: they answer while writes are queued."""
    owner = await factories.account(http, "reader")
    organization = await factories.organization(http, owner)
    writes = [http.post(URL, json=demand_body(organization["id"]), headers=owner.headers) for _ in range(10)]
    reads = [http.get(URL) for _ in range(10)]
    responses = await asyncio.gather(*writes, *reads)
    assert [r.status_code for r in responses] == [201] * 10 + [200] * 10
