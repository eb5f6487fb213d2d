"""Administrators deactivate and reactivate accounts; a deactivated account loses access at once."""

from __future__ import annotations

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests import factories


async def test_deactivation_ends_sessions_and_refuses_sign_in(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    admin = await factories.admin(client, db)
    user = await factories.account(client)
    url = f"/api/v1/users/{user.id}/status"

    response = await client.put(url, json={"is_active": False}, headers=admin.headers)
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert (await client.get("/api/v1/users/me", headers=user.headers)).status_code == 401
    refreshed = await client.post("/api/v1/auth/refresh", json={"refresh_token": user.refresh_token})
    assert refreshed.status_code == 401
    sign_in = await client.post(
        "/api/v1/auth/token", data={"username": user.email, "password": user.password}
    )
    assert sign_in.status_code == 401

    assert (await client.put(url, json={"is_active": True}, headers=admin.headers)).status_code == 200
    assert (await factories.sign_in(client, user.email))["access_token"]
    events = await client.get(
        "/api/v1/audit-events",
        params={"entity_type": "user", "entity_id": str(user.id)},
        headers=admin.headers,
    )
    actions = [event["action"] for event in events.json()["items"] if event["action"].endswith("activate")]
    assert actions == ["user.activate", "user.deactivate"]


async def test_only_administrators_change_status_and_not_their_own(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    admin = await factories.admin(client, db)
    user = await factories.account(client)
    other = await factories.account(client)
    refused = await client.put(
        f"/api/v1/users/{other.id}/status", json={"is_active": False}, headers=user.headers
    )
    assert refused.status_code in (403, 404)
    own = await client.put(
        f"/api/v1/users/{admin.id}/status", json={"is_active": False}, headers=admin.headers
    )
    assert own.status_code == 403
    assert own.json()["code"] == "cannot_change_self"
    strict = await client.put(
        f"/api/v1/users/{other.id}/status", json={"is_active": 0}, headers=admin.headers
    )
    assert strict.status_code == 422
    assert (await client.get("/api/v1/users/me", headers=other.headers)).status_code == 200
