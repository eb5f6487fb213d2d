"""The audit log: a row with before/after for each change, none for a failed request, append-only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.dependencies import PrincipalDep
from app.core.errors import Conflict
from app.db.dependencies import SessionDep
from app.main import create_app
from app.organizations import service as organizations
from app.organizations.dependencies import OrganizationDep
from app.organizations.schemas import OrganizationUpdate
from tests import factories
from tests.conftest import BASE_URL, make_settings
from tests.core.problem_shape import assert_problem

ORGS = "/api/v1/organizations"
EVENTS = "/api/v1/audit-events"


async def _events(client: AsyncClient, admin: factories.Account, **filters: object) -> dict[str, Any]:
    response = await client.get(EVENTS, params={k: str(v) for k, v in filters.items()}, headers=admin.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_registration_and_update_are_audited_with_before_and_after(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    admin = await factories.admin(client, db)
    owner = await factories.account(client)
    org = await factories.organization(client, owner, name="审计前的名称")
    path = f"{ORGS}/{org['id']}"
    etag = (await client.get(path)).headers["etag"]
    patched = await client.patch(
        path,
        json={"name": "审计后的名称", "contact_phone": "+8613900000000"},
        headers={**owner.headers, "If-Match": etag},
    )
    assert patched.status_code == 200, patched.text

    events = await _events(client, admin, entity_type="organization", entity_id=org["id"])
    items = events["items"]
    assert isinstance(items, list)
    assert [event["action"] for event in items] == ["organization.update", "organization.register"]
    update, register = items
    assert register["before"] is None
    assert register["after"]["name"] == "审计前的名称"
    assert register["after"]["is_verified"] is False
    assert update["actor_user_id"] == owner.id
    assert update["before"]["name"] == "审计前的名称"
    assert update["after"]["name"] == "审计后的名称"
    assert update["before"]["contact_phone"] == "13812345678"
    assert update["after"]["contact_phone"] == "13900000000"
    assert update["request_id"]


async def test_membership_decisions_are_audited(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    admin = await factories.admin(client, db)
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    _, membership = await factories.member(client, owner, org["id"])
    events = await _events(client, admin, entity_type="membership", entity_id=membership["id"])
    items = events["items"]
    assert isinstance(items, list)
    assert [event["action"] for event in items] == ["membership.accept", "membership.invite"]
    assert items[0]["before"]["status"] == "invited"
    assert items[0]["after"]["status"] == "active"


async def test_audit_log_is_for_administrators_only(client: AsyncClient) -> None:
    owner = await factories.account(client)
    await factories.organization(client, owner)
    assert_problem(await client.get(EVENTS, headers=owner.headers), 403)
    assert_problem(await client.get(EVENTS), 401)


async def test_a_conflicting_registration_leaves_no_audit_row(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    admin = await factories.admin(client, db)
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    other = await factories.account(client)
    before = await _events(client, admin)

    response = await client.post(
        ORGS,
        json={
            "name": "抢注的企业",
            "kind": "enterprise",
            "legal_person_type": "100",
            "credit_code": org["credit_code"],
            "region_id": org["region_id"],
        },
        headers=other.headers,
    )
    assert_problem(response, 409, "credit_code_taken")
    after = await _events(client, admin)
    assert after["total"] == before["total"]
    refused = await _events(client, admin, actor_user_id=other.id, action="organization.register")
    assert refused["total"] == 0
    assert (await client.get("/api/v1/memberships", headers=other.headers)).json()["total"] == 0


async def test_a_refused_patch_leaves_no_audit_row(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    admin = await factories.admin(client, db)
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    path = f"{ORGS}/{org['id']}"
    etag = (await client.get(path)).headers["etag"]
    for body, headers in (
        ({"name": "x", "is_verified": True}, {"If-Match": etag}),  # 422
        ({"name": "x"}, {"If-Match": '"organization-0-v0"'}),  # 412
        ({"name": "x"}, {}),  # 428
    ):
        response = await client.patch(path, json=body, headers={**owner.headers, **headers})
        assert not response.is_success
    events = await _events(client, admin, entity_type="organization", entity_id=org["id"])
    assert [event["action"] for event in events["items"]] == ["organization.register"]


@pytest.fixture
async def failing_app(database_url: str, db: async_sessionmaker[AsyncSession]) -> AsyncIterator[FastAPI]:
    """The real app plus routes that make a real, audited change and then fail (bound to this test's
    transaction, like `client`)."""
    application = create_app(make_settings(database_url))
    application.state.sessionmaker = db

    async def update_then_conflict(
        organization: OrganizationDep, session: SessionDep, principal: PrincipalDep
    ) -> None:
        await organizations.update(
            session, principal, organization, OrganizationUpdate(name="不该留下的名称")
        )
        raise Conflict("refused after the change was flushed", code="late_conflict")

    async def update_then_crash(
        organization: OrganizationDep, session: SessionDep, principal: PrincipalDep
    ) -> None:
        await organizations.update(
            session, principal, organization, OrganizationUpdate(name="不该留下的名称")
        )
        raise RuntimeError("crash after the change was flushed")

    application.add_api_route("/test/{organization_id}/conflict", update_then_conflict, methods=["POST"])
    application.add_api_route("/test/{organization_id}/crash", update_then_crash, methods=["POST"])
    yield application
    await application.state.engine.dispose()


@pytest.mark.parametrize(("route", "status"), [("conflict", 409), ("crash", 500)])
async def test_a_request_failing_after_its_flush_leaves_no_change_and_no_audit_row(
    client: AsyncClient,
    db: async_sessionmaker[AsyncSession],
    failing_app: FastAPI,
    route: str,
    status: int,
) -> None:
    admin = await factories.admin(client, db)
    owner = await factories.account(client)
    org = await factories.organization(client, owner, name="原来的名称")
    transport = ASGITransport(app=failing_app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url=BASE_URL) as failing:
        response = await failing.post(f"/test/{org['id']}/{route}", headers=owner.headers)
    assert_problem(response, status)

    after = (await client.get(f"{ORGS}/{org['id']}")).json()
    assert after["name"] == "原来的名称"
    events = await _events(client, admin, entity_type="organization", entity_id=org["id"])
    assert [event["action"] for event in events["items"]] == ["organization.register"]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET action = 'tampered' WHERE id = :id",
        "UPDATE audit_events SET after = NULL WHERE id = :id",
        "DELETE FROM audit_events WHERE id = :id",
    ],
)
async def test_the_database_refuses_to_change_audit_rows(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], statement: str
) -> None:
    admin = await factories.admin(client, db)
    owner = await factories.account(client)
    org = await factories.organization(client, owner)
    [event] = (await _events(client, admin, entity_type="organization", entity_id=org["id"]))["items"]

    async with db() as session:
        with pytest.raises(DBAPIError) as refused:
            async with session.begin_nested():
                await session.execute(text(statement), {"id": event["id"]})
        assert "append-only" in str(refused.value)
        assert await session.scalar(
            text("SELECT action FROM audit_events WHERE id = :id"), {"id": event["id"]}
        ) == ("organization.register")
    again = await _events(client, admin, entity_type="organization", entity_id=org["id"])
    assert again["items"] == [event]
