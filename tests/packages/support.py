"""Helpers for the package tests: curators, published achievements, packages and their versions."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient, Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.enums import PlatformRole
from tests import factories
from tests.achievements import support as achievements
from tests.factories import Account

URL = "/api/v1/packages"


def version_url(package_id: object, number: object) -> str:
    return f"{URL}/{package_id}/versions/{number}"


async def curator(
    client: AsyncClient,
    db: async_sessionmaker[AsyncSession],
    role: PlatformRole = PlatformRole.CITY_ADMIN,
    region_code: str | None = None,
) -> Account:
    """A city administrator, or (with `region_code`) a district administrator of that district."""
    if region_code is not None:
        role = PlatformRole.DISTRICT_ADMIN
    return await factories.role_holder(client, db, role, region_code)


async def published_achievements(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], count: int, **fields: object
) -> list[dict[str, Any]]:
    """`count` published achievements of one new university, published by a system administrator."""
    owner, organization = await achievements.owner_of(client)
    reviewer = await factories.admin(client, db)
    return [
        await achievements.published(
            client, reviewer, owner, organization["id"], title=f"成果包测试成果{index}", **fields
        )
        for index in range(count)
    ]


async def create(client: AsyncClient, who: Account, **fields: object) -> Response:
    body: dict[str, object] = {
        "title": "新能源产业科技成果包",
        "summary": "面向连云港新能源企业的锂电池与储能成果。",
        "industry": "new_energy",
        "theme": "锂电池与储能",
    }
    return await client.post(URL, json=body | fields, headers=who.headers)


async def created(client: AsyncClient, who: Account, **fields: object) -> dict[str, Any]:
    response = await create(client, who, **fields)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def read_version(
    client: AsyncClient, who: Account | None, package_id: object, number: object
) -> Response:
    return await client.get(version_url(package_id, number), headers=who.headers if who else None)


async def etag_of(client: AsyncClient, who: Account, package_id: object, number: object) -> str:
    response = await read_version(client, who, package_id, number)
    assert response.status_code == 200, response.text
    return response.headers["ETag"]


async def edit(
    client: AsyncClient,
    who: Account,
    method: str,
    package_id: object,
    number: object,
    path: str = "",
    body: dict[str, object] | None = None,
    if_match: str | None = None,
) -> Response:
    """A write to a version (or below it) with the version's current ETag unless `if_match` is given."""
    tag = if_match if if_match is not None else await _current_etag(client, who, package_id, number)
    return await client.request(
        method,
        version_url(package_id, number) + path,
        json=body,
        headers={**who.headers, "If-Match": tag},
    )


async def _current_etag(client: AsyncClient, who: Account, package_id: object, number: object) -> str:
    response = await read_version(client, who, package_id, number)
    return str(response.headers.get("ETag", '"none"'))


async def add(
    client: AsyncClient,
    who: Account,
    package_id: object,
    number: object,
    achievement_id: object,
    **fields: object,
) -> Response:
    body = {"achievement_id": achievement_id, **fields}
    return await edit(client, who, "POST", package_id, number, "/members", body)


async def publish(client: AsyncClient, who: Account, package_id: object, number: object) -> Response:
    return await edit(client, who, "POST", package_id, number, "/publish")


async def published_package(
    client: AsyncClient, who: Account, achievement_ids: list[int], **fields: object
) -> dict[str, Any]:
    """A package whose version 1, holding `achievement_ids` in order, is published."""
    package = await created(client, who, **fields)
    for achievement_id in achievement_ids:
        response = await add(client, who, package["id"], 1, achievement_id)
        assert response.status_code == 200, response.text
    response = await publish(client, who, package["id"], 1)
    assert response.status_code == 200, response.text
    return package


def member_ids(version: dict[str, Any]) -> list[int]:
    return [member["achievement_id"] for member in version["members"]]
