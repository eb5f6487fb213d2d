"""Sign-up and profile input: what is refused is a 422 (or 409), never a server error, and stores nothing."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from tests import factories
from tests.auth.helpers import assert_problem, sign_in_response

ME = "/api/v1/users/me"


async def test_sign_up_answers_without_secrets(client: AsyncClient) -> None:
    email = factories.unique_email()
    user = await factories.sign_up(client, email)
    assert user["email"] == email
    assert user["is_active"] is True
    assert not {"password", "password_hash"} & user.keys()
    assert factories.PASSWORD not in str(user)


async def test_e_mail_taken_whatever_its_case(client: AsyncClient) -> None:
    email = factories.unique_email("Case")
    await factories.sign_up(client, email)
    response = await client.post(
        "/api/v1/users",
        json={"email": email.upper(), "password": "another password 1", "display_name": "李四"},
    )
    assert_problem(response, 409, "email_taken")
    # The first account keeps its password.
    assert (await sign_in_response(client, email)).status_code == 200
    assert (await sign_in_response(client, email, "another password 1")).status_code == 401


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "nul\x00byte@example.com"), ("display_name", "张\x00三"), ("phone", "1381234\x005678")],
)
async def test_sign_up_refuses_nul_characters(client: AsyncClient, field: str, value: str) -> None:
    # PostgreSQL cannot store U+0000 in text; it must be a 422, not a server error.
    email = factories.unique_email("nul")
    body: dict[str, Any] = {
        "email": email,
        "password": factories.PASSWORD,
        "display_name": "张三",
        field: value,
    }
    problem = assert_problem(await client.post("/api/v1/users", json=body), 422, "validation_failed")
    assert [error["loc"] for error in problem["errors"]] == [["body", field]]
    assert (await sign_in_response(client, email)).status_code == 401


async def test_profile_edit_refuses_nul_characters(client: AsyncClient) -> None:
    me = await factories.account(client)
    before = await client.get(ME, headers=me.headers)
    response = await client.patch(
        ME,
        json={"display_name": "张\x00三"},
        headers={**me.headers, "If-Match": before.headers["ETag"]},
    )
    assert_problem(response, 422, "validation_failed")
    assert (await client.get(ME, headers=me.headers)).json() == before.json()
