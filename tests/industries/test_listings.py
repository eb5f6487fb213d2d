"""What a listing counts under: the local industry it names, or else every industry its technology
field maps to; the filter, the items (public read path and signed-in reads alike), create, update,
revisions and the import all agree."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests import factories
from tests.achievements import support as achievements
from tests.demands import support as demands
from tests.factories import Account
from tests.imports.support import ACHIEVEMENT_ROW, DEMAND_ROW, read_csv, table, upload, xlsx


@pytest.fixture
async def reviewer(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> Account:
    return await factories.admin(client, db)


def _shown(item: dict[str, Any]) -> tuple[Any, list[str]]:
    return item["local_industry"], item["local_industries"]


async def _propose(client: AsyncClient, owner: Account, url: str, body: dict[str, object]) -> dict[str, Any]:
    etag = (await client.get(url, headers=owner.headers)).headers["ETag"]
    response = await client.post(f"{url}/revisions", json=body, headers={**owner.headers, "If-Match": etag})
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _found(client: AsyncClient, url: str, who: Account | None = None, **params: str) -> list[int]:
    response = await client.get(url, params={"limit": 100, **params}, headers=who.headers if who else None)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def test_a_field_mapped_to_two_industries_is_found_under_both(
    client: AsyncClient, reviewer: Account
) -> None:
    owner, organization = await demands.poster(client)
    shrimp = await demands.published(
        client,
        reviewer,
        owner,
        organization["id"],
        title="南美白对虾工厂化养殖技术",
        tech_field="agriculture",
    )
    university, institute = await achievements.owner_of(client)
    ranch = await achievements.published(
        client, reviewer, university, institute["id"], title="海参池塘生态养殖技术", tech_field="agriculture"
    )
    for url, listing, who in ((demands.URL, shrimp, owner), (achievements.URL, ranch, university)):
        for industry in ("modern_agriculture", "marine"):
            assert listing["id"] in await _found(client, url, local_industry=industry)  # public read path
            assert listing["id"] in await _found(client, url, who, local_industry=industry)  # signed in
        assert listing["id"] not in await _found(client, url, local_industry="new_energy")
        for reader in (None, who):
            detail = await client.get(f"{url}/{listing['id']}", headers=reader.headers if reader else None)
            assert _shown(detail.json()) == (None, ["modern_agriculture", "marine"])
            listed = await client.get(url, params={"local_industry": "marine", "limit": 100})
            item = next(entry for entry in listed.json()["items"] if entry["id"] == listing["id"])
            assert _shown(item) == (None, ["modern_agriculture", "marine"])


async def test_the_industry_a_listing_names_beats_the_mapping(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], reviewer: Account
) -> None:
    owner, organization = await demands.poster(client)
    mushrooms = await demands.create(
        client, owner, organization["id"], tech_field="agriculture", local_industry="modern_agriculture"
    )
    assert _shown(mushrooms) == ("modern_agriculture", ["modern_agriculture"])
    desalination = await demands.published(
        client, reviewer, owner, organization["id"], tech_field="environment", local_industry="marine"
    )
    assert _shown(desalination) == ("marine", ["marine"])
    assert desalination["id"] in await _found(client, demands.URL, local_industry="marine")
    assert desalination["id"] not in await _found(client, demands.URL, local_industry="port_petrochemical")
    # A field mapped to nothing, with an industry of its own.
    hospital = await demands.published(
        client, reviewer, owner, organization["id"], tech_field="urban_social", local_industry="new_medicine"
    )
    assert await _found(client, demands.URL, local_industry="new_medicine") == [hospital["id"]]

    # A draft names one, then leaves it to the mapping again (null clears it).
    etag = (await demands.read(client, owner, mushrooms["id"])).headers["ETag"]
    cleared = await client.patch(
        f"{demands.URL}/{mushrooms['id']}",
        json={"local_industry": None},
        headers={**owner.headers, "If-Match": etag},
    )
    assert cleared.status_code == 200, cleared.text
    assert _shown(cleared.json()) == (None, ["modern_agriculture", "marine"])
    events = await factories.audit_events(client, reviewer, "demand", mushrooms["id"])
    update = next(event for event in events if event["action"] == "demand.update")
    assert (update["before"]["local_industry"], update["after"]["local_industry"]) == (
        "modern_agriculture",
        None,
    )
    refused = await client.patch(
        f"{demands.URL}/{mushrooms['id']}",
        json={"local_industry": "fishing"},
        headers={**owner.headers, "If-Match": cleared.headers["ETag"]},
    )
    assert refused.status_code == 422


async def test_a_published_listing_names_its_industry_through_a_revision(
    client: AsyncClient, reviewer: Account
) -> None:
    owner, organization = await achievements.owner_of(client)
    coating = await achievements.published(
        client, reviewer, owner, organization["id"], tech_field="new_materials"
    )
    assert _shown(coating) == (None, ["new_materials"])
    url = f"{achievements.URL}/{coating['id']}"
    proposed = await _propose(client, owner, url, {"local_industry": "marine"})
    assert coating["id"] not in await _found(client, achievements.URL, local_industry="marine")
    published = await client.post(f"{url}/revisions/{proposed['id']}/publish", headers=reviewer.headers)
    assert published.status_code == 200, published.text
    assert coating["id"] in await _found(client, achievements.URL, local_industry="marine")
    assert coating["id"] not in await _found(client, achievements.URL, local_industry="new_materials")
    assert _shown((await achievements.read(client, None, coating["id"])).json()) == ("marine", ["marine"])


async def test_the_import_takes_the_local_industry_column(client: AsyncClient) -> None:
    owner, organization = await achievements.owner_of(client)
    rows = [
        ACHIEVEMENT_ROW | {"客户编号": "CG-H1", "技术领域": "农业", "本地产业": "海洋"},
        ACHIEVEMENT_ROW | {"客户编号": "CG-H2", "技术领域": "农业", "本地产业": "modern_agriculture"},
        ACHIEVEMENT_ROW | {"客户编号": "CG-H3", "技术领域": "农业", "本地产业": ""},
    ]
    response = await upload(client, owner, "achievements", organization["id"], xlsx(table(rows)))
    assert response.status_code == 201, response.text
    exported = await client.get(
        "/api/v1/achievements/export", params={"scope": "mine", "format": "csv"}, headers=owner.headers
    )
    header, *lines = read_csv(exported.content)
    shown = sorted((row[header.index("本地产业")], row[header.index("所属本地产业")]) for row in lines)
    assert shown == [("", "现代农业；海洋"), ("海洋", "海洋"), ("现代农业", "现代农业")]

    mine = await client.get(
        achievements.URL, params={"scope": "mine", "local_industry": "marine"}, headers=owner.headers
    )
    assert sorted((_shown(item) for item in mine.json()["items"]), key=str) == [
        ("marine", ["marine"]),
        (None, ["modern_agriculture", "marine"]),
    ]

    demand_owner, enterprise = await demands.poster(client)
    wrong = [DEMAND_ROW | {"客户编号": "XQ-H1", "本地产业": "海鲜"}]
    refused = await upload(client, demand_owner, "demands", enterprise["id"], xlsx(table(wrong)))
    assert refused.status_code == 422, refused.text
    errors = refused.json()["row_errors"]
    assert [(error["row"], error["column"], error["code"]) for error in errors] == [
        (2, "本地产业", "invalid_choice")
    ]
