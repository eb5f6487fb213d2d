"""Every error is application/problem+json with a stable code and no traceback, whatever its status."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy.exc import DBAPIError

from app.main import create_app
from tests import factories
from tests.conftest import BASE_URL, make_settings
from tests.core.problem_shape import assert_problem, error_locs

UNREACHABLE_DATABASE = "postgresql+asyncpg://postgres@127.0.0.1:1/unreachable"
SMALL_LIMIT = 2048


@pytest.fixture
async def small_app(database_url: str) -> AsyncIterator[FastAPI]:
    """An app with a 2 KiB body limit (its own engine, not the test transaction: nothing is written)."""
    application = create_app(make_settings(database_url, max_body_bytes=SMALL_LIMIT))
    yield application
    await application.state.engine.dispose()


def _sign_up_body(padding: int) -> bytes:
    return json.dumps(
        {
            "email": factories.unique_email("big"),
            "password": factories.PASSWORD,
            "display_name": "x" * padding,
        }
    ).encode()


async def test_unknown_route_is_404(client: AsyncClient) -> None:
    response = await client.get("/api/v1/no-such-thing")
    assert_problem(response, 404, "not_found")


async def test_unknown_id_is_404(client: AsyncClient) -> None:
    response = await client.get("/api/v1/organizations/987654321")
    body = assert_problem(response, 404, "not_found")
    assert "987654321" in body["detail"]


async def test_non_numeric_id_is_422(client: AsyncClient) -> None:
    response = await client.get("/api/v1/organizations/abc")
    body = assert_problem(response, 422, "validation_failed")
    assert ["path", "organization_id"] in error_locs(body)


async def test_wrong_method_is_405(client: AsyncClient) -> None:
    response = await client.delete("/api/v1/organizations")
    assert_problem(response, 405, "method_not_allowed")
    assert "GET" in response.headers.get("allow", "")


async def test_missing_credentials_is_401(client: AsyncClient) -> None:
    response = await client.get("/api/v1/users/me")
    assert_problem(response, 401)


async def test_duplicate_credit_code_is_409(client: AsyncClient) -> None:
    owner = await factories.account(client)
    first = await factories.organization(client, owner)
    response = await client.post(
        "/api/v1/organizations",
        json={
            "name": "重复信用代码的企业",
            "kind": "enterprise",
            "legal_person_type": "100",
            "credit_code": first["credit_code"],
            "region_id": first["region_id"],
        },
        headers=owner.headers,
    )
    assert_problem(response, 409, "credit_code_taken")


async def test_stale_if_match_is_412(client: AsyncClient) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    response = await client.patch(
        f"/api/v1/organizations/{org['id']}",
        json={"name": "新名称"},
        headers={**owner.headers, "If-Match": f'"organization-{org["id"]}-v99"'},
    )
    assert_problem(response, 412, "precondition_failed")


async def test_missing_if_match_is_428(client: AsyncClient) -> None:
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    response = await client.patch(
        f"/api/v1/organizations/{org['id']}", json={"name": "新名称"}, headers=owner.headers
    )
    assert_problem(response, 428, "precondition_required")


async def test_body_over_the_limit_by_content_length_is_413(small_app: FastAPI) -> None:
    payload = _sign_up_body(SMALL_LIMIT)
    assert len(payload) > SMALL_LIMIT
    async with AsyncClient(transport=ASGITransport(app=small_app), base_url=BASE_URL) as http:
        response = await http.post(
            "/api/v1/users", content=payload, headers={"Content-Type": "application/json"}
        )
    assert "content-length" in {name.lower() for name in response.request.headers}
    assert_problem(response, 413, "payload_too_large")


async def test_streamed_body_over_the_limit_without_content_length_is_413(small_app: FastAPI) -> None:
    payload = _sign_up_body(SMALL_LIMIT)

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(payload), 500):
            yield payload[start : start + 500]

    async with AsyncClient(transport=ASGITransport(app=small_app), base_url=BASE_URL) as http:
        response = await http.post(
            "/api/v1/users", content=chunks(), headers={"Content-Type": "application/json"}
        )
    assert "content-length" not in {name.lower() for name in response.request.headers}
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert_problem(response, 413, "payload_too_large")


async def test_streamed_body_under_the_limit_is_accepted(small_app: FastAPI) -> None:
    payload = b'{"email": "not-an-email"}'

    async def chunks() -> AsyncIterator[bytes]:
        yield payload[:10]
        yield payload[10:]

    async with AsyncClient(transport=ASGITransport(app=small_app), base_url=BASE_URL) as http:
        response = await http.post(
            "/api/v1/users", content=chunks(), headers={"Content-Type": "application/json"}
        )
    # Read in full and validated (not cut off as too large): the missing fields are reported.
    body = assert_problem(response, 422, "validation_failed")
    assert ["body", "password"] in error_locs(body)


async def test_validation_error_is_422_with_field_errors(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/users", json={"email": "not-an-email", "password": "Qz7-pw", "display_name": ""}
    )
    body = assert_problem(response, 422, "validation_failed")
    locs = error_locs(body)
    assert ["body", "email"] in locs
    assert ["body", "password"] in locs
    assert ["body", "display_name"] in locs
    assert "Qz7-pw" not in response.text  # the submitted password is never echoed


async def test_malformed_json_is_422_problem(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/users", content=b'{"email": ', headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 422, "validation_failed")


async def test_login_throttle_is_429(client: AsyncClient) -> None:
    user = await factories.account(client)
    for _ in range(5):
        response = await client.post(
            "/api/v1/auth/token", data={"username": user.email, "password": "wrong password!"}
        )
        assert_problem(response, 401)
    response = await client.post(
        "/api/v1/auth/token", data={"username": user.email, "password": "wrong password!"}
    )
    assert_problem(response, 429, "too_many_requests")
    assert int(response.headers["retry-after"]) >= 1
    # Throttled even with the right password until the window passes.
    response = await client.post(
        "/api/v1/auth/token", data={"username": user.email, "password": user.password}
    )
    assert_problem(response, 429, "too_many_requests")


async def test_unexpected_error_is_500_without_details(database_url: str) -> None:
    application = create_app(make_settings(database_url))
    secret_text = "kaboom-internal-detail password=hunter2"

    async def explode() -> None:
        raise RuntimeError(secret_text)

    application.add_api_route("/explode", explode, methods=["GET"])
    transport = ASGITransport(app=application, raise_app_exceptions=False)
    try:
        async with AsyncClient(transport=transport, base_url=BASE_URL) as http:
            response = await http.get("/explode")
    finally:
        await application.state.engine.dispose()
    assert_problem(response, 500, "internal_error")
    assert "kaboom" not in response.text
    assert "hunter2" not in response.text
    assert "RuntimeError" not in response.text


class _ServerError(Exception):
    """What a driver raises for a server error: the error's SQLSTATE rides on it."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__("server error")
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("sqlstate", "status", "code"),
    [
        ("53200", 503, "database_unavailable"),  # out of memory (or of locks: max_locks_per_transaction)
        ("53300", 503, "database_unavailable"),  # too many connections
        ("57P01", 503, "database_unavailable"),  # the server is shutting down
        ("42P01", 500, "internal_error"),  # a missing table is a bug, not an outage
    ],
)
async def test_a_database_that_cannot_serve_now_is_503(
    database_url: str, sqlstate: str, status: int, code: str
) -> None:
    application = create_app(make_settings(database_url))

    async def exhausted() -> None:
        raise DBAPIError("SELECT 1", None, _ServerError(sqlstate))

    application.add_api_route("/exhausted", exhausted, methods=["GET"])
    transport = ASGITransport(app=application, raise_app_exceptions=False)
    try:
        async with AsyncClient(transport=transport, base_url=BASE_URL) as http:
            response = await http.get("/exhausted")
    finally:
        await application.state.engine.dispose()
    assert_problem(response, status, code)
    assert ("retry-after" in response.headers) is (status == 503)


async def test_healthz(client: AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_when_the_database_answers(client: AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize(
    "database", [UNREACHABLE_DATABASE, "sqlite+aiosqlite:////nonexistent-dir/deeper/tt.db"]
)
async def test_readyz_is_503_when_the_database_is_unreachable(database: str) -> None:
    application = create_app(make_settings(database))
    try:
        async with AsyncClient(transport=ASGITransport(app=application), base_url=BASE_URL) as http:
            ready = await http.get("/readyz")
            alive = await http.get("/healthz")
    finally:
        await application.state.engine.dispose()
    assert_problem(ready, 503, "database_unavailable")
    assert alive.status_code == 200  # liveness does not depend on the database
