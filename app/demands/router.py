"""Enterprise technology demands: the listing routes (app.listings.kind_router) for this kind."""

from __future__ import annotations

from app.demands import service
from app.demands.columns import DEMAND_COLUMNS
from app.demands.dependencies import demand_filter, visible_demand
from app.demands.kind import DEMAND
from app.demands.schemas import DemandRead, DemandUpdate
from app.listings.kind_router import KindRoutes, Wording, build_router

ROUTES = KindRoutes(
    spec=DEMAND,
    update_schema=DemandUpdate,
    read_model=DemandRead,
    reads=service.READS,
    columns=DEMAND_COLUMNS,
    feature_filter=demand_filter,
    conditions=service.conditions,
    visible=visible_demand,
    create=service.create,
    update=service.update,
    editor=service.edit,
    to_read=service.to_read,
    wording=Wording(
        list="Search and filter demands; published ones by default, with contacts masked.",
        create="Post a demand for your organization; it starts as a draft.",
        update="Edit a draft or returned demand (needs If-Match).",
        get=(
            "One demand (drafts only for their organization and reviewers). The confidential detail is "
            "included for the owner and, under a granted access request, for the grantee (the release "
            "is logged)."
        ),
    ),
)
router = build_router(ROUTES)
