"""The one place that reads the wall clock, so tests and services agree on "now" and "today".

Instants are UTC. Calendar dates (a listing's deadline, "today") are the network's own: China
Standard Time, UTC+8 all year (no daylight saving since 1991), so a deadline ends at midnight in
Lianyungang, not eight hours later.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")


def utcnow() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today's date in China Standard Time."""
    return utcnow().astimezone(CHINA_STANDARD_TIME).date()
