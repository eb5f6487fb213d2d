"""Filters, sorting and pagination of the demand list."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests import factories
from tests.demands import support
from tests.factories import Account


class Market:
    """A reviewer and a few posting organizations, to publish demands quickly."""

    def __init__(self, client: AsyncClient, reviewer: Account) -> None:
        self.client = client
        self.reviewer = reviewer
        self.posters: dict[str, tuple[Account, dict[str, Any]]] = {}

    async def poster(self, region_code: str = factories.HAIZHOU_CODE) -> tuple[Account, dict[str, Any]]:
        if region_code not in self.posters:
            self.posters[region_code] = await support.poster(self.client, region_code)
        return self.posters[region_code]

    async def publish(self, region_code: str = factories.HAIZHOU_CODE, **fields: object) -> dict[str, Any]:
        owner, organization = await self.poster(region_code)
        return await support.published(self.client, self.reviewer, owner, organization["id"], **fields)


@pytest.fixture
async def market(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> Market:
    return Market(client, await factories.admin(client, db))


async def _ids(client: AsyncClient, **params: support.Param) -> list[int]:
    return support.ids(await support.listed(client, None, **params))


async def test_tech_field(client: AsyncClient, market: Market) -> None:
    energy = await market.publish(tech_field="new_energy")
    medical = await market.publish(tech_field="biomedicine")
    assert await _ids(client, tech_field="new_energy") == [energy["id"]]
    assert await _ids(client, tech_field="biomedicine") == [medical["id"]]
    assert await _ids(client, tech_field="aerospace") == []
    assert (await client.get(support.URL, params={"tech_field": "magic"})).status_code == 422


async def test_local_industry_follows_the_mapping(client: AsyncClient, market: Market) -> None:
    energy = await market.publish(tech_field="new_energy")
    nuclear = await market.publish(tech_field="nuclear")  # mapped to 新能源 as well
    medical = await market.publish(tech_field="biomedicine")
    await market.publish(tech_field="urban_social")  # mapped to no local industry
    assert sorted(await _ids(client, local_industry="new_energy")) == sorted([energy["id"], nuclear["id"]])
    assert await _ids(client, local_industry="new_medicine") == [medical["id"]]
    assert await _ids(client, local_industry="marine") == []
    item = (await support.read(client, None, nuclear["id"])).json()
    assert item["local_industries"] == ["new_energy"]


async def test_region_of_the_city_includes_its_districts(client: AsyncClient, market: Market) -> None:
    haizhou = await market.publish(factories.HAIZHOU_CODE)
    ganyu = await market.publish(factories.GANYU_CODE)
    city = await market.publish(factories.CITY_CODE)
    city_id = await factories.region_id(client, factories.CITY_CODE)
    haizhou_id = await factories.region_id(client, factories.HAIZHOU_CODE)
    ganyu_id = await factories.region_id(client, factories.GANYU_CODE)
    assert sorted(await _ids(client, region_id=city_id)) == sorted([haizhou["id"], ganyu["id"], city["id"]])
    assert await _ids(client, region_id=haizhou_id) == [haizhou["id"]]
    assert await _ids(client, region_id=ganyu_id) == [ganyu["id"]]
    assert await _ids(client, region_id=9_999_999) == []


async def test_organization(client: AsyncClient, market: Market) -> None:
    in_haizhou = await market.publish(factories.HAIZHOU_CODE)
    in_ganyu = await market.publish(factories.GANYU_CODE)
    _, ganyu_org = await market.poster(factories.GANYU_CODE)
    assert await _ids(client, organization_id=ganyu_org["id"]) == [in_ganyu["id"]]
    assert in_haizhou["id"] not in await _ids(client, organization_id=ganyu_org["id"])


async def test_cooperation_mode(client: AsyncClient, market: Market) -> None:
    joint = await market.publish(cooperation_modes=["joint_development", "transfer"])
    consulting = await market.publish(cooperation_modes=["consulting"])
    assert await _ids(client, cooperation_mode="consulting") == [consulting["id"]]
    assert await _ids(client, cooperation_mode="transfer") == [joint["id"]]
    assert await _ids(client, cooperation_mode="equity") == []


async def test_published_between_dates(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], market: Market
) -> None:
    january = await market.publish()
    february = await market.publish()
    march = await market.publish()
    for demand, day in ((january, 10), (february, 15), (march, 20)):
        month = {january["id"]: 1, february["id"]: 2, march["id"]: 3}[demand["id"]]
        await support.set_columns(
            db, demand["id"], published_at=datetime(2026, month, day, 10, 30, tzinfo=UTC)
        )

    assert await _ids(client, published_from="2026-02-01", published_to="2026-02-28") == [february["id"]]
    # Both ends are whole days: published on the 15th is inside ..to=15th and from=15th...
    assert await _ids(client, published_from="2026-02-15", published_to="2026-02-15") == [february["id"]]
    assert await _ids(client, published_from="2026-02-16") == [march["id"]]
    assert await _ids(client, published_to="2026-02-14") == [january["id"]]
    assert await _ids(client, published_from="2026-04-01") == []
    assert (await client.get(support.URL, params={"published_from": "2026-13-01"})).status_code == 422
    assert (await client.get(support.URL, params={"published_from": "0"})).status_code == 422


async def test_sort_orders(client: AsyncClient, db: async_sessionmaker[AsyncSession], market: Market) -> None:
    charlie = await market.publish(title="Charlie 锅炉改造", valid_until="2091-01-01")
    alpha = await market.publish(title="Alpha 电机升级", valid_until="2093-01-01")
    bravo = await market.publish(title="Bravo 涂料配方")
    delta = await market.publish(title="Delta 传感器", valid_until="2090-06-01")

    assert await _ids(client, sort="newest") == [delta["id"], bravo["id"], alpha["id"], charlie["id"]]
    assert await _ids(client) == await _ids(client, sort="newest")  # relevance without q: newest
    assert await _ids(client, sort="deadline") == [delta["id"], charlie["id"], alpha["id"], bravo["id"]]
    assert await _ids(client, sort="title") == [alpha["id"], bravo["id"], charlie["id"], delta["id"]]
    assert (await client.get(support.URL, params={"sort": "-title"})).status_code == 422


async def test_title_sort_is_pinyin_order_for_every_reader(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], market: Market
) -> None:
    """As a Chinese dictionary sorts: by pinyin syllable by syllable, polyphones read in their phrase
    (重庆 chóng, 长江 cháng), tones breaking ties; not by code point, which puts 重 before 安."""
    titles = [
        "重庆火锅底料杀菌工艺",
        "安全生产在线监测",
        "麻纤维复合材料",
        "长江鲟人工繁育",
        "满负荷节能改造",
        "昂立式风机",
    ]
    published = {title: await market.publish(title=title) for title in titles}
    expected = [
        "安全生产在线监测",
        "昂立式风机",
        "长江鲟人工繁育",
        "重庆火锅底料杀菌工艺",
        "麻纤维复合材料",
        "满负荷节能改造",
    ]
    order = [published[title]["id"] for title in expected]
    assert await _ids(client, sort="title") == order  # the public read path
    owner, _ = await market.poster()
    signed_in = await support.listed(client, owner, sort="title")  # the signed-in path
    assert support.ids(signed_in) == order

    # A draft edited before publication sorts by its new title.
    owner, organization = await market.poster()
    draft = await support.create(client, owner, organization["id"], title="满足客户的新需求")
    etag = (await support.read(client, owner, draft["id"])).headers["etag"]
    edited = await client.patch(
        f"{support.URL}/{draft['id']}",
        json={"title": "艾草精油提取工艺"},
        headers=owner.headers | {"If-Match": etag},
    )
    assert edited.status_code == 200, edited.text
    assert (await support.act(client, owner, draft["id"], "submit")).status_code == 200
    assert (await support.act(client, market.reviewer, draft["id"], "publish")).status_code == 200
    page = await support.listed(client, None, sort="title")
    assert support.ids(page)[0] == draft["id"], [(i["title"], i["id"]) for i in page["items"]]


async def test_newest_follows_the_publication_time(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], market: Market
) -> None:
    older = await market.publish()
    newer = await market.publish()
    # Published in the other order than created.
    await support.set_columns(db, older["id"], published_at=datetime(2026, 5, 2, tzinfo=UTC))
    await support.set_columns(db, newer["id"], published_at=datetime(2026, 5, 1, tzinfo=UTC))
    assert await _ids(client, sort="newest") == [older["id"], newer["id"]]


async def test_pagination(client: AsyncClient, market: Market) -> None:
    published = [await market.publish() for _ in range(5)]
    newest_first = [demand["id"] for demand in reversed(published)]
    first = await support.listed(client, limit=2)
    assert (first["total"], first["limit"], first["offset"]) == (5, 2, 0)
    assert support.ids(first) == newest_first[:2]
    second = await support.listed(client, limit=2, offset=2)
    assert support.ids(second) == newest_first[2:4]
    last = await support.listed(client, limit=2, offset=4)
    assert support.ids(last) == newest_first[4:]
    beyond = await support.listed(client, limit=2, offset=10)
    assert (beyond["items"], beyond["total"]) == ([], 5)
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "ten"}):
        assert (await client.get(support.URL, params=params)).status_code == 422


async def test_status_filter_within_mine(client: AsyncClient, market: Market) -> None:
    published = await market.publish()
    owner, organization = await market.poster()
    draft = await support.create(client, owner, organization["id"])
    assert support.ids(await support.listed(client, owner, scope="mine", status="published")) == [
        published["id"]
    ]
    assert support.ids(await support.listed(client, owner, scope="mine", status="draft")) == [draft["id"]]
    assert (await client.get(support.URL, params={"status": "expired"})).status_code == 422


class TestBudgetRange:
    """budget_from_fen/budget_to_fen select demands whose [min, max] overlaps; 面议 ones stay in
    unless include_negotiable=false."""

    @pytest.fixture
    async def demands(self, market: Market) -> dict[str, int]:
        budgets: dict[str, dict[str, Any]] = {
            "small": {"budget_min_fen": 100, "budget_max_fen": 500},
            "large": {"budget_min_fen": 1_000, "budget_max_fen": 5_000},
            "up_to": {"budget_min_fen": None, "budget_max_fen": 800},
            "exact": {"budget_min_fen": 2_000, "budget_max_fen": 2_000},
            "negotiable": {"budget_min_fen": None, "budget_max_fen": None, "is_budget_negotiable": True},
        }
        return {name: (await market.publish(**budget))["id"] for name, budget in budgets.items()}

    async def _names(self, client: AsyncClient, demands: dict[str, int], **params: support.Param) -> set[str]:
        found = set(await _ids(client, **params))
        return {name for name, demand_id in demands.items() if demand_id in found}

    async def test_no_range_keeps_everything(self, client: AsyncClient, demands: dict[str, int]) -> None:
        assert await self._names(client, demands) == set(demands)

    async def test_overlapping_ranges(self, client: AsyncClient, demands: dict[str, int]) -> None:
        assert await self._names(client, demands, budget_from_fen=600, budget_to_fen=900) == {
            "up_to",
            "negotiable",
        }
        assert await self._names(client, demands, budget_from_fen=400, budget_to_fen=1_000) == {
            "small",
            "large",
            "up_to",
            "negotiable",
        }
        assert await self._names(client, demands, budget_from_fen=2_000, budget_to_fen=2_000) == {
            "large",
            "exact",
            "negotiable",
        }

    async def test_open_ended_ranges(self, client: AsyncClient, demands: dict[str, int]) -> None:
        assert await self._names(client, demands, budget_from_fen=3_000) == {"large", "negotiable"}
        assert await self._names(client, demands, budget_to_fen=99) == {"up_to", "negotiable"}

    async def test_without_negotiable(self, client: AsyncClient, demands: dict[str, int]) -> None:
        assert await self._names(client, demands, budget_from_fen=3_000, include_negotiable="false") == {
            "large"
        }
        assert await self._names(client, demands, include_negotiable="false") == set(demands) - {"negotiable"}

    @pytest.mark.parametrize(
        "params",
        [
            {"budget_from_fen": 10, "budget_to_fen": 9},
            {"budget_from_fen": -1},
            {"budget_to_fen": 2**53},
            {"budget_from_fen": "abc"},
            {"budget_from_fen": "1.5"},
            {"include_negotiable": "maybe"},
        ],
    )
    async def test_invalid_ranges_are_422(
        self, client: AsyncClient, params: dict[str, support.Param]
    ) -> None:
        response = await client.get(support.URL, params=params)
        assert response.status_code == 422, response.text


async def test_extreme_dates_are_no_server_error(client: AsyncClient, market: Market) -> None:
    demand = await market.publish()
    everything = {"published_from": "0001-01-01", "published_to": "9999-12-31"}
    assert await _ids(client, **everything) == [demand["id"]]
    assert await _ids(client, valid_until_from="9999-12-31") == [demand["id"]]  # open-ended
    assert await _ids(client, valid_until_from="0001-01-01", include_expired="true") == [demand["id"]]
    assert await _ids(client, published_to="0001-01-01") == []
    assert await _ids(client, published_from="9999-12-31") == []
