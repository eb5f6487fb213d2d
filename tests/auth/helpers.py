"""Shared checks for the authentication tests."""

from __future__ import annotations

from typing import Any

from httpx import Response

from tests import factories


def assert_problem(response: Response, status: int, code: str) -> dict[str, Any]:
    """The response is an RFC 9457 problem with `status` and the stable `code`."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["code"] == code, body
    assert {"type", "title", "detail", "instance"} <= body.keys()
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def sign_in_response(client: Any, email: str, password: str = factories.PASSWORD) -> Response:
    response: Response = await client.post(
        "/api/v1/auth/token", data={"username": email, "password": password}
    )
    return response
