"""Contracts' SQL: their lines (deductions, payments, attachments), the registration counters, the
ledger, regions by area code, and the lists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.enums import ContractStatus
from app.models import (
    Contract,
    ContractAttachment,
    ContractDeduction,
    ContractPayment,
    Region,
    RegistrationCounter,
    RegistrationEntry,
)

LINE_MODELS = (ContractDeduction, ContractPayment, ContractAttachment)
UNDER_REVIEW = (ContractStatus.SUBMITTED, ContractStatus.ACCEPTED)


async def lines(session: AsyncSession, contract_id: int) -> dict[type[Any], list[Any]]:
    """The contract's deductions, payments and attachments, each in position order."""
    found: dict[type[Any], list[Any]] = {}
    for model in LINE_MODELS:
        rows = await session.scalars(
            select(model).where(model.contract_id == contract_id).order_by(model.position)
        )
        found[model] = list(rows)
    return found


async def replace_lines(
    session: AsyncSession, contract_id: int, rows: dict[type[Any], list[dict[str, Any]]]
) -> None:
    """Replace the contract's lines with `rows` (model -> column values, in position order)."""
    for model in LINE_MODELS:
        await session.execute(delete(model).where(model.contract_id == contract_id))
        values = [
            {"contract_id": contract_id, "position": index, **row}
            for index, row in enumerate(rows.get(model, []), 1)
        ]
        if values:
            await session.execute(insert(model), values)


async def region_by_code(session: AsyncSession, area_code: str) -> int | None:
    return await session.scalar(select(Region.id).where(Region.code == area_code, Region.is_active.is_(True)))


async def coded_ancestor(session: AsyncSession, region_id: int) -> Region | None:
    """The region itself if it has a GB/T 2260 code, else its nearest ancestor that has one (a
    functional zone registers under its district's or city's code)."""
    seen: set[int] = set()
    current: int | None = region_id
    while current is not None and current not in seen:
        seen.add(current)
        region = await session.get(Region, current)
        if region is None:
            return None
        if region.code is not None:
            return region
        current = region.parent_id
    return None


async def claim_serial(session: AsyncSession, point_region_id: int, year: int) -> int:
    """The next serial of a registration point's year, claimed in the caller's transaction: the
    UPDATE holds the counter row's lock until the transaction ends, so concurrent registrations at
    one point take turns and a rolled-back one gives its serial back (gap-free)."""
    claimed = await session.scalar(
        update(RegistrationCounter)
        .where(RegistrationCounter.point_region_id == point_region_id, RegistrationCounter.year == year)
        .values(last_serial=RegistrationCounter.last_serial + 1)
        .returning(RegistrationCounter.last_serial)
    )
    if claimed is not None:
        return int(claimed)
    # The point's first registration of the year: create the row, in a savepoint so that a racing
    # first registration (which inserted it meanwhile) falls back to the UPDATE.
    try:
        async with session.begin_nested():
            await session.execute(
                insert(RegistrationCounter).values(point_region_id=point_region_id, year=year, last_serial=1)
            )
        return 1
    except IntegrityError:
        return await claim_serial(session, point_region_id, year)


async def next_sequence(session: AsyncSession, contract_id: int) -> int:
    last = await session.scalar(
        select(func.max(RegistrationEntry.sequence)).where(RegistrationEntry.contract_id == contract_id)
    )
    return int(last or 0) + 1


async def entries(session: AsyncSession, contract_id: int) -> Sequence[RegistrationEntry]:
    rows = await session.scalars(
        select(RegistrationEntry)
        .where(RegistrationEntry.contract_id == contract_id)
        .order_by(RegistrationEntry.sequence, RegistrationEntry.id)
    )
    return list(rows)


def listing(
    visible: Any, *, status: ContractStatus | None, region_ids: set[int] | None, overdue_before: date | None
) -> Select[Contract]:
    statement = select(Contract).where(visible)
    if status is not None:
        statement = statement.where(Contract.status == status)
    if region_ids is not None:
        statement = statement.where(Contract.region_id.in_(sorted(region_ids)))
    if overdue_before is not None:
        statement = statement.where(Contract.status.in_(UNDER_REVIEW), Contract.due_on < overdue_before)
    return statement
