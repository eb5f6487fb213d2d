"""What an achievement must say (maturity, a price or 面议), its patents' numbers, and what a caller may
not set (server-owned fields) or clear (required fields)."""

from __future__ import annotations

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests import factories
from tests.achievements import support
from tests.achievements.support import URL, errors_text


async def _post(client: AsyncClient, **fields: object) -> tuple[int, dict[str, object]]:
    owner, organization = await support.owner_of(client)
    body = support.achievement_body(organization["id"], **fields)
    body = {name: value for name, value in body.items() if value is not _ABSENT}
    response = await client.post(URL, json=body, headers=owner.headers)
    return response.status_code, dict(response.json())


_ABSENT = object()


@pytest.mark.parametrize(
    ("raw", "canonical", "patent_type"),
    [
        ("201710601862.3", "201710601862.3", "invention"),
        ("ZL201710601862.3", "201710601862.3", "invention"),
        ("zl201710601862.3", "201710601862.3", "invention"),
        ("201720601862.9", "201720601862.9", "utility_model"),
        ("201730601862.4", "201730601862.4", "design"),
        ("201780601862.1", "201780601862.1", "pct_invention"),
        ("201790601862.7", "201790601862.7", "pct_utility_model"),
        ("95115608.X", "95115608.X", "invention"),
        ("95215608.3", "95215608.3", "utility_model"),
    ],
)
async def test_valid_patent_numbers_are_stored_with_their_type(
    client: AsyncClient, raw: str, canonical: str, patent_type: str
) -> None:
    status, body = await _post(client, patents=[{"application_number": raw}])
    assert status == 201, body
    assert body["patents"] == [
        {"application_number": canonical, "patent_type": patent_type, "status": "pending", "title": None}
    ]


async def test_a_wrong_check_character_is_named(client: AsyncClient) -> None:
    owner, organization = await support.owner_of(client)
    body = support.achievement_body(organization["id"], patents=[{"application_number": "201710601862.4"}])
    response = await client.post(URL, json=body, headers=owner.headers)
    assert response.status_code == 422
    assert "校验位错误" in errors_text(response)
    assert ".3" in errors_text(response)
    assert response.json()["errors"][0]["loc"][:4] == ["body", "patents", 0, "application_number"]


@pytest.mark.parametrize(
    "raw", ["201740601862.3", "20171060186.3", "2017106018623", "CN201710601862.3", "95415608.X"]
)
async def test_malformed_patent_numbers_are_refused(client: AsyncClient, raw: str) -> None:
    status, _ = await _post(client, patents=[{"application_number": raw}])
    assert status == 422


async def test_a_patent_listed_twice_is_refused(client: AsyncClient) -> None:
    twice = [{"application_number": "201710601862.3"}, {"application_number": "ZL201710601862.3"}]
    status, body = await _post(client, patents=twice)
    assert status == 422
    assert "同一申请号填写了两次" in str(body)


async def test_patents_given_on_update_replace_the_set(client: AsyncClient) -> None:
    owner, organization = await support.owner_of(client)
    achievement = await support.create(client, owner, organization["id"])
    replaced = await support.patch(
        client,
        owner,
        achievement["id"],
        {"patents": [{"application_number": "201710601862.3"}, {"application_number": "95115608.X"}]},
    )
    assert replaced.status_code == 200, replaced.text
    assert [p["application_number"] for p in replaced.json()["patents"]] == ["201710601862.3", "95115608.X"]
    assert replaced.json()["patents"][0]["status"] == "pending"  # the set was replaced, not merged
    kept = await support.patch(client, owner, achievement["id"], {"title": "新的标题"})
    assert len(kept.json()["patents"]) == 2
    emptied = await support.patch(client, owner, achievement["id"], {"patents": []})
    assert emptied.json()["patents"] == []


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"asking_price_fen": 100, "is_price_negotiable": True}, 422),
        ({"asking_price_fen": _ABSENT}, 422),
        ({"asking_price_fen": _ABSENT, "is_price_negotiable": False}, 422),
        ({"asking_price_fen": _ABSENT, "is_price_negotiable": True}, 201),
        ({"asking_price_fen": 0}, 201),
        ({"asking_price_fen": "100"}, 422),
        ({"asking_price_fen": True}, 422),
        ({"asking_price_fen": 2**53}, 422),
        ({"asking_price_fen": -1}, 422),
    ],
)
async def test_a_price_or_negotiable(client: AsyncClient, fields: dict[str, object], status: int) -> None:
    assert (await _post(client, **fields))[0] == status


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"trl": _ABSENT, "stage": _ABSENT}, 422),
        ({"trl": None, "stage": None}, 422),
        ({"trl": 3, "stage": _ABSENT}, 201),
        ({"trl": _ABSENT, "stage": "industrialized"}, 201),
        ({"trl": 0}, 422),
        ({"trl": 10}, 422),
        ({"transfer_modes": []}, 422),
        ({"abstract": "太短"}, 422),
        ({"application_industries": [f"行业{i}" for i in range(11)]}, 422),
        ({"team": [{"name": f"成员{i}"} for i in range(31)]}, 422),
        ({"team": [{"name": "王某", "email": "x@example.com"}]}, 422),
    ],
)
async def test_what_an_achievement_must_say(
    client: AsyncClient, fields: dict[str, object], status: int
) -> None:
    assert (await _post(client, **fields))[0] == status


async def test_the_level_defaults_to_unevaluated(client: AsyncClient) -> None:
    status, body = await _post(client, level=_ABSENT)
    assert status == 201
    assert body["level"] == "unevaluated"


async def test_a_price_and_negotiable_replace_each_other_on_update(client: AsyncClient) -> None:
    owner, organization = await support.owner_of(client)
    achievement = await support.create(client, owner, organization["id"])
    negotiable = await support.patch(client, owner, achievement["id"], {"is_price_negotiable": True})
    assert negotiable.status_code == 200, negotiable.text
    assert negotiable.json()["asking_price_fen"] is None
    priced = await support.patch(client, owner, achievement["id"], {"asking_price_fen": 5_000})
    assert (priced.json()["asking_price_fen"], priced.json()["is_price_negotiable"]) == (5_000, False)
    neither = await support.patch(client, owner, achievement["id"], {"asking_price_fen": None})
    assert neither.status_code == 422
    both = await support.patch(
        client, owner, achievement["id"], {"asking_price_fen": 1, "is_price_negotiable": True}
    )
    assert both.status_code == 422


SERVER_OWNED: list[dict[str, object]] = [
    {"status": "published"},
    {"revision": 7},
    {"published_at": "2026-01-01T00:00:00Z"},
    {"search_text": "锂电池"},
    {"reviewed_by_id": 1},
    {"number": "CG20260000001"},
    {"patents": [{"application_number": "201710601862.3", "patent_type": "design"}]},
]
CLEARING_REQUIRED: list[dict[str, object]] = [
    {"title": None},
    {"abstract": None},
    {"tech_field": None},
    {"transfer_modes": None},
    {"is_price_negotiable": None},
    {"region_id": None},
    {"trl": None, "stage": None},
]


@pytest.mark.parametrize("body", [*SERVER_OWNED, {"organization_id": 1}, *CLEARING_REQUIRED])
async def test_a_refused_update_changes_nothing(
    client: AsyncClient, db: async_sessionmaker[AsyncSession], body: dict[str, object]
) -> None:
    owner, organization = await support.owner_of(client)
    achievement = await support.create(client, owner, organization["id"])
    before = await support.stored(db, achievement["id"])
    response = await support.patch(client, owner, achievement["id"], body)
    assert response.status_code == 422, response.text
    assert await support.stored(db, achievement["id"]) == before


@pytest.mark.parametrize("body", SERVER_OWNED)
async def test_server_owned_fields_cannot_be_set_on_create(
    client: AsyncClient, body: dict[str, object]
) -> None:
    status, _ = await _post(client, **body)
    assert status == 422


async def test_optional_fields_can_be_cleared(client: AsyncClient) -> None:
    owner, organization = await support.owner_of(client)
    achievement = await support.create(client, owner, organization["id"], valid_until="2099-12-31")
    response = await support.patch(
        client, owner, achievement["id"], {"trl": None, "valid_until": None, "contact_phone": None}
    )
    assert response.status_code == 200, response.text
    cleared = response.json()
    assert (cleared["trl"], cleared["stage"], cleared["valid_until"]) == (None, "pilot", None)
    assert cleared["contact_phone"] is None


async def test_a_published_achievement_is_not_edited_directly(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.owner_of(client)
    reviewer = await factories.admin(client, db)
    achievement = await support.published(client, reviewer, owner, organization["id"])
    response = await support.patch(client, owner, achievement["id"], {"title": "发布后的新标题"})
    assert response.status_code == 409
    assert response.json()["code"] == "not_editable"
