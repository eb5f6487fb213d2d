"""Idempotency-Key on filing and on submitting: a retry answers as the first request did, a reused
key with another request is refused, a key still in progress is a 409, and a failed request leaves
its key free."""

from __future__ import annotations

from datetime import timedelta

from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.clock import utcnow
from app.models import Contract, IdempotencyKey
from tests.contracts import support
from tests.contracts.support import URL


def _body(parties: support.Parties, **overrides: object) -> dict[str, object]:
    return {"organization_id": parties.seller["id"], **support.terms(parties.buyer["id"]), **overrides}


async def _count(db: async_sessionmaker[AsyncSession], organization_id: object) -> int:
    async with db() as session:
        return int(
            await session.scalar(select(func.count()).where(Contract.organization_id == organization_id)) or 0
        )


async def test_the_same_key_and_body_answer_the_same(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    parties = await support.parties(client, db)
    headers = {**parties.seller_owner.headers, "Idempotency-Key": "create-0001-abcdef"}
    first = await client.post(URL, json=_body(parties), headers=headers)
    again = await client.post(URL, json=_body(parties), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert await _count(db, parties.seller["id"]) == 1

    mismatch = await client.post(URL, json=_body(parties, total_fen=1), headers=headers)
    assert mismatch.status_code == 422
    assert mismatch.json()["errors"][0]["code"] == "idempotency_key_reused"
    assert await _count(db, parties.seller["id"]) == 1


async def test_a_key_is_the_callers_own(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    parties = await support.parties(client, db)
    other = await support.parties(client, db)
    key = {"Idempotency-Key": "shared-key-123456"}
    mine = await client.post(URL, json=_body(parties), headers={**parties.seller_owner.headers, **key})
    theirs = await client.post(URL, json=_body(other), headers={**other.seller_owner.headers, **key})
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]
    assert "Idempotent-Replayed" not in theirs.headers


async def test_a_failed_request_leaves_its_key_free(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    parties = await support.parties(client, db)
    headers = {**parties.seller_owner.headers, "Idempotency-Key": "retry-after-fix-01"}
    refused = await client.post(URL, json=_body(parties, signed_on="2099-01-01"), headers=headers)
    assert refused.status_code == 422
    fixed = await client.post(URL, json=_body(parties), headers=headers)
    assert fixed.status_code == 201, fixed.text


async def test_a_key_in_progress_is_a_conflict(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    parties = await support.parties(client, db)
    async with db() as session:
        session.add(
            IdempotencyKey(
                caller=f"user:{parties.seller_owner.id}",
                key="in-flight-000001",
                fingerprint="0" * 64,
                completed=False,
                expires_at=utcnow() + timedelta(hours=24),
            )
        )
        await session.commit()
    headers = {**parties.seller_owner.headers, "Idempotency-Key": "in-flight-000001"}
    response = await client.post(URL, json=_body(parties), headers=headers)
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_in_progress"
    assert await _count(db, parties.seller["id"]) == 0


async def test_submitting_twice_with_a_key_submits_once(
    client: AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    parties = await support.parties(client, db)
    contract = await support.filed(client, parties)
    headers = {**parties.seller_owner.headers, "Idempotency-Key": "submit-000000001"}
    first = await client.post(f"{URL}/{contract['id']}/submit", headers=headers)
    again = await client.post(f"{URL}/{contract['id']}/submit", headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    # Without the key, the second submit is what it is: not allowed from `submitted`.
    plain = await client.post(f"{URL}/{contract['id']}/submit", headers=parties.seller_owner.headers)
    assert plain.status_code == 409


async def test_a_malformed_key_is_a_422(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> None:
    parties = await support.parties(client, db)
    response = await client.post(
        URL, json=_body(parties), headers={**parties.seller_owner.headers, "Idempotency-Key": "short"}
    )
    assert response.status_code == 422
