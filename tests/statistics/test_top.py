"""The top parties by 成交额: a page, net of changes and cancellations, in the caller's scope."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.clock import FixedClock, SystemClock, use_clock
from tests import factories
from tests.contracts import support as contracts
from tests.statistics import support
from tests.statistics.support import URL


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with use_clock(FixedClock(SystemClock().now())):
        yield


async def _top(client: AsyncClient, who: factories.Account, **params: Any) -> dict[str, Any]:
    response = await client.get(f"{URL}/top", params=params, headers=who.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _ranked(page: dict[str, Any]) -> list[tuple[int, str, int, int]]:
    return [(item["rank"], item["name"], item["count"], item["total_fen"]) for item in page["items"]]


async def test_the_largest_sellers_and_buyers_first(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    admin = await support.city_admin(client, db)
    big = await contracts.parties(client, db)
    small = await contracts.parties(client, db, seller_region=factories.GANYU_CODE)
    gone = await contracts.parties(client, db)
    await support.register(client, big)
    await support.register(client, big, total_fen=30_000_000, deductions=[])
    await support.register(client, small, total_fen=50_000_000, deductions=[])
    cancelled = await support.register(client, gone, total_fen=400_000_000, deductions=[])
    await support.cancel(client, gone, cancelled)

    sellers = await _top(client, admin)
    assert _ranked(sellers) == [
        (1, big.seller["name"], 2, 150_000_000),
        (2, small.seller["name"], 1, 50_000_000),
    ]
    assert (sellers["total"], sellers["limit"], sellers["offset"]) == (2, 10, 0)
    second = await _top(client, admin, limit=1, offset=1)
    assert _ranked(second) == [(2, small.seller["name"], 1, 50_000_000)]
    assert second["total"] == 2
    past_the_end = await _top(client, admin, offset=5)
    assert (past_the_end["items"], past_the_end["total"]) == ([], 2)

    buyers = await _top(client, admin, side="buyer")
    assert [item["name"] for item in buyers["items"]] == [big.buyer["name"], small.buyer["name"]]

    district = await support.district_admin(client, db, factories.GANYU_CODE)
    assert _ranked(await _top(client, district)) == [(1, small.seller["name"], 1, 50_000_000)]
    assert [item["name"] for item in (await _top(client, district, side="buyer"))["items"]] == [
        big.buyer["name"],
        small.buyer["name"],
    ]  # both buyers are in 赣榆区
    assert (await _top(client, admin, year=2000))["items"] == []
