"""Refresh-token rotation, reuse detection (revokes the whole family), and sign-out."""

from __future__ import annotations

from typing import Any

import jwt
from httpx import AsyncClient, Response
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.clock import utcnow
from app.models import RefreshToken
from tests import factories
from tests.auth.helpers import assert_problem, bearer

REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
ME = "/api/v1/users/me"


async def _refresh(client: AsyncClient, token: str) -> Response:
    return await client.post(REFRESH, json={"refresh_token": token})


async def _rotate(client: AsyncClient, token: str) -> dict[str, Any]:
    response = await _refresh(client, token)
    assert response.status_code == 200, response.text
    pair: dict[str, Any] = response.json()
    return pair


def _session_id(access_token: str) -> str:
    return str(jwt.decode(access_token, options={"verify_signature": False})["sid"])


async def test_rotation_returns_a_new_working_pair_of_the_same_session(client: AsyncClient) -> None:
    me = await factories.account(client)
    pair = await _rotate(client, me.refresh_token)
    assert pair["token_type"] == "bearer"
    assert pair["refresh_token"] != me.refresh_token
    assert pair["access_token"] != me.access_token
    assert _session_id(pair["access_token"]) == _session_id(me.access_token)
    response = await client.get(ME, headers=bearer(pair["access_token"]))
    assert response.json()["id"] == me.id
    # The chain keeps going.
    newer = await _rotate(client, pair["refresh_token"])
    assert (await client.get(ME, headers=bearer(newer["access_token"]))).status_code == 200


async def test_rotated_refresh_token_fails_as_reused(client: AsyncClient) -> None:
    me = await factories.account(client)
    await _rotate(client, me.refresh_token)
    assert_problem(await _refresh(client, me.refresh_token), 401, "refresh_token_reused")


async def test_reuse_revokes_the_whole_family(client: AsyncClient) -> None:
    me = await factories.account(client)
    first = await _rotate(client, me.refresh_token)
    newest = await _rotate(client, first["refresh_token"])
    assert (await client.get(ME, headers=bearer(newest["access_token"]))).status_code == 200

    # A stolen, already rotated token is presented again.
    assert_problem(await _refresh(client, first["refresh_token"]), 401, "refresh_token_reused")

    assert_problem(await _refresh(client, newest["refresh_token"]), 401, "invalid_refresh_token")
    for access_token in (newest["access_token"], first["access_token"], me.access_token):
        assert_problem(await client.get(ME, headers=bearer(access_token)), 401, "session_revoked")
    # And the reused token stays dead too.
    assert (await _refresh(client, first["refresh_token"])).status_code == 401


async def test_reuse_leaves_the_users_other_sessions_alone(client: AsyncClient) -> None:
    me = await factories.account(client)
    other = await factories.sign_in(client, me.email)
    await _rotate(client, me.refresh_token)
    assert (await _refresh(client, me.refresh_token)).status_code == 401
    assert (await client.get(ME, headers=bearer(other["access_token"]))).status_code == 200
    assert (await _refresh(client, other["refresh_token"])).status_code == 200


async def test_reuse_is_audited(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    me = await factories.account(client)
    await _rotate(client, me.refresh_token)
    assert (await _refresh(client, me.refresh_token)).status_code == 401
    root = await factories.admin(client, db)
    response = await client.get(
        "/api/v1/audit-events", params={"action": "auth.refresh_token_reused"}, headers=root.headers
    )
    assert response.status_code == 200
    events = [e for e in response.json()["items"] if e["entity_id"] == str(me.id)]
    assert len(events) == 1
    assert events[0]["actor_user_id"] == me.id
    assert events[0]["after"] == {"family_id": _session_id(me.access_token)}


async def test_unknown_refresh_token_is_401(client: AsyncClient) -> None:
    assert_problem(await _refresh(client, "no-such-token"), 401, "invalid_refresh_token")


async def test_expired_refresh_token_is_401(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    me = await factories.account(client)
    async with db() as session:
        await session.execute(
            update(RefreshToken).where(RefreshToken.user_id == me.id).values(expires_at=utcnow())
        )
        await session.commit()
    assert_problem(await _refresh(client, me.refresh_token), 401, "invalid_refresh_token")


async def test_refresh_refuses_extra_fields(client: AsyncClient) -> None:
    me = await factories.account(client)
    response = await client.post(REFRESH, json={"refresh_token": me.refresh_token, "user_id": 1})
    assert_problem(response, 422, "validation_failed")
    # The token was not consumed by the refused request.
    assert (await _refresh(client, me.refresh_token)).status_code == 200


async def test_logout_revokes_the_session(client: AsyncClient) -> None:
    me = await factories.account(client)
    other = await factories.sign_in(client, me.email)
    response = await client.post(LOGOUT, json={"refresh_token": me.refresh_token})
    assert response.status_code == 204
    assert_problem(await client.get(ME, headers=me.headers), 401, "session_revoked")
    assert_problem(await _refresh(client, me.refresh_token), 401, "invalid_refresh_token")
    # Only that session: the same user's other sign-in goes on.
    assert (await client.get(ME, headers=bearer(other["access_token"]))).status_code == 200


async def test_logout_with_a_rotated_token_ends_the_current_session(client: AsyncClient) -> None:
    me = await factories.account(client)
    pair = await _rotate(client, me.refresh_token)
    assert (await client.post(LOGOUT, json={"refresh_token": me.refresh_token})).status_code == 204
    assert_problem(await client.get(ME, headers=bearer(pair["access_token"])), 401, "session_revoked")
    assert (await _refresh(client, pair["refresh_token"])).status_code == 401


async def test_logout_twice_or_with_garbage_is_204(client: AsyncClient) -> None:
    me = await factories.account(client)
    for token in (me.refresh_token, me.refresh_token, "garbage"):
        assert (await client.post(LOGOUT, json={"refresh_token": token})).status_code == 204


async def test_logout_is_audited(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    me = await factories.account(client)
    await client.post(LOGOUT, json={"refresh_token": me.refresh_token})
    root = await factories.admin(client, db)
    response = await client.get(
        "/api/v1/audit-events",
        params={"action": "auth.sign_out", "actor_user_id": me.id},
        headers=root.headers,
    )
    assert [e["entity_id"] for e in response.json()["items"]] == [str(me.id)]
