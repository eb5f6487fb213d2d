"""A small published library for the matches tests: a university's achievements and an enterprise's
demand, indexed (the `index` fixture's fresh in-memory index, filled by the worker)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.listings.search_index import SearchIndex
from tests import factories
from tests.achievements import support as achievements
from tests.conftest import run_until_idle
from tests.demands import support as demands
from tests.factories import Account


class Library:
    """A university with three achievements, an enterprise with one demand, all published."""

    def __init__(self, client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
        self.client = client
        self.db = db

    async def build(self) -> None:
        client = self.client
        self.reviewer = await factories.admin(client, self.db)
        self.university, university = await demands.poster(client)
        self.enterprise, enterprise = await demands.poster(client)
        self.enterprise_org = enterprise
        self.anode = await self._achievement(
            university["id"],
            title="硅碳负极材料的制备技术",
            abstract="高容量硅碳复合负极，提升锂离子电池能量密度与循环寿命。",
            tech_field="new_energy",
            trl=7,
            asking_price_fen=100_000_000,
        )
        self.early = await self._achievement(
            university["id"],
            title="锂离子电池负极新体系探索",
            abstract="实验室阶段的锂离子电池负极材料新体系。",
            tech_field="new_energy",
            trl=2,
            asking_price_fen=100_000_000,
        )
        self.seaweed = await self._achievement(
            university["id"],
            title="条斑紫菜良种选育",
            abstract="紫菜育苗与栽培新品种。",
            tech_field="agriculture",
            keywords=["紫菜"],
        )
        self.own = await self._achievement(
            enterprise["id"],
            self.enterprise,
            title="硅碳负极中试线",
            abstract="本企业的锂离子电池负极中试线。",
        )
        self.demand = await demands.published(
            client,
            self.reviewer,
            self.enterprise,
            enterprise["id"],
            title="锂离子电池硅碳负极材料技术改造",
            description="现有负极产线技术改造，需要成熟的硅碳负极材料制备工艺。",
            demand_type="technical_renovation",
            tech_field="new_energy",
            keywords=["负极材料"],
            budget_min_fen=None,
            budget_max_fen=200_000_000,
        )

    async def _achievement(
        self, organization_id: object, owner: Account | None = None, **fields: object
    ) -> dict[str, Any]:
        fields.setdefault("patents", [])
        poster = owner or self.university
        return await achievements.published(self.client, self.reviewer, poster, organization_id, **fields)

    def url(self) -> str:
        return f"/api/v1/demands/{self.demand['id']}/matches"


@pytest.fixture
async def library(
    app: FastAPI, client: AsyncClient, db: async_sessionmaker[AsyncSession], index: SearchIndex
) -> Library:
    built = Library(client, db)
    await built.build()
    await run_until_idle(app)
    return built
