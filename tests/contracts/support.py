"""Contracts through the API: a seller organization and its buyer, a registrar of the seller's
district, and a contract's way to registration."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.enums import PlatformRole
from tests.factories import GANYU_CODE, HAIZHOU_CODE, Account, account, organization, role_holder

URL = "/api/v1/contracts"


@dataclass
class Parties:
    seller_owner: Account
    seller: dict[str, Any]
    buyer_owner: Account
    buyer: dict[str, Any]
    registrar: Account


async def parties(
    client: AsyncClient,
    db: async_sessionmaker[AsyncSession],
    *,
    seller_region: str = HAIZHOU_CODE,
    registrar_region: str | None = None,
) -> Parties:
    seller_owner = await account(client, "seller")
    seller = await organization(
        client, seller_owner, kind="university", legal_person_type="022", region_code=seller_region
    )
    buyer_owner = await account(client, "buyer")
    buyer = await organization(client, buyer_owner, region_code=GANYU_CODE)
    registrar = await role_holder(client, db, PlatformRole.REGISTRAR, registrar_region or seller_region)
    return Parties(seller_owner, seller, buyer_owner, buyer, registrar)


def terms(buyer_id: object, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "project_name": "锂离子电池负极材料制备技术开发合同",
        "contract_type": "development",
        "subtype": "commissioned_development",
        "signed_on": "2026-11-20",
        "valid_from": "2026-12-01",
        "valid_to": "2027-11-30",
        "buyer": {"organization_id": buyer_id},
        "tech_field": "new_materials",
        "ip_type": "invention_patent",
        "content_summary": "开发硅碳负极材料的制备工艺，首次效率不低于88%。",
        "price_terms": "合同总价120万元，签订后支付50%，验收后支付50%。",
        "total_fen": 120_000_000,
        "deductions": [{"item": "采购检测设备", "amount_fen": 20_000_000}],
        "payments": [
            {"due_on": "2026-12-15", "amount_fen": 60_000_000, "condition": "合同签订后"},
            {"due_on": "2027-10-30", "amount_fen": 60_000_000, "condition": "验收合格后"},
        ],
        "attachments": [
            {
                "kind": "contract_text",
                "file_name": "合同.pdf",
                "media_type": "application/pdf",
                "size_bytes": 204800,
            }
        ],
    }
    return {**body, **overrides}


async def filed(client: AsyncClient, parties: Parties, **overrides: Any) -> dict[str, Any]:
    body = {"organization_id": parties.seller["id"], **terms(parties.buyer["id"]), **overrides}
    response = await client.post(URL, json=body, headers=parties.seller_owner.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def act(client: AsyncClient, who: Account, contract_id: object, action: str, **body: Any) -> Any:
    return await client.post(f"{URL}/{contract_id}/{action}", json=body or None, headers=who.headers)


async def registered(client: AsyncClient, parties: Parties, **overrides: Any) -> dict[str, Any]:
    contract = await filed(client, parties, **overrides)
    for who, action in (
        (parties.seller_owner, "submit"),
        (parties.registrar, "accept"),
        (parties.registrar, "register"),
    ):
        response = await act(client, who, contract["id"], action)
        assert response.status_code == 200, response.text
    return dict(response.json())
