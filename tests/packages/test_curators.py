"""Who curates: administrators of the package's region. A district administrator works only in their
district; a city administrator in the city and any district; nobody else (403), and drafts stay
invisible (404) to everyone who does not curate them."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.enums import PlatformRole
from tests import factories
from tests.factories import GANYU_CODE, HAIZHOU_CODE
from tests.packages import support
from tests.packages.support import URL, add, edit, publish, read_version


async def _stored(client: AsyncClient, curator: factories.Account, package_id: object) -> dict[str, Any]:
    response = await client.get(f"{URL}/{package_id}", headers=curator.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_only_administrators_create_packages(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    enterprise_owner = await factories.account(client, "enterprise")
    await factories.organization(client, enterprise_owner)
    refused = await support.create(client, enterprise_owner)
    assert refused.status_code == 403
    assert refused.json()["code"] == "curator_role_required"
    broker = await factories.role_holder(client, db, PlatformRole.BROKER)
    assert (await support.create(client, broker)).json()["code"] == "curator_role_required"
    assert (await client.post(URL, json={"title": "无名成果包", "industry": "new_energy"})).status_code == 401
    assert (await client.get(URL, params={"scope": "mine"})).status_code == 401


async def test_a_district_administrator_curates_only_their_district(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    haizhou = await support.curator(client, db, region_code=HAIZHOU_CODE)
    ganyu = await support.curator(client, db, region_code=GANYU_CODE)
    haizhou_id = await factories.region_id(client, HAIZHOU_CODE)
    city_id = await factories.region_id(client, factories.CITY_CODE)

    own = await support.created(client, haizhou)  # defaults to the administrator's district
    assert own["region_id"] == haizhou_id
    elsewhere = await support.create(client, ganyu, region_id=haizhou_id)
    assert elsewhere.status_code == 403
    assert elsewhere.json()["code"] == "region_not_curated"
    above = await support.create(client, haizhou, region_id=city_id)
    assert above.json()["code"] == "region_not_curated"

    # Another district's draft does not exist for them, to read or to edit.
    assert (await client.get(f"{URL}/{own['id']}", headers=ganyu.headers)).status_code == 404
    assert (await read_version(client, ganyu, own["id"], 1)).status_code == 404
    renamed = await edit(client, ganyu, "PATCH", own["id"], 1, body={"title": "改名"}, if_match="*")
    assert renamed.status_code == 404
    assert (await _stored(client, haizhou, own["id"]))["versions"][0]["title"] == "新能源产业科技成果包"
    mine = await client.get(URL, params={"scope": "mine"}, headers=ganyu.headers)
    assert mine.json()["total"] == 0
    mine = await client.get(URL, params={"scope": "mine"}, headers=haizhou.headers)
    assert [item["id"] for item in mine.json()["items"]] == [own["id"]]
    assert mine.json()["items"][0]["draft_version"] == 1


async def test_a_published_package_is_public_but_only_its_curators_change_it(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    haizhou = await support.curator(client, db, region_code=HAIZHOU_CODE)
    ganyu = await support.curator(client, db, region_code=GANYU_CODE)
    (achievement,) = await support.published_achievements(client, db, 1)
    package = await support.published_package(client, haizhou, [achievement["id"]])

    assert (await client.get(f"{URL}/{package['id']}", headers=ganyu.headers)).status_code == 200
    next_version = await client.post(f"{URL}/{package['id']}/versions", headers=ganyu.headers)
    assert next_version.status_code == 403
    assert next_version.json()["code"] == "not_curator"
    enterprise_owner = await factories.account(client, "enterprise")
    refused = await client.post(f"{URL}/{package['id']}/versions", headers=enterprise_owner.headers)
    assert refused.status_code == 403
    anonymous = await client.post(f"{URL}/{package['id']}/versions")
    assert anonymous.status_code == 401
    assert (await _stored(client, haizhou, package["id"]))["draft_version"] is None

    # The city administrator curates every district's packages.
    city = await support.curator(client, db)
    made = await client.post(f"{URL}/{package['id']}/versions", headers=city.headers)
    assert made.status_code == 201, made.text
    # ... and the draft it made is invisible to the other district, and unchangeable by it.
    assert (await read_version(client, ganyu, package["id"], 2)).status_code == 404
    assert (await publish(client, ganyu, package["id"], 2)).status_code == 404
    assert (await add(client, ganyu, package["id"], 2, achievement["id"])).status_code == 404
    assert (await publish(client, haizhou, package["id"], 2)).status_code == 200


async def test_a_city_administrator_curates_for_any_district(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    city = await support.curator(client, db)
    ganyu_id = await factories.region_id(client, GANYU_CODE)
    package = await support.created(client, city, region_id=ganyu_id)
    assert package["region_id"] == ganyu_id
    ganyu = await support.curator(client, db, region_code=GANYU_CODE)
    assert (await client.get(f"{URL}/{package['id']}", headers=ganyu.headers)).json()["may_curate"] is True
    missing = await support.create(client, city, region_id=987654321)
    assert missing.status_code == 404


async def test_an_api_key_never_curates(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    city = await support.curator(client, db)
    organization = await factories.organization(client, city)
    key = await client.post(
        f"/api/v1/organizations/{organization['id']}/api-keys",
        json={"name": "机器", "scopes": ["read", "write"]},
        headers=city.headers,
    )
    assert key.status_code == 201, key.text
    machine = {"Authorization": f"Bearer {key.json()['key']}"}
    refused = await client.post(URL, json={"title": "机器成果包", "industry": "new_energy"}, headers=machine)
    assert refused.status_code == 403
