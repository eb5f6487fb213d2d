"""A contract from filing to registration, over HTTP, as the seller side and a registrar use it."""

from __future__ import annotations

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.enums import PlatformRole
from tests.contracts import support
from tests.contracts.support import URL
from tests.factories import GANYU_CODE, admin, audit_events, role_holder


async def test_filed_submitted_accepted_registered(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
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
    assert len(number) == 16
    assert number.startswith("2026320706")

    ledger = await client.get(f"{URL}/{contract['id']}/ledger", headers=parties.seller_owner.headers)
    assert [(e["kind"], e["count_delta"], e["total_fen_delta"]) for e in ledger.json()["entries"]] == [
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


async def test_returned_for_correction_then_resubmitted(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    parties = await support.parties(client, db)
    contract = await support.filed(client, parties)
    await support.act(client, parties.seller_owner, contract["id"], "submit")
    no_grounds = await support.act(client, parties.registrar, contract["id"], "return")
    assert no_grounds.status_code == 422
    assert no_grounds.json()["errors"][0]["code"] == "findings_required"
    returned = await support.act(
        client,
        parties.registrar,
        contract["id"],
        "return",
        findings=[{"ground": "missing_proofs", "note": "请补充专利证书"}],
    )
    assert returned.status_code == 200, returned.text
    assert returned.json()["status"] == "returned"
    assert returned.json()["findings"] == [{"ground": "missing_proofs", "note": "请补充专利证书"}]

    current = await client.get(f"{URL}/{contract['id']}", headers=parties.seller_owner.headers)
    edited = await client.put(
        f"{URL}/{contract['id']}",
        json=support.terms(parties.buyer["id"], total_fen=150_000_000),
        headers={**parties.seller_owner.headers, "If-Match": current.headers["ETag"]},
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["technical_income_fen"] == 130_000_000
    resubmitted = await support.act(client, parties.seller_owner, contract["id"], "submit")
    assert resubmitted.json()["status"] == "submitted"
    assert resubmitted.json()["findings"] == []


async def test_illegal_transitions_are_409_with_a_code(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    parties = await support.parties(client, db)
    contract = await support.filed(client, parties)
    # Nothing to register before it is submitted and accepted.
    response = await support.act(client, parties.registrar, contract["id"], "register")
    assert response.status_code == 404  # a registrar does not see a draft
    await support.act(client, parties.seller_owner, contract["id"], "submit")
    response = await support.act(client, parties.registrar, contract["id"], "register")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_contract_transition"
    refused = await support.act(
        client, parties.registrar, contract["id"], "refuse", findings=[{"ground": "not_technology_contract"}]
    )
    assert refused.json()["status"] == "refused"
    for who, action in ((parties.seller_owner, "submit"), (parties.registrar, "accept")):
        response = await support.act(client, who, contract["id"], action)
        assert response.status_code == 409, response.text
        assert response.json()["code"] == "invalid_contract_transition"


async def test_the_seller_cannot_decide_and_the_registrar_cannot_edit(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    parties = await support.parties(client, db)
    registered = await support.registered(client, parties)
    response = await support.act(client, parties.seller_owner, registered["id"], "cancel")
    assert response.status_code == 403
    assert response.json()["code"] == "not_registrar"
    current = await client.get(f"{URL}/{registered['id']}", headers=parties.seller_owner.headers)
    edited = await client.put(
        f"{URL}/{registered['id']}",
        json=support.terms(parties.buyer["id"], total_fen=1),
        headers={**parties.seller_owner.headers, "If-Match": current.headers["ETag"]},
    )
    assert edited.status_code == 409
    assert edited.json()["code"] == "contract_not_editable"
    # A registrar is not the seller side: cannot edit the terms either.
    registrar_edit = await client.put(
        f"{URL}/{registered['id']}",
        json=support.terms(parties.buyer["id"], total_fen=1),
        headers={**parties.registrar.headers, "If-Match": current.headers["ETag"]},
    )
    assert registrar_edit.status_code == 403


async def test_change_and_cancellation_enter_the_difference(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    parties = await support.parties(client, db)
    registered = await support.registered(client, parties)
    number = registered["registration_number"]
    changed = await client.post(
        f"{URL}/{registered['id']}/change",
        json={
            **support.terms(parties.buyer["id"], total_fen=180_000_000),
            "reason": "双方签订补充协议，增加开发内容",
        },
        headers=parties.registrar.headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["registration_number"] == number
    assert changed.json()["technical_income_fen"] == 160_000_000
    cancelled = await support.act(client, parties.registrar, registered["id"], "cancel", reason="合同解除")
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["registration_number"] == number

    ledger = (
        await client.get(f"{URL}/{registered['id']}/ledger", headers=parties.seller_owner.headers)
    ).json()["entries"]
    rows = [
        (e["kind"], e["count_delta"], e["total_fen_delta"], e["technical_income_fen_delta"]) for e in ledger
    ]
    assert rows == [
        ("registration", 1, 120_000_000, 100_000_000),
        # A change counts −1 and +1: nothing, unless it moves the contract to another group.
        ("change", -1, -120_000_000, -100_000_000),
        ("change", 1, 180_000_000, 160_000_000),
        ("cancellation", -1, -180_000_000, -160_000_000),
    ]
    assert sum(row[1] for row in rows) == 0
    assert sum(row[2] for row in rows) == 0


async def test_the_registrars_queue_by_deadline(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    parties = await support.parties(client, db)
    small = await support.filed(client, parties)
    # From 5,000,000 CNY of 技术交易额 the review takes the expert time limit: a later deadline.
    large = await support.filed(client, parties, total_fen=600_000_000, deductions=[])
    for contract in (large, small):
        await support.act(client, parties.seller_owner, contract["id"], "submit")
    queue = await client.get(URL, params={"scope": "queue"}, headers=parties.registrar.headers)
    assert queue.status_code == 200, queue.text
    ids = [item["id"] for item in queue.json()["items"]]
    assert ids.index(small["id"]) < ids.index(large["id"])
    detail = (await client.get(f"{URL}/{large['id']}", headers=parties.registrar.headers)).json()
    assert detail["expert_review"] is True
    mine = await client.get(URL, params={"scope": "queue"}, headers=parties.seller_owner.headers)
    assert [item["id"] for item in mine.json()["items"]] == []


async def test_who_reads_a_contract(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    parties = await support.parties(client, db)
    contract = await support.filed(client, parties)
    path = f"{URL}/{contract['id']}"
    district_admin = await role_holder(client, db, PlatformRole.DISTRICT_ADMIN, "320706")
    # A draft is the seller side's alone.
    for outsider in (parties.buyer_owner, parties.registrar, district_admin):
        assert (await client.get(path, headers=outsider.headers)).status_code == 404
    await support.act(client, parties.seller_owner, contract["id"], "submit")
    # Once filed: the registrars and administrators of its region, never another organization.
    assert (await client.get(path, headers=parties.registrar.headers)).status_code == 200
    assert (await client.get(path, headers=district_admin.headers)).status_code == 200
    assert (await client.get(path, headers=parties.buyer_owner.headers)).status_code == 404
    listed = await client.get(URL, headers=parties.buyer_owner.headers)
    assert contract["id"] not in [item["id"] for item in listed.json()["items"]]
    # An administrator reads but does not decide: that is a registrar's.
    response = await support.act(client, district_admin, contract["id"], "accept")
    assert response.status_code == 403
    assert response.json()["code"] == "not_registrar"
