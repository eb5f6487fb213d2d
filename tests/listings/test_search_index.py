"""The matching index follows the database: publish, close, revisions and mapping edits reach it
through the worker's consumer; a rebuild, a restart and a second process see the same index."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.config import Settings
from app.listings import search_index
from app.matching.engine import Engine
from app.matching.records import Filters, Kind, Listing, Need
from app.worker import queue
from tests import factories
from tests.conftest import run_until_idle
from tests.demands import support

DEMANDS = Filters(kind=Kind.DEMAND)


def found(index: search_index.SearchIndex, text: str, filters: Filters = DEMANDS) -> list[int]:
    return list(index.for_reading().search(text, filters).ids)


async def test_a_published_demand_is_found_once_the_worker_ran_and_a_draft_never(
    app: FastAPI, client: AsyncClient, db: async_sessionmaker[AsyncSession], index: search_index.SearchIndex
) -> None:
    owner, organization = await support.poster(client)
    reviewer = await factories.admin(client, db)
    published = await support.published(client, reviewer, owner, organization["id"], title="海参育苗技术需求")
    draft = await support.create(client, owner, organization["id"], title="海参加工设备需求")
    assert found(index, "海参") == []  # nothing until the worker has run
    await run_until_idle(app)
    assert found(index, "海参") == [published["id"]]
    assert draft["id"] not in found(index, "海参加工")
    assert found(index, published["number"]) == [published["id"]]


async def test_closing_removes_it_and_a_word_of_the_confidential_detail_finds_nothing(
    app: FastAPI, client: AsyncClient, db: async_sessionmaker[AsyncSession], index: search_index.SearchIndex
) -> None:
    owner, organization = await support.poster(client)
    reviewer = await factories.admin(client, db)
    demand = await support.published(
        client,
        reviewer,
        owner,
        organization["id"],
        title="紫菜烘干设备需求",
        confidentiality="nda",
        confidential_detail="内部代号蓝鲸工艺参数",
    )
    await run_until_idle(app)
    assert found(index, "紫菜") == [demand["id"]]
    assert found(index, "蓝鲸") == []
    closed = await support.act(client, owner, demand["id"], "close")
    assert closed.status_code == 200, closed.text
    await run_until_idle(app)
    assert found(index, "紫菜") == []
    assert index.engine.match(Need(text="紫菜烘干"), DEMANDS).results == ()


async def test_an_industry_mapping_edit_reaches_the_indexed_listings(
    app: FastAPI, client: AsyncClient, db: async_sessionmaker[AsyncSession], index: search_index.SearchIndex
) -> None:
    owner, organization = await support.poster(client)
    reviewer = await factories.admin(client, db)
    demand = await support.published(client, reviewer, owner, organization["id"], tech_field="nuclear")
    await run_until_idle(app)
    before = index.engine.backend.get(Kind.DEMAND, demand["id"])
    assert before is not None
    assert before.local_industries == ("new_energy",)
    admin = await factories.admin(client, db)
    current = await client.get("/api/v1/industry-mappings/nuclear", headers=admin.headers)
    edited = await client.put(
        "/api/v1/industry-mappings/nuclear",
        json={"local_industries": ["new_energy", "marine"]},
        headers={**admin.headers, "If-Match": current.headers["ETag"]},
    )
    assert edited.status_code == 200, edited.text
    await run_until_idle(app)
    after = index.engine.backend.get(Kind.DEMAND, demand["id"])
    assert after is not None
    assert after.local_industries == ("new_energy", "marine")


async def test_a_rebuild_holds_exactly_the_published_listings(
    app: FastAPI, client: AsyncClient, db: async_sessionmaker[AsyncSession], index: search_index.SearchIndex
) -> None:
    owner, organization = await support.poster(client)
    reviewer = await factories.admin(client, db)
    kept = await support.published(client, reviewer, owner, organization["id"], title="对虾养殖水质监测需求")
    await support.create(client, owner, organization["id"], title="对虾饲料配方需求")
    index.engine.add([_stray()])  # something the database does not hold
    index.engine.commit()
    async with db() as session:
        count = await search_index.rebuild(session, index)
    assert kept["id"] in found(index, "对虾")
    assert 999_999 not in found(index, "对虾")
    assert count == index.engine.backend.count(Kind.DEMAND) + index.engine.backend.count(Kind.ACHIEVEMENT)


async def test_an_index_on_disk_is_built_once_and_read_by_another_process(
    app: FastAPI, client: AsyncClient, db: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    settings: Settings = app.state.settings
    on_disk = settings.model_copy(update={"index_dir": tmp_path / "index", "index_refresh_seconds": 0})
    writer = search_index.index_for(on_disk)
    assert not writer.built
    owner, organization = await support.poster(client)
    reviewer = await factories.admin(client, db)
    demand = await support.published(
        client, reviewer, owner, organization["id"], title="盐田光伏支架防腐需求"
    )
    async with db() as session:
        assert await search_index.ensure_built(session, on_disk)
        assert not await search_index.ensure_built(session, on_disk)  # one is on its way already
        assert await queue.unfinished(session, search_index.REBUILD_JOB)
        await search_index.rebuild(session, writer)
    assert writer.built
    # Another process (a second uvicorn worker) opens the same directory and reads the same answer.
    reader = search_index.index_for(on_disk.model_copy())
    assert reader is not writer
    assert reader.built
    assert found(reader, "光伏支架") == found(writer, "光伏支架") == [demand["id"]]


def _stray() -> Listing:
    return Listing(id=999_999, kind=Kind.DEMAND, title="对虾育苗需求")


async def test_a_consumer_never_waits_for_a_rebuild_and_a_failed_write_leaves_nothing(
    index: search_index.SearchIndex,
) -> None:
    async with index.exclusive():
        with pytest.raises(search_index.IndexBusy):
            await index.write(lambda engine: None)

    def half_then_fail(engine: Engine) -> None:
        engine.add([_stray()])
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        await index.write(half_then_fail)
    index.engine.commit()
    assert index.engine.backend.count(Kind.DEMAND) == 0
