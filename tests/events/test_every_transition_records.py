"""Every state change goes through `app.events.transitions.transition` and records exactly one audit
event and one event row of its action, in the request's transaction.

Each step below is one HTTP request that makes one transition; `one_change` counts the rows of its
action in both logs around it. A structural test keeps new code from going around the helper.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from httpx import AsyncClient, Response
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.enums import PlatformRole
from app.models import AuditEvent, Event
from tests import factories
from tests.achievements import support as achievements
from tests.demands import support as demands
from tests.packages import support as packages

Db = async_sessionmaker[AsyncSession]
APP = Path(__file__).resolve().parents[2] / "app"


async def _counts(db: Db, action: str) -> tuple[int, int, int, int]:
    async with db() as session:
        audit = await session.scalar(select(func.count()).where(AuditEvent.action == action))
        events = await session.scalar(select(func.count()).where(Event.type == action))
        all_audit = await session.scalar(select(func.count()).select_from(AuditEvent))
        all_events = await session.scalar(select(func.count()).select_from(Event))
    return int(audit or 0), int(events or 0), int(all_audit or 0), int(all_events or 0)


@asynccontextmanager
async def one_change(db: Db, action: str) -> AsyncIterator[None]:
    """The block records `action` exactly once in each log, and both logs grow together."""
    audit, events, all_audit, all_events = await _counts(db, action)
    yield
    audit_after, events_after, all_audit_after, all_events_after = await _counts(db, action)
    assert (audit_after - audit, events_after - events) == (1, 1), action
    assert all_audit_after - all_audit == all_events_after - all_events, action


async def step(db: Db, action: str, request: Awaitable[Response], status: int = 200) -> Any:
    """Send `request` (a coroutine does nothing until awaited, so it runs inside the count)."""
    async with one_change(db, action):
        response = await request
        assert response.status_code == status, response.text
    return response.json() if response.content else None


async def test_demand_lifecycle_transitions(client: AsyncClient, db: Db) -> None:
    owner, organization = await demands.poster(client)
    reviewer = await factories.role_holder(client, db, PlatformRole.DISTRICT_ADMIN, factories.HAIZHOU_CODE)
    demand = await demands.create(client, owner, organization["id"])
    act = demands.act
    await step(db, "demand.submit", act(client, owner, demand["id"], "submit"))
    await step(db, "demand.return", act(client, reviewer, demand["id"], "return", "请补充预算说明"))
    await step(db, "demand.submit", act(client, owner, demand["id"], "submit"))
    await step(db, "demand.withdraw", act(client, owner, demand["id"], "withdraw"))
    await step(db, "demand.submit", act(client, owner, demand["id"], "submit"))
    await step(db, "demand.publish", act(client, reviewer, demand["id"], "publish"))
    await step(db, "demand.close", act(client, owner, demand["id"], "close"))
    other = await demands.submitted(client, owner, organization["id"])
    await step(db, "demand.reject", act(client, reviewer, other["id"], "reject", "不属于技术需求"))


async def test_revision_and_access_transitions(client: AsyncClient, db: Db) -> None:
    owner, organization = await achievements.owner_of(client)
    reviewer = await factories.role_holder(client, db, PlatformRole.DISTRICT_ADMIN, factories.HAIZHOU_CODE)
    published = await achievements.published(client, reviewer, owner, organization["id"])
    url = f"{achievements.URL}/{published['id']}"

    async def propose(title: str) -> Response:
        etag = (await client.get(url, headers=owner.headers)).headers["ETag"]
        return await client.post(
            f"{url}/revisions", json={"title": title}, headers={**owner.headers, "If-Match": etag}
        )

    def on_revision(revision: dict[str, Any], action: str, **body: str) -> Awaitable[Response]:
        return client.post(
            f"{url}/revisions/{revision['id']}/{action}", json=body or None, headers=reviewer.headers
        )

    first = await step(db, "achievement.revision_submit", propose("硅碳负极材料制备技术（修订）"), 201)
    await step(db, "achievement.revision_return", on_revision(first, "return", reason="请补充依据"))
    second = await step(db, "achievement.revision_submit", propose("硅碳负极材料制备技术（二）"), 201)
    await step(db, "achievement.revision_reject", on_revision(second, "reject", reason="与原成果不符"))
    third = await step(db, "achievement.revision_submit", propose("硅碳负极材料制备技术（三）"), 201)
    await step(db, "achievement.revision_publish", on_revision(third, "publish"))
    fourth = await step(db, "achievement.revision_submit", propose("硅碳负极材料制备技术（四）"), 201)
    withdraw = client.post(f"{url}/revisions/{fourth['id']}/withdraw", headers=owner.headers)
    await step(db, "achievement.revision_withdraw", withdraw)

    buyer = await factories.account(client, "buyer")
    company = await factories.organization(client, buyer)
    body = {"organization_id": company["id"], "purpose": "评估技术可行性", "accept_nda": True}

    def ask() -> Awaitable[Response]:
        return client.post(f"{url}/access-requests", json=body, headers=buyer.headers)

    def decide(request: dict[str, Any], action: str) -> Awaitable[Response]:
        return client.post(f"{url}/access-requests/{request['id']}/{action}", headers=owner.headers)

    request = await step(db, "achievement.access_request", ask(), 201)
    await step(db, "achievement.access_grant", decide(request, "grant"))
    await step(db, "achievement.access_revoke", decide(request, "revoke"))
    again = await step(db, "achievement.access_request", ask(), 201)
    await step(db, "achievement.access_deny", decide(again, "deny"))


async def test_package_transitions(client: AsyncClient, db: Db) -> None:
    curator = await packages.curator(client, db)
    first, second = await packages.published_achievements(client, db, 2)
    package = await packages.created(client, curator)
    pid = package["id"]
    add = packages.add(client, curator, pid, 1, first["id"])
    await step(db, "package.member_add", add)
    await step(db, "package.version_publish", packages.publish(client, curator, pid, 1))
    next_version = client.post(f"{packages.URL}/{pid}/versions", headers=curator.headers)
    await step(db, "package.version_create", next_version, 201)
    summary = packages.edit(client, curator, "PATCH", pid, 2, body={"summary": "第二批"})
    await step(db, "package.version_update", summary)
    await step(db, "package.member_add", packages.add(client, curator, pid, 2, second["id"]))
    remove = packages.edit(client, curator, "DELETE", pid, 2, f"/members/{first['id']}")
    await step(db, "package.member_remove", remove, 200)


async def test_identity_transitions(client: AsyncClient, db: Db) -> None:
    owner = await factories.account(client, "owner")
    organization = await factories.organization(client, owner)
    oid = organization["id"]
    orgs = "/api/v1/organizations"

    invitee = await factories.account(client, "invitee")
    invite = client.post(f"{orgs}/{oid}/invitations", json={"email": invitee.email}, headers=owner.headers)
    invited = await step(db, "membership.invite", invite, 201)
    accept = client.post(f"/api/v1/memberships/{invited['id']}/accept", headers=invitee.headers)
    await step(db, "membership.accept", accept)
    leave = client.delete(f"/api/v1/memberships/{invited['id']}", headers=invitee.headers)
    await step(db, "membership.remove", leave, 204)

    etag = (await client.get(f"{orgs}/{oid}", headers=owner.headers)).headers["ETag"]
    rename = client.patch(
        f"{orgs}/{oid}", json={"description": "新的简介"}, headers={**owner.headers, "If-Match": etag}
    )
    await step(db, "organization.update", rename)
    city_admin = await factories.role_holder(client, db, PlatformRole.CITY_ADMIN)

    def verify(flag: bool) -> Awaitable[Response]:
        url = f"{orgs}/{oid}/verification"
        return client.put(url, json={"is_verified": flag}, headers=city_admin.headers)

    await step(db, "organization.verify", verify(True))
    await step(db, "organization.unverify", verify(False))

    key = await client.post(f"{orgs}/{oid}/api-keys", json={"name": "ERP"}, headers=owner.headers)
    revoke_key = client.delete(f"{orgs}/{oid}/api-keys/{key.json()['id']}", headers=owner.headers)
    await step(db, "api_key.revoke", revoke_key, 204)

    person = await factories.account(client, "person")

    def status(flag: bool) -> Awaitable[Response]:
        url = f"/api/v1/users/{person.id}/status"
        return client.put(url, json={"is_active": flag}, headers=city_admin.headers)

    await step(db, "user.deactivate", status(False))
    await step(db, "user.activate", status(True))
    grant_id = await factories.grant(db, person.id, PlatformRole.BROKER)
    revoke_role = client.delete(f"/api/v1/users/{person.id}/roles/{grant_id}", headers=city_admin.headers)
    await step(db, "role.revoke", revoke_role, 204)

    refresh = client.post("/api/v1/auth/refresh", json={"refresh_token": owner.refresh_token})
    await step(db, "auth.refresh", refresh)


def test_nothing_goes_around_the_helper() -> None:
    """Only the transition helper runs compare-and-set, and only the recorder writes either log."""
    offenders = []
    for path in APP.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        relative = path.relative_to(APP).as_posix()
        if "compare_and_set(" in text and relative not in {"events/transitions.py", "db/repository.py"}:
            offenders.append(f"{relative}: compare_and_set")
        if re.search(
            r"insert\((AuditEvent|Event)\)|(?<![\w.])(AuditEvent|Event)\(", text
        ) and not relative.startswith(("events/recording.py", "models/")):
            offenders.append(f"{relative}: writes a log directly")
    assert offenders == []
