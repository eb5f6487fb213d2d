"""Contact numbers: mainland mobiles (with +86) and landlines with their area code and an optional
extension are accepted everywhere a contact number is (API, import), stored in one form and masked
the same way for every reader who is not the owner."""

from __future__ import annotations

import re

import pytest
from httpx import AsyncClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.identifiers import PHONE_PATTERN, mask_phone, normalize_phone
from tests import factories
from tests.demands import support
from tests.imports.support import DEMAND_ROW, table, upload, xlsx


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("0086-13812345678", "13812345678"),
        ("0518-85427978", "0518-85427978"),
        ("0518 8542 7978", "0518-85427978"),
        ("(0518)85427978", "0518-85427978"),
        ("（0518）85427978", "0518-85427978"),
        ("051885427978", "0518-85427978"),
        ("+86 518 85427978", "0518-85427978"),
        ("0518-85427978-123", "0518-85427978-123"),
        ("0518-85427978转123", "0518-85427978-123"),
        ("0518-85427978 分机 8", "0518-85427978-8"),
        ("010-62345678", "010-62345678"),
        ("021-6234-5678-88", "021-62345678-88"),
        ("+86 10 62345678 ext 9", "010-62345678-9"),
    ],
)
def test_mobiles_and_landlines_are_stored_in_one_form(raw: str, stored: str) -> None:
    assert normalize_phone(raw) == stored


@pytest.mark.parametrize(
    "raw",
    [
        "110",
        "12345",
        "0518-05427978",
        "51885427978",
        "0518-854279",
        "0518-85427978-1234567",
        "028-1234567x",
        "",
    ],
)
def test_what_is_no_phone_number_is_refused(raw: str) -> None:
    assert normalize_phone(raw) is None


@given(st.from_regex(PHONE_PATTERN, fullmatch=True))
def test_what_the_declared_pattern_allows_is_accepted(raw: str) -> None:
    assert normalize_phone(raw) is not None


@given(st.text(alphabet="0123456789 -+()（）转分机#xext.\n", max_size=24))
def test_the_declared_pattern_and_the_check_agree(raw: str) -> None:
    """Clients validate with the OpenAPI pattern; the API accepts exactly what it allows."""
    assert (normalize_phone(raw) is not None) == (re.fullmatch(PHONE_PATTERN, raw) is not None)


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("13812345678", "138****5678"),
        ("0518-85427978", "0518-****7978"),
        ("0518-85427978-123", "0518-****7978"),
        ("010-62345678", "010-****5678"),
    ],
)
def test_numbers_are_masked_alike(number: str, masked: str) -> None:
    assert mask_phone(number) == masked


async def test_a_landline_is_accepted_and_masked_for_other_readers(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    owner, organization = await support.poster(client)
    reviewer = await factories.admin(client, db)
    demand = await support.published(
        client,
        reviewer,
        owner,
        organization["id"],
        confidentiality="public",
        contact_phone="0518-8542 7978 转 12",
    )
    own = await client.get(f"{support.URL}/{demand['id']}", headers=owner.headers)
    assert own.json()["contact_phone"] == "0518-85427978-12"
    public = await client.get(f"{support.URL}/{demand['id']}")
    assert public.json()["contact_phone"] == "0518-****7978"
    assert "85427978" not in public.text
    listed = await support.listed(client, None)
    [item] = [item for item in listed["items"] if item["id"] == demand["id"]]
    assert item["contact_phone"] == "0518-****7978"


async def test_a_wrong_number_is_refused_with_a_message_that_says_what_passes(client: AsyncClient) -> None:
    owner, organization = await support.poster(client)
    body = support.demand_body(organization["id"], contact_phone="0518-123")
    response = await client.post(support.URL, json=body, headers=owner.headers)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["loc"] == ["body", "contact_phone"]
    assert "0518-85427978" in error["message"]
    assert "固定电话" in error["message"]


async def test_an_organization_and_an_account_take_landlines_too(client: AsyncClient) -> None:
    owner = await factories.account(client, "owner")
    read = await client.get("/api/v1/users/me", headers=owner.headers)
    headers = owner.headers | {"If-Match": read.headers["etag"]}
    me = await client.patch("/api/v1/users/me", json={"phone": "+86 518 85427978"}, headers=headers)
    assert me.status_code == 200, me.text
    assert me.json()["phone"] == "0518-85427978"
    organization = await factories.organization(client, owner)
    url = f"/api/v1/organizations/{organization['id']}"
    etag = (await client.get(url, headers=owner.headers)).headers["etag"]
    changed = await client.patch(
        url, json={"contact_phone": "0518-85427978-6"}, headers=owner.headers | {"If-Match": etag}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["contact_phone"] == "0518-85427978-6"


async def test_the_import_takes_landlines_and_refuses_bad_numbers_per_row(client: AsyncClient) -> None:
    owner, organization = await support.poster(client)
    rows = [
        DEMAND_ROW | {"客户编号": "XQ-1", "联系电话": "0518-85427978"},
        DEMAND_ROW | {"客户编号": "XQ-2", "联系电话": "+86 13812345678"},
        DEMAND_ROW | {"客户编号": "XQ-3", "联系电话": "0518-123"},
    ]
    response = await upload(client, owner, "demands", organization["id"], xlsx(table(rows)), dry_run=True)
    assert response.status_code == 200, response.text
    report = response.json()
    assert [(error["row"], error["code"]) for error in report["errors"]] == [(4, "invalid_phone")]
    accepted = await upload(client, owner, "demands", organization["id"], xlsx(table(rows[:2])))
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["created_count"] == 2
    mine = await client.get(f"{support.URL}?scope=mine&sort=newest", headers=owner.headers)
    assert sorted(item["contact_phone"] for item in mine.json()["items"]) == ["0518-85427978", "13812345678"]
