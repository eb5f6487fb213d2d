"""The contracts' background work: when an administrator loads a year of the official calendar, the
deadlines that counted that year by the Monday–Friday rule are computed again on the real calendar."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.contracts import repository
from app.contracts.clocks import ClockRules, clock_for
from app.contracts.service import deadline
from app.core.config import Settings
from app.models import Contract, Event
from app.worker.registry import Registry

CALENDAR_LOADED = "calendar.load_year"


async def recompute_provisional_deadlines(
    session: AsyncSession, _events: Sequence[Event], settings: Settings
) -> None:
    rules = ClockRules.from_settings(settings)
    contracts = await session.scalars(
        select(Contract).where(
            Contract.due_on_provisional.is_(True),
            Contract.status.in_(repository.UNDER_REVIEW),
            Contract.clock_started_on.is_not(None),
        )
    )
    for contract in list(contracts):
        started = contract.clock_started_on
        if started is None:
            continue
        clock = clock_for(contract.rule_set, contract.technical_income_fen, rules, disputed=contract.disputed)
        due, provisional = await deadline(session, clock, started)
        # A deadline is the clock's arithmetic, not a decision: corrected in place, without a new
        # version (a registrar's or seller's ETag stays valid), and only if the clock was not
        # restarted meanwhile (compare-and-set on the start).
        await session.execute(
            update(Contract)
            .where(Contract.id == contract.id, Contract.clock_started_on == started)
            .values(due_on=due, due_on_provisional=provisional)
            .execution_options(synchronize_session=False)
        )


def register(registry: Registry) -> None:
    registry.add_batch_consumer(
        "contracts.provisional_deadlines",
        [CALENDAR_LOADED],
        recompute_provisional_deadlines,
    )
