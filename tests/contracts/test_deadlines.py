"""The registrar's clock over HTTP: working days on the official calendar (holidays and make-up
working days), the expert-review limit, 补正 restarting it, overdue flags, and deadlines that reach a
year whose calendar is not loaded yet."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import chinese_calendar
import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.clock import FixedClock, use_clock
from tests import factories
from tests.conftest import run_until_idle
from tests.contracts import support
from tests.contracts.support import URL


def _at(day: date) -> datetime:
    # 10:00 in Lianyungang (UTC+8).
    return datetime(day.year, day.month, day.day, 2, tzinfo=UTC)


@pytest.fixture
async def parties(client: AsyncClient, db: async_sessionmaker[AsyncSession]) -> support.Parties:
    # Signed in on the real clock: the tokens' expiry is checked against it.
    return await support.parties(client, db)


@pytest.fixture
def clock(parties: support.Parties) -> Iterator[FixedClock]:
    fixed = FixedClock(_at(date(2026, 9, 28)))
    with use_clock(fixed):
        yield fixed


def _working_days_after(start: date, count: int) -> date:
    """Independently of the app: the State Council's schedule as chinese-calendar ships it."""
    day = start
    while count:
        day += timedelta(days=1)
        if chinese_calendar.is_workday(day):
            count -= 1
    return day


async def test_fifteen_working_days_across_national_day_with_its_make_up_day(
    client: AsyncClient, parties: support.Parties, clock: FixedClock
) -> None:
    contract = await support.filed(client, parties, signed_on="2026-09-01", valid_from="2026-09-01")
    submitted = await support.act(client, parties.seller_owner, contract["id"], "submit")
    assert submitted.status_code == 200, submitted.text
    due = date.fromisoformat(submitted.json()["due_on"])
    expected = _working_days_after(date(2026, 9, 28), 15)
    assert due == expected
    # The holiday (1–7 October) is skipped and Saturday 10 October, a make-up working day, counts.
    assert chinese_calendar.is_workday(date(2026, 10, 10))
    assert date(2026, 10, 10) < due
    assert (due - date(2026, 9, 28)).days > 15 + 4  # more than three weeks of calendar days
    assert submitted.json()["due_on_provisional"] is False


async def test_correction_restarts_the_clock_and_overdue_shows(
    client: AsyncClient, parties: support.Parties, clock: FixedClock
) -> None:
    contract = await support.filed(client, parties, signed_on="2026-09-01", valid_from="2026-09-01")
    first = (await support.act(client, parties.seller_owner, contract["id"], "submit")).json()
    clock.set(_at(date(2026, 10, 20)))
    returned = await support.act(
        client, parties.registrar, contract["id"], "return", findings=[{"ground": "unclear_terms"}]
    )
    assert returned.status_code == 200, returned.text
    clock.set(_at(date(2026, 11, 2)))
    second = (await support.act(client, parties.seller_owner, contract["id"], "submit")).json()
    assert second["due_on"] == _working_days_after(date(2026, 11, 2), 15).isoformat()
    assert second["due_on"] > first["due_on"]
    assert second["overdue"] is False

    clock.set(_at(date.fromisoformat(second["due_on"]) + timedelta(days=1)))
    detail = (await client.get(f"{URL}/{contract['id']}", headers=parties.registrar.headers)).json()
    assert detail["overdue"] is True
    overdue = await client.get(
        URL, params={"scope": "queue", "overdue": "true"}, headers=parties.registrar.headers
    )
    assert [item["id"] for item in overdue.json()["items"]] == [contract["id"]]


async def test_a_deadline_into_an_unloaded_year_is_provisional_until_the_year_is_loaded(
    app: FastAPI, client: AsyncClient, db: async_sessionmaker[AsyncSession], parties: support.Parties
) -> None:
    admin = await factories.admin(client, db)
    with use_clock(FixedClock(_at(date(2026, 12, 21)))):
        contract = await support.filed(client, parties, signed_on="2026-12-01", valid_from="2026-12-01")
        submitted = (await support.act(client, parties.seller_owner, contract["id"], "submit")).json()
        assert submitted["due_on_provisional"] is True
        assert submitted["due_on"].startswith("2027-")
        weekdays_due = date.fromisoformat(submitted["due_on"])

        # The administrator loads 2027 (a made-up schedule: 元旦 on Friday 1 and Monday 4 January).
        days = [
            {"day": "2027-01-01", "kind": "holiday", "name": "元旦"},
            {"day": "2027-01-04", "kind": "holiday", "name": "元旦"},
        ]
        loaded = await client.put("/api/v1/holidays/years/2027", json={"days": days}, headers=admin.headers)
        assert loaded.status_code == 200, loaded.text
    await run_until_idle(app)
    after = (await client.get(f"{URL}/{contract['id']}", headers=parties.seller_owner.headers)).json()
    assert after["due_on_provisional"] is False
    assert date.fromisoformat(after["due_on"]) > weekdays_due
