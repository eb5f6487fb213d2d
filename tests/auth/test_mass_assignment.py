"""Server-owned fields of a user cannot be set by the client, on sign-up or on a profile edit."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests import factories
from tests.auth.helpers import assert_problem, sign_in_response

ME = "/api/v1/users/me"

SIGN_UP_SMUGGLED: list[dict[str, Any]] = [
    {"is_active": False},
    {"roles": ["system_admin"]},
    {"roles": [{"role": "system_admin"}]},
    {"id": 1},
    {"password_hash": "$argon2id$v=19$m=65536,t=3,p=4$AAAA$BBBB"},
    {"memberships": [{"organization_id": 1, "role": "owner"}]},
    {"created_at": "2020-01-01T00:00:00Z"},
    {"last_login_at": "2020-01-01T00:00:00Z"},
    {"version": 7},
    {"is_verified": True},
]

PATCH_SMUGGLED: list[dict[str, Any]] = [
    {"email": "taken-over@example.com"},
    {"is_active": False},
    {"roles": ["system_admin"]},
    {"id": 1},
    {"password_hash": "$argon2id$v=19$m=65536,t=3,p=4$AAAA$BBBB"},
    {"password": "a new password 123"},
    {"version": 99},
    {"last_login_at": None},
    {"memberships": []},
]


@pytest.mark.parametrize("smuggled", SIGN_UP_SMUGGLED, ids=lambda extra: next(iter(extra)))
async def test_sign_up_refuses_server_owned_fields(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], smuggled: dict[str, Any]
) -> None:
    email = factories.unique_email("smuggler")
    body = {"email": email, "password": factories.PASSWORD, "display_name": "张三", **smuggled}
    response = await client.post("/api/v1/users", json=body)
    problem = assert_problem(response, 422, "validation_failed")
    assert [error["loc"] for error in problem["errors"]] == [["body", next(iter(smuggled))]]

    # Nothing was created: the e-mail is free, and cannot be signed in to.
    assert (await sign_in_response(client, email)).status_code == 401
    clean = await factories.sign_up(client, email)
    assert clean["is_active"] is True
    root = await factories.admin(client, db)
    roles = await client.get(f"/api/v1/users/{clean['id']}/roles", headers=root.headers)
    assert roles.json()["items"] == []


@pytest.mark.parametrize("smuggled", PATCH_SMUGGLED, ids=lambda extra: next(iter(extra)))
async def test_profile_edit_refuses_server_owned_fields(
    client: AsyncClient, smuggled: dict[str, Any]
) -> None:
    me = await factories.account(client)
    before = await client.get(ME, headers=me.headers)
    response = await client.patch(
        ME,
        json={"display_name": "改名", **smuggled},
        headers={**me.headers, "If-Match": before.headers["ETag"]},
    )
    assert_problem(response, 422, "validation_failed")

    after = await client.get(ME, headers=me.headers)
    assert after.json() == before.json()
    assert after.headers["ETag"] == before.headers["ETag"]
    assert (await sign_in_response(client, me.email)).status_code == 200


async def test_profile_edit_of_own_fields_works(client: AsyncClient) -> None:
    # The control for the refusals above: the same request without the smuggled field succeeds.
    me = await factories.account(client)
    before = await client.get(ME, headers=me.headers)
    response = await client.patch(
        ME,
        json={"display_name": "改名", "phone": "13912345678"},
        headers={**me.headers, "If-Match": before.headers["ETag"]},
    )
    assert response.status_code == 200, response.text
    after = (await client.get(ME, headers=me.headers)).json()
    assert (after["display_name"], after["phone"]) == ("改名", "13912345678")
    assert (after["email"], after["is_active"], after["roles"]) == (me.email, True, [])
    assert response.headers["ETag"] != before.headers["ETag"]
