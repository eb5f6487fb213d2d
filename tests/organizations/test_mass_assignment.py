"""Server-owned fields cannot be set by clients: 422, and nothing changed when read again."""

from __future__ import annotations

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests import factories
from tests.core.problem_shape import assert_problem, error_locs

ORGS = "/api/v1/organizations"

SERVER_OWNED_ON_CREATE: dict[str, object] = {
    "is_verified": True,
    "verified_at": "2026-01-01T00:00:00Z",
    "verified_by_id": 1,
    "id": 424242,
    "version": 7,
    "owner_id": 1,
    "owner": {"user_id": 1},
    "created_at": "2020-01-01T00:00:00Z",
    "updated_at": "2020-01-01T00:00:00Z",
}

# Everything OrganizationUpdate does not take: the server's fields plus identity fixed at registration.
NOT_EDITABLE_BY_PATCH: dict[str, object] = {
    **SERVER_OWNED_ON_CREATE,
    "credit_code": "91350100M000100Y43",
    "kind": "transfer_agency",
    "legal_person_type": "010",
    "region_id": 1,
}


def _registration(region_id: int, **extra: object) -> dict[str, object]:
    return {
        "name": "想自我认证的企业",
        "kind": "enterprise",
        "legal_person_type": "100",
        "credit_code": factories.credit_code(),
        "region_id": region_id,
        **extra,
    }


@pytest.mark.parametrize(("field", "value"), SERVER_OWNED_ON_CREATE.items())
async def test_register_with_a_server_owned_field_is_422(
    client: AsyncClient, field: str, value: object
) -> None:
    owner = await factories.account(client)
    body = _registration(await factories.region_id(client, factories.HAIZHOU_CODE), **{field: value})
    response = await client.post(ORGS, json=body, headers=owner.headers)
    problem = assert_problem(response, 422, "validation_failed")
    assert ["body", field] in error_locs(problem)
    assert (await client.get(ORGS, params={"q": str(body["credit_code"])})).json()["total"] == 0
    mine = await client.get("/api/v1/memberships", headers=owner.headers)
    assert mine.json()["total"] == 0


@pytest.mark.parametrize(("field", "value"), NOT_EDITABLE_BY_PATCH.items())
async def test_patch_with_a_field_it_does_not_take_is_422_and_changes_nothing(
    client: AsyncClient, field: str, value: object
) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    path = f"{ORGS}/{org['id']}"
    before = await client.get(path, headers=owner.headers)
    response = await client.patch(
        path,
        json={"name": "顺便改名", field: value},
        headers={**owner.headers, "If-Match": before.headers["etag"]},
    )
    problem = assert_problem(response, 422, "validation_failed")
    assert ["body", field] in error_locs(problem)
    after = await client.get(path, headers=owner.headers)
    assert after.json() == before.json()
    assert after.headers["etag"] == before.headers["etag"]


async def test_patch_cannot_null_the_name(client: AsyncClient) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    path = f"{ORGS}/{org['id']}"
    before = await client.get(path, headers=owner.headers)
    response = await client.patch(
        path, json={"name": None}, headers={**owner.headers, "If-Match": before.headers["etag"]}
    )
    assert_problem(response, 422, "validation_failed")
    assert (await client.get(path, headers=owner.headers)).json() == before.json()


@pytest.mark.parametrize(
    ("field", "value"), [("id", 999), ("is_active", False), ("version", 3), ("created_at", "2020-01-01")]
)
async def test_create_region_with_a_server_owned_field_is_422(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], field: str, value: object
) -> None:
    admin = await factories.admin(client, db)
    city = await factories.region_id(client, factories.CITY_CODE)
    name = f"测试功能区{factories.unique_email('zone')}"
    response = await client.post(
        "/api/v1/regions",
        json={"name": name, "level": "zone", "parent_id": city, field: value},
        headers=admin.headers,
    )
    problem = assert_problem(response, 422, "validation_failed")
    assert ["body", field] in error_locs(problem)
    listed = await client.get("/api/v1/regions", params={"q": name, "include_inactive": "true"})
    assert listed.json()["total"] == 0


@pytest.mark.parametrize(("field", "value"), [("code", "320799"), ("level", "province"), ("parent_id", 1)])
async def test_patch_region_with_a_fixed_field_is_422_and_changes_nothing(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], field: str, value: object
) -> None:
    admin = await factories.admin(client, db)
    region = await factories.region_id(client, factories.GANYU_CODE)
    path = f"/api/v1/regions/{region}"
    before = await client.get(path)
    response = await client.patch(
        path,
        json={"name": "改名区", field: value},
        headers={**admin.headers, "If-Match": before.headers["etag"]},
    )
    problem = assert_problem(response, 422, "validation_failed")
    assert ["body", field] in error_locs(problem)
    after = await client.get(path)
    assert after.json() == before.json()


@pytest.mark.parametrize(
    ("field", "value"),
    [("status", "active"), ("decided_by_id", 1), ("user_id", 1), ("organization_id", 1), ("id", 5)],
)
async def test_invitation_with_a_server_owned_field_is_422(
    client: AsyncClient, field: str, value: object
) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    invitee = await factories.account(client)
    response = await client.post(
        f"{ORGS}/{org['id']}/invitations",
        json={"email": invitee.email, "role": "member", field: value},
        headers=owner.headers,
    )
    problem = assert_problem(response, 422, "validation_failed")
    assert ["body", field] in error_locs(problem)
    assert (await client.get("/api/v1/memberships", headers=invitee.headers)).json()["total"] == 0


async def test_invitation_cannot_hand_out_ownership(client: AsyncClient) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    invitee = await factories.account(client)
    response = await client.post(
        f"{ORGS}/{org['id']}/invitations",
        json={"email": invitee.email, "role": "owner"},
        headers=owner.headers,
    )
    assert_problem(response, 403, "owner_not_invitable")
    assert (await client.get("/api/v1/memberships", headers=invitee.headers)).json()["total"] == 0


@pytest.mark.parametrize("body", [{"role": "owner"}, {"role": "admin"}, {"status": "active"}])
async def test_membership_request_cannot_choose_its_role_or_status(
    client: AsyncClient, body: dict[str, object]
) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    applicant = await factories.account(client)
    response = await client.post(
        f"{ORGS}/{org['id']}/membership-requests", json=body, headers=applicant.headers
    )
    problem = assert_problem(response, 422, "validation_failed")
    assert ["body", next(iter(body))] in error_locs(problem)
    assert (await client.get("/api/v1/memberships", headers=applicant.headers)).json()["total"] == 0


async def test_approving_cannot_set_the_role(client: AsyncClient) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    applicant = await factories.account(client)
    requested = await client.post(f"{ORGS}/{org['id']}/membership-requests", headers=applicant.headers)
    assert requested.status_code == 201, requested.text
    path = f"/api/v1/memberships/{requested.json()['id']}"
    response = await client.post(f"{path}/approve", json={"role": "admin"}, headers=owner.headers)
    problem = assert_problem(response, 422, "validation_failed")
    assert ["body", "role"] in error_locs(problem)
    after = (await client.get(path, headers=owner.headers)).json()
    assert after["status"] == "requested"
    assert after["role"] == "member"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"role": "admin", "status": "removed"}, 422),
        ({"role": "admin", "organization_id": 1}, 422),
        ({"role": "admin", "user_id": 1}, 422),
        ({"role": "owner"}, 403),
    ],
)
async def test_membership_patch_only_changes_the_role(
    client: AsyncClient, body: dict[str, object], status: int
) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    _, membership = await factories.member(client, owner, org["id"])
    path = f"/api/v1/memberships/{membership['id']}"
    before = await client.get(path, headers=owner.headers)
    response = await client.patch(
        path, json=body, headers={**owner.headers, "If-Match": before.headers["etag"]}
    )
    assert_problem(response, status)
    after = await client.get(path, headers=owner.headers)
    assert after.json() == before.json()
    assert after.headers["etag"] == before.headers["etag"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("organization_id", 1), ("prefix", "abc"), ("key_hash", "0" * 64), ("revoked_at", None), ("id", 3)],
)
async def test_api_key_create_with_a_server_owned_field_is_422(
    client: AsyncClient, field: str, value: object
) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    path = f"{ORGS}/{org['id']}/api-keys"
    response = await client.post(path, json={"name": "ci", field: value}, headers=owner.headers)
    problem = assert_problem(response, 422, "validation_failed")
    assert ["body", field] in error_locs(problem)
    assert (await client.get(path, headers=owner.headers)).json()["total"] == 0


async def test_verification_takes_only_the_flag(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    admin = await factories.admin(client, db)
    response = await client.put(
        f"{ORGS}/{org['id']}/verification",
        json={"is_verified": True, "verified_at": "2020-01-01T00:00:00Z"},
        headers=admin.headers,
    )
    problem = assert_problem(response, 422, "validation_failed")
    assert ["body", "verified_at"] in error_locs(problem)
    assert (await client.get(f"{ORGS}/{org['id']}")).json()["is_verified"] is False
