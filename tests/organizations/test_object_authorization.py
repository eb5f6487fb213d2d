"""A member of organization B can neither read A's private data nor change anything of A's."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.enums import PlatformRole
from tests import factories
from tests.core.problem_shape import assert_problem

ORGS = "/api/v1/organizations"
PRIVATE = ("contact_phone", "contact_email", "address")


@dataclass
class TwoOrganizations:
    a_owner: factories.Account
    a: dict[str, object]
    b_owner: factories.Account
    b: dict[str, object]

    @property
    def a_path(self) -> str:
        return f"{ORGS}/{self.a['id']}"


@pytest.fixture
async def orgs(client: AsyncClient) -> TwoOrganizations:
    a_owner = await factories.account(client, "a-owner")
    b_owner = await factories.account(client, "b-owner")
    a = await factories.organization(client, a_owner, region_code=factories.HAIZHOU_CODE)
    b = await factories.organization(client, b_owner, region_code=factories.HAIZHOU_CODE)
    return TwoOrganizations(a_owner, a, b_owner, b)


def _private(body: dict[str, object]) -> dict[str, object]:
    return {name: body[name] for name in PRIVATE}


FILLED = {
    "contact_phone": "13812345678",
    "contact_email": "contact@example.com",
    "address": "连云港市海州区朝阳东路1号",
}
HIDDEN = dict.fromkeys(PRIVATE)


async def test_private_data_is_hidden_from_outsiders(client: AsyncClient, orgs: TwoOrganizations) -> None:
    b_member, _ = await factories.member(client, orgs.b_owner, orgs.b["id"])
    for headers in ({}, orgs.b_owner.headers, b_member.headers):
        response = await client.get(orgs.a_path, headers=headers)
        assert response.status_code == 200
        assert _private(response.json()) == HIDDEN
        assert response.json()["name"] == orgs.a["name"]  # the public profile is visible
    listed = await client.get(ORGS, params={"q": str(orgs.a["credit_code"])}, headers=orgs.b_owner.headers)
    assert [_private(item) for item in listed.json()["items"]] == [HIDDEN]
    assert "13812345678" not in listed.text


async def test_private_data_is_shown_to_members_and_region_administrators(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], orgs: TwoOrganizations
) -> None:
    a_member, _ = await factories.member(client, orgs.a_owner, orgs.a["id"])
    haizhou_admin = await factories.role_holder(
        client, db, PlatformRole.DISTRICT_ADMIN, factories.HAIZHOU_CODE
    )
    city_admin = await factories.role_holder(client, db, PlatformRole.CITY_ADMIN)
    for viewer in (orgs.a_owner, a_member, haizhou_admin, city_admin):
        response = await client.get(orgs.a_path, headers=viewer.headers)
        assert _private(response.json()) == FILLED, viewer.email
        listed = await client.get(ORGS, params={"q": str(orgs.a["credit_code"])}, headers=viewer.headers)
        assert [_private(item) for item in listed.json()["items"]] == [FILLED]


async def test_other_district_administrator_and_a_broker_do_not_see_private_data(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], orgs: TwoOrganizations
) -> None:
    ganyu_admin = await factories.role_holder(client, db, PlatformRole.DISTRICT_ADMIN, factories.GANYU_CODE)
    broker = await factories.role_holder(client, db, PlatformRole.BROKER)
    for viewer in (ganyu_admin, broker):
        response = await client.get(orgs.a_path, headers=viewer.headers)
        assert _private(response.json()) == HIDDEN, viewer.email


async def test_b_cannot_patch_a(client: AsyncClient, orgs: TwoOrganizations) -> None:
    b_admin, _ = await factories.member(client, orgs.b_owner, orgs.b["id"], role="admin")
    before = await client.get(orgs.a_path, headers=orgs.a_owner.headers)
    for intruder in (orgs.b_owner, b_admin):
        response = await client.patch(
            orgs.a_path,
            json={"name": "被B篡改", "contact_phone": "13900000000"},
            headers={**intruder.headers, "If-Match": before.headers["etag"]},
        )
        assert not response.is_success
        assert_problem(response, response.status_code)
        assert response.status_code in (403, 404)
    after = await client.get(orgs.a_path, headers=orgs.a_owner.headers)
    assert after.json() == before.json()
    assert after.headers["etag"] == before.headers["etag"]


async def test_a_plain_member_cannot_patch_either(client: AsyncClient, orgs: TwoOrganizations) -> None:
    a_member, _ = await factories.member(client, orgs.a_owner, orgs.a["id"])
    before = await client.get(orgs.a_path, headers=orgs.a_owner.headers)
    response = await client.patch(
        orgs.a_path,
        json={"name": "成员改名"},
        headers={**a_member.headers, "If-Match": before.headers["etag"]},
    )
    assert_problem(response, 403, "not_organization_admin")
    assert (await client.get(orgs.a_path, headers=orgs.a_owner.headers)).json() == before.json()


async def test_anonymous_cannot_patch(client: AsyncClient, orgs: TwoOrganizations) -> None:
    before = await client.get(orgs.a_path, headers=orgs.a_owner.headers)
    response = await client.patch(
        orgs.a_path, json={"name": "匿名改名"}, headers={"If-Match": before.headers["etag"]}
    )
    assert_problem(response, 401)
    assert (await client.get(orgs.a_path, headers=orgs.a_owner.headers)).json() == before.json()


async def test_b_cannot_see_a_members(client: AsyncClient, orgs: TwoOrganizations) -> None:
    members = await client.get(f"{orgs.a_path}/members", headers=orgs.a_owner.headers)
    assert members.status_code == 200
    owner_membership = members.json()["items"][0]
    assert owner_membership["role"] == "owner"

    assert_problem(await client.get(f"{orgs.a_path}/members", headers=orgs.b_owner.headers), 404)
    assert_problem(await client.get(f"{orgs.a_path}/members"), 401)
    response = await client.get(f"/api/v1/memberships/{owner_membership['id']}", headers=orgs.b_owner.headers)
    assert_problem(response, 404, "not_found")


async def test_b_cannot_decide_or_remove_in_a(client: AsyncClient, orgs: TwoOrganizations) -> None:
    applicant = await factories.account(client)
    requested = await client.post(f"{orgs.a_path}/membership-requests", headers=applicant.headers)
    assert requested.status_code == 201, requested.text
    request_path = f"/api/v1/memberships/{requested.json()['id']}"
    for action in ("approve", "reject"):
        assert_problem(await client.post(f"{request_path}/{action}", headers=orgs.b_owner.headers), 404)
    a_member, membership = await factories.member(client, orgs.a_owner, orgs.a["id"])
    assert_problem(
        await client.delete(f"/api/v1/memberships/{membership['id']}", headers=orgs.b_owner.headers), 404
    )
    assert_problem(
        await client.post(
            f"{orgs.a_path}/invitations",
            json={"email": orgs.b_owner.email, "role": "admin"},
            headers=orgs.b_owner.headers,
        ),
        404,
    )

    still = (await client.get(request_path, headers=orgs.a_owner.headers)).json()
    assert still["status"] == "requested"
    member_now = await client.get(f"/api/v1/memberships/{membership['id']}", headers=orgs.a_owner.headers)
    assert member_now.json()["status"] == "active"
    assert _private((await client.get(orgs.a_path, headers=a_member.headers)).json()) == FILLED
    assert _private((await client.get(orgs.a_path, headers=orgs.b_owner.headers)).json()) == HIDDEN


async def test_b_cannot_touch_a_api_keys(client: AsyncClient, orgs: TwoOrganizations) -> None:
    keys_path = f"{orgs.a_path}/api-keys"
    created = await client.post(keys_path, json={"name": "A的集成"}, headers=orgs.a_owner.headers)
    assert created.status_code == 201, created.text
    key_id = created.json()["id"]

    assert_problem(await client.get(keys_path, headers=orgs.b_owner.headers), 404)
    assert_problem(await client.post(keys_path, json={"name": "B的钥匙"}, headers=orgs.b_owner.headers), 404)
    assert_problem(await client.delete(f"{keys_path}/{key_id}", headers=orgs.b_owner.headers), 404)
    # B's own key list cannot reach A's key either.
    b_keys = f"{ORGS}/{orgs.b['id']}/api-keys"
    assert_problem(await client.delete(f"{b_keys}/{key_id}", headers=orgs.b_owner.headers), 404)

    listed = (await client.get(keys_path, headers=orgs.a_owner.headers)).json()
    assert [(item["id"], item["name"], item["revoked_at"]) for item in listed["items"]] == [
        (key_id, "A的集成", None)
    ]


async def test_a_plain_member_cannot_manage_api_keys(client: AsyncClient, orgs: TwoOrganizations) -> None:
    a_member, _ = await factories.member(client, orgs.a_owner, orgs.a["id"])
    keys_path = f"{orgs.a_path}/api-keys"
    assert_problem(await client.get(keys_path, headers=a_member.headers), 403)
    assert_problem(await client.post(keys_path, json={"name": "x"}, headers=a_member.headers), 403)
    assert (await client.get(keys_path, headers=orgs.a_owner.headers)).json()["total"] == 0


async def test_a_key_of_b_sees_nothing_private_of_a(client: AsyncClient, orgs: TwoOrganizations) -> None:
    created = await client.post(
        f"{ORGS}/{orgs.b['id']}/api-keys", json={"name": "B机器"}, headers=orgs.b_owner.headers
    )
    key_headers = {"Authorization": f"Bearer {created.json()['key']}"}
    response = await client.get(orgs.a_path, headers=key_headers)
    assert response.status_code == 200
    assert _private(response.json()) == HIDDEN
    own = await client.get(f"{ORGS}/{orgs.b['id']}", headers=key_headers)
    assert _private(own.json()) == FILLED
    assert_problem(await client.get(f"{orgs.a_path}/members", headers=key_headers), 404)
