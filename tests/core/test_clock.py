"""Calendar dates are China Standard Time: a deadline ends at midnight in Lianyungang."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.core import clock


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (datetime(2026, 11, 25, 15, 59, tzinfo=UTC), date(2026, 11, 25)),
        (datetime(2026, 11, 25, 16, 0, tzinfo=UTC), date(2026, 11, 26)),  # midnight in Beijing time
        (datetime(2026, 12, 31, 23, 0, tzinfo=UTC), date(2027, 1, 1)),
    ],
)
def test_today_is_the_date_in_china(
    monkeypatch: pytest.MonkeyPatch, instant: datetime, expected: date
) -> None:
    monkeypatch.setattr(clock, "utcnow", lambda: instant)
    assert clock.today() == expected
