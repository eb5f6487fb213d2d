"""The intended investment (意向投入): a fen range or negotiable (面议), whole fen, within 2^53 - 1."""

from __future__ import annotations

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests import factories
from tests.demands import support

MAX_FEN = 2**53 - 1


async def _post(client: AsyncClient, **fields: object) -> tuple[int, dict[str, object]]:
    owner, organization = await support.poster(client)
    body = support.demand_body(organization["id"])
    for name in ("budget_min_fen", "budget_max_fen"):
        body.pop(name)
    body |= fields
    response = await client.post(support.URL, json=body, headers=owner.headers)
    if response.status_code == 422:
        assert (await support.listed(client, owner, scope="mine"))["total"] == 0
    return response.status_code, response.json()


@pytest.mark.parametrize(
    "budget",
    [
        {"budget_min_fen": 100, "budget_max_fen": 200},
        {"budget_min_fen": 200, "budget_max_fen": 200},
        {"budget_max_fen": 200},
        {"budget_min_fen": 0, "budget_max_fen": MAX_FEN},
        {"is_budget_negotiable": True},
        {"is_budget_negotiable": False, "budget_max_fen": 1},
    ],
)
async def test_valid_budgets(client: AsyncClient, budget: dict[str, object]) -> None:
    status, body = await _post(client, **budget)
    assert status == 201, body
    assert body["is_budget_negotiable"] is bool(budget.get("is_budget_negotiable"))
    assert body["budget_max_fen"] == budget.get("budget_max_fen")
    assert body["budget_min_fen"] == budget.get("budget_min_fen")


@pytest.mark.parametrize(
    "budget",
    [
        {"budget_min_fen": 300, "budget_max_fen": 200},  # min above max
        {"is_budget_negotiable": True, "budget_max_fen": 200},  # 面议 with a range
        {"is_budget_negotiable": True, "budget_min_fen": 100},
        {},  # neither
        {"is_budget_negotiable": False},
        {"budget_min_fen": 100},  # a floor alone says nothing about what is offered
        {"budget_max_fen": True},  # booleans are not amounts
        {"budget_max_fen": False},
        {"budget_max_fen": "200"},  # nor are strings
        {"budget_max_fen": "两百万"},
        {"budget_max_fen": 200.5},  # nor fractions of a fen
        {"budget_max_fen": -1},
        {"budget_min_fen": -1, "budget_max_fen": 10},
        {"budget_max_fen": MAX_FEN + 1},  # beyond what JSON clients count exactly
        {"budget_min_fen": 0, "budget_max_fen": 2**63},
        {"is_budget_negotiable": "yes"},
        {"is_budget_negotiable": 1},
    ],
)
async def test_invalid_budgets_are_422(client: AsyncClient, budget: dict[str, object]) -> None:
    status, body = await _post(client, **budget)
    assert status == 422, body
    assert body["code"] == "validation_failed"


async def _draft(client: AsyncClient, **fields: object) -> tuple[factories.Account, dict[str, object], str]:
    owner, organization = await support.poster(client)
    demand = await support.create(client, owner, organization["id"], **fields)
    etag = (await support.read(client, owner, demand["id"])).headers["ETag"]
    return owner, demand, etag


async def _patch(
    client: AsyncClient, owner: factories.Account, demand_id: object, etag: str, body: object
) -> tuple[int, dict[str, object]]:
    response = await client.patch(
        f"{support.URL}/{demand_id}", json=body, headers={**owner.headers, "If-Match": etag}
    )
    return response.status_code, response.json()


@pytest.mark.parametrize(
    "change",
    [
        {"budget_min_fen": 300_000_000},  # above the stored max of 200_000_000
        {"budget_max_fen": 1},  # below the stored min of 50_000_000
        {"budget_max_fen": None},  # neither a range nor negotiable
        {"is_budget_negotiable": False, "budget_max_fen": None},
        {"budget_max_fen": True},
        {"budget_min_fen": "1"},
        {"budget_max_fen": MAX_FEN + 1},
        {"is_budget_negotiable": True, "budget_max_fen": 10},
    ],
)
async def test_invalid_budget_changes_are_422_and_change_nothing(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], change: dict[str, object]
) -> None:
    owner, demand, etag = await _draft(client)
    before = support.snapshot(await support.stored(db, int(str(demand["id"]))))
    status, body = await _patch(client, owner, demand["id"], etag, change)
    assert status == 422, body
    assert support.snapshot(await support.stored(db, int(str(demand["id"])))) == before


async def test_switching_a_range_to_negotiable_clears_the_range(client: AsyncClient) -> None:
    owner, demand, etag = await _draft(client)
    status, body = await _patch(client, owner, demand["id"], etag, {"is_budget_negotiable": True})
    assert status == 200, body
    assert (body["is_budget_negotiable"], body["budget_min_fen"], body["budget_max_fen"]) == (
        True,
        None,
        None,
    )


async def test_giving_a_range_to_a_negotiable_demand_makes_it_a_range(client: AsyncClient) -> None:
    owner, demand, etag = await _draft(
        client, budget_min_fen=None, budget_max_fen=None, is_budget_negotiable=True
    )
    status, body = await _patch(client, owner, demand["id"], etag, {"budget_max_fen": 80_000_000})
    assert status == 200, body
    assert (body["is_budget_negotiable"], body["budget_min_fen"], body["budget_max_fen"]) == (
        False,
        None,
        80_000_000,
    )


async def test_moving_the_range(client: AsyncClient) -> None:
    owner, demand, etag = await _draft(client)
    status, body = await _patch(
        client, owner, demand["id"], etag, {"budget_min_fen": 300_000_000, "budget_max_fen": 500_000_000}
    )
    assert status == 200, body
    assert (body["budget_min_fen"], body["budget_max_fen"]) == (300_000_000, 500_000_000)
