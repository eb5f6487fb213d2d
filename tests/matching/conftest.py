"""The engine's tests build small in-memory indexes from plain records: no database, no app."""

from __future__ import annotations

from datetime import date

import pytest

from app.matching.engine import Engine
from app.matching.records import Kind, Listing
from app.matching.text import Analyzer

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer()


def achievement(listing_id: int, title: str, body: str = "", **values: object) -> Listing:
    fields: dict[str, object] = {"published_on": date(2026, 6, 1), "organization_id": 100 + listing_id}
    fields.update(values)
    return Listing(id=listing_id, kind=Kind.ACHIEVEMENT, title=title, body=body, **fields)  # type: ignore[arg-type]


def engine_with(*listings: Listing) -> Engine:
    engine = Engine.open(None)
    engine.add(listings)
    engine.commit()
    return engine
