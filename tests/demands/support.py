"""Small helpers for the demand tests: a posting organization, demands in each status, direct edits."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from httpx import AsyncClient, Response
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.clock import today
from app.core.enums import PlatformRole
from app.models import Demand
from tests import factories
from tests.factories import Account

URL = "/api/v1/demands"


def demand_body(organization_id: object, **fields: object) -> dict[str, object]:
    body: dict[str, object] = {
        "organization_id": organization_id,
        "title": "锂离子电池负极材料的产业化技术需求",
        "description": "我公司需要高容量硅碳负极材料的制备工艺，提升锂离子电池能量密度。",
        "tech_field": "new_energy",
        "demand_type": "key_technology",
        "cooperation_modes": ["joint_development", "transfer"],
        "budget_min_fen": 50_000_000,
        "budget_max_fen": 200_000_000,
        "keywords": ["负极材料", "硅碳"],
        "contact_name": "王工",
        "contact_phone": "13812345678",
    }
    return body | fields


async def poster(
    client: AsyncClient, region_code: str = factories.HAIZHOU_CODE
) -> tuple[Account, dict[str, Any]]:
    """A new account and the enterprise it registered (it is the organization's owner)."""
    owner = await factories.account(client, "owner")
    organization = await factories.organization(client, owner, region_code=region_code)
    return owner, organization


async def create(
    client: AsyncClient, owner: Account, organization_id: object, **fields: object
) -> dict[str, Any]:
    response = await client.post(URL, json=demand_body(organization_id, **fields), headers=owner.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def act(
    client: AsyncClient, who: Account | None, demand_id: object, action: str, reason: str | None = None
) -> Response:
    return await client.post(
        f"{URL}/{demand_id}/{action}",
        json={"reason": reason} if reason is not None else None,
        headers=who.headers if who else None,
    )


async def read(client: AsyncClient, who: Account | None, demand_id: object) -> Response:
    return await client.get(f"{URL}/{demand_id}", headers=who.headers if who else None)


Param = str | int | bool


async def listed(client: AsyncClient, who: Account | None = None, **params: Param) -> dict[str, Any]:
    response = await client.get(URL, params=params, headers=who.headers if who else None)
    assert response.status_code == 200, response.text
    return dict(response.json())


def ids(page: dict[str, Any]) -> list[int]:
    return [item["id"] for item in page["items"]]


async def submitted(
    client: AsyncClient, owner: Account, organization_id: object, **fields: object
) -> dict[str, Any]:
    demand = await create(client, owner, organization_id, **fields)
    response = await act(client, owner, demand["id"], "submit")
    assert response.status_code == 200, response.text
    return dict(response.json())


async def published(
    client: AsyncClient, reviewer: Account, owner: Account, organization_id: object, **fields: object
) -> dict[str, Any]:
    demand = await submitted(client, owner, organization_id, **fields)
    response = await act(client, reviewer, demand["id"], "publish")
    assert response.status_code == 200, response.text
    return dict(response.json())


async def set_columns(db: async_sessionmaker[AsyncSession], demand_id: int, **values: object) -> None:
    """Change stored columns directly (what the API rightly refuses, e.g. a deadline in the past)."""
    async with db() as session:
        await session.execute(update(Demand).where(Demand.id == demand_id).values(**values))
        await session.commit()


async def stored(db: async_sessionmaker[AsyncSession], demand_id: int) -> Demand:
    async with db() as session:
        demand = await session.get(Demand, demand_id)
        assert demand is not None
        return demand


def snapshot(demand: Demand) -> dict[str, Any]:
    """The stored columns a refused request must leave alone."""
    return {column.key: getattr(demand, column.key) for column in Demand.__table__.columns}


def days_ago(days: int) -> date:
    return today() - timedelta(days=days)


def problem_code(response: Response) -> str:
    return str(response.json().get("code"))


async def agency(
    client: AsyncClient,
    db: async_sessionmaker[AsyncSession],
    *,
    region_code: str = factories.CITY_CODE,
    verified: bool = True,
) -> tuple[Account, dict[str, Any]]:
    """A transfer agency (and its owner), verified by a city administrator unless `verified` is False."""
    agency_owner = await factories.account(client, "agency")
    organization = await factories.organization(
        client, agency_owner, kind="transfer_agency", region_code=region_code
    )
    if verified:
        city_admin = await factories.role_holder(client, db, PlatformRole.CITY_ADMIN)
        response = await client.put(
            f"/api/v1/organizations/{organization['id']}/verification",
            json={"is_verified": True},
            headers=city_admin.headers,
        )
        assert response.status_code == 200, response.text
    return agency_owner, organization
