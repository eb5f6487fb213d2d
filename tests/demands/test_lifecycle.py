"""The demand lifecycle: every legal transition, the illegal ones refused with nothing changed, audit
events for each step, and compare-and-set status changes."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.auth.principal import Principal
from app.core.enums import ListingStatus, MembershipRole
from app.core.errors import Conflict
from app.db import repository
from app.events.recording import AuditActor
from app.listings import lifecycle
from app.listings.state import ListingAction
from app.models import Demand
from tests import factories
from tests.demands import support
from tests.demands.support import act, problem_code, read


async def test_submit_publish_close(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    owner, organization = await support.poster(client)
    reviewer = await factories.admin(client, db)
    demand = await support.create(client, owner, organization["id"])
    assert demand["submitted_at"] is None
    assert demand["revision"] == 0

    submitted = await act(client, owner, demand["id"], "submit")
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["submitted_at"] is not None

    published = await act(client, reviewer, demand["id"], "publish")
    assert published.status_code == 200, published.text
    assert published.json()["status"] == published.json()["effective_status"] == "published"
    assert published.json()["published_at"] is not None
    assert published.json()["revision"] == 1
    assert (await support.stored(db, demand["id"])).reviewed_by_id == reviewer.id

    closed = await act(client, owner, demand["id"], "close")
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed"
    assert closed.json()["closed_at"] is not None
    # A closed demand can still be read by anyone, but is no longer listed.
    assert (await read(client, None, demand["id"])).status_code == 200
    assert demand["id"] not in support.ids(await support.listed(client))


async def test_withdraw_returns_a_submitted_demand_to_draft(client: AsyncClient) -> None:
    owner, organization = await support.poster(client)
    demand = await support.submitted(client, owner, organization["id"])
    withdrawn = await act(client, owner, demand["id"], "withdraw")
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["status"] == "draft"
    assert (await read(client, None, demand["id"])).status_code == 404


async def test_reject_is_final_and_keeps_the_reason(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.poster(client)
    reviewer = await factories.admin(client, db)
    demand = await support.submitted(client, owner, organization["id"])
    rejected = await act(client, reviewer, demand["id"], "reject", reason="不属于技术需求")
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["review_reason"] == "不属于技术需求"
    for action in ("submit", "withdraw", "close"):
        refused = await act(client, owner, demand["id"], action)
        assert refused.status_code == 409, (action, refused.text)
        assert problem_code(refused) == "invalid_transition"
    current = await read(client, owner, demand["id"])
    assert current.json()["status"] == "rejected"
    etag = current.headers["ETag"]
    edit = await client.patch(
        f"{support.URL}/{demand['id']}",
        json={"title": "改个标题"},
        headers={**owner.headers, "If-Match": etag},
    )
    assert edit.status_code == 409
    assert problem_code(edit) == "not_editable"


async def test_returned_demand_keeps_its_reason_is_edited_and_resubmitted(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.poster(client)
    reviewer = await factories.admin(client, db)
    demand = await support.submitted(client, owner, organization["id"])

    returned = await act(client, reviewer, demand["id"], "return", reason="请补充技术指标")
    assert returned.status_code == 200, returned.text
    assert returned.json()["status"] == "returned"
    assert returned.json()["review_reason"] == "请补充技术指标"

    current = await read(client, owner, demand["id"])
    assert current.json()["review_reason"] == "请补充技术指标"
    edited = await client.patch(
        f"{support.URL}/{demand['id']}",
        json={"description": "需要硅碳负极材料的制备工艺，首次效率不低于百分之九十，循环一千次。"},
        headers={**owner.headers, "If-Match": current.headers["ETag"]},
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["status"] == "returned"
    assert edited.json()["review_reason"] == "请补充技术指标"

    resubmitted = await act(client, owner, demand["id"], "submit")
    assert resubmitted.status_code == 200, resubmitted.text
    assert resubmitted.json()["status"] == "submitted"
    published = await act(client, reviewer, demand["id"], "publish")
    assert published.status_code == 200, published.text
    assert published.json()["description"].startswith("需要硅碳负极材料")


@pytest.mark.parametrize(
    ("start", "actor", "action"),
    [
        ("draft", "reviewer", "publish"),
        ("draft", "reviewer", "return"),
        ("draft", "owner", "close"),
        ("draft", "owner", "withdraw"),
        ("submitted", "owner", "submit"),
        ("submitted", "owner", "close"),
        ("published", "owner", "submit"),
        ("published", "owner", "withdraw"),
        ("published", "reviewer", "publish"),
        ("published", "reviewer", "reject"),
        ("closed", "owner", "close"),
        ("closed", "owner", "submit"),
        ("closed", "reviewer", "publish"),
    ],
)
async def test_illegal_transitions_are_409_and_change_nothing(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], start: str, actor: str, action: str
) -> None:
    owner, organization = await support.poster(client)
    reviewer = await factories.admin(client, db)
    demand = await _demand_in(client, reviewer, owner, organization["id"], start)
    before = support.snapshot(await support.stored(db, demand["id"]))
    events_before = await _audit_actions(client, reviewer, demand["id"])

    who = owner if actor == "owner" else reviewer
    refused = await act(
        client, who, demand["id"], action, reason="理由" if action in ("return", "reject") else None
    )
    # A draft is its owner's alone: to a reviewer it does not exist (404) until it is submitted.
    hidden = start == "draft" and actor == "reviewer"
    assert refused.status_code == (404 if hidden else 409), refused.text
    assert problem_code(refused) == ("not_found" if hidden else "invalid_transition")
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert support.snapshot(await support.stored(db, demand["id"])) == before
    assert await _audit_actions(client, reviewer, demand["id"]) == events_before


@pytest.mark.parametrize("action", ["return", "reject"])
async def test_return_and_reject_need_a_reason(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], action: str
) -> None:
    owner, organization = await support.poster(client)
    reviewer = await factories.admin(client, db)
    demand = await support.submitted(client, owner, organization["id"])
    before = support.snapshot(await support.stored(db, demand["id"]))
    for body in (None, {}, {"reason": ""}, {"reason": "   "}):
        refused = await client.post(
            f"{support.URL}/{demand['id']}/{action}", json=body, headers=reviewer.headers
        )
        assert refused.status_code == 422, (body, refused.text)
    assert support.snapshot(await support.stored(db, demand["id"])) == before


async def test_an_action_body_takes_only_a_reason(client: AsyncClient) -> None:
    owner, organization = await support.poster(client)
    demand = await support.create(client, owner, organization["id"])
    refused = await client.post(
        f"{support.URL}/{demand['id']}/submit", json={"status": "published"}, headers=owner.headers
    )
    assert refused.status_code == 422
    assert (await read(client, owner, demand["id"])).json()["status"] == "draft"


async def test_unknown_action_is_422(client: AsyncClient) -> None:
    owner, organization = await support.poster(client)
    demand = await support.create(client, owner, organization["id"])
    assert (await act(client, owner, demand["id"], "approve")).status_code == 422


async def test_every_transition_is_audited(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    owner, organization = await support.poster(client)
    reviewer = await factories.admin(client, db)
    demand = await support.create(client, owner, organization["id"])
    steps = [
        (owner, "submit", None),
        (owner, "withdraw", None),
        (owner, "submit", None),
        (reviewer, "return", "请补充"),
        (owner, "submit", None),
        (reviewer, "publish", None),
        (owner, "close", None),
    ]
    for who, action, reason in steps:
        response = await act(client, who, demand["id"], action, reason)
        assert response.status_code == 200, (action, response.text)

    events = await _audit_events(client, reviewer, demand["id"])
    assert [event["action"] for event in reversed(events)] == [
        "demand.create",
        *(f"demand.{action}" for _, action, _ in steps),
    ]
    by_action = {event["action"]: event for event in events}
    assert by_action["demand.return"]["actor_user_id"] == reviewer.id
    assert by_action["demand.return"]["before"]["status"] == "submitted"
    assert by_action["demand.return"]["after"] == {
        "status": "returned",
        "review_reason": "请补充",
        "revision": 0,
    }
    assert by_action["demand.close"]["actor_user_id"] == owner.id
    assert by_action["demand.publish"]["after"]["revision"] == 1


async def test_a_stale_status_change_loses(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    """Two members of the owner read the same draft; both submit it; the second one gets a 409."""
    owner, organization = await support.poster(client)
    colleague, _ = await factories.member(client, owner, organization["id"])
    demand = await support.create(client, owner, organization["id"])

    async with db() as reading:
        stale = await reading.get(Demand, demand["id"])
        assert stale is not None
        assert stale.status == ListingStatus.DRAFT

    assert (await act(client, owner, demand["id"], "submit")).status_code == 200

    async with db() as session:
        stale = await session.merge(stale, load=False)
        principal = Principal(
            actor=AuditActor(user_id=colleague.id),
            user_id=colleague.id,
            memberships={organization["id"]: MembershipRole.MEMBER},
        )
        with pytest.raises(Conflict) as lost:
            await lifecycle.apply_action(session, principal, stale, ListingAction.SUBMIT, reason=None)
        assert lost.value.status == 409
        assert lost.value.code == "concurrent_change"
        await session.rollback()

    admin = await factories.admin(client, db)
    assert [e["action"] for e in await _audit_events(client, admin, demand["id"])] == [
        "demand.submit",
        "demand.create",
    ]


async def test_a_status_change_meanwhile_is_a_409_over_http(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer commits between this request's read and its compare-and-set."""
    owner, organization = await support.poster(client)
    demand = await support.create(client, owner, organization["id"])
    original = repository.compare_and_set

    async def racing(session: AsyncSession, model: Any, **kwargs: Any) -> bool:
        await session.execute(
            update(Demand)
            .where(Demand.id == demand["id"])
            .values(status=ListingStatus.SUBMITTED, version=Demand.version + 1)
        )
        return await original(session, model, **kwargs)

    monkeypatch.setattr("app.events.transitions.compare_and_set", racing)
    response = await act(client, owner, demand["id"], "submit")
    assert response.status_code == 409, response.text
    assert problem_code(response) == "concurrent_change"
    monkeypatch.undo()
    # The whole request was rolled back, the racing write with it: nothing changed.
    assert (await read(client, owner, demand["id"])).json()["status"] == "draft"


async def _demand_in(
    client: AsyncClient,
    reviewer: factories.Account,
    owner: factories.Account,
    organization_id: int,
    status: str,
) -> dict[str, Any]:
    if status == "draft":
        return await support.create(client, owner, organization_id)
    if status == "submitted":
        return await support.submitted(client, owner, organization_id)
    demand = await support.published(client, reviewer, owner, organization_id)
    if status == "closed":
        assert (await act(client, owner, demand["id"], "close")).status_code == 200
    return demand


async def _audit_events(
    client: AsyncClient, admin: factories.Account, demand_id: int
) -> list[dict[str, Any]]:
    response = await client.get(
        "/api/v1/audit-events",
        params={"entity_type": "demand", "entity_id": str(demand_id), "limit": 100},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def _audit_actions(client: AsyncClient, admin: factories.Account, demand_id: int) -> list[str]:
    return [event["action"] for event in await _audit_events(client, admin, demand_id)]
