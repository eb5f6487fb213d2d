"""Authentication of a signed-in request costs one SQL statement (issue 12, item 8), whatever the
caller's roles, memberships and agency coverage."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.enums import PlatformRole
from tests import factories
from tests.demands import support as demands

IDENTITY_TABLES = re.compile(r"\b(users|refresh_tokens|role_grants|memberships|organizations|regions)\b")
LISTING_TABLE = re.compile(r"\bFROM demands\b")
SAVEPOINTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN", "COMMIT", "ROLLBACK")


@contextmanager
def statements(app: FastAPI) -> Iterator[list[str]]:
    """The SQL statements sent while the block runs (transaction control left out)."""
    sent: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(SAVEPOINTS):
            sent.append(statement)

    engine = app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _identity_statements(sent: list[str]) -> list[str]:
    """The statements that read who the caller is: users, sessions, roles, memberships, organizations
    and regions. The list's own statements are left out: the public page joins its listings'
    organizations and regions for their names (a signed-in list reads them only for rows it found,
    and a list filtered by an organization id that does not exist finds none)."""
    return [s for s in sent if IDENTITY_TABLES.search(s) and not LISTING_TABLE.search(s)]


async def _signed_in_list(
    app: FastAPI, client: AsyncClient, headers: dict[str, str], scope: str = "public"
) -> list[str]:
    params: dict[str, str | int] = {"scope": scope, "organization_id": 999_999}
    with statements(app) as sent:
        response = await client.get(demands.URL, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return _identity_statements(sent)


async def test_a_signed_in_request_is_authenticated_with_one_statement(
    app: FastAPI, client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    plain = await factories.account(client)
    agency_owner, _ = await demands.agency(client, db)
    district = await factories.role_holder(client, db, PlatformRole.DISTRICT_ADMIN, factories.HAIZHOU_CODE)
    await factories.organization(client, district)
    with statements(app) as anonymous:
        assert (await client.get(demands.URL, params={"organization_id": 999_999})).status_code == 200
    assert _identity_statements(anonymous) == []
    for who in (plain, agency_owner, district):
        for scope in ("public", "mine", "review"):
            assert len(await _signed_in_list(app, client, who.headers, scope)) == 1


async def test_an_api_key_is_authenticated_with_one_statement(app: FastAPI, client: AsyncClient) -> None:
    owner, organization = await demands.poster(client)
    created = await client.post(
        f"/api/v1/organizations/{organization['id']}/api-keys",
        json={"name": "对接系统", "scopes": ["read"]},
        headers=owner.headers,
    )
    assert created.status_code == 201, created.text
    headers = {"Authorization": f"Bearer {created.json()['key']}"}
    with statements(app) as sent:
        assert (
            await client.get(demands.URL, params={"organization_id": 999_999}, headers=headers)
        ).status_code == 200
    assert len([s for s in sent if "api_keys" in s]) == 1
