"""An achievement's path: listed as a draft, submitted, published by a reviewer, then read by the public
(contacts masked, confidential detail withheld), by its owner (everything) and by other organizations."""

from __future__ import annotations

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests import factories
from tests.achievements import support
from tests.achievements.support import URL, act, read


async def test_list_review_publish_and_read(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.owner_of(client)
    achievement = await support.create(client, owner, organization["id"], valid_until="2099-12-31")
    assert achievement["status"] == "draft"
    assert achievement["number"] == f"CG{achievement['created_at'][:4]}{achievement['id']:07d}"
    assert achievement["local_industry"] is None  # it names none: its field's mapping applies
    assert achievement["local_industries"] == ["new_energy"]
    assert achievement["region_id"] == organization["region_id"]

    assert (await read(client, None, achievement["id"])).status_code == 404  # a draft is nobody else's
    assert (await act(client, owner, achievement["id"], "submit")).json()["status"] == "submitted"
    reviewer = await factories.admin(client, db)
    queue = await client.get(URL, params={"scope": "review"}, headers=reviewer.headers)
    assert [item["id"] for item in queue.json()["items"]] == [achievement["id"]]
    published = await act(client, reviewer, achievement["id"], "publish")
    assert published.status_code == 200, published.text
    assert published.json()["status"] == "published"
    assert published.json()["revision"] == 1

    public = await read(client, None, achievement["id"])
    assert public.status_code == 200
    anonymous = public.json()
    assert anonymous["contact_phone"] == "139****5678"
    assert anonymous["confidential_detail"] is None
    assert anonymous["is_detail_withheld"] is True
    # What is public stays public: the summary, indicators, analysis, patents and team.
    assert anonymous["technical_indicators"] == "首次效率≥90%，比容量≥600mAh/g"
    assert anonymous["commercial_analysis"] == "面向动力电池企业，市场空间大。"
    assert anonymous["public_summary"] == "硅碳负极材料，比容量高，循环稳定。"
    assert anonymous["patents"][0]["application_number"] == "201710601862.3"
    assert anonymous["team"] == [{"name": "李教授", "title": "教授", "role": "负责人"}]
    assert [item["id"] for item in (await client.get(URL)).json()["items"]] == [achievement["id"]]

    mine = (await read(client, owner, achievement["id"])).json()
    assert mine["contact_phone"] == "13912345678"
    assert mine["confidential_detail"] == "配方：硅粉与沥青按比例混合后在900℃碳化。"
    assert mine["is_detail_withheld"] is False

    stranger = await factories.account(client)
    seen = (await read(client, stranger, achievement["id"])).json()
    assert seen["contact_phone"] == "139****5678"
    assert seen["confidential_detail"] is None


async def test_a_public_listing_withholds_nothing_but_contacts(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.owner_of(client)
    reviewer = await factories.admin(client, db)
    achievement = await support.published(
        client, reviewer, owner, organization["id"], confidentiality="public", confidential_detail=""
    )
    anonymous = (await read(client, None, achievement["id"])).json()
    assert anonymous["is_detail_withheld"] is False
    assert anonymous["contact_phone"] == "139****5678"


async def test_create_and_update_are_audited(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.owner_of(client)
    achievement = await support.create(client, owner, organization["id"], valid_until="2099-12-31")
    edited = await support.patch(
        client,
        owner,
        achievement["id"],
        {"title": "硅碳负极材料制备技术", "patents": [{"application_number": "ZL95115608.X"}]},
    )
    assert edited.status_code == 200, edited.text
    admin = await factories.admin(client, db)
    events = await factories.audit_events(client, admin, "achievement", achievement["id"])
    assert sorted(event["action"] for event in events) == ["achievement.create", "achievement.update"]
    by_action = {event["action"]: event for event in events}
    created, updated = by_action["achievement.create"], by_action["achievement.update"]
    assert created["before"] is None
    assert created["after"]["title"] == "锂离子电池负极材料的制备技术"
    assert created["after"]["valid_until"] == "2099-12-31"
    assert created["after"]["patents"][0]["application_number"] == "201710601862.3"
    assert updated["before"]["title"] == "锂离子电池负极材料的制备技术"
    assert updated["after"]["title"] == "硅碳负极材料制备技术"
    assert [p["application_number"] for p in updated["after"]["patents"]] == ["95115608.X"]


async def test_another_organization_can_neither_see_a_draft_nor_edit_nor_act(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.owner_of(client)
    other_owner, _ = await support.owner_of(client, factories.GANYU_CODE)
    draft = await support.create(client, owner, organization["id"])
    before = await support.stored(db, draft["id"])

    assert (await read(client, other_owner, draft["id"])).status_code == 404
    refused = await client.patch(
        f"{URL}/{draft['id']}",
        json={"title": "别人的标题"},
        headers={**other_owner.headers, "If-Match": f'"achievement-{draft["id"]}-v1"'},
    )
    assert refused.status_code == 404
    assert (await act(client, other_owner, draft["id"], "submit")).status_code == 404
    assert await support.stored(db, draft["id"]) == before

    reviewer = await factories.admin(client, db)
    published = await support.published(client, reviewer, owner, organization["id"])
    before = await support.stored(db, published["id"])
    refused = await support.patch(client, other_owner, published["id"], {"title": "别人的标题"})
    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == "not_listing_owner"
    closing = await act(client, other_owner, published["id"], "close")
    assert closing.status_code == 403
    assert closing.json()["code"] == "not_listing_owner"
    assert await support.stored(db, published["id"]) == before


async def test_a_member_may_not_post_for_another_organization(client: AsyncClient) -> None:
    _, organization = await support.owner_of(client)
    outsider = await factories.account(client)
    response = await client.post(
        URL, json=support.achievement_body(organization["id"]), headers=outsider.headers
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_member"


async def test_a_client_key_is_used_once_per_organization(client: AsyncClient) -> None:
    owner, organization = await support.owner_of(client)
    await support.create(client, owner, organization["id"], client_key="row-1")
    again = await client.post(
        URL, json=support.achievement_body(organization["id"], client_key="row-1"), headers=owner.headers
    )
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate_client_key"
