"""Anonymous reads take the public read path (Core, app.listings.public); a signed-in caller who is
neither owner nor reviewer nor grantee takes the ORM path and must see exactly the same: masked
contacts, no confidential detail, no pending revision, `expired` derived, drafts 404."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from httpx import AsyncClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.clock import today
from app.models import Achievement
from tests import factories
from tests.achievements import support as achievements
from tests.demands import support as demands


async def _achievements(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], reviewer: factories.Account
) -> list[int]:
    owner, organization = await achievements.owner_of(client)
    org = organization["id"]
    nda = await achievements.published(client, reviewer, owner, org)  # NDA detail, a patent, a phone
    plain = await achievements.published(
        client, reviewer, owner, org, confidentiality="public", confidential_detail="", ip_form="none",
        patents=[], contact_phone=None, is_price_negotiable=True, asking_price_fen=None,
    )  # fmt: skip
    closed = await achievements.published(client, reviewer, owner, org, title="已关闭的成果")
    assert (await achievements.act(client, owner, closed["id"], "close")).status_code == 200
    expired = await achievements.published(client, reviewer, owner, org, title="已过期的成果")
    async with db() as session:
        two_days_ago = today() - timedelta(days=2)
        await session.execute(
            update(Achievement).where(Achievement.id == expired["id"]).values(valid_until=two_days_ago)
        )
        await session.commit()
    draft = await achievements.create(client, owner, org)
    etag = (await achievements.read(client, owner, nda["id"])).headers["etag"]
    proposed = await client.post(
        f"{achievements.URL}/{nda['id']}/revisions",
        json={"title": "修订后的标题"},
        headers=owner.headers | {"If-Match": etag},
    )
    assert proposed.status_code == 201, proposed.text  # a pending revision only its owner learns of
    return [nda["id"], plain["id"], closed["id"], expired["id"], draft["id"]]


async def _demands(client: AsyncClient, reviewer: factories.Account) -> list[int]:
    owner, organization = await demands.poster(client)
    published = await demands.published(client, reviewer, owner, organization["id"])
    returned = await demands.submitted(client, owner, organization["id"], title="退回的需求")
    assert (await demands.act(client, reviewer, returned["id"], "return", "请补充")).status_code == 200
    return [published["id"], returned["id"]]


async def _same(client: AsyncClient, stranger: factories.Account, path: str, **params: Any) -> int:
    anonymous = await client.get(path, params=params)
    signed_in = await client.get(path, params=params, headers=stranger.headers)
    assert anonymous.status_code == signed_in.status_code, (path, params, anonymous.text)
    assert anonymous.json() == signed_in.json(), (path, params)
    assert anonymous.headers.get("etag") == signed_in.headers.get("etag"), path
    return anonymous.status_code


async def test_anonymous_reads_show_what_a_stranger_sees(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    reviewer = await factories.admin(client, db)
    stranger = await factories.account(client, "stranger")  # signed in, a member of nothing
    achievement_ids = await _achievements(client, db, reviewer)
    demand_ids = await _demands(client, reviewer)
    statuses = [await _same(client, stranger, f"{achievements.URL}/{i}") for i in achievement_ids]
    assert statuses == [200, 200, 200, 200, 404]  # the draft is nobody else's business
    assert [await _same(client, stranger, f"{demands.URL}/{i}") for i in demand_ids] == [200, 404]
    nda = (await client.get(f"{achievements.URL}/{achievement_ids[0]}")).json()
    assert nda["confidential_detail"] is None
    assert nda["is_detail_withheld"] is True
    assert nda["contact_phone"] == "139****5678"
    assert nda["pending_revision_id"] is None
    assert nda["patents"][0]["application_number"] == "201710601862.3"
    expired = (await client.get(f"{achievements.URL}/{achievement_ids[3]}")).json()
    assert expired["effective_status"] == "expired"
    lists: list[dict[str, Any]] = [
        {},
        {"include_expired": True},
        {"q": "锂离子电池"},
        {"sort": "deadline", "limit": 2},
        {"tech_field": "new_energy", "offset": 1},
        {"status": "closed"},
    ]
    for params in lists:
        assert await _same(client, stranger, achievements.URL, **params) == 200
        assert await _same(client, stranger, demands.URL, **params) == 200
    assert await _same(client, stranger, achievements.URL, trl_from=5, offset=1) == 200
    listed = (await client.get(achievements.URL, params={"include_expired": True})).json()
    assert {item["id"] for item in listed["items"]} >= set(achievement_ids[:2]) | {achievement_ids[3]}
    assert achievement_ids[4] not in {item["id"] for item in listed["items"]}
