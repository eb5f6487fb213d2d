"""Finding achievements: Chinese full-text search and the achievement filters, on either database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests import factories
from tests.achievements import support
from tests.achievements.support import URL, listed
from tests.conftest import Indexed


async def _library(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], indexed: Indexed
) -> dict[str, int]:
    """Three published achievements that differ in every filtered field, by name (and searchable)."""
    owner, organization = await support.owner_of(client)
    reviewer = await factories.admin(client, db)
    battery = await support.published(client, reviewer, owner, organization["id"])
    membrane = await support.published(
        client,
        reviewer,
        owner,
        organization["id"],
        title="海水淡化反渗透膜组件",
        abstract="一种高通量抗污染反渗透膜组件，用于海水淡化和工业废水回用。",
        public_summary="",
        tech_field="environment",
        keywords=["反渗透", "海水淡化"],
        application_industries=["水处理"],
        trl=8,
        stage="industrialized",
        level="international_advanced",
        ip_form="utility_model",
        patents=[],
        transfer_modes=["equity"],
        asking_price_fen=None,
        is_price_negotiable=True,
    )
    seedling = await support.published(
        client,
        reviewer,
        owner,
        organization["id"],
        title="耐盐碱水稻育种技术",
        abstract="通过分子标记辅助选择培育耐盐碱水稻新品种，适合沿海滩涂种植。",
        public_summary="",
        tech_field="agriculture",
        keywords=["水稻", "耐盐碱"],
        application_industries=["种业"],
        trl=3,
        stage=None,
        level="unevaluated",
        ip_form="plant_variety",
        patents=[],
        transfer_modes=["license", "service"],
        asking_price_fen=50_000_000,
    )
    await indexed()
    return {"battery": battery["id"], "membrane": membrane["id"], "seedling": seedling["id"]}


async def test_chinese_search(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], indexed: Indexed
) -> None:
    library = await _library(client, db, indexed)
    assert await listed(client, q="锂电池") == [library["battery"]]
    assert await listed(client, q="鋰電池") == [library["battery"]]  # traditional characters
    assert await listed(client, q="海水淡化") == [library["membrane"]]
    assert await listed(client, q="储能") == [library["battery"]]  # an application industry
    assert await listed(client, q="燃气轮机") == []
    assert await listed(client, q="！？") == []  # no word in it: nothing, rather than everything


async def test_a_listing_number_finds_that_listing_alone(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], indexed: Indexed
) -> None:
    library = await _library(client, db, indexed)
    number = (await client.get(f"{URL}/{library['membrane']}")).json()["number"]
    assert await listed(client, q=number) == [library["membrane"]]
    assert await listed(client, q=f" {number.lower()} ") == [library["membrane"]]


async def test_each_result_carries_a_marked_snippet(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], indexed: Indexed
) -> None:
    library = await _library(client, db, indexed)
    page = (await client.get(URL, params={"q": "反滲透膜"})).json()  # traditional 滲
    assert [item["id"] for item in page["items"]] == [library["membrane"]]
    snippet = page["items"][0]["snippet"]
    assert "<mark>反渗透膜</mark>" in snippet
    assert "海水淡化" in snippet
    # A list without q has no snippet, nor does a get.
    assert all(item["snippet"] is None for item in (await client.get(URL)).json()["items"])


async def test_filters(client: AsyncClient, db: async_sessionmaker[AsyncSession], indexed: Indexed) -> None:
    library = await _library(client, db, indexed)
    battery, membrane, seedling = library["battery"], library["membrane"], library["seedling"]

    assert set(await listed(client, transfer_mode="license")) == {battery, seedling}
    assert await listed(client, transfer_mode="equity") == [membrane]
    assert await listed(client, transfer_mode="joint_development") == []

    assert set(await listed(client, trl_from=5)) == {battery, membrane}
    assert await listed(client, trl_from=5, trl_to=7) == [battery]
    assert await listed(client, trl_to=3) == [seedling]
    assert await listed(client, stage="industrialized") == [membrane]
    assert await listed(client, level="international_advanced") == [membrane]
    assert await listed(client, ip_form="plant_variety") == [seedling]

    # Negotiable (面议) achievements stay in a price range unless include_negotiable=false.
    assert set(await listed(client, price_to_fen=100_000_000)) == {membrane, seedling}
    assert await listed(client, price_to_fen=100_000_000, include_negotiable=False) == [seedling]
    assert set(await listed(client, price_from_fen=100_000_000)) == {battery, membrane}
    assert await listed(
        client, price_from_fen=100_000_000, price_to_fen=300_000_000, include_negotiable=False
    ) == [battery]
    assert set(await listed(client, include_negotiable=False)) == {battery, seedling}

    assert await listed(client, q="水稻", transfer_mode="service", trl_to=4) == [seedling]
    assert await listed(client, tech_field="environment", transfer_mode="equity") == [membrane]


async def test_a_range_is_checked_end_by_end(client: AsyncClient) -> None:
    # An inverted range (trl_from > trl_to) is a 422 like every list's: tests/conventions/test_ranges.py.
    assert (await client.get(URL, params={"trl_from": 0})).status_code == 422
    assert (await client.get(URL, params={"trl_to": 10})).status_code == 422
    assert (await client.get(URL, params={"transfer_mode": "gift"})).status_code == 422


@contextmanager
def _statements(app: FastAPI) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(str(args[2]))

    engine = app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def test_patents_of_a_page_load_in_one_query(
    app: FastAPI, client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.owner_of(client)
    for number in ("201710601862.3", "95115608.X", "201720601862.9"):
        await support.create(client, owner, organization["id"], patents=[{"application_number": number}])
    with _statements(app) as seen:
        page = await client.get(URL, params={"scope": "mine"}, headers=owner.headers)
    assert page.status_code == 200
    assert sorted(item["patents"][0]["application_number"] for item in page.json()["items"]) == [
        "201710601862.3",
        "201720601862.9",
        "95115608.X",
    ]
    assert sum("achievement_patents" in statement for statement in seen) == 1
