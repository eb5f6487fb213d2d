"""Expiry without a background job: a published demand past its deadline reads `expired` and leaves the
public list; a deadline already in the past is refused when it is set."""

from __future__ import annotations

from datetime import timedelta

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.clock import today
from tests import factories
from tests.demands import support
from tests.demands.support import read


async def test_a_published_demand_past_its_deadline_reads_expired(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.poster(client)
    reviewer = await factories.admin(client, db)
    lapsed = await support.published(client, reviewer, owner, organization["id"], valid_until="2099-12-31")
    open_ended = await support.published(client, reviewer, owner, organization["id"])
    await support.set_columns(db, lapsed["id"], valid_until=support.days_ago(1))

    body = (await read(client, None, lapsed["id"])).json()
    assert body["status"] == "published"
    assert body["effective_status"] == "expired"
    assert (await read(client, None, open_ended["id"])).json()["effective_status"] == "published"

    assert support.ids(await support.listed(client)) == [open_ended["id"]]
    with_expired = await support.listed(client, include_expired="true")
    assert sorted(support.ids(with_expired)) == sorted([lapsed["id"], open_ended["id"]])
    [item] = [item for item in with_expired["items"] if item["id"] == lapsed["id"]]
    assert item["effective_status"] == "expired"
    # The owner still has it among its own.
    assert lapsed["id"] in support.ids(await support.listed(client, owner, scope="mine"))


async def test_the_deadline_day_itself_is_still_open(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.poster(client)
    reviewer = await factories.admin(client, db)
    day = today()
    demand = await support.published(client, reviewer, owner, organization["id"], valid_until=day.isoformat())
    assert demand["effective_status"] == "published"
    assert support.ids(await support.listed(client)) == [demand["id"]]


async def test_only_a_published_demand_expires(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.poster(client)
    reviewer = await factories.admin(client, db)
    draft = await support.create(client, owner, organization["id"], valid_until="2099-12-31")
    closed = await support.published(client, reviewer, owner, organization["id"], valid_until="2099-12-31")
    assert (await support.act(client, owner, closed["id"], "close")).status_code == 200
    for demand in (draft, closed):
        await support.set_columns(db, demand["id"], valid_until=support.days_ago(3))
    assert (await read(client, owner, draft["id"])).json()["effective_status"] == "draft"
    assert (await read(client, owner, closed["id"])).json()["effective_status"] == "closed"


async def test_a_past_deadline_is_refused_on_create(client: AsyncClient) -> None:
    owner, organization = await support.poster(client)
    yesterday = (today() - timedelta(days=1)).isoformat()
    refused = await client.post(
        support.URL,
        json=support.demand_body(organization["id"], valid_until=yesterday),
        headers=owner.headers,
    )
    assert refused.status_code == 422, refused.text
    assert [error["loc"] for error in refused.json()["errors"]] == [["body", "valid_until"]]
    assert (await support.listed(client, owner, scope="mine"))["total"] == 0


async def test_a_past_deadline_is_refused_on_update(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.poster(client)
    demand = await support.create(client, owner, organization["id"], valid_until="2099-12-31")
    etag = (await read(client, owner, demand["id"])).headers["ETag"]
    headers = {**owner.headers, "If-Match": etag}
    refused = await client.patch(
        f"{support.URL}/{demand['id']}", json={"valid_until": "2020-01-01"}, headers=headers
    )
    assert refused.status_code == 422, refused.text
    assert (await read(client, owner, demand["id"])).json()["valid_until"] == "2099-12-31"
    moved = await client.patch(
        f"{support.URL}/{demand['id']}", json={"valid_until": "2098-06-30"}, headers=headers
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["valid_until"] == "2098-06-30"


async def test_valid_until_from_keeps_demands_open_that_day(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.poster(client)
    reviewer = await factories.admin(client, db)
    soon = await support.published(client, reviewer, owner, organization["id"], valid_until="2090-01-01")
    later = await support.published(client, reviewer, owner, organization["id"], valid_until="2095-01-01")
    open_ended = await support.published(client, reviewer, owner, organization["id"])
    page = await support.listed(client, valid_until_from="2091-01-01")
    assert sorted(support.ids(page)) == sorted([later["id"], open_ended["id"]])
    assert soon["id"] in support.ids(await support.listed(client, valid_until_from="2090-01-01"))
