"""The rules of versions and members: a published version never changes, one draft at a time, only
published achievements join, every write names the version it read (If-Match) and is audited."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.models import Achievement
from tests import factories
from tests.achievements import support as achievements
from tests.packages import support
from tests.packages.support import URL, add, edit, member_ids, publish, read_version


async def test_a_published_version_is_immutable(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    curator = await support.curator(client, db)
    first, second = await support.published_achievements(client, db, 2)
    package = await support.published_package(client, curator, [first["id"]])
    before = (await read_version(client, None, package["id"], 1)).json()

    attempts = [
        await edit(client, curator, "PATCH", package["id"], 1, body={"title": "改过的标题"}),
        await add(client, curator, package["id"], 1, second["id"]),
        await edit(client, curator, "DELETE", package["id"], 1, f"/members/{first['id']}"),
        await edit(client, curator, "PATCH", package["id"], 1, f"/members/{first['id']}", {"note": "新备注"}),
        await edit(
            client, curator, "PUT", package["id"], 1, "/member-order", {"achievement_ids": [first["id"]]}
        ),
        await publish(client, curator, package["id"], 1),
        # Whatever the If-Match: no precondition makes a published version editable.
        await edit(
            client, curator, "PATCH", package["id"], 1, body={"title": "改过的标题"}, if_match='"stale"'
        ),
    ]
    assert [(a.status_code, a.json()["code"]) for a in attempts] == [(409, "package_version_published")] * 7
    assert (await read_version(client, None, package["id"], 1)).json() == before


async def test_one_draft_at_a_time(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    curator = await support.curator(client, db)
    (achievement,) = await support.published_achievements(client, db, 1)
    package = await support.created(client, curator)
    while_first_is_draft = await client.post(f"{URL}/{package['id']}/versions", headers=curator.headers)
    assert while_first_is_draft.status_code == 409
    assert while_first_is_draft.json()["code"] == "package_draft_exists"

    await add(client, curator, package["id"], 1, achievement["id"])
    await publish(client, curator, package["id"], 1)
    assert (await client.post(f"{URL}/{package['id']}/versions", headers=curator.headers)).status_code == 201
    again = await client.post(f"{URL}/{package['id']}/versions", headers=curator.headers)
    assert again.status_code == 409
    assert again.json()["code"] == "package_draft_exists"
    assert (await client.get(f"{URL}/{package['id']}", headers=curator.headers)).json()["draft_version"] == 2
    assert (await read_version(client, curator, package["id"], 3)).status_code == 404


@pytest.mark.parametrize("state", ["unknown", "draft", "submitted", "closed", "expired"])
async def test_members_are_published_achievements(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], state: str
) -> None:
    curator = await support.curator(client, db)
    package = await support.created(client, curator)
    achievement_id = await _achievement_in(client, db, state)

    refused = await add(client, curator, package["id"], 1, achievement_id)
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "achievement_not_published"
    assert member_ids((await read_version(client, curator, package["id"], 1)).json()) == []


async def _achievement_in(client: AsyncClient, db: async_sessionmaker[AsyncSession], state: str) -> int:
    if state == "unknown":
        return 987654321
    owner, organization = await achievements.owner_of(client)
    reviewer = await factories.admin(client, db)
    if state == "expired":
        achievement = await achievements.published(client, reviewer, owner, organization["id"])
        await _expire(db, achievement["id"])
        return int(achievement["id"])
    achievement = await achievements.create(client, owner, organization["id"])
    if state in ("submitted", "closed"):
        await achievements.act(client, owner, achievement["id"], "submit")
    if state == "closed":
        await achievements.act(client, reviewer, achievement["id"], "publish")
        await achievements.act(client, owner, achievement["id"], "close")
    return int(achievement["id"])


async def _expire(db: async_sessionmaker[AsyncSession], achievement_id: int) -> None:
    """Put the deadline in the past, as time passing would."""
    async with db() as session:
        achievement = await session.get(Achievement, achievement_id)
        assert achievement is not None
        achievement.valid_until = date(2020, 1, 1)
        await session.commit()


async def test_a_member_joins_once(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    curator = await support.curator(client, db)
    (achievement,) = await support.published_achievements(client, db, 1)
    package = await support.created(client, curator)
    assert (await add(client, curator, package["id"], 1, achievement["id"])).status_code == 200
    twice = await add(client, curator, package["id"], 1, achievement["id"])
    assert twice.status_code == 409
    assert twice.json()["code"] == "already_member"


async def test_writes_need_the_current_etag(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    curator = await support.curator(client, db)
    first, second = await support.published_achievements(client, db, 2)
    package = await support.created(client, curator)
    path = support.version_url(package["id"], 1)
    etag = await support.etag_of(client, curator, package["id"], 1)

    missing = await client.patch(path, json={"title": "没有 If-Match"}, headers=curator.headers)
    assert missing.status_code == 428
    changed = await client.post(
        f"{path}/members", json={"achievement_id": first["id"]}, headers={**curator.headers, "If-Match": etag}
    )
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    # Someone else's read-then-write with the ETag from before that change: refused, nothing changes.
    stale = [
        await client.patch(path, json={"title": "过时的修改"}, headers={**curator.headers, "If-Match": etag}),
        await client.post(
            f"{path}/members",
            json={"achievement_id": second["id"]},
            headers={**curator.headers, "If-Match": etag},
        ),
        await client.post(f"{path}/publish", headers={**curator.headers, "If-Match": etag}),
    ]
    assert [response.status_code for response in stale] == [412, 412, 412]
    now = (await read_version(client, curator, package["id"], 1)).json()
    assert (now["title"], now["status"], member_ids(now)) == ("新能源产业科技成果包", "draft", [first["id"]])


async def test_mass_assignment_is_refused(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    curator = await support.curator(client, db)
    smuggled = await support.create(client, curator, status="published", published_number=1)
    assert smuggled.status_code == 422
    package = await support.created(client, curator)
    bodies: list[dict[str, object]] = [
        {"status": "published"},
        {"number": 5},
        {"based_on": 1},
        {"title": None},
    ]
    for body in bodies:
        response = await edit(client, curator, "PATCH", package["id"], 1, body=body)
        assert response.status_code == 422, body
    direction = await support.create(client, curator, industry=None, theme=None)
    assert direction.status_code == 422


async def test_every_change_is_audited(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    curator = await support.curator(client, db)
    first, second = await support.published_achievements(client, db, 2)
    package = await support.published_package(client, curator, [first["id"]])
    await client.post(f"{URL}/{package['id']}/versions", headers=curator.headers)
    await add(client, curator, package["id"], 2, second["id"], note="新增")
    await edit(client, curator, "PATCH", package["id"], 2, f"/members/{second['id']}", {"position": 1})
    await edit(
        client,
        curator,
        "PUT",
        package["id"],
        2,
        "/member-order",
        {"achievement_ids": [first["id"], second["id"]]},
    )
    await edit(client, curator, "DELETE", package["id"], 2, f"/members/{first['id']}")
    await edit(client, curator, "PATCH", package["id"], 2, body={"summary": "第二批"})
    await publish(client, curator, package["id"], 2)

    admin = await factories.admin(client, db)
    events = await factories.audit_events(client, admin, "package", package["id"])
    actions = sorted(event["action"] for event in events)
    assert actions == sorted(
        [
            "package.create",
            "package.member_add",  # version 1's member
            "package.version_publish",
            "package.version_create",
            "package.member_add",
            "package.member_update",
            "package.member_reorder",
            "package.member_remove",
            "package.version_update",
            "package.version_publish",
        ]
    )
    assert all(event["actor_user_id"] == curator.id for event in events)
    publication = _latest(events, "package.version_publish")
    assert publication["before"]["status"] == "draft"
    assert publication["after"]["status"] == "published"
    assert publication["after"]["number"] == 2
    assert publication["after"]["members"] == [{"achievement_id": second["id"], "note": "新增"}]
    removal = _latest(events, "package.member_remove")
    assert [m["achievement_id"] for m in removal["before"]["members"]] == [first["id"], second["id"]]


def _latest(events: list[dict[str, Any]], action: str) -> dict[str, Any]:
    return max((event for event in events if event["action"] == action), key=lambda event: event["id"])
