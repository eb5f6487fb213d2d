"""A contract from filing to registration, over HTTP, as the seller side and a registrar use it."""

from __future__ import annotations

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.enums import PlatformRole
from tests.contracts import support
from tests.contracts.support import URL
from tests.factories import GANYU_CODE, audit_events, admin, role_holder


async def test_filed_submitted_accepted_registered(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    parties = await support.parties(client, db)
    contract = await support.filed(client, parties)
    assert contract["status"] == "draft"
    assert contract["technical_income_fen"] == 100_000_000
    assert contract["deductions_fen"] == 20_000_000
    assert contract["seller"]["kind"] == "university"
    assert contract["seller"]["area_code"] == "320706"
    assert contract["buyer"]["area_code"] == "320707"
    assert contract["rule_set"] == "rules_2026"

    submitted = await support.act(client, parties.seller_owner, contract["id"], "submit")
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["due_on"] is not None
    accepted = await support.act(client, parties.registrar, contract["id"], "accept")
    assert accepted.status_code == 200, accepted.text
    registered = await support.act(client, parties.registrar, contract["id"], "register")
    assert registered.status_code == 200, registered.text
    number = registered.json()["registration_number"]
    assert len(number) == 16 and number.startswith("2026320706")

    ledger = await client.get(f"{URL}/{contract['id']}/ledger", headers=parties.seller_owner.headers)
    assert [(e["kind"], e["count_delta"], e["total_fen_delta"]) for e in ledger.json()] == [
        ("registration", 1, 120_000_000)
    ]
    events = await audit_events(client, await admin(client, db), "contract", contract["id"])
    assert "contract.registered" in [event["action"] for event in events]


async def test_another_district_registrar_cannot_see_or_act(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    parties = await support.parties(client, db)
    contract = await support.filed(client, parties)
    await support.act(client, parties.seller_owner, contract["id"], "submit")
    stranger = await role_holder(client, db, PlatformRole.REGISTRAR, GANYU_CODE)
    assert (await client.get(f"{URL}/{contract['id']}", headers=stranger.headers)).status_code == 404
    response = await support.act(client, stranger, contract["id"], "accept")
    assert response.status_code == 404
