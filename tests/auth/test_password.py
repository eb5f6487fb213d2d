"""Changing one's password: the current one is checked, and every session is signed out."""

from __future__ import annotations

from httpx import AsyncClient

from tests import factories
from tests.auth.helpers import assert_problem, bearer, sign_in_response

CHANGE = "/api/v1/users/me/password"
NEW_PASSWORD = "a brand new passphrase"


async def test_wrong_current_password_is_403_and_changes_nothing(client: AsyncClient) -> None:
    me = await factories.account(client)
    response = await client.post(
        CHANGE,
        json={"current_password": "not my password", "new_password": NEW_PASSWORD},
        headers=me.headers,
    )
    assert_problem(response, 403, "wrong_password")
    assert (await client.get("/api/v1/users/me", headers=me.headers)).status_code == 200
    assert (await sign_in_response(client, me.email, NEW_PASSWORD)).status_code == 401
    assert (await sign_in_response(client, me.email, me.password)).status_code == 200


async def test_success_signs_out_every_session(client: AsyncClient) -> None:
    me = await factories.account(client)
    other = await factories.sign_in(client, me.email)
    response = await client.post(
        CHANGE, json={"current_password": me.password, "new_password": NEW_PASSWORD}, headers=me.headers
    )
    assert response.status_code == 204

    for access_token, refresh_token in (
        (me.access_token, me.refresh_token),
        (other["access_token"], other["refresh_token"]),
    ):
        assert_problem(
            await client.get("/api/v1/users/me", headers=bearer(access_token)), 401, "session_revoked"
        )
        refreshed = await client.post("/api/v1/auth/refresh", json={"refresh_token": refresh_token})
        assert_problem(refreshed, 401, "invalid_refresh_token")

    assert_problem(await sign_in_response(client, me.email, me.password), 401, "invalid_credentials")
    assert (await sign_in_response(client, me.email, NEW_PASSWORD)).status_code == 200


async def test_weak_new_password_is_422(client: AsyncClient) -> None:
    me = await factories.account(client)
    response = await client.post(
        CHANGE, json={"current_password": me.password, "new_password": "short"}, headers=me.headers
    )
    body = assert_problem(response, 422, "validation_failed")
    assert any(error["loc"][-1] == "new_password" for error in body["errors"])
    assert (await client.get("/api/v1/users/me", headers=me.headers)).status_code == 200


async def test_change_password_needs_sign_in(client: AsyncClient) -> None:
    response = await client.post(CHANGE, json={"current_password": "x" * 10, "new_password": NEW_PASSWORD})
    assert_problem(response, 401, "not_authenticated")


async def test_guessing_the_current_password_is_throttled_like_sign_in(client: AsyncClient) -> None:
    me = await factories.account(client)
    guess = {"current_password": "not my password", "new_password": NEW_PASSWORD}
    for _ in range(5):
        assert_problem(await client.post(CHANGE, json=guess, headers=me.headers), 403, "wrong_password")
    right = {"current_password": me.password, "new_password": NEW_PASSWORD}
    throttled = await client.post(CHANGE, json=right, headers=me.headers)
    assert_problem(throttled, 429, "too_many_requests")
    assert int(throttled.headers["Retry-After"]) > 0
    # The account's sign-in shares the counter: the same guesses count against both.
    assert (await sign_in_response(client, me.email, me.password)).status_code == 429
