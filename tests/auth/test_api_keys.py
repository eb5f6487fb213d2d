"""API keys for an organization's machine clients: shown once, scoped, revocable, confined to the org."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.clock import utcnow
from app.models import ApiKey
from tests import factories
from tests.auth.helpers import assert_problem, bearer


def _keys_url(organization_id: object) -> str:
    return f"/api/v1/organizations/{organization_id}/api-keys"


async def _create_key(
    client: AsyncClient, owner: factories.Account, organization_id: object, scopes: list[str] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"name": "ERP sync"}
    if scopes is not None:
        body["scopes"] = scopes
    response = await client.post(_keys_url(organization_id), json=body, headers=owner.headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def _member(
    client: AsyncClient, owner: factories.Account, organization_id: object
) -> factories.Account:
    """A signed-in plain member of the organization (invited by the owner, accepted)."""
    member = await factories.account(client, "member")
    invited = await client.post(
        f"/api/v1/organizations/{organization_id}/invitations",
        json={"email": member.email},
        headers=owner.headers,
    )
    assert invited.status_code == 201, invited.text
    accepted = await client.post(f"/api/v1/memberships/{invited.json()['id']}/accept", headers=member.headers)
    assert accepted.status_code == 200, accepted.text
    return member


async def test_key_is_shown_once_and_authenticates_as_bearer(client: AsyncClient) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    created = await _create_key(client, owner, org["id"])
    secret = created["key"]
    assert secret.startswith("ttk_")
    assert created["prefix"] in secret
    assert created["scopes"] == ["read"]

    listed = await client.get(_keys_url(org["id"]), headers=owner.headers)
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()["items"]] == [created["id"]]
    assert "key" not in listed.json()["items"][0]
    assert secret.split("_", 2)[2] not in listed.text

    members = await client.get(f"/api/v1/organizations/{org['id']}/members", headers=bearer(secret))
    assert members.status_code == 200
    assert [m["user_id"] for m in members.json()["items"]] == [owner.id]
    # It sees its own organization's private contact details.
    profile = await client.get(f"/api/v1/organizations/{org['id']}", headers=bearer(secret))
    assert profile.json()["contact_phone"] == "13812345678"


async def test_wrong_or_malformed_key_is_401(client: AsyncClient) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    secret = (await _create_key(client, owner, org["id"]))["key"]
    mark, prefix, secret_part = secret.split("_", 2)
    members_url = f"/api/v1/organizations/{org['id']}/members"
    for bad in (
        f"{mark}_{prefix}_{'A' * 43}",
        f"{mark}_{prefix}",
        f"{mark}_nosuchprefix_{secret_part}",
        "ttk_",
    ):
        assert_problem(await client.get(members_url, headers=bearer(bad)), 401, "invalid_api_key")


async def test_read_scoped_key_cannot_write(client: AsyncClient) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    invitee = await factories.account(client)
    read_key = (await _create_key(client, owner, org["id"]))["key"]
    write_key = (await _create_key(client, owner, org["id"], ["read", "write"]))["key"]
    url = f"/api/v1/organizations/{org['id']}/invitations"

    response = await client.post(url, json={"email": invitee.email}, headers=bearer(read_key))
    assert_problem(response, 403, "insufficient_scope")
    # A write-scoped key passes the scope check and meets the ordinary membership rule instead.
    response = await client.post(url, json={"email": invitee.email}, headers=bearer(write_key))
    assert_problem(response, 403, "not_organization_admin")
    memberships = await client.get("/api/v1/memberships", headers=invitee.headers)
    assert memberships.json()["total"] == 0


async def test_key_cannot_make_keys(client: AsyncClient) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    write_key = (await _create_key(client, owner, org["id"], ["read", "write"]))["key"]
    response = await client.post(_keys_url(org["id"]), json={"name": "child"}, headers=bearer(write_key))
    assert response.status_code == 403
    listed = await client.get(_keys_url(org["id"]), headers=owner.headers)
    assert listed.json()["total"] == 1


async def test_revoked_key_is_401(client: AsyncClient) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    created = await _create_key(client, owner, org["id"])
    members_url = f"/api/v1/organizations/{org['id']}/members"
    assert (await client.get(members_url, headers=bearer(created["key"]))).status_code == 200

    revoke_url = f"{_keys_url(org['id'])}/{created['id']}"
    assert (await client.delete(revoke_url, headers=owner.headers)).status_code == 204
    assert_problem(await client.get(members_url, headers=bearer(created["key"])), 401, "invalid_api_key")
    # Gone from its URL, as after any DELETE; the list keeps it as history.
    assert_problem(await client.delete(revoke_url, headers=owner.headers), 404, "not_found")
    assert_problem(await client.get(revoke_url, headers=owner.headers), 404, "not_found")
    listed = (await client.get(_keys_url(org["id"]), headers=owner.headers)).json()
    assert listed["items"][0]["revoked_at"] is not None


async def test_expired_key_is_401(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    created = await _create_key(client, owner, org["id"])
    async with db() as session:
        await session.execute(update(ApiKey).where(ApiKey.id == created["id"]).values(expires_at=utcnow()))
        await session.commit()
    members_url = f"/api/v1/organizations/{org['id']}/members"
    assert_problem(await client.get(members_url, headers=bearer(created["key"])), 401, "invalid_api_key")


async def test_key_cannot_see_another_organizations_private_data(client: AsyncClient) -> None:
    owner_a = await factories.account(client)
    org_a = await factories.organization(client, owner_a)
    owner_b = await factories.account(client)
    org_b = await factories.organization(client, owner_b)
    key_a = (await _create_key(client, owner_a, org_a["id"], ["read", "write"]))["key"]

    response = await client.get(f"/api/v1/organizations/{org_b['id']}/members", headers=bearer(key_a))
    assert_problem(response, 404, "not_found")
    assert_problem(await client.get(_keys_url(org_b["id"]), headers=bearer(key_a)), 404, "not_found")
    public = await client.get(f"/api/v1/organizations/{org_b['id']}", headers=bearer(key_a))
    assert public.status_code == 200
    assert public.json()["name"] == org_b["name"]
    assert public.json()["contact_phone"] is None
    assert public.json()["contact_email"] is None
    assert public.json()["address"] is None


async def test_plain_member_cannot_create_or_list_keys(client: AsyncClient) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    member = await _member(client, owner, org["id"])
    response = await client.post(_keys_url(org["id"]), json={"name": "mine"}, headers=member.headers)
    assert_problem(response, 403, "not_organization_admin")
    assert_problem(
        await client.get(_keys_url(org["id"]), headers=member.headers), 403, "not_organization_admin"
    )
    assert (await client.get(_keys_url(org["id"]), headers=owner.headers)).json()["total"] == 0


async def test_outsider_gets_404(client: AsyncClient) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    created = await _create_key(client, owner, org["id"])
    outsider = await factories.account(client)
    response = await client.post(_keys_url(org["id"]), json={"name": "theirs"}, headers=outsider.headers)
    assert_problem(response, 404, "not_found")
    assert_problem(await client.get(_keys_url(org["id"]), headers=outsider.headers), 404, "not_found")
    revoke = await client.delete(f"{_keys_url(org['id'])}/{created['id']}", headers=outsider.headers)
    assert_problem(revoke, 404, "not_found")
    listed = (await client.get(_keys_url(org["id"]), headers=owner.headers)).json()
    assert listed["total"] == 1
    assert listed["items"][0]["revoked_at"] is None


async def test_key_of_one_organization_cannot_be_revoked_through_another(client: AsyncClient) -> None:
    owner = await factories.account(client)
    org_a = await factories.organization(client, owner)
    org_b = await factories.organization(client, owner)
    created = await _create_key(client, owner, org_a["id"])
    response = await client.delete(f"{_keys_url(org_b['id'])}/{created['id']}", headers=owner.headers)
    assert_problem(response, 404, "not_found")
    members_url = f"/api/v1/organizations/{org_a['id']}/members"
    assert (await client.get(members_url, headers=bearer(created["key"]))).status_code == 200


async def test_create_key_refuses_server_owned_fields(client: AsyncClient) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    other = await factories.organization(client, owner)
    for extra in (
        {"organization_id": other["id"]},
        {"prefix": "chosen"},
        {"key_hash": "0" * 64},
        {"revoked_at": None},
    ):
        response = await client.post(_keys_url(org["id"]), json={"name": "x", **extra}, headers=owner.headers)
        assert_problem(response, 422, "validation_failed")
    for organization_id in (org["id"], other["id"]):
        assert (await client.get(_keys_url(organization_id), headers=owner.headers)).json()["total"] == 0


@pytest.mark.parametrize(
    ("expires_at", "status"),
    [
        ("9999-12-31T23:59:59-14:00", 422),  # its UTC instant is past the calendar's end
        ("2099-01-01T00:00:00", 422),  # no offset: ambiguous
        ("2000-01-01T00:00:00+08:00", 422),  # the past
        ("2099-01-01T00:00:00+08:00", 201),
    ],
)
async def test_key_expiry_must_be_a_storable_future_instant(
    client: AsyncClient, expires_at: str, status: int
) -> None:
    owner = await factories.account(client)
    organization = await factories.organization(client, owner)
    body = {"name": "ERP sync", "expires_at": expires_at}
    response = await client.post(_keys_url(organization["id"]), json=body, headers=owner.headers)
    assert response.status_code == status, response.text
    if status == 422:
        assert response.headers["content-type"] == "application/problem+json"
        assert "expires_at" in response.text
    else:
        assert response.json()["expires_at"].startswith("2098-12-31T16:00:00")
