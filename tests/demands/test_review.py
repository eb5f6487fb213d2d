"""Who reviews a demand: an administrator of its region or a verified transfer agency covering it —
never the owner's own members. A submitted demand stays 404 to everyone else."""

from __future__ import annotations

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.enums import PlatformRole
from tests import factories
from tests.demands import support
from tests.demands.support import act, problem_code, read


async def test_district_admin_of_the_demands_district_reviews_it(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.poster(client, factories.HAIZHOU_CODE)
    district_admin = await factories.account(client, "district")
    await factories.grant(
        db,
        district_admin.id,
        PlatformRole.DISTRICT_ADMIN,
        await factories.region_id(client, factories.HAIZHOU_CODE),
    )
    demand = await support.submitted(client, owner, organization["id"])
    seen = await read(client, district_admin, demand["id"])
    assert seen.status_code == 200
    assert seen.json()["contact_phone"] == "13812345678"  # a reviewer reads the contact unmasked
    published = await act(client, district_admin, demand["id"], "publish")
    assert published.status_code == 200, published.text
    assert published.json()["status"] == "published"


async def test_district_admin_of_another_district_may_not_review(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.poster(client, factories.HAIZHOU_CODE)
    ganyu_admin = await factories.role_holder(client, db, PlatformRole.DISTRICT_ADMIN, factories.GANYU_CODE)
    demand = await support.submitted(client, owner, organization["id"])
    before = support.snapshot(await support.stored(db, demand["id"]))

    # Not a reviewer of it, so the submitted demand does not exist for them (as for anyone else).
    assert (await read(client, ganyu_admin, demand["id"])).status_code == 404
    for action, reason in (("publish", None), ("return", "理由"), ("reject", "理由")):
        refused = await act(client, ganyu_admin, demand["id"], action, reason)
        assert refused.status_code == 404, refused.text
    assert support.snapshot(await support.stored(db, demand["id"])) == before

    # Once published (public), the refusal says why: they are not its reviewer.
    reviewer = await factories.admin(client, db)
    assert (await act(client, reviewer, demand["id"], "publish")).status_code == 200
    refused = await act(client, ganyu_admin, demand["id"], "reject", "理由")
    assert refused.status_code == 403
    assert problem_code(refused) == "not_reviewer"


async def test_city_admin_reviews_every_district(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    city_admin = await factories.role_holder(client, db, PlatformRole.CITY_ADMIN)
    owner, organization = await support.poster(client, factories.GANYU_CODE)
    demand = await support.submitted(client, owner, organization["id"])
    returned = await act(client, city_admin, demand["id"], "return", "请补充预算说明")
    assert returned.status_code == 200, returned.text


async def test_verified_transfer_agency_of_the_city_reviews(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    agency_owner, _ = await support.agency(client, db, region_code=factories.CITY_CODE)
    owner, organization = await support.poster(client, factories.GANYU_CODE)
    demand = await support.submitted(client, owner, organization["id"])
    assert (await read(client, agency_owner, demand["id"])).status_code == 200
    published = await act(client, agency_owner, demand["id"], "publish")
    assert published.status_code == 200, published.text


async def test_a_plain_member_of_a_verified_agency_reviews(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    agency_owner, agency_org = await support.agency(client, db)
    staff, _ = await factories.member(client, agency_owner, agency_org["id"])
    owner, organization = await support.poster(client)
    demand = await support.submitted(client, owner, organization["id"])
    assert (await act(client, staff, demand["id"], "publish")).status_code == 200


async def test_unverified_agency_may_not_review(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    agency_owner, _ = await support.agency(client, db, verified=False)
    owner, organization = await support.poster(client)
    demand = await support.submitted(client, owner, organization["id"])
    assert (await read(client, agency_owner, demand["id"])).status_code == 404
    assert (await act(client, agency_owner, demand["id"], "publish")).status_code == 404
    assert (await read(client, owner, demand["id"])).json()["status"] == "submitted"
    assert support.ids(await support.listed(client, agency_owner, scope="review")) == []

    reviewer = await factories.admin(client, db)
    assert (await act(client, reviewer, demand["id"], "publish")).status_code == 200
    refused = await act(client, agency_owner, demand["id"], "reject", "理由")
    assert refused.status_code == 403
    assert problem_code(refused) == "not_reviewer"


async def test_agency_of_another_district_may_not_review(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    agency_owner, _ = await support.agency(client, db, region_code=factories.GANYU_CODE)
    owner, organization = await support.poster(client, factories.HAIZHOU_CODE)
    demand = await support.submitted(client, owner, organization["id"])
    assert (await act(client, agency_owner, demand["id"], "publish")).status_code == 404


async def test_a_verified_enterprise_is_no_reviewer(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    other_owner, other_org = await support.poster(client, factories.CITY_CODE)
    city_admin = await factories.role_holder(client, db, PlatformRole.CITY_ADMIN)
    verified = await client.put(
        f"/api/v1/organizations/{other_org['id']}/verification",
        json={"is_verified": True},
        headers=city_admin.headers,
    )
    assert verified.status_code == 200, verified.text
    owner, organization = await support.poster(client)
    demand = await support.submitted(client, owner, organization["id"])
    assert (await act(client, other_owner, demand["id"], "publish")).status_code == 404


@pytest.mark.parametrize("action", ["publish", "return", "reject"])
async def test_the_owners_own_members_never_review_it(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], action: str
) -> None:
    owner, organization = await support.poster(client)
    colleague, _ = await factories.member(client, owner, organization["id"])
    demand = await support.submitted(client, owner, organization["id"])
    for who in (owner, colleague):
        refused = await act(client, who, demand["id"], action, "理由")
        assert refused.status_code == 403, refused.text
        assert problem_code(refused) == "not_reviewer"
    assert (await read(client, owner, demand["id"])).json()["status"] == "submitted"


async def test_an_administrator_does_not_review_their_own_organizations_demand(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.poster(client)
    await factories.grant(db, owner.id, PlatformRole.CITY_ADMIN)
    demand = await support.submitted(client, owner, organization["id"])
    refused = await act(client, owner, demand["id"], "publish")
    assert refused.status_code == 403
    assert problem_code(refused) == "not_reviewer"
    assert demand["id"] not in support.ids(await support.listed(client, owner, scope="review"))


async def test_an_agency_does_not_review_its_own_demand(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    agency_owner, agency_org = await support.agency(client, db)
    demand = await support.submitted(client, agency_owner, agency_org["id"])
    refused = await act(client, agency_owner, demand["id"], "publish")
    assert refused.status_code == 403
    assert problem_code(refused) == "not_reviewer"


async def test_review_scope_lists_only_what_the_caller_may_review(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    haizhou_owner, haizhou_org = await support.poster(client, factories.HAIZHOU_CODE)
    ganyu_owner, ganyu_org = await support.poster(client, factories.GANYU_CODE)
    reviewer = await factories.admin(client, db)
    in_haizhou = await support.submitted(client, haizhou_owner, haizhou_org["id"])
    in_ganyu = await support.submitted(client, ganyu_owner, ganyu_org["id"])
    await support.create(client, haizhou_owner, haizhou_org["id"])  # a draft: nobody reviews it yet
    await support.published(client, reviewer, ganyu_owner, ganyu_org["id"])  # reviewed already

    haizhou_admin = await factories.role_holder(
        client, db, PlatformRole.DISTRICT_ADMIN, factories.HAIZHOU_CODE
    )
    ganyu_admin = await factories.role_holder(client, db, PlatformRole.DISTRICT_ADMIN, factories.GANYU_CODE)
    city_admin = await factories.role_holder(client, db, PlatformRole.CITY_ADMIN)
    city_agency, _ = await support.agency(client, db)
    unverified, _ = await support.agency(client, db, verified=False)
    bystander = await factories.account(client)

    both = sorted([in_haizhou["id"], in_ganyu["id"]])
    assert sorted(support.ids(await support.listed(client, city_admin, scope="review"))) == both
    assert sorted(support.ids(await support.listed(client, city_agency, scope="review"))) == both
    assert support.ids(await support.listed(client, haizhou_admin, scope="review")) == [in_haizhou["id"]]
    assert support.ids(await support.listed(client, ganyu_admin, scope="review")) == [in_ganyu["id"]]
    for nobody in (unverified, bystander, haizhou_owner, ganyu_owner):
        assert support.ids(await support.listed(client, nobody, scope="review")) == []
    # Everything listed is something the caller may act on.
    for item in (await support.listed(client, haizhou_admin, scope="review"))["items"]:
        assert item["status"] == "submitted"


async def test_an_api_key_of_a_verified_agency_reviews_nothing(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    """Review is a person's decision: a machine key sees no review queue and cannot publish."""
    agency_owner, agency_org = await support.agency(client, db)
    created = await client.post(
        f"/api/v1/organizations/{agency_org['id']}/api-keys",
        json={"name": "同步", "scopes": ["read", "write"]},
        headers=agency_owner.headers,
    )
    assert created.status_code == 201, created.text
    machine = factories.Account(
        id=0,
        email="",
        password="",
        access_token="",
        refresh_token="",
        headers={"Authorization": f"Bearer {created.json()['key']}"},
    )
    owner, organization = await support.poster(client)
    demand = await support.submitted(client, owner, organization["id"])
    assert support.ids(await support.listed(client, machine, scope="review")) == []
    assert (await read(client, machine, demand["id"])).status_code == 404
    assert (await act(client, machine, demand["id"], "publish")).status_code == 404
