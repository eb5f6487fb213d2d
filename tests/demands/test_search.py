"""Chinese full-text search over demands, on SQLite (FTS5) and PostgreSQL (tsvector) alike."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests import factories
from tests.conftest import Indexed
from tests.demands import support


async def _publish(
    client: AsyncClient,
    db: async_sessionmaker[AsyncSession],
    indexed: Indexed,
    texts: list[tuple[str, str]],
    **fields: object,
) -> list[dict[str, Any]]:
    """Publish demands and bring the search index up to date with them."""
    owner, organization = await support.poster(client)
    reviewer = await factories.admin(client, db)
    published = [
        await support.published(
            client,
            reviewer,
            owner,
            organization["id"],
            title=title,
            description=description,
            keywords=[],
            **fields,
        )
        for title, description in texts
    ]
    await indexed()
    return published


async def test_lithium_battery_finds_lithium_ion_anode_material(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], indexed: Indexed
) -> None:
    [anode, turbine] = await _publish(
        client,
        db,
        indexed,
        [
            ("锂离子电池负极材料", "寻求高首效硅碳负极材料的量产工艺与设备方案。"),
            ("燃气轮机叶片涂层", "寻求燃气轮机热端部件的热障涂层制备技术。"),
        ],
    )
    assert support.ids(await support.listed(client, q="锂电池")) == [anode["id"]]
    assert support.ids(await support.listed(client, q="热障涂层")) == [turbine["id"]]
    assert support.ids(await support.listed(client, q="负极")) == [anode["id"]]


async def test_more_matching_words_rank_first(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], indexed: Indexed
) -> None:
    # The better match is published first, so "newest first" alone would put it last.
    [best, partial, unrelated] = await _publish(
        client,
        db,
        indexed,
        [
            ("硅碳负极材料制备", "锂电池硅碳负极材料的制备工艺，要求首次效率高、循环寿命长。"),
            ("锂电池回收利用", "废旧锂电池的拆解与有价金属回收工艺，要求回收率高、环保达标。"),
            ("污水处理工艺升级", "印染废水深度处理与回用工艺，要求出水达到一级排放标准。"),
        ],
    )
    page = await support.listed(client, q="硅碳 负极材料 锂电池", sort="relevance")
    assert support.ids(page) == [best["id"], partial["id"]]
    assert unrelated["id"] not in support.ids(page)
    # Relevance is the default sort with a query; without one, newest first.
    assert support.ids(await support.listed(client, q="硅碳 负极材料 锂电池")) == [best["id"], partial["id"]]
    assert support.ids(await support.listed(client, q="硅碳 负极材料 锂电池", sort="newest")) == [
        partial["id"],
        best["id"],
    ]


@pytest.mark.parametrize("query", ["燃气轮机", "量子计算芯片", "的", "，。！", "xyzzy"])
async def test_unrelated_queries_find_nothing(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], indexed: Indexed, query: str
) -> None:
    await _publish(
        client, db, indexed, [("锂离子电池负极材料", "寻求高首效硅碳负极材料的量产工艺与设备方案。")]
    )
    page = await support.listed(client, q=query)
    assert page["items"] == []
    assert page["total"] == 0


@pytest.mark.parametrize(
    "query",
    [
        '" OR 1=1 --',
        "' or ''='",
        "锂电池*",
        "NEAR(锂电池 负极)",
        "负极 AND NOT 材料",
        "a:b & c | !d",
        "(锂电池",
        "___",
        "%_%",
        "\\",
        "锂电池" * 60,
        " ".join(f"词{i}" for i in range(60)),
    ],
)
async def test_query_syntax_is_never_an_error(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], indexed: Indexed, query: str
) -> None:
    await _publish(
        client, db, indexed, [("锂离子电池负极材料", "寻求高首效硅碳负极材料的量产工艺与设备方案。")]
    )
    response = await client.get(support.URL, params={"q": query[:200]})
    assert response.status_code == 200, response.text


async def test_latin_words_and_full_width_letters(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], indexed: Indexed
) -> None:
    [led] = await _publish(
        client, db, indexed, [("Micro LED 巨量转移设备", "需要 Micro LED 芯片巨量转移的设备与工艺。")]
    )
    assert support.ids(await support.listed(client, q="led")) == [led["id"]]
    assert support.ids(await support.listed(client, q="ＬＥＤ")) == [led["id"]]


async def test_keywords_are_searched(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], indexed: Indexed
) -> None:
    owner, organization = await support.poster(client)
    reviewer = await factories.admin(client, db)
    demand = await support.published(
        client,
        reviewer,
        owner,
        organization["id"],
        title="材料改性需求",
        description="现有产品性能不足，需要改性技术提升强度。",
        keywords=["石墨烯"],
    )
    await indexed()
    assert support.ids(await support.listed(client, q="石墨烯")) == [demand["id"]]


async def test_search_stays_inside_the_scope(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.poster(client)
    draft = await support.create(
        client, owner, organization["id"], title="氢燃料电池双极板", keywords=["氢能"]
    )
    assert support.ids(await support.listed(client, q="双极板")) == []
    assert support.ids(await support.listed(client, owner, q="双极板")) == []
    assert support.ids(await support.listed(client, owner, scope="mine", q="双极板")) == [draft["id"]]


async def test_search_combines_with_filters(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], indexed: Indexed
) -> None:
    [energy] = await _publish(
        client, db, indexed, [("储能电池热管理", "储能电池系统的热管理与安全预警技术。")]
    )
    [medical] = await _publish(
        client,
        db,
        indexed,
        [("医用电池植入器件", "植入式医疗器械用微型电池的封装技术。")],
        tech_field="biomedicine",
    )
    assert sorted(support.ids(await support.listed(client, q="电池"))) == sorted(
        [energy["id"], medical["id"]]
    )
    assert support.ids(await support.listed(client, q="电池", tech_field="biomedicine")) == [medical["id"]]
    assert support.ids(await support.listed(client, q="电池", local_industry="new_energy")) == [energy["id"]]
    page = await support.listed(client, q="电池", limit=1)
    assert page["total"] == 2
    assert len(page["items"]) == 1


async def test_pages_of_a_search_follow_one_ranking(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], indexed: Indexed
) -> None:
    """Page by page, a search shows each match once, in the order of the whole list, and its total
    does not depend on the page (the engine's tiers are chosen by the query, not by the page)."""
    texts = [(f"电池材料需求{n}", "寻求" + "电池材料" * (1 + n % 4) + "的制备工艺。") for n in range(23)]
    await _publish(client, db, indexed, texts)
    whole = await support.listed(client, q="电池材料", limit=100)
    pages = [await support.listed(client, q="电池材料", limit=5, offset=offset) for offset in range(0, 25, 5)]
    assert {page["total"] for page in pages} == {whole["total"]} == {23}
    assert [item for page in pages for item in support.ids(page)] == support.ids(whole)
