"""Structured features: each compares one aspect of a need with a candidate and gives a value in
[-1, 1] (0 when either side does not say), scaled by its weight in `FeatureWeights`.

Pure functions of plain values, so each can be tested to move a result the right way.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date

from app.matching.config import MatchConfig
from app.matching.records import Contribution, Kind, Listing, Need

Feature = Callable[[Need, Listing, MatchConfig, date | None], tuple[float, dict[str, object]] | None]


def tech_field(
    need: Need, listing: Listing, config: MatchConfig, today: date | None
) -> tuple[float, dict[str, object]] | None:
    if not need.tech_field or not listing.tech_field:
        return None
    if need.tech_field == listing.tech_field:
        return 1.0, {"relation": "same", "field": listing.tech_field}
    if frozenset({need.tech_field, listing.tech_field}) in config.related_fields:
        return 0.5, {"relation": "related", "field": listing.tech_field}
    return -1.0, {"relation": "different", "field": listing.tech_field}


def local_industry(
    need: Need, listing: Listing, config: MatchConfig, today: date | None
) -> tuple[float, dict[str, object]] | None:
    if not need.local_industries or not listing.local_industries:
        return None
    shared = sorted(set(need.local_industries) & set(listing.local_industries))
    if shared:
        return 1.0, {"shared": shared}
    return -0.5, {"shared": []}


def modes(
    need: Need, listing: Listing, config: MatchConfig, today: date | None
) -> tuple[float, dict[str, object]] | None:
    """A demand's cooperation modes against an achievement's transfer modes, through the table; the
    direction follows the listing's kind (a demand for an achievement, or back)."""
    if not need.modes or not listing.modes:
        return None
    if listing.kind == Kind.ACHIEVEMENT:
        cooperation, transfer = need.modes, listing.modes
    else:
        cooperation, transfer = listing.modes, need.modes
    served = {
        mode for mode in cooperation if config.mode_compatibility.get(mode, frozenset()) & set(transfer)
    }
    if served:
        return 1.0, {"served": sorted(served)}
    if "other" in cooperation:
        return None
    return -0.5, {"served": []}


def price(
    need: Need, listing: Listing, config: MatchConfig, today: date | None
) -> tuple[float, dict[str, object]] | None:
    """Budget against asking price. Negotiable (面议) on either side is neutral; within budget is good;
    over budget falls linearly to -1 at `price_far_over` times the budget."""
    budget, asking = (need.price_fen, listing.price_fen)
    if listing.kind == Kind.DEMAND:
        budget, asking = asking, budget
    if budget is None or asking is None:
        return 0.0, {"relation": "negotiable"}
    if budget <= 0:
        return None
    if asking <= budget:
        return 1.0, {"relation": "within", "budget_fen": budget, "asking_fen": asking}
    ratio = asking / budget
    value = max(-1.0, 1.0 - 2.0 * (ratio - 1.0) / max(config.price_far_over - 1.0, 1e-9))
    return value, {"relation": "over", "budget_fen": budget, "asking_fen": asking}


def maturity(
    need: Need, listing: Listing, config: MatchConfig, today: date | None
) -> tuple[float, dict[str, object]] | None:
    """技术改造/产品升级 and the like want TRL ≥ 6; 关键技术研发 takes earlier stages too."""
    demand_type, trl = need.demand_type, listing.trl
    if listing.kind == Kind.DEMAND:
        demand_type, trl = listing.demand_type, need.trl
    if demand_type is None or trl is None:
        return None
    if demand_type in config.mature_demand_types:
        if trl >= 6:
            return 1.0, {"trl": trl, "demand_type": demand_type, "fits": True}
        return -1.0 + trl / 6.0, {"trl": trl, "demand_type": demand_type, "fits": False}
    if demand_type in config.early_demand_types:
        return 0.5, {"trl": trl, "demand_type": demand_type, "fits": True}
    return None


def region(
    need: Need, listing: Listing, config: MatchConfig, today: date | None
) -> tuple[float, dict[str, object]] | None:
    """Same district (the nearest region both name) 1, same city 0.5, elsewhere 0."""
    if not need.region_path or not listing.region_path:
        return None
    if need.region_path[0] == listing.region_path[0]:
        return 1.0, {"relation": "same_district"}
    if set(need.region_path[1:]) & set(listing.region_path[1:]):
        return 0.5, {"relation": "same_city"}
    return 0.0, {"relation": "elsewhere"}


def freshness(
    need: Need, listing: Listing, config: MatchConfig, today: date | None
) -> tuple[float, dict[str, object]] | None:
    if today is None or listing.published_on is None:
        return None
    days = max((today - listing.published_on).days, 0)
    return math.pow(0.5, days / config.freshness_half_life_days), {"days": days}


FEATURES: dict[str, Feature] = {
    "tech_field": tech_field,
    "local_industry": local_industry,
    "modes": modes,
    "price": price,
    "maturity": maturity,
    "region": region,
    "freshness": freshness,
}


def contributions(
    need: Need, listing: Listing, config: MatchConfig, today: date | None
) -> list[Contribution]:
    """Each feature that has something to say, weighted; features whose weight is 0 are left out."""
    found = []
    for name, feature in FEATURES.items():
        weight = getattr(config.features, name)
        if not weight:
            continue
        value = feature(need, listing, config, today)
        if value is not None:
            found.append(Contribution(name, weight * value[0], value[1]))
    return found
