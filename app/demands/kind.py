"""What a demand is made of, for everything that builds or indexes one (see app/listings/spec.py)."""

from __future__ import annotations

from typing import Any

from app.demands.schemas import DemandCreate
from app.listings.spec import NUMBER_PREFIXES, KindSpec, SearchField
from app.models import Demand


def _derived(data: DemandCreate) -> dict[str, Any]:
    # Not given means "a budget range, not 面议".
    return {"is_budget_negotiable": bool(data.is_budget_negotiable)}


DEMAND: KindSpec[Demand, DemandCreate] = KindSpec(
    name="demand",
    plural="demands",
    number_prefix=NUMBER_PREFIXES["demand"],
    model=Demand,
    create_schema=DemandCreate,
    search_fields=(
        SearchField("title", weight=3),
        SearchField("description"),
        SearchField("keywords", weight=2, is_list=True),
    ),
    derived=_derived,
)
