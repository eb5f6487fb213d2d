"""One injectable clock: calendar dates are China Standard Time, and a replaced clock reaches the app."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from httpx import AsyncClient

from app.core import clock
from tests.factories import sign_in, sign_up, unique_email


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (datetime(2026, 11, 25, 15, 59, tzinfo=UTC), date(2026, 11, 25)),
        (datetime(2026, 11, 25, 16, 0, tzinfo=UTC), date(2026, 11, 26)),  # midnight in Beijing time
        (datetime(2026, 12, 31, 23, 0, tzinfo=UTC), date(2027, 1, 1)),
    ],
)
def test_today_is_the_date_in_china(instant: datetime, expected: date) -> None:
    with clock.use_clock(clock.FixedClock(instant)):
        assert clock.today() == expected


def test_fixed_clock_moves_only_when_told() -> None:
    fixed = clock.FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    with clock.use_clock(fixed):
        assert clock.utcnow() == datetime(2026, 1, 1, tzinfo=UTC)
        fixed.advance(timedelta(days=2))
        assert clock.utcnow() == datetime(2026, 1, 3, tzinfo=UTC)
    assert clock.utcnow() != datetime(2026, 1, 3, tzinfo=UTC)


def test_fixed_clock_refuses_naive_time() -> None:
    with pytest.raises(ValueError, match="aware"):
        clock.FixedClock(datetime(2026, 1, 1))  # noqa: DTZ001 - the point of the test


async def test_the_app_reads_the_replaced_clock(client: AsyncClient) -> None:
    """Timestamps the services stamp come from the clock, not from each module's own import."""
    at = datetime(2030, 5, 4, 3, 2, 1, tzinfo=UTC)
    email = unique_email("clock")
    with clock.use_clock(clock.FixedClock(at)):
        await sign_up(client, email)
    tokens = await sign_in(client, email)
    me = await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.status_code == 200
    assert datetime.fromisoformat(me.json()["created_at"]) == at
