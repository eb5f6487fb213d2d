"""Small helpers for the achievement tests: an owning organization, achievements in each status."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient, Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.models import Achievement
from tests import factories
from tests.factories import Account

URL = "/api/v1/achievements"


def achievement_body(organization_id: object, **fields: object) -> dict[str, object]:
    body: dict[str, object] = {
        "organization_id": organization_id,
        "title": "锂离子电池负极材料的制备技术",
        "abstract": "一种高容量硅碳复合负极材料及其制备方法，显著提升锂离子电池的能量密度和循环寿命。",
        "public_summary": "硅碳负极材料，比容量高，循环稳定。",
        "tech_field": "new_energy",
        "application_industries": ["动力电池", "储能"],
        "trl": 6,
        "stage": "pilot",
        "level": "domestic_leading",
        "ip_form": "invention_patent",
        "patents": [{"application_number": "201710601862.3", "status": "granted", "title": "硅碳负极材料"}],
        "transfer_modes": ["transfer", "license"],
        "asking_price_fen": 300_000_000,
        "team": [{"name": "李教授", "title": "教授", "role": "负责人"}],
        "technical_indicators": "首次效率≥90%，比容量≥600mAh/g",
        "commercial_analysis": "面向动力电池企业，市场空间大。",
        "keywords": ["负极材料", "硅碳"],
        "contact_name": "张老师",
        "contact_phone": "13912345678",
        "confidentiality": "nda",
        "confidential_detail": "配方：硅粉与沥青按比例混合后在900℃碳化。",
    }
    return body | fields


async def owner_of(
    client: AsyncClient, region_code: str = factories.HAIZHOU_CODE
) -> tuple[Account, dict[str, Any]]:
    """A new account and the university it registered (it is the organization's owner)."""
    owner = await factories.account(client, "owner")
    organization = await factories.organization(client, owner, kind="university", region_code=region_code)
    return owner, organization


async def create(
    client: AsyncClient, owner: Account, organization_id: object, **fields: object
) -> dict[str, Any]:
    response = await client.post(URL, json=achievement_body(organization_id, **fields), headers=owner.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def act(client: AsyncClient, who: Account, achievement_id: object, action: str) -> Response:
    return await client.post(f"{URL}/{achievement_id}/{action}", headers=who.headers)


async def published(
    client: AsyncClient, reviewer: Account, owner: Account, organization_id: object, **fields: object
) -> dict[str, Any]:
    achievement = await create(client, owner, organization_id, **fields)
    assert (await act(client, owner, achievement["id"], "submit")).status_code == 200
    response = await act(client, reviewer, achievement["id"], "publish")
    assert response.status_code == 200, response.text
    return dict(response.json())


async def read(client: AsyncClient, who: Account | None, achievement_id: object) -> Response:
    return await client.get(f"{URL}/{achievement_id}", headers=who.headers if who else None)


async def patch(
    client: AsyncClient, who: Account, achievement_id: object, body: dict[str, object]
) -> Response:
    """A PATCH with the current ETag as the owner reads it (`who` may not be the owner)."""
    current = await client.get(f"{URL}/{achievement_id}", headers=who.headers)
    etag = current.headers.get("ETag", '"none"')
    return await client.patch(f"{URL}/{achievement_id}", json=body, headers={**who.headers, "If-Match": etag})


async def listed(client: AsyncClient, **params: str | int | bool) -> list[int]:
    response = await client.get(URL, params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def stored(db: async_sessionmaker[AsyncSession], achievement_id: int) -> dict[str, Any]:
    """The stored columns, to show that a refused request changed nothing."""
    async with db() as session:
        achievement = await session.get(Achievement, achievement_id)
        assert achievement is not None
        return {column.key: getattr(achievement, column.key) for column in Achievement.__table__.columns}


def errors_text(response: Response) -> str:
    return " ".join(str(error) for error in response.json().get("errors", []))
