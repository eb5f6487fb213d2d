"""Who sees what: published demands are public with contacts masked and without confidential detail;
the owning organization sees everything of its own; unpublished demands are 404 to everyone else."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests import factories
from tests.demands import support
from tests.demands.support import act, read

SECRET = "关键工艺参数：烧结温度 850℃，保温 6 小时。"


async def _published_nda(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> tuple[factories.Account, dict[str, Any], dict[str, Any]]:
    owner, organization = await support.poster(client)
    reviewer = await factories.admin(client, db)
    demand = await support.published(
        client,
        reviewer,
        owner,
        organization["id"],
        confidentiality="nda",
        confidential_detail=SECRET,
        contact_phone="+86 13812345678".replace(" ", ""),
    )
    return owner, organization, demand


async def test_others_see_a_published_demand_masked(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    _, _, demand = await _published_nda(client, db)
    stranger = await factories.account(client)
    other_owner, _ = await support.poster(client)
    for who in (None, stranger, other_owner):
        response = await read(client, who, demand["id"])
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["contact_phone"] == "138****5678"
        assert body["contact_name"] == "王工"
        assert body["confidential_detail"] is None
        assert body["is_detail_withheld"] is True
        assert SECRET not in response.text
        assert "13812345678" not in response.text
        listed = await support.listed(client, who)
        [item] = [item for item in listed["items"] if item["id"] == demand["id"]]
        assert item["contact_phone"] == "138****5678"
        assert item["confidential_detail"] is None
        assert item["is_detail_withheld"] is True


async def test_a_public_demand_withholds_nothing_but_the_phone(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.poster(client)
    reviewer = await factories.admin(client, db)
    demand = await support.published(client, reviewer, owner, organization["id"], confidentiality="public")
    body = (await read(client, None, demand["id"])).json()
    assert body["is_detail_withheld"] is False
    assert body["contact_phone"] == "138****5678"


async def test_the_owning_organization_sees_everything(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization, demand = await _published_nda(client, db)
    colleague, _ = await factories.member(client, owner, organization["id"])
    for who in (owner, colleague):
        body = (await read(client, who, demand["id"])).json()
        assert body["contact_phone"] == "13812345678"
        assert body["confidential_detail"] == SECRET
        assert body["is_detail_withheld"] is False
        mine = await support.listed(client, who, scope="mine")
        assert mine["items"][0]["contact_phone"] == "13812345678"
        assert mine["items"][0]["confidential_detail"] == SECRET


async def test_a_member_who_left_sees_it_masked_again(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization, demand = await _published_nda(client, db)
    colleague, membership = await factories.member(client, owner, organization["id"])
    assert (await read(client, colleague, demand["id"])).json()["contact_phone"] == "13812345678"
    left = await client.delete(f"/api/v1/memberships/{membership['id']}", headers=colleague.headers)
    assert left.status_code in (200, 204), left.text
    assert (await read(client, colleague, demand["id"])).json()["contact_phone"] == "138****5678"


@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "rejected"])
async def test_unpublished_demands_are_404_to_others_and_unlisted(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], status: str
) -> None:
    owner, organization = await support.poster(client)
    reviewer = await factories.admin(client, db)
    demand = await support.create(client, owner, organization["id"])
    if status != "draft":
        assert (await act(client, owner, demand["id"], "submit")).status_code == 200
    if status in ("returned", "rejected"):
        action = "return" if status == "returned" else "reject"
        assert (await act(client, reviewer, demand["id"], action, "理由")).status_code == 200

    stranger = await factories.account(client)
    other_owner, _ = await support.poster(client)
    for who in (None, stranger, other_owner):
        response = await read(client, who, demand["id"])
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "not_found"
        assert demand["id"] not in support.ids(await support.listed(client, who))
        assert demand["id"] not in support.ids(await support.listed(client, who, status=status))
    assert (await read(client, owner, demand["id"])).json()["status"] == status


async def test_a_missing_demand_is_404_like_a_hidden_one(client: AsyncClient) -> None:
    owner, organization = await support.poster(client)
    hidden = await support.create(client, owner, organization["id"])
    stranger = await factories.account(client)
    missing = await read(client, stranger, 9_999_999)
    concealed = await read(client, stranger, hidden["id"])
    assert missing.status_code == concealed.status_code == 404
    assert missing.json()["title"] == concealed.json()["title"]


async def test_mine_lists_every_status_of_the_callers_organizations(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.poster(client)
    second = await factories.organization(client, owner)
    reviewer = await factories.admin(client, db)
    draft = await support.create(client, owner, organization["id"])
    submitted = await support.submitted(client, owner, organization["id"])
    published = await support.published(client, reviewer, owner, second["id"])
    closed = await support.published(client, reviewer, owner, organization["id"])
    assert (await act(client, owner, closed["id"], "close")).status_code == 200
    other_owner, other_org = await support.poster(client)
    theirs = await support.published(client, reviewer, other_owner, other_org["id"])

    mine = await support.listed(client, owner, scope="mine")
    assert sorted(support.ids(mine)) == sorted([draft["id"], submitted["id"], published["id"], closed["id"]])
    assert mine["total"] == 4
    assert {item["status"] for item in mine["items"]} == {"draft", "submitted", "published", "closed"}
    assert theirs["id"] not in support.ids(mine)
    only_drafts = await support.listed(client, owner, scope="mine", status="draft")
    assert support.ids(only_drafts) == [draft["id"]]
    one_org = await support.listed(client, owner, scope="mine", organization_id=published["organization_id"])
    assert support.ids(one_org) == [published["id"]]
    # Someone without an organization has nothing of their own.
    assert (await support.listed(client, await factories.account(client), scope="mine"))["total"] == 0


@pytest.mark.parametrize("scope", ["mine", "review"])
async def test_private_scopes_need_a_signed_in_caller(client: AsyncClient, scope: str) -> None:
    response = await client.get(support.URL, params={"scope": scope})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    bad_token = await client.get(
        support.URL, params={"scope": scope}, headers={"Authorization": "Bearer not-a-token"}
    )
    assert bad_token.status_code == 401


async def test_public_list_shows_published_only(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.poster(client)
    reviewer = await factories.admin(client, db)
    published = await support.published(client, reviewer, owner, organization["id"])
    await support.create(client, owner, organization["id"])
    await support.submitted(client, owner, organization["id"])
    closed = await support.published(client, reviewer, owner, organization["id"])
    assert (await act(client, owner, closed["id"], "close")).status_code == 200
    for who in (None, owner):
        page = await support.listed(client, who)
        assert support.ids(page) == [published["id"]]
        assert page["total"] == 1


async def test_reviewers_read_it_whole_only_while_reviewing(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    """Review needs the whole demand; after publication a reviewer is a reader like any other, so the
    confidential detail is not released to them without the owner's consent."""
    owner, organization = await support.poster(client)
    agency_staff, _ = await support.agency(client, db)
    city_admin = await factories.admin(client, db)
    demand = await support.submitted(
        client, owner, organization["id"], confidentiality="nda", confidential_detail=SECRET
    )
    for reviewer in (agency_staff, city_admin):
        under_review = (await read(client, reviewer, demand["id"])).json()
        assert under_review["contact_phone"] == "13812345678"
        assert under_review["confidential_detail"] == SECRET
    assert (await act(client, city_admin, demand["id"], "publish")).status_code == 200
    for reviewer in (agency_staff, city_admin):
        published = (await read(client, reviewer, demand["id"])).json()
        assert published["contact_phone"] == "138****5678"
        assert published["confidential_detail"] is None
        assert published["is_detail_withheld"] is True
        [item] = (await support.listed(client, reviewer))["items"]
        assert item["confidential_detail"] is None
