"""Password sign-in: tokens on success, one indistinguishable answer on failure, throttling."""

from __future__ import annotations

import threading
from typing import Any

import jwt
import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.config import Settings
from app.models import User
from tests import factories
from tests.auth.helpers import assert_problem, bearer, sign_in_response
from tests.conftest import TEST_SECRET

WRONG = "wrong password 123"


def _settings(app: FastAPI) -> Settings:
    settings: Settings = app.state.settings
    return settings


async def test_success_returns_access_and_refresh_tokens(client: AsyncClient, app: FastAPI) -> None:
    settings = _settings(app)
    email = factories.unique_email()
    user = await factories.sign_up(client, email)
    response = await sign_in_response(client, email)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == settings.access_token_minutes * 60
    assert body["refresh_expires_in"] == settings.refresh_token_days * 86400
    assert body["refresh_token"]
    assert body["refresh_token"] != body["access_token"]
    claims = jwt.decode(
        body["access_token"],
        TEST_SECRET,
        algorithms=["HS256"],
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
    )
    assert claims["sub"] == str(user["id"])
    assert claims["exp"] - claims["iat"] == settings.access_token_minutes * 60
    me = await client.get("/api/v1/users/me", headers=bearer(body["access_token"]))
    assert me.json()["id"] == user["id"]
    assert me.json()["last_login_at"] is not None


async def test_e_mail_is_case_insensitive(client: AsyncClient) -> None:
    email = factories.unique_email("Mixed")
    await factories.sign_up(client, email)
    assert (await sign_in_response(client, email.upper())).status_code == 200


async def test_unknown_user_and_wrong_password_get_identical_answers(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    me = await factories.account(client)
    unknown = await sign_in_response(client, factories.unique_email("nobody"), WRONG)
    wrong = await sign_in_response(client, me.email, WRONG)
    inactive = await factories.account(client)
    async with db() as session:
        await session.execute(update(User).where(User.id == inactive.id).values(is_active=False))
        await session.commit()
    disabled = await sign_in_response(client, inactive.email, inactive.password)

    assert_problem(unknown, 401, "invalid_credentials")
    for response in (wrong, disabled):
        assert response.status_code == unknown.status_code
        assert response.content == unknown.content
        assert response.headers["content-type"] == unknown.headers["content-type"]
        assert response.headers.get("www-authenticate") == unknown.headers.get("www-authenticate")


@pytest.fixture
def argon2_verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every argon2 verification and the thread it ran on."""
    calls: list[str] = []
    original = Argon2Hasher.verify

    def spy(self: Argon2Hasher, password: Any, hash: Any) -> bool:
        calls.append(threading.current_thread().name)
        return original(self, password, hash)

    monkeypatch.setattr(Argon2Hasher, "verify", spy)
    return calls


async def test_unknown_user_and_wrong_password_cost_one_argon2_verification_each(
    client: AsyncClient, argon2_verifications: list[str]
) -> None:
    me = await factories.account(client)
    event_loop_thread = threading.current_thread().name
    cases = [
        (factories.unique_email("nobody"), WRONG, 401),
        (me.email, WRONG, 401),
        (me.email, me.password, 200),
    ]
    for email, password, status in cases:
        argon2_verifications.clear()
        response = await sign_in_response(client, email, password)
        assert response.status_code == status
        assert len(argon2_verifications) == 1, (email, argon2_verifications)
        # Hashing is CPU-heavy; it must not run on the event loop's thread.
        assert argon2_verifications[0] != event_loop_thread


async def test_malformed_form_is_422(client: AsyncClient) -> None:
    response = await client.post("/api/v1/auth/token", data={"username": "someone@example.com"})
    body = assert_problem(response, 422, "validation_failed")
    assert any(error["loc"][-1] == "password" for error in body["errors"])


async def test_account_throttled_after_configured_failures_even_with_correct_password(
    client: AsyncClient, app: FastAPI
) -> None:
    settings = _settings(app)
    me = await factories.account(client)
    for _ in range(settings.login_max_failures_per_account):
        assert_problem(await sign_in_response(client, me.email, WRONG), 401, "invalid_credentials")

    for password in (WRONG, me.password):
        response = await sign_in_response(client, me.email, password)
        assert_problem(response, 429, "too_many_requests")
        retry_after = int(response.headers["Retry-After"])
        assert 1 <= retry_after <= settings.login_window_seconds + 1


async def test_account_throttle_ignores_e_mail_case(client: AsyncClient, app: FastAPI) -> None:
    me = await factories.account(client)
    for attempt in range(_settings(app).login_max_failures_per_account):
        email = me.email.upper() if attempt % 2 else me.email
        assert (await sign_in_response(client, email, WRONG)).status_code == 401
    assert_problem(await sign_in_response(client, me.email, me.password), 429, "too_many_requests")


async def test_account_throttle_does_not_touch_other_accounts(client: AsyncClient, app: FastAPI) -> None:
    victim = await factories.account(client)
    bystander = await factories.account(client)
    for _ in range(_settings(app).login_max_failures_per_account):
        await sign_in_response(client, victim.email, WRONG)
    assert (await sign_in_response(client, victim.email)).status_code == 429
    assert (await sign_in_response(client, bystander.email)).status_code == 200


async def test_successful_sign_in_resets_the_account_counter(client: AsyncClient, app: FastAPI) -> None:
    limit = _settings(app).login_max_failures_per_account
    me = await factories.account(client)
    for _ in range(limit - 1):
        assert (await sign_in_response(client, me.email, WRONG)).status_code == 401
    assert (await sign_in_response(client, me.email)).status_code == 200
    # Without the reset these would add up to more than the limit and the sign-in would be refused.
    for _ in range(limit - 1):
        assert (await sign_in_response(client, me.email, WRONG)).status_code == 401
    assert (await sign_in_response(client, me.email)).status_code == 200


async def test_address_throttled_after_configured_failures(client: AsyncClient, app: FastAPI) -> None:
    settings = _settings(app)
    assert settings.login_max_failures_per_address > settings.login_max_failures_per_account
    me = await factories.account(client)
    # Distinct unknown accounts, so only the per-address counter can reach its limit.
    for _ in range(settings.login_max_failures_per_address):
        response = await sign_in_response(client, factories.unique_email("spray"), WRONG)
        assert response.status_code == 401
    response = await sign_in_response(client, me.email, me.password)
    assert_problem(response, 429, "too_many_requests")
    assert int(response.headers["Retry-After"]) >= 1


async def test_address_counter_survives_a_successful_sign_in(client: AsyncClient, app: FastAPI) -> None:
    # A spraying client cannot clear its address counter by signing in to its own account now and then.
    settings = _settings(app)
    me = await factories.account(client)
    for attempt in range(settings.login_max_failures_per_address):
        await sign_in_response(client, factories.unique_email("spray"), WRONG)
        if attempt == settings.login_max_failures_per_address // 2:
            assert (await sign_in_response(client, me.email)).status_code == 200
    assert (await sign_in_response(client, me.email)).status_code == 429


async def test_sign_in_is_audited(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    me = await factories.account(client)
    root = await factories.admin(client, db)
    response = await client.get(
        "/api/v1/audit-events",
        params={"action": "auth.sign_in", "actor_user_id": me.id},
        headers=root.headers,
    )
    assert response.status_code == 200
    events = response.json()["items"]
    assert len(events) == 1
    assert events[0]["entity_type"] == "user"
    assert events[0]["entity_id"] == str(me.id)


@pytest.mark.parametrize(
    "username",
    ["a" * 400 + "@example.com", "nul\x00byte@example.com", " " * 10],
    ids=["overlong", "nul", "blank"],
)
async def test_impossible_user_name_is_an_ordinary_failure(
    client: AsyncClient, app: FastAPI, username: str
) -> None:
    # No account can have such a name: the same 401 as any unknown user (not a database error),
    # and still counted, so it is throttled like any other name.
    unknown = await sign_in_response(client, factories.unique_email("nobody"), WRONG)
    for _ in range(_settings(app).login_max_failures_per_account):
        response = await sign_in_response(client, username, WRONG)
        assert response.status_code == 401
        assert response.content == unknown.content
    assert_problem(await sign_in_response(client, username, WRONG), 429, "too_many_requests")


async def test_failed_sign_ins_are_audited_though_the_request_fails(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    person = await factories.account(client, "audited")
    wrong = await client.post("/api/v1/auth/token", data={"username": person.email, "password": "not it"})
    assert wrong.status_code == 401
    stranger = "nobody-here@example.com"
    unknown = await client.post("/api/v1/auth/token", data={"username": stranger, "password": "whatever"})
    assert unknown.status_code == 401
    admin = await factories.admin(client, db)
    failures = [
        event
        for event in await factories.audit_events(client, admin, "user", person.id)
        if event["action"] == "auth.sign_in_failed"
    ]
    assert [event["after"] for event in failures] == [{"email": person.email, "reason": "wrong_password"}]
    assert "not it" not in str(failures)  # the password is never kept
    unknowns = await factories.audit_events(client, admin, "user", "unknown")
    assert {"email": stranger, "reason": "unknown_account"} in [event["after"] for event in unknowns]
