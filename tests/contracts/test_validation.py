"""What a registrar refuses outright is a 422 naming every failing field with its code; money is
integer fen from 0 to 2^53 − 1, and nothing else passes for it."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.contracts import support
from tests.contracts.support import URL

MAX_FEN = 2**53 - 1


@pytest.fixture
async def parties(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> support.Parties:
    return await support.parties(client, db)


async def _create(client: AsyncClient, parties: support.Parties, **overrides: Any) -> Any:
    body = {"organization_id": parties.seller["id"], **support.terms(parties.buyer["id"]), **overrides}
    return await client.post(URL, json=body, headers=parties.seller_owner.headers)


def _codes(response: Any) -> dict[str, str]:
    return {
        ".".join(str(part) for part in error["loc"][1:]): error["code"] for error in response.json()["errors"]
    }


async def test_every_failing_field_is_named_at_once(client: AsyncClient, parties: support.Parties) -> None:
    response = await _create(
        client,
        parties,
        subtype="patent_license",
        signed_on="2099-01-01",
        valid_from="2027-01-01",
        valid_to="2026-01-01",
        buyer={
            "name": "江苏某某科技有限公司",
            "legal_person_type": "100",
            "area_code": "990101",
            "credit_code": "91110000600037341I",
        },
        total_fen=10_000,
        deductions=[{"item": "设备", "amount_fen": 20_000}],
        expected_investment_fen=100,
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert _codes(response) == {
        "subtype": "subtype_not_of_type",
        "signed_on": "signed_in_future",
        "valid_to": "inverted_range",
        "buyer.area_code": "invalid_area_code",
        "buyer.credit_code": "invalid_credit_code",
        "deductions": "deductions_exceed_total",
        "expected_investment_fen": "only_for_transfers",
    }
    assert (await client.get(URL, params={"scope": "mine"}, headers=parties.seller_owner.headers)).json()[
        "total"
    ] == 0


async def test_the_buyer_may_not_be_the_seller(client: AsyncClient, parties: support.Parties) -> None:
    response = await _create(client, parties, buyer={"organization_id": parties.seller["id"]})
    assert _codes(response) == {"buyer": "buyer_is_seller"}
    external = await _create(client, parties, buyer={"name": "某公司", "legal_person_type": "100"})
    assert _codes(external) == {"buyer.credit_code": "credit_code_required"}
    foreign = await _create(
        client, parties, buyer={"name": "Acme GmbH", "country_code": "DEU", "legal_person_type": "300"}
    )
    assert foreign.status_code == 201, foreign.text
    assert foreign.json()["buyer"]["region_id"] is None


@pytest.mark.parametrize("amount", [0, 1, MAX_FEN])
async def test_amounts_from_zero_to_the_largest_exact_integer(
    client: AsyncClient, parties: support.Parties, amount: int
) -> None:
    response = await _create(client, parties, total_fen=amount, deductions=[], payments=[])
    assert response.status_code == 201, response.text
    assert response.json()["total_fen"] == amount
    assert response.json()["technical_income_fen"] == amount


async def test_the_largest_deduction(client: AsyncClient, parties: support.Parties) -> None:
    response = await _create(
        client, parties, total_fen=MAX_FEN, deductions=[{"item": "设备", "amount_fen": MAX_FEN}], payments=[]
    )
    assert response.status_code == 201, response.text
    assert response.json()["technical_income_fen"] == 0


@pytest.mark.parametrize("value", [True, False, "100", 100.0, 100.5, -1, MAX_FEN + 1, None])
async def test_anything_but_a_whole_number_of_fen_is_refused(
    client: AsyncClient, parties: support.Parties, value: object
) -> None:
    response = await _create(client, parties, total_fen=value)
    assert response.status_code == 422, response.text
    assert [error["loc"] for error in response.json()["errors"]] == [["body", "total_fen"]]
    deduction = await _create(client, parties, deductions=[{"item": "设备", "amount_fen": value}])
    assert deduction.status_code == 422, deduction.text


async def test_derived_income_and_server_fields_are_not_accepted(
    client: AsyncClient, parties: support.Parties
) -> None:
    for field, value in (
        ("technical_income_fen", 1),
        ("status", "registered"),
        ("registration_number", "2026320706000001"),
    ):
        response = await _create(client, parties, **{field: value})
        assert response.status_code == 422, field
        assert response.json()["errors"][0]["code"] == "extra_forbidden"


async def test_filing_for_another_organization_is_refused(
    client: AsyncClient, parties: support.Parties
) -> None:
    body = {"organization_id": parties.buyer["id"], **support.terms(parties.seller["id"])}
    response = await client.post(URL, json=body, headers=parties.seller_owner.headers)
    assert response.status_code == 403
    assert response.json()["code"] == "not_seller_member"


async def test_precheck_names_what_a_registrar_would_raise(
    client: AsyncClient, parties: support.Parties
) -> None:
    clean = await support.filed(client, parties)
    response = await client.get(f"{URL}/{clean['id']}/precheck", headers=parties.seller_owner.headers)
    assert response.json() == {"ready": True, "findings": []}

    doubtful = await support.filed(
        client,
        parties,
        project_name="一种锂电池负极材料专利转让合同",
        price_terms="按销售额提成",
        content_summary="乙方不得改进该技术。",
        attachments=[],
        payments=[{"amount_fen": 1}],
    )
    response = await client.get(f"{URL}/{doubtful['id']}/precheck", headers=parties.seller_owner.headers)
    found = {(item["ground"], item["code"]) for item in response.json()["findings"]}
    assert found == {
        ("missing_proofs", "contract_text_missing"),
        ("title_mismatch", "title_not_of_type"),
        ("unclear_terms", "royalty_unclear"),
        ("unclear_terms", "payments_do_not_add_up"),
        ("restrictive_clauses", "restrictive_phrase"),
    }
    assert response.json()["ready"] is False
    english = await client.get(
        f"{URL}/{doubtful['id']}/precheck", headers={**parties.seller_owner.headers, "Accept-Language": "en"}
    )
    messages = [item["message"] for item in english.json()["findings"]]
    assert any("filed as development" in message for message in messages), messages
    chinese = [item["message"] for item in response.json()["findings"]]
    assert any("技术开发" in message for message in chinese), chinese
