"""The newcomer's path: post a demand, have it reviewed, see it published, masked and searchable."""

from __future__ import annotations

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests import factories
from tests.conftest import Indexed


def demand_body(organization_id: object, **fields: object) -> dict[str, object]:
    return {
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
        **fields,
    }


async def test_post_review_publish_and_find(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], indexed: Indexed
) -> None:
    owner = await factories.account(client)
    organization = await factories.organization(client, owner)
    created = await client.post(
        "/api/v1/demands", json=demand_body(organization["id"]), headers=owner.headers
    )
    assert created.status_code == 201, created.text
    demand = created.json()
    assert demand["status"] == "draft"
    assert demand["local_industry"] is None  # it names none: its field's mapping applies
    assert demand["local_industries"] == ["new_energy"]
    assert demand["contact_phone"] == "13812345678"

    # A draft is invisible to others.
    assert (await client.get(f"/api/v1/demands/{demand['id']}")).status_code == 404

    submitted = await client.post(f"/api/v1/demands/{demand['id']}/submit", headers=owner.headers)
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"

    reviewer = await factories.admin(client, db)
    queue = await client.get("/api/v1/demands", params={"scope": "review"}, headers=reviewer.headers)
    assert [item["id"] for item in queue.json()["items"]] == [demand["id"]]
    published = await client.post(f"/api/v1/demands/{demand['id']}/publish", headers=reviewer.headers)
    assert published.status_code == 200, published.text
    assert published.json()["status"] == "published"

    public = await client.get(f"/api/v1/demands/{demand['id']}")
    assert public.status_code == 200
    assert public.json()["contact_phone"] == "138****5678"

    await indexed()
    found = await client.get("/api/v1/demands", params={"q": "锂电池"})
    assert [item["id"] for item in found.json()["items"]] == [demand["id"]]
    assert (await client.get("/api/v1/demands", params={"q": "燃气轮机"})).json()["total"] == 0


async def test_a_deadline_is_audited_as_a_date(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner = await factories.account(client)
    organization = await factories.organization(client, owner)
    body = demand_body(organization["id"], valid_until="2099-12-31")
    created = await client.post("/api/v1/demands", json=body, headers=owner.headers)
    assert created.status_code == 201, created.text
    admin = await factories.admin(client, db)
    events = await client.get(
        "/api/v1/audit-events",
        params={"entity_type": "demand", "entity_id": str(created.json()["id"])},
        headers=admin.headers,
    )
    assert events.json()["items"][0]["after"]["valid_until"] == "2099-12-31"
