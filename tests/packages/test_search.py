"""Searching packages (`q`): the public list through the matching index, a curator's drafts in SQL."""

from __future__ import annotations

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.conftest import Indexed
from tests.packages import support
from tests.packages.support import URL


async def _ids(client: AsyncClient, **params: str) -> list[int]:
    response = await client.get(URL, params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def test_the_public_finds_a_package_by_its_subject_and_its_achievements(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], indexed: Indexed
) -> None:
    curator = await support.curator(client, db)
    achievements = await support.published_achievements(client, db, 1)
    battery = await support.published_package(client, curator, [achievements[0]["id"]])
    marine = await support.published_package(
        client,
        curator,
        [achievements[0]["id"]],
        title="海洋生物科技成果包",
        summary="海参育苗、紫菜加工与海水养殖的成果。",
        industry="marine",
        theme="海洋牧场",
    )
    await support.created(client, curator, title="氢能成果包草稿", summary="尚未发布。", theme=None)
    await indexed()

    assert await _ids(client, q="儲能") == [battery["id"]]  # traditional 儲 of the summary's 储能
    assert await _ids(client, q="紫菜") == [marine["id"]]
    assert await _ids(client, q="海洋牧场") == [marine["id"]]  # the theme
    assert sorted(await _ids(client, q="成果包测试成果0")) == sorted([battery["id"], marine["id"]])
    assert await _ids(client, q="紫菜", industry="new_energy") == []
    assert await _ids(client, q="氢能") == []  # a draft is not public
    page = (await client.get(URL, params={"q": "紫菜"})).json()
    assert "<mark>紫菜</mark>" in page["items"][0]["snippet"]
    assert (await client.get(URL)).json()["items"][0]["snippet"] is None


async def test_a_curator_searches_their_own_drafts(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], indexed: Indexed
) -> None:
    curator = await support.curator(client, db)
    draft = await support.created(client, curator, title="氢能成果包草稿", summary="燃料电池与储氢。")
    await indexed()
    mine = await client.get(URL, params={"scope": "mine", "q": "储氢"}, headers=curator.headers)
    assert [item["id"] for item in mine.json()["items"]] == [draft["id"]]
    assert "<mark>储氢</mark>" in mine.json()["items"][0]["snippet"]
    percent = await client.get(URL, params={"scope": "mine", "q": "%"}, headers=curator.headers)
    assert percent.json()["total"] == 0  # a LIKE wildcard is a character like any other
