"""The migration to mapping pairs keeps what it can both ways: fields that hold the old seed get the
new defaults (and back), a field someone changed keeps its industry, and a set of several comes
back as the first of them in the policy's order."""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path
from typing import Any

from sqlalchemy import text

from app import migrate
from app.db.session import create_engine
from tests.databases import Databases

_SCRIPT = next(
    (Path(__file__).resolve().parents[2] / "migrations" / "versions").glob("*_local_industries.py")
)


def _revisions() -> tuple[str, str]:
    spec = importlib.util.spec_from_file_location("local_industries_migration", _SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.revision, module.down_revision


def _sql(url: str, *statements: str) -> list[Any]:
    async def run() -> list[Any]:
        engine = create_engine(url)
        try:
            async with engine.begin() as connection:
                results = [await connection.execute(text(statement)) for statement in statements]
                return list(results[-1].all()) if results[-1].returns_rows else []
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_the_mapping_survives_the_migration_both_ways(databases: Databases) -> None:
    revision, previous = _revisions()
    with databases.database("industry-migration") as url:
        migrate.downgrade(url, previous)
        old = dict(_sql(url, "SELECT tech_field, local_industry FROM industry_mappings"))
        assert (old["agriculture"], old["environment"], old["modern_transport"], old["urban_social"]) == (
            "modern_agriculture",
            "port_petrochemical",
            "marine",
            None,
        )
        _sql(url, "UPDATE industry_mappings SET local_industry = 'marine' WHERE tech_field = 'nuclear'")

        migrate.upgrade(url, revision)
        pairs = _sql(url, "SELECT tech_field, local_industry FROM tech_field_industries")
        mapped: dict[str, set[str]] = {}
        for field, industry in pairs:
            mapped.setdefault(field, set()).add(industry)
        assert mapped["nuclear"] == {"marine"}  # changed by someone: kept
        assert mapped["agriculture"] == {"modern_agriculture", "marine"}  # the old seed: re-seeded
        assert mapped["modern_transport"] == {"intelligent_equipment", "marine"}
        assert "urban_social" not in mapped
        assert _sql(url, "SELECT count(*), min(version) FROM industry_mappings") == [(11, 1)]

        _sql(
            url,
            "DELETE FROM tech_field_industries WHERE tech_field = 'agriculture'",
            "INSERT INTO tech_field_industries VALUES "
            "('agriculture', 'marine'), ('agriculture', 'new_medicine')",
        )
        migrate.downgrade(url, previous)
        back = dict(_sql(url, "SELECT tech_field, local_industry FROM industry_mappings"))
        assert back == old | {"nuclear": "marine", "agriculture": "new_medicine"}
        migrate.upgrade(url)
