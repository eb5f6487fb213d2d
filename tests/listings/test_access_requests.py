"""Confidential detail under an NDA: asked for by an organization, granted by the owner, and every
release to a grantee logged."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient, Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.enums import PlatformRole
from tests import factories
from tests.achievements import support as achievements
from tests.demands import support as demands
from tests.factories import Account

URL = achievements.URL
DETAIL = "配方：硅粉与沥青按比例混合后在900℃碳化。"


async def _setup(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], **fields: object
) -> tuple[Account, dict[str, Any], Account, dict[str, Any]]:
    owner, organization = await achievements.owner_of(client)
    reviewer = await factories.role_holder(client, db, PlatformRole.DISTRICT_ADMIN, factories.HAIZHOU_CODE)
    published = await achievements.published(client, reviewer, owner, organization["id"], **fields)
    requester = await factories.account(client, "buyer")
    company = await factories.organization(client, requester)
    return owner, published, requester, company


async def ask(
    client: AsyncClient, who: Account, listing_id: object, organization_id: object, url: str = URL
) -> Response:
    body = {"organization_id": organization_id, "purpose": "评估技术可行性，拟洽谈许可", "accept_nda": True}
    return await client.post(f"{url}/{listing_id}/access-requests", json=body, headers=who.headers)


async def decide(
    client: AsyncClient, who: Account, listing_id: object, request_id: object, action: str
) -> Response:
    return await client.post(f"{URL}/{listing_id}/access-requests/{request_id}/{action}", headers=who.headers)


async def test_granted_detail_is_released_and_each_release_logged(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, published, requester, company = await _setup(client, db)
    before = (await achievements.read(client, requester, published["id"])).json()
    assert before["confidential_detail"] is None
    assert before["is_detail_withheld"] is True

    asked = await ask(client, requester, published["id"], company["id"])
    assert asked.status_code == 201, asked.text
    request = asked.json()
    assert request["status"] == "requested"
    assert request["nda_version"]
    assert request["nda_accepted_at"]
    still = (await achievements.read(client, requester, published["id"])).json()
    assert still["confidential_detail"] is None  # asking is not enough

    granted = await decide(client, owner, published["id"], request["id"], "grant")
    assert granted.status_code == 200, granted.text
    assert granted.json()["status"] == "granted"
    for _ in range(2):
        seen = (await achievements.read(client, requester, published["id"])).json()
        assert seen["confidential_detail"] == DETAIL
        assert seen["is_detail_withheld"] is False
    anonymous = (await achievements.read(client, None, published["id"])).json()
    assert anonymous["confidential_detail"] is None
    listed = await client.get(URL, params={"q": "负极材料"}, headers=requester.headers)
    assert all(item["confidential_detail"] is None for item in listed.json()["items"])  # only its own page

    admin = await factories.admin(client, db)
    events = await factories.audit_events(client, admin, "achievement", published["id"])
    releases = [e for e in events if e["action"] == "achievement.detail_release"]
    assert len(releases) == 2
    assert all(e["actor_user_id"] == requester.id for e in releases)
    assert releases[0]["after"]["access_request_id"] == request["id"]
    actions = {e["action"] for e in events}
    assert {"achievement.access_request", "achievement.access_grant"} <= actions


async def test_revoked_and_denied_requests_release_nothing(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, published, requester, company = await _setup(client, db)
    request = (await ask(client, requester, published["id"], company["id"])).json()
    await decide(client, owner, published["id"], request["id"], "grant")
    revoked = await decide(client, owner, published["id"], request["id"], "revoke")
    assert revoked.json()["status"] == "revoked"
    assert (await achievements.read(client, requester, published["id"])).json()["confidential_detail"] is None
    again = (await ask(client, requester, published["id"], company["id"])).json()
    denied = await decide(client, owner, published["id"], again["id"], "deny")
    assert denied.json()["status"] == "denied"
    assert (await achievements.read(client, requester, published["id"])).json()["confidential_detail"] is None
    regrant = await decide(client, owner, published["id"], again["id"], "grant")
    assert regrant.status_code == 409


async def test_only_the_owner_decides_and_requests_are_private(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, published, requester, company = await _setup(client, db)
    request = (await ask(client, requester, published["id"], company["id"])).json()
    self_grant = await decide(client, requester, published["id"], request["id"], "grant")
    assert self_grant.status_code == 403
    other = await factories.account(client, "other")
    path = f"{URL}/{published['id']}/access-requests"
    assert (await client.get(f"{path}/{request['id']}", headers=other.headers)).status_code == 404
    assert (await client.get(path, headers=other.headers)).json()["items"] == []
    for reader in (owner, requester):
        listed = (await client.get(path, headers=reader.headers)).json()
        assert [r["id"] for r in listed["items"]] == [request["id"]]
    assert (await client.get(path)).status_code == 401


async def test_requests_need_the_nda_a_membership_and_a_confidential_listing(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, published, requester, company = await _setup(client, db)
    path = f"{URL}/{published['id']}/access-requests"
    body = {"organization_id": company["id"], "purpose": "评估", "accept_nda": False}
    assert (await client.post(path, json=body, headers=requester.headers)).status_code == 422
    not_mine = await ask(client, owner, published["id"], company["id"])
    assert not_mine.status_code == 403
    own = await ask(client, owner, published["id"], published["organization_id"])
    assert own.json()["code"] == "own_listing"
    assert (await ask(client, requester, published["id"], company["id"])).status_code == 201
    twice = await ask(client, requester, published["id"], company["id"])
    assert twice.status_code == 409
    assert twice.json()["code"] == "access_request_open"

    _, public, other_requester, other_company = await _setup(client, db, confidentiality="public")
    refused = await ask(client, other_requester, public["id"], other_company["id"])
    assert refused.status_code == 409
    assert refused.json()["code"] == "no_confidential_detail"


async def test_the_nda_terms_are_published(client: AsyncClient) -> None:
    terms = (await client.get("/api/v1/meta/nda")).json()
    assert terms["version"]
    assert "保密" in terms["text"]


async def test_demand_detail_is_released_the_same_way(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await demands.poster(client)
    reviewer = await factories.role_holder(client, db, PlatformRole.DISTRICT_ADMIN, factories.HAIZHOU_CODE)
    demand = await demands.published(
        client, reviewer, owner, organization["id"], confidentiality="nda", confidential_detail="现有产线参数"
    )
    supplier = await factories.account(client, "supplier")
    university = await factories.organization(client, supplier, kind="university")
    request = (await ask(client, supplier, demand["id"], university["id"], url=demands.URL)).json()
    grant_url = f"{demands.URL}/{demand['id']}/access-requests/{request['id']}/grant"
    assert (await client.post(grant_url, headers=owner.headers)).status_code == 200
    seen = (await demands.read(client, supplier, demand["id"])).json()
    assert seen["confidential_detail"] == "现有产线参数"


async def test_owners_and_requesters_follow_requests_across_listings(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, published, requester, company = await _setup(client, db)
    request = (await ask(client, requester, published["id"], company["id"])).json()
    url = "/api/v1/access-requests"
    incoming = (await client.get(url, headers=owner.headers)).json()
    assert [(i["id"], i["listing_kind"], i["listing_title"]) for i in incoming["items"]] == [
        (request["id"], "achievement", published["title"])
    ]
    assert incoming["total"] == 1
    outgoing = await client.get(url, params={"direction": "outgoing"}, headers=requester.headers)
    assert [i["id"] for i in outgoing.json()["items"]] == [request["id"]]
    assert (await client.get(url, headers=requester.headers)).json()["items"] == []  # nothing incoming
    granted_only = await client.get(url, params={"status": "granted"}, headers=owner.headers)
    assert granted_only.json()["total"] == 0
    assert (await client.get(url)).status_code == 401
