"""The one place that reads the wall clock, so tests and services agree on "now" (always UTC)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
