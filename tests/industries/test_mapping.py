"""The local industry mapping over HTTP: read by anyone, edited by city and system administrators with
If-Match, every edit audited, and listings following it at once on every read path."""

from __future__ import annotations

from httpx import AsyncClient, Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.enums import LocalIndustry, PlatformRole, TechField
from app.industries.mapping import DEFAULT_MAPPING
from tests import factories
from tests.demands import support as demands
from tests.factories import Account

URL = "/api/v1/industry-mappings"


async def _etag(client: AsyncClient, field: str) -> str:
    response = await client.get(f"{URL}/{field}")
    assert response.status_code == 200, response.text
    return response.headers["ETag"]


async def _put(
    client: AsyncClient, who: Account | None, field: str, industries: list[str], etag: str
) -> Response:
    headers = {**(who.headers if who else {}), "If-Match": etag}
    return await client.put(f"{URL}/{field}", json={"local_industries": industries}, headers=headers)


async def test_everyone_reads_the_seeded_mapping(client: AsyncClient) -> None:
    response = await client.get(URL, params={"limit": 100})
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["total"] == len(TechField) == len(page["items"])
    # The migration's seed is the application's default, field by field, in the statistics' order.
    assert [item["tech_field"] for item in page["items"]] == [field.value for field in TechField]
    assert {item["tech_field"]: item["local_industries"] for item in page["items"]} == {
        field.value: [industry.value for industry in industries]
        for field, industries in DEFAULT_MAPPING.items()
    }
    agriculture = {item["tech_field"]: item for item in page["items"]}["agriculture"]
    assert agriculture["local_industries"] == ["modern_agriculture", "marine"]
    assert agriculture["updated_by_id"] is None

    marine = (await client.get(URL, params={"local_industry": "marine"})).json()
    assert [item["tech_field"] for item in marine["items"]] == [
        "environment",
        "agriculture",
        "modern_transport",
    ]

    one = await client.get(f"{URL}/environment")
    assert one.status_code == 200
    assert one.json()["local_industries"] == ["port_petrochemical", "marine"]
    assert one.headers["ETag"] == f'"industry-mapping-environment-v{one.json()["version"]}"'
    assert (await client.get(f"{URL}/alchemy")).status_code == 422


async def test_an_administrator_edits_a_field_and_listings_follow_at_once(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    reviewer = await factories.admin(client, db)
    owner, organization = await demands.poster(client)
    social = await demands.published(client, reviewer, owner, organization["id"], tech_field="urban_social")
    assert (await demands.read(client, None, social["id"])).json()["local_industries"] == []
    city_admin = await factories.role_holder(client, db, PlatformRole.CITY_ADMIN)

    etag = await _etag(client, "urban_social")
    response = await _put(client, city_admin, "urban_social", ["marine", "new_medicine"], etag)
    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["local_industries"] == ["new_medicine", "marine"]  # the policy's order
    assert changed["updated_by_id"] == city_admin.id
    assert response.headers["ETag"] != etag
    assert response.headers["ETag"] == await _etag(client, "urban_social")

    # Found under both, shown with both: the public read path and a signed-in read agree.
    for industry in ("new_medicine", "marine"):
        assert social["id"] in demands.ids(await demands.listed(client, local_industry=industry))
        assert social["id"] in demands.ids(await demands.listed(client, owner, local_industry=industry))
    for who in (None, owner):
        item = (await demands.read(client, who, social["id"])).json()
        assert (item["local_industry"], item["local_industries"]) == (None, ["new_medicine", "marine"])

    events = await factories.audit_events(client, reviewer, "industry_mapping", "urban_social")
    assert [(e["action"], e["before"], e["after"], e["actor_user_id"]) for e in events] == [
        (
            "industry_mapping.set",
            {"local_industries": []},
            {"local_industries": ["new_medicine", "marine"]},
            city_admin.id,
        )
    ]

    # Back to none: the listing counts under nothing again.
    emptied = await _put(client, reviewer, "urban_social", [], response.headers["ETag"])
    assert emptied.status_code == 200, emptied.text
    assert emptied.json()["local_industries"] == []
    assert social["id"] not in demands.ids(await demands.listed(client, local_industry="marine"))
    assert (await demands.read(client, None, social["id"])).json()["local_industries"] == []


async def test_setting_what_is_there_changes_nothing(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    admin = await factories.admin(client, db)
    etag = await _etag(client, "nuclear")
    response = await _put(client, admin, "nuclear", ["new_energy"], etag)
    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == etag
    assert await factories.audit_events(client, admin, "industry_mapping", "nuclear") == []


async def test_only_city_and_system_administrators_edit(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    etag = await _etag(client, "agriculture")
    enterprise_owner, _ = await demands.poster(client)
    district_admin = await factories.role_holder(
        client, db, PlatformRole.DISTRICT_ADMIN, factories.HAIZHOU_CODE
    )
    broker = await factories.role_holder(client, db, PlatformRole.BROKER)
    assert (await _put(client, None, "agriculture", ["marine"], etag)).status_code == 401
    for who in (enterprise_owner, district_admin, broker):
        refused = await _put(client, who, "agriculture", ["marine"], etag)
        assert refused.status_code == 403, refused.text
        assert refused.json()["code"] == "role_required"
    assert (await client.get(f"{URL}/agriculture")).json()["local_industries"] == [
        "modern_agriculture",
        "marine",
    ]
    assert await _etag(client, "agriculture") == etag


async def test_an_edit_needs_the_current_etag(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    admin = await factories.admin(client, db)
    stale = await _etag(client, "aerospace")
    missing = await client.put(f"{URL}/aerospace", json={"local_industries": []}, headers=admin.headers)
    assert missing.status_code == 428
    assert (
        await _put(client, admin, "aerospace", ["intelligent_equipment", "new_materials"], stale)
    ).status_code == 200
    refused = await _put(client, admin, "aerospace", [], stale)  # another administrator's stale read
    assert refused.status_code == 412, refused.text
    assert refused.json()["code"] == "precondition_failed"
    after = (await client.get(f"{URL}/aerospace")).json()
    assert after["local_industries"] == ["new_materials", "intelligent_equipment"]
    events = await factories.audit_events(client, admin, "industry_mapping", "aerospace")
    assert len(events) == 1


async def test_a_set_names_each_industry_once_and_only_known_ones(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    admin = await factories.admin(client, db)
    etag = await _etag(client, "nuclear")
    for body in ({"local_industries": ["marine", "marine"]}, {"local_industries": ["fishing"]}, {}):
        response = await client.put(f"{URL}/nuclear", json=body, headers={**admin.headers, "If-Match": etag})
        assert response.status_code == 422, response.text
    assert (await _put(client, admin, "alchemy", ["marine"], etag)).status_code == 422


async def test_every_local_industry_can_be_asked_for(client: AsyncClient) -> None:
    for industry in LocalIndustry:
        assert (
            await client.get("/api/v1/demands", params={"local_industry": industry.value})
        ).status_code == 200
    assert (await client.get("/api/v1/demands", params={"local_industry": "fishing"})).status_code == 422
