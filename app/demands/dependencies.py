from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from app.auth.dependencies import OptionalPrincipalDep
from app.core.enums import CooperationMode
from app.core.query_parameters import check_range
from app.core.schemas import MAX_ID, EntityId
from app.db.dependencies import SessionDep
from app.demands.schemas import DemandFilter
from app.listings import service as listings
from app.models import Demand


async def visible_demand(demand_id: EntityId, session: SessionDep, principal: OptionalPrincipalDep) -> Demand:
    return await listings.get_visible(session, principal, Demand, demand_id)


VisibleDemandDep = Annotated[Demand, Depends(visible_demand)]


BudgetQuery = Annotated[int | None, Query(ge=0, le=MAX_ID, description="Investment bound in fen")]


async def demand_filter(
    cooperation_mode: Annotated[CooperationMode | None, Query(description="Accepts this mode")] = None,
    budget_from_fen: BudgetQuery = None,
    budget_to_fen: BudgetQuery = None,
    include_negotiable: Annotated[
        bool, Query(description="Keep negotiable (面议) demands in a budget range; false drops them")
    ] = True,
) -> DemandFilter:
    check_range("budget_from_fen", budget_from_fen, "budget_to_fen", budget_to_fen)
    return DemandFilter(
        cooperation_mode=cooperation_mode,
        budget_from_fen=budget_from_fen,
        budget_to_fen=budget_to_fen,
        include_negotiable=include_negotiable,
    )


DemandFilterDep = Annotated[DemandFilter, Depends(demand_filter)]
