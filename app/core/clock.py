"""The one place that reads the wall clock, so tests, services and workers agree on "now" and "today".

Instants are UTC. Calendar dates (a listing's deadline, "today") are the network's own: China
Standard Time, UTC+8 all year (no daylight saving since 1991), so a deadline ends at midnight in
Lianyungang, not eight hours later.

Every module calls `utcnow()` / `today()` from here, and those ask the current clock. Replacing the
clock (`use_clock`, `set_clock`) therefore reaches every caller at once, which a monkeypatch of an
imported name never would.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Protocol

CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved: for tests and for replaying a day's work."""

    def __init__(self, at: datetime) -> None:
        self._at = _aware_utc(at)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = _aware_utc(at)

    def advance(self, by: timedelta) -> None:
        self._at += by


_current: Clock = SystemClock()


def set_clock(clock: Clock) -> Clock:
    """Make `clock` the process's clock; returns the one it replaces."""
    global _current
    previous, _current = _current, clock
    return previous


@contextmanager
def use_clock(clock: Clock) -> Iterator[Clock]:
    """Run a block under `clock`, restoring the previous clock afterwards."""
    previous = set_clock(clock)
    try:
        yield clock
    finally:
        set_clock(previous)


def utcnow() -> datetime:
    return _current.now()


def today() -> date:
    """Today's date in China Standard Time."""
    return utcnow().astimezone(CHINA_STANDARD_TIME).date()


def _aware_utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("a clock needs an aware datetime")
    return at.astimezone(UTC)
