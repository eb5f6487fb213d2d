"""Access tokens: only well-formed, signed, unexpired tokens for a live session of an active user pass;
roles are read from the database on every request."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt
import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.config import Settings
from app.core.enums import PlatformRole
from app.models import RoleGrant, User
from tests import factories
from tests.auth.helpers import assert_problem, bearer
from tests.conftest import TEST_SECRET

ME = "/api/v1/users/me"


def _settings(app: FastAPI) -> Settings:
    settings: Settings = app.state.settings
    return settings


def _claims_of(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def _valid_claims(app: FastAPI, me: factories.Account) -> dict[str, Any]:
    """The claims of a genuine token of `me`, re-dated to now."""
    now = int(time.time())
    settings = _settings(app)
    claims = _claims_of(me.access_token)
    assert claims["iss"] == settings.jwt_issuer
    assert claims["aud"] == settings.jwt_audience
    return {**claims, "iat": now, "exp": now + 600}


def _forge(claims: dict[str, Any], key: str = TEST_SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


async def _me_with(client: AsyncClient, token: str) -> Any:
    return await client.get(ME, headers=bearer(token))


async def test_genuine_token_and_a_re_signed_copy_are_accepted(client: AsyncClient, app: FastAPI) -> None:
    # The control for every refusal below: forging with the real key and claims does work.
    me = await factories.account(client)
    assert (await _me_with(client, me.access_token)).status_code == 200
    response = await _me_with(client, _forge(_valid_claims(app, me)))
    assert response.status_code == 200
    assert response.json()["id"] == me.id


async def test_no_token_is_401(client: AsyncClient) -> None:
    assert_problem(await client.get(ME), 401, "not_authenticated")


async def test_garbage_token_is_401(client: AsyncClient) -> None:
    assert_problem(await _me_with(client, "not-a-jwt"), 401, "invalid_token")


async def test_alg_none_is_401(client: AsyncClient, app: FastAPI) -> None:
    me = await factories.account(client)
    token = jwt.encode(_valid_claims(app, me), key=None, algorithm="none")
    assert_problem(await _me_with(client, token), 401, "invalid_token")


async def test_alg_none_header_on_a_genuine_signature_is_401(client: AsyncClient) -> None:
    me = await factories.account(client)
    _header, payload, signature = me.access_token.split(".")
    none_header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    assert_problem(await _me_with(client, f"{none_header}.{payload}.{signature}"), 401, "invalid_token")
    assert_problem(await _me_with(client, f"{none_header}.{payload}."), 401, "invalid_token")


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
async def test_other_hmac_algorithm_is_401(client: AsyncClient, app: FastAPI) -> None:
    # Pinned to HS256: the right key under another algorithm is still refused.
    me = await factories.account(client)
    token = _forge(_valid_claims(app, me), algorithm="HS512")
    assert_problem(await _me_with(client, token), 401, "invalid_token")


async def test_wrong_signing_key_is_401(client: AsyncClient, app: FastAPI) -> None:
    me = await factories.account(client)
    token = _forge(_valid_claims(app, me), key="another-secret-" + "y" * 40)
    assert_problem(await _me_with(client, token), 401, "invalid_token")


async def test_expired_token_is_401(client: AsyncClient, app: FastAPI) -> None:
    me = await factories.account(client)
    now = int(time.time())
    claims = {**_valid_claims(app, me), "iat": now - 3600, "exp": now - 1800}
    assert_problem(await _me_with(client, _forge(claims)), 401, "invalid_token")


@pytest.mark.parametrize("claim", ["exp", "iss", "aud", "sub", "sid"])
async def test_missing_required_claim_is_401(client: AsyncClient, app: FastAPI, claim: str) -> None:
    me = await factories.account(client)
    claims = _valid_claims(app, me)
    del claims[claim]
    assert_problem(await _me_with(client, _forge(claims)), 401, "invalid_token")


@pytest.mark.parametrize(
    ("claim", "value"),
    [
        ("iss", "someone-else"),
        ("aud", "another-api"),
        ("aud", ["another-api"]),
        ("sub", "not-a-number"),
        ("exp", "tomorrow"),
    ],
)
async def test_wrong_claim_value_is_401(client: AsyncClient, app: FastAPI, claim: str, value: object) -> None:
    me = await factories.account(client)
    claims = {**_valid_claims(app, me), claim: value}
    assert_problem(await _me_with(client, _forge(claims)), 401, "invalid_token")


async def test_tampered_subject_with_old_signature_is_401(client: AsyncClient) -> None:
    me = await factories.account(client)
    other = await factories.account(client)
    header, _payload, signature = me.access_token.split(".")
    claims = _claims_of(me.access_token)
    claims["sub"] = str(other.id)
    tampered = f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"
    assert_problem(await _me_with(client, tampered), 401, "invalid_token")
    # The genuine token still works and is still the original user.
    response = await _me_with(client, me.access_token)
    assert response.status_code == 200
    assert response.json()["id"] == me.id


async def test_not_yet_valid_token_is_401(client: AsyncClient, app: FastAPI) -> None:
    me = await factories.account(client)
    claims = {**_valid_claims(app, me), "nbf": int(time.time()) + 600}
    assert_problem(await _me_with(client, _forge(claims)), 401, "invalid_token")


async def test_token_of_a_user_who_does_not_exist_is_401(client: AsyncClient, app: FastAPI) -> None:
    me = await factories.account(client)
    claims = {**_valid_claims(app, me), "sub": "987654321"}
    assert_problem(await _me_with(client, _forge(claims)), 401, "invalid_token")


async def test_unknown_session_id_is_401(client: AsyncClient, app: FastAPI) -> None:
    me = await factories.account(client)
    claims = {**_valid_claims(app, me), "sid": "00000000-0000-0000-0000-000000000000"}
    assert_problem(await _me_with(client, _forge(claims)), 401, "session_revoked")


async def test_revoked_role_is_403_on_the_next_request_with_the_same_token(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    me = await factories.account(client, "city")
    grant_id = await factories.grant(db, me.id, PlatformRole.CITY_ADMIN)
    assert (await client.get("/api/v1/users", headers=me.headers)).status_code == 200

    async with db() as session:
        await session.execute(
            update(RoleGrant).where(RoleGrant.id == grant_id).values(revoked_at=RoleGrant.granted_at)
        )
        await session.commit()

    assert_problem(await client.get("/api/v1/users", headers=me.headers), 403, "role_required")
    # The token itself is still good for what the user may do without the role.
    assert (await client.get(ME, headers=me.headers)).json()["roles"] == []


async def test_role_granted_in_database_works_with_an_old_token(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    me = await factories.account(client)
    assert_problem(await client.get("/api/v1/users", headers=me.headers), 403, "role_required")
    await factories.grant(db, me.id, PlatformRole.SYSTEM_ADMIN)
    assert (await client.get("/api/v1/users", headers=me.headers)).status_code == 200


async def test_deactivated_user_is_401(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    me = await factories.account(client)
    assert (await _me_with(client, me.access_token)).status_code == 200
    async with db() as session:
        await session.execute(update(User).where(User.id == me.id).values(is_active=False))
        await session.commit()
    assert_problem(await _me_with(client, me.access_token), 401, "invalid_token")
    # Nor can they get a new access token with their refresh token.
    refreshed = await client.post("/api/v1/auth/refresh", json={"refresh_token": me.refresh_token})
    assert_problem(refreshed, 401, "account_disabled")


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "claims",
    [{"sub": str(2**63)}, {"sub": str(2**53)}, {"sub": "0"}, {"sub": "-3"}, {"exp": 10**18}],
    ids=["sub-2^63", "sub-past-2^53", "sub-zero", "sub-negative", "exp-past-the-calendar"],
)
async def test_a_validly_signed_token_with_impossible_claims_is_401(
    client: AsyncClient, app: FastAPI, claims: dict[str, Any]
) -> None:
    """Signed with the real key, so only the claims' values can refuse it: 401, never a 500."""
    me = await factories.account(client)
    response = await _me_with(client, _forge(_valid_claims(app, me) | claims))
    assert_problem(response, 401, "invalid_token")
