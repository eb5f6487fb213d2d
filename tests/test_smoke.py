from __future__ import annotations

from httpx import AsyncClient

from tests import factories


async def test_sign_up_sign_in_and_me(client: AsyncClient) -> None:
    me = await factories.account(client)
    response = await client.get("/api/v1/users/me", headers=me.headers)
    assert response.status_code == 200
    assert response.json()["email"] == me.email


async def test_register_organization(client: AsyncClient) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    assert org["is_verified"] is False
    assert org["contact_phone"] == "13812345678"
