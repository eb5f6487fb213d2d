"""Registrars racing (PostgreSQL, truly parallel requests): one registration per contract, and
registration numbers unique and gap-free per registration point and year."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from app.models import RegistrationEntry
from tests.contracts import support
from tests.parallel import Parallel, parallel

pytestmark = pytest.mark.postgres_only
__all__ = ["parallel"]  # the module-scoped fixture, used by name


async def _accepted(parallel: Parallel, parties: support.Parties) -> dict[str, object]:
    client = parallel.setup
    contract = await support.filed(client, parties)
    for who, action in ((parties.seller_owner, "submit"), (parties.registrar, "accept")):
        response = await support.act(client, who, contract["id"], action)
        assert response.status_code == 200, response.text
    return contract


async def test_twenty_parallel_registers_make_one_registration(parallel: Parallel) -> None:
    parties = await support.parties(parallel.setup, parallel.app.state.sessionmaker)
    contract = await _accepted(parallel, parties)
    client = parallel.setup
    responses = await asyncio.gather(
        *(support.act(client, parties.registrar, contract["id"], "register") for _ in range(20))
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] + [409] * 19, [
        response.text for response in responses if response.status_code != 409
    ]
    numbers = {
        response.json()["registration_number"] for response in responses if response.status_code == 200
    }
    assert len(numbers) == 1
    async with parallel.app.state.sessionmaker() as session:
        entries = list(
            await session.scalars(
                select(RegistrationEntry).where(RegistrationEntry.contract_id == contract["id"])
            )
        )
    assert [(entry.count_delta, entry.registration_number) for entry in entries] == [(1, numbers.pop())]


async def test_numbers_are_unique_and_gap_free_under_concurrency(parallel: Parallel) -> None:
    parties = await support.parties(parallel.setup, parallel.app.state.sessionmaker)
    contracts = [await _accepted(parallel, parties) for _ in range(12)]
    responses = await asyncio.gather(
        *(
            support.act(parallel.setup, parties.registrar, contract["id"], "register")
            for contract in contracts
        )
    )
    assert all(response.status_code == 200 for response in responses), [r.text for r in responses]
    numbers = sorted(response.json()["registration_number"] for response in responses)
    prefixes = {number[:10] for number in numbers}
    assert len(prefixes) == 1
    serials = [int(number[10:]) for number in numbers]
    # Gap-free: consecutive serials (the module's database may have registered others before).
    assert serials == list(range(serials[0], serials[0] + len(serials)))
