"""Each structured feature moves a result the right way, on otherwise equal listings."""

from __future__ import annotations

from datetime import date

from app.matching.records import Filters, Kind, Need
from tests.matching.conftest import TODAY, achievement, engine_with

TITLE = "锂离子电池负极材料"
BODY = "硅碳复合负极的制备"
FILTERS = Filters(kind=Kind.ACHIEVEMENT, today=TODAY)


def first(need: Need, *twins: dict[str, object]) -> int:
    """Which of two listings with the same text the engine puts first."""
    engine = engine_with(*(achievement(i + 1, TITLE, BODY, **values) for i, values in enumerate(twins)))
    return engine.match(need, FILTERS).results[0].listing_id


def test_same_field_beats_another_field() -> None:
    need = Need(text=TITLE, tech_field="new_materials")
    assert first(need, {"tech_field": "environment"}, {"tech_field": "new_materials"}) == 2


def test_shared_local_industry_wins() -> None:
    need = Need(text=TITLE, local_industries=("new_materials",))
    assert first(need, {"local_industries": ("marine",)}, {"local_industries": ("new_materials",)}) == 2


def test_a_transfer_mode_that_serves_the_cooperation_mode_wins() -> None:
    need = Need(text=TITLE, modes=("joint_development",))
    assert first(need, {"modes": ("transfer",)}, {"modes": ("joint_development",)}) == 2


def test_within_budget_beats_far_over_budget_and_negotiable_is_between() -> None:
    need = Need(text=TITLE, price_fen=1_000_000)
    assert first(need, {"price_fen": 5_000_000}, {"price_fen": 800_000}) == 2
    assert first(need, {"price_fen": 5_000_000}, {"price_fen": None}) == 2
    assert first(need, {"price_fen": None}, {"price_fen": 900_000}) == 2


def test_renovation_favours_a_mature_technology_and_research_accepts_early_stages() -> None:
    renovation = Need(text=TITLE, demand_type="technical_renovation")
    assert first(renovation, {"trl": 3}, {"trl": 7}) == 2
    research = Need(text=TITLE, demand_type="key_technology")
    engine = engine_with(achievement(1, TITLE, BODY, trl=3))
    result = engine.match(research, FILTERS).results[0]
    assert {c.feature: c.score for c in result.contributions}["maturity"] > 0


def test_same_district_beats_same_city_beats_elsewhere() -> None:
    need = Need(text=TITLE, region_path=(11, 1))
    assert first(need, {"region_path": (12, 1)}, {"region_path": (11, 1)}) == 2
    assert first(need, {"region_path": (31, 3)}, {"region_path": (12, 1)}) == 2


def test_fresher_wins() -> None:
    need = Need(text=TITLE)
    assert first(need, {"published_on": date(2023, 1, 1)}, {"published_on": date(2026, 11, 1)}) == 2
