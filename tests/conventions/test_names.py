"""Items name what their ids point to, so a front end needs no extra call per row (issue 13, item 10):
listings (both paths, list and detail) their organization's and region's names, packages, directories
and role grants their region's, memberships and access requests their organization's, and
`/users/me` the caller's organizations."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.enums import PlatformRole
from tests import factories
from tests.access.test_statement_count import statements
from tests.achievements import support as achievements
from tests.demands import support as demands
from tests.packages import support as packages

HAIZHOU = "海州区"
GANYU = "赣榆区"


def _named(item: dict[str, Any], organization: dict[str, Any], region: str) -> None:
    assert item["organization_id"] == organization["id"]
    assert item["organization_name"] == organization["name"]
    assert item["region_name"] == region


@pytest.mark.parametrize("kind", ["demands", "achievements"])
async def test_listings_name_their_organization_and_region_on_both_read_paths(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], kind: str
) -> None:
    support: Any = demands if kind == "demands" else achievements
    reviewer = await factories.admin(client, db)
    owner = await factories.account(client, "owner")
    organization = await factories.organization(client, owner, kind="university")
    ganyu = await factories.region_id(client, factories.GANYU_CODE)
    listing = await support.published(client, reviewer, owner, organization["id"], region_id=ganyu)
    _named(listing, organization, GANYU)  # the writer's answer (ORM path)
    url = f"/api/v1/{kind}"
    stranger = await factories.account(client, "stranger")
    for who in (None, stranger, owner):  # the anonymous fast path, then the ORM path
        headers = who.headers if who else None
        detail = await client.get(f"{url}/{listing['id']}", headers=headers)
        _named(detail.json(), organization, GANYU)
        params = {"organization_id": str(organization["id"])}
        listed = await client.get(url, params=params, headers=headers)
        [item] = listed.json()["items"]
        _named(item, organization, GANYU)
    mine = await client.get(url, params={"scope": "mine"}, headers=owner.headers)
    _named(mine.json()["items"][0], organization, GANYU)


async def test_a_signed_in_page_reads_the_names_in_one_statement_whatever_its_length(
    app: FastAPI, client: AsyncClient
) -> None:
    owner, organization = await demands.poster(client)
    ganyu = await factories.region_id(client, factories.GANYU_CODE)
    counts = []
    for more in (1, 2):  # a page of one, then of three in two regions
        for _ in range(more):
            await demands.create(client, owner, organization["id"], region_id=ganyu if more == 2 else None)
        with statements(app) as sent:
            page = await client.get(demands.URL, params={"scope": "mine"}, headers=owner.headers)
        assert len(page.json()["items"]) == sum(range(1, more + 1))
        assert {item["region_name"] for item in page.json()["items"]} <= {HAIZHOU, GANYU}
        counts.append(len(sent))
        assert sum("AS entity" in statement for statement in sent) == 1  # the names, one statement
    assert counts[0] == counts[1]  # nothing per row


async def test_packages_organizations_and_role_grants_name_their_region(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    curator = await packages.curator(client, db, region_code=factories.HAIZHOU_CODE)
    [member] = await packages.published_achievements(client, db, 1)
    package = await packages.published_package(client, curator, [member["id"]])
    listed = (await client.get(packages.URL)).json()["items"]
    assert [item["region_name"] for item in listed if item["id"] == package["id"]] == [HAIZHOU]

    owner, organization = await demands.poster(client, factories.GANYU_CODE)
    assert organization["region_name"] == GANYU  # the registrant's 201
    assert (await client.get(f"/api/v1/organizations/{organization['id']}")).json()["region_name"] == GANYU
    directory = await client.get("/api/v1/organizations", params={"q": organization["name"]})
    assert [item["region_name"] for item in directory.json()["items"]] == [GANYU]

    roles = await client.get(f"/api/v1/users/{curator.id}/roles", headers=curator.headers)
    [grant] = roles.json()["items"]
    assert (grant["role"], grant["region_name"]) == ("district_admin", HAIZHOU)
    root = await factories.admin(client, db)
    granted = await client.post(
        f"/api/v1/users/{owner.id}/roles", json={"role": "city_admin"}, headers=root.headers
    )
    assert granted.json()["region_name"] is None  # not bound to a region


async def test_me_names_my_organizations_and_my_roles_regions(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await demands.poster(client)
    await factories.grant(
        db, owner.id, PlatformRole.REGISTRAR, await factories.region_id(client, factories.GANYU_CODE)
    )
    me = (await client.get("/api/v1/users/me", headers=owner.headers)).json()
    assert me["memberships"] == [
        {"organization_id": organization["id"], "organization_name": organization["name"], "role": "owner"}
    ]
    assert [(role["role"], role["region_name"]) for role in me["roles"]] == [("registrar", GANYU)]


async def test_memberships_name_the_organization_and_the_member(client: AsyncClient) -> None:
    owner, organization = await demands.poster(client)
    member, membership = await factories.member(client, owner, organization["id"])
    assert membership["organization_name"] == organization["name"]
    assert membership["user_display_name"] == "测试用户"
    members = await client.get(f"/api/v1/organizations/{organization['id']}/members", headers=owner.headers)
    assert {m["organization_name"] for m in members.json()["items"]} == {organization["name"]}
    mine = (await client.get("/api/v1/memberships", headers=member.headers)).json()["items"]
    assert [m["organization_name"] for m in mine] == [organization["name"]]
    one = await client.get(f"/api/v1/memberships/{membership['id']}", headers=member.headers)
    assert one.json()["organization_name"] == organization["name"]


async def test_access_requests_name_the_requesting_organization(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    reviewer = await factories.admin(client, db)
    owner, university = await achievements.owner_of(client)
    published = await achievements.published(client, reviewer, owner, university["id"])
    requester, company = await demands.poster(client)
    asked = await client.post(
        f"{achievements.URL}/{published['id']}/access-requests",
        json={"organization_id": company["id"], "purpose": "评估合作", "accept_nda": True},
        headers=requester.headers,
    )
    assert asked.json()["organization_name"] == company["name"]
    listed = await client.get(f"{achievements.URL}/{published['id']}/access-requests", headers=owner.headers)
    assert [item["organization_name"] for item in listed.json()["items"]] == [company["name"]]
    inbox = await client.get("/api/v1/access-requests", headers=owner.headers)
    assert [item["organization_name"] for item in inbox.json()["items"]] == [company["name"]]
