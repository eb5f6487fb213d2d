"""Editing a demand: only its organization, only before publication, only with a fresh If-Match, and
only the fields a poster owns."""

from __future__ import annotations

import pytest
from httpx import AsyncClient, Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests import factories
from tests.conftest import Indexed
from tests.demands import support
from tests.demands.support import problem_code, read
from tests.factories import Account


async def _patch(
    client: AsyncClient, who: Account | None, demand_id: object, body: object, etag: str | None
) -> Response:
    headers = dict(who.headers) if who else {}
    if etag is not None:
        headers["If-Match"] = etag
    return await client.patch(f"{support.URL}/{demand_id}", json=body, headers=headers)


async def _etag(client: AsyncClient, who: Account, demand_id: object) -> str:
    response = await read(client, who, demand_id)
    assert response.status_code == 200, response.text
    return response.headers["ETag"]


async def test_owner_edits_a_draft_and_the_etag_moves(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], indexed: Indexed
) -> None:
    owner, organization = await support.poster(client)
    colleague, _ = await factories.member(client, owner, organization["id"])
    demand = await support.create(client, owner, organization["id"])
    etag = await _etag(client, owner, demand["id"])

    edited = await _patch(
        client, colleague, demand["id"], {"title": "钠离子电池正极材料需求", "keywords": ["钠电"]}, etag
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["title"] == "钠离子电池正极材料需求"
    assert edited.json()["keywords"] == ["钠电"]
    assert edited.headers["ETag"] != etag
    assert edited.headers["ETag"] == await _etag(client, owner, demand["id"])

    # The edit is searchable, the old wording no longer.
    reviewer = await factories.admin(client, db)
    assert (await support.act(client, owner, demand["id"], "submit")).status_code == 200
    assert (await support.act(client, reviewer, demand["id"], "publish")).status_code == 200
    await indexed()
    assert support.ids(await support.listed(client, q="钠离子")) == [demand["id"]]
    assert support.ids(await support.listed(client, q="产业化")) == []

    events = await client.get(
        "/api/v1/audit-events",
        params={"entity_type": "demand", "entity_id": str(demand["id"]), "action": "demand.update"},
        headers=reviewer.headers,
    )
    [event] = events.json()["items"]
    assert event["actor_user_id"] == colleague.id
    assert event["before"]["title"] == demand["title"]
    assert event["after"]["title"] == "钠离子电池正极材料需求"


async def test_if_match_is_required_and_must_be_fresh(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.poster(client)
    demand = await support.create(client, owner, organization["id"])
    etag = await _etag(client, owner, demand["id"])
    before = support.snapshot(await support.stored(db, demand["id"]))

    missing = await _patch(client, owner, demand["id"], {"title": "新的标题"}, None)
    assert missing.status_code == 428
    assert problem_code(missing) == "precondition_required"
    assert support.snapshot(await support.stored(db, demand["id"])) == before

    assert (await _patch(client, owner, demand["id"], {"title": "第一次修改"}, etag)).status_code == 200
    stale = await _patch(client, owner, demand["id"], {"title": "第二次修改"}, etag)
    assert stale.status_code == 412
    assert problem_code(stale) == "precondition_failed"
    assert (await read(client, owner, demand["id"])).json()["title"] == "第一次修改"


async def test_another_organization_cannot_edit_a_published_demand(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.poster(client)
    outsider, _ = await support.poster(client)
    reviewer = await factories.admin(client, db)
    demand = await support.published(client, reviewer, owner, organization["id"])
    before = support.snapshot(await support.stored(db, demand["id"]))
    # The published demand's ETag is public; even with it, the outsider is refused.
    etag = (await read(client, None, demand["id"])).headers["ETag"]

    for headers_etag in (etag, None, '"demand-0-v0"'):
        refused = await _patch(client, outsider, demand["id"], {"title": "被篡改的标题"}, headers_etag)
        assert refused.status_code == 403, (headers_etag, refused.text)
        assert problem_code(refused) == "not_listing_owner"
    anonymous = await _patch(client, None, demand["id"], {"title": "被篡改的标题"}, etag)
    assert anonymous.status_code == 401
    assert support.snapshot(await support.stored(db, demand["id"])) == before


async def test_another_organization_gets_404_for_a_draft(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.poster(client)
    outsider, _ = await support.poster(client)
    demand = await support.create(client, owner, organization["id"])
    etag = await _etag(client, owner, demand["id"])
    before = support.snapshot(await support.stored(db, demand["id"]))
    for who in (outsider, None):
        refused = await _patch(client, who, demand["id"], {"title": "被篡改的标题"}, etag)
        assert refused.status_code == 404, refused.text
    for action in ("submit", "withdraw", "close"):
        assert (await support.act(client, outsider, demand["id"], action)).status_code == 404
    assert support.snapshot(await support.stored(db, demand["id"])) == before


async def test_a_reviewer_cannot_edit_what_they_review(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.poster(client)
    reviewer = await factories.admin(client, db)
    demand = await support.submitted(client, owner, organization["id"])
    etag = await _etag(client, reviewer, demand["id"])  # a reviewer reads what it reviews
    refused = await _patch(client, reviewer, demand["id"], {"title": "审核人改的标题"}, etag)
    assert refused.status_code == 403
    assert problem_code(refused) == "not_listing_owner"
    assert (await support.act(client, reviewer, demand["id"], "return", "请补充")).status_code == 200
    hidden = await _patch(client, reviewer, demand["id"], {"title": "审核人改的标题"}, etag)
    assert hidden.status_code == 404  # returned, it is the owner's alone again


@pytest.mark.parametrize("status", ["submitted", "published"])
async def test_only_drafts_and_returned_demands_are_edited(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], status: str
) -> None:
    owner, organization = await support.poster(client)
    reviewer = await factories.admin(client, db)
    if status == "published":
        demand = await support.published(client, reviewer, owner, organization["id"])
    else:
        demand = await support.submitted(client, owner, organization["id"])
    before = support.snapshot(await support.stored(db, demand["id"]))
    etag = await _etag(client, owner, demand["id"])
    refused = await _patch(client, owner, demand["id"], {"title": "发布后修改"}, etag)
    assert refused.status_code == 409
    assert problem_code(refused) == "not_editable"
    assert support.snapshot(await support.stored(db, demand["id"])) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "published"),
        ("organization_id", 1),
        ("reviewed_by_id", 1),
        ("created_by_id", 1),
        ("revision", 5),
        ("version", 9),
        ("published_at", "2026-01-01T00:00:00Z"),
        ("submitted_at", "2026-01-01T00:00:00Z"),
        ("search_text", "伪造 关键词"),
        ("review_reason", "自己写的审核意见"),
        ("client_key", "other"),
        ("number", "XQ1"),
        ("id", 1),
    ],
)
async def test_server_owned_fields_are_refused_on_update(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], field: str, value: object
) -> None:
    owner, organization = await support.poster(client)
    _, other_org = await support.poster(client)
    demand = await support.create(client, owner, organization["id"])
    etag = await _etag(client, owner, demand["id"])
    before = support.snapshot(await support.stored(db, demand["id"]))
    if field == "organization_id":
        value = other_org["id"]
    refused = await _patch(client, owner, demand["id"], {"title": "合法的修改", field: value}, etag)
    assert refused.status_code == 422, refused.text
    assert [error["loc"] for error in refused.json()["errors"]] == [["body", field]]
    assert support.snapshot(await support.stored(db, demand["id"])) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "published"),
        ("reviewed_by_id", 1),
        ("created_by_id", 1),
        ("revision", 5),
        ("published_at", "2026-01-01T00:00:00Z"),
        ("search_text", "伪造 关键词"),
        ("review_reason", "自己写的审核意见"),
    ],
)
async def test_server_owned_fields_are_refused_on_create(
    client: AsyncClient, field: str, value: object
) -> None:
    owner, organization = await support.poster(client)
    refused = await client.post(
        support.URL, json=support.demand_body(organization["id"], **{field: value}), headers=owner.headers
    )
    assert refused.status_code == 422, refused.text
    assert [error["loc"] for error in refused.json()["errors"]] == [["body", field]]
    assert (await support.listed(client, owner, scope="mine"))["total"] == 0


async def test_posting_for_an_organization_one_does_not_belong_to(client: AsyncClient) -> None:
    owner, organization = await support.poster(client)
    outsider = await factories.account(client)
    refused = await client.post(
        support.URL, json=support.demand_body(organization["id"]), headers=outsider.headers
    )
    assert refused.status_code == 403
    assert problem_code(refused) == "not_member"
    anonymous = await client.post(support.URL, json=support.demand_body(organization["id"]))
    assert anonymous.status_code == 401
    assert (await support.listed(client, owner, scope="mine"))["total"] == 0


@pytest.mark.parametrize(
    "field",
    [
        "title",
        "description",
        "tech_field",
        "demand_type",
        "cooperation_modes",
        "keywords",
        "region_id",
        "confidentiality",
        "confidential_detail",
        "is_budget_negotiable",
    ],
)
async def test_required_fields_cannot_be_nulled(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], field: str
) -> None:
    owner, organization = await support.poster(client)
    demand = await support.create(client, owner, organization["id"])
    etag = await _etag(client, owner, demand["id"])
    before = support.snapshot(await support.stored(db, demand["id"]))
    refused = await _patch(client, owner, demand["id"], {field: None}, etag)
    assert refused.status_code == 422, refused.text
    assert support.snapshot(await support.stored(db, demand["id"])) == before


async def test_optional_fields_can_be_cleared(client: AsyncClient) -> None:
    owner, organization = await support.poster(client)
    demand = await support.create(client, owner, organization["id"], valid_until="2099-12-31")
    etag = await _etag(client, owner, demand["id"])
    cleared = await _patch(
        client, owner, demand["id"], {"valid_until": None, "contact_name": None, "contact_phone": None}, etag
    )
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["valid_until"] is None
    assert cleared.json()["contact_phone"] is None


async def test_moving_a_demand_to_another_region(client: AsyncClient) -> None:
    owner, organization = await support.poster(client, factories.HAIZHOU_CODE)
    demand = await support.create(client, owner, organization["id"])
    assert demand["region_id"] == organization["region_id"]
    ganyu = await factories.region_id(client, factories.GANYU_CODE)
    etag = await _etag(client, owner, demand["id"])
    moved = await _patch(client, owner, demand["id"], {"region_id": ganyu}, etag)
    assert moved.status_code == 200, moved.text
    assert moved.json()["region_id"] == ganyu
    missing = await _patch(client, owner, demand["id"], {"region_id": 9_999_999}, moved.headers["ETag"])
    assert missing.status_code == 404
    assert (await read(client, owner, demand["id"])).json()["region_id"] == ganyu


async def test_posting_names_existing_things(client: AsyncClient) -> None:
    owner, organization = await support.poster(client)
    no_region = await client.post(
        support.URL, json=support.demand_body(organization["id"], region_id=9_999_999), headers=owner.headers
    )
    assert no_region.status_code == 404, no_region.text
    no_org = await client.post(support.URL, json=support.demand_body(9_999_999), headers=owner.headers)
    assert no_org.status_code == 404, no_org.text
    for bad_id in ("0", "abc", str(2**63)):
        assert (await client.get(f"{support.URL}/{bad_id}")).status_code == 422
    assert (await support.listed(client, owner, scope="mine"))["total"] == 0


async def test_a_client_key_is_used_once_per_organization(client: AsyncClient) -> None:
    owner, organization = await support.poster(client)
    other_owner, other_org = await support.poster(client)
    await support.create(client, owner, organization["id"], client_key="ERP-1")
    again = await client.post(
        support.URL, json=support.demand_body(organization["id"], client_key="ERP-1"), headers=owner.headers
    )
    assert again.status_code == 409
    assert problem_code(again) == "duplicate_client_key"
    await support.create(client, other_owner, other_org["id"], client_key="ERP-1")
    assert (await support.listed(client, owner, scope="mine"))["total"] == 1
