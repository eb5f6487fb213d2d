"""Enterprise technology demands."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import StreamingResponse

from app.auth.dependencies import OptionalPrincipalDep, PrincipalDep
from app.core.pagination import IfMatchDep, Page, PageDep, check_if_match, etag
from app.core.problems import problem_responses
from app.core.schemas import EntityId
from app.db.dependencies import ReaderDep, SessionDep
from app.demands import service
from app.demands.columns import DEMAND_COLUMNS
from app.demands.dependencies import (
    DemandFilterDep,
    EditableDemandDep,
    OwnedDemandDep,
    VisibleDemandDep,
    visible_demand,
)
from app.demands.schemas import DemandCreate, DemandRead, DemandUpdate
from app.listings import lifecycle, reading, revisions
from app.listings.dependencies import ListingFilterDep
from app.listings.export import EXPORT_RESPONSES, Export, FormatQuery, export_response, refuse_other_methods
from app.listings.listing import ListingSort
from app.listings.public_routes import json_body
from app.listings.routes import ListingKind, shared_routes
from app.listings.schemas import ActionBody, RevisionRead
from app.listings.state import ListingAction
from app.models import Demand
from app.tabular.reading import FileFormat

router = APIRouter(prefix="/demands", tags=["demands"])
DEMAND_EXPORT = Export(Demand, DEMAND_COLUMNS, service.to_read, "demands")


@router.get(
    "",
    operation_id="list_demands",
    response_model=Page[DemandRead],
    responses=problem_responses(401, 422, 500, 503),
)
async def list_demands(
    session: SessionDep,
    reader: ReaderDep,
    principal: OptionalPrincipalDep,
    listing_filter: ListingFilterDep,
    demand_filter: DemandFilterDep,
    page: PageDep,
    sort: ListingSort = ListingSort.RELEVANCE,
) -> Response:
    """Search and filter demands; published ones by default, with contacts masked."""
    conditions = service.conditions(session, demand_filter)
    kind = service.READS
    return json_body(
        await reading.page(session, reader, principal, kind, listing_filter, sort, page, conditions)
    )


@router.get(
    "/export",
    operation_id="export_demands",
    response_class=StreamingResponse,
    responses={**EXPORT_RESPONSES, **problem_responses(401, 422, 500)},
)
async def export_demands(
    request: Request,
    session: SessionDep,
    principal: OptionalPrincipalDep,
    listing_filter: ListingFilterDep,
    demand_filter: DemandFilterDep,
    file_format: FormatQuery = FileFormat.XLSX,
    sort: ListingSort = ListingSort.RELEVANCE,
) -> StreamingResponse:
    """The list, with the same filters and visibility, as a CSV or XLSX file (streamed)."""
    conditions = service.conditions(session, demand_filter)
    sessionmaker = request.app.state.sessionmaker
    return await export_response(
        DEMAND_EXPORT, session, sessionmaker, principal, listing_filter, sort, conditions, file_format
    )


refuse_other_methods(router, "/export")


@router.post(
    "",
    operation_id="create_demand",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409, 413, 422, 500),
)
async def create_demand(
    body: DemandCreate, session: SessionDep, principal: PrincipalDep, response: Response
) -> DemandRead:
    """Post a demand for your organization; it starts as a draft."""
    demand = await service.create(session, principal, body)
    response.headers["ETag"] = etag("demand", demand.id, demand.version)
    return (await service.to_read(session, principal, [demand]))[0]


@router.get(
    "/{demand_id}",
    operation_id="get_demand",
    response_model=DemandRead,
    responses=problem_responses(401, 404, 422, 500, 503),
)
async def get_demand(
    demand_id: EntityId, session: SessionDep, reader: ReaderDep, principal: OptionalPrincipalDep
) -> Response:
    """One demand (drafts only for their organization and reviewers). The confidential detail is
    included for the owner and, under a granted access request, for the grantee (the release is logged)."""
    return json_body(await reading.get(session, reader, principal, service.READS, demand_id))


@router.patch(
    "/{demand_id}",
    operation_id="update_demand",
    responses=problem_responses(401, 403, 404, 409, 412, 413, 422, 428, 500),
)
async def update_demand(
    body: DemandUpdate,
    demand: EditableDemandDep,
    session: SessionDep,
    principal: PrincipalDep,
    if_match: IfMatchDep,
    response: Response,
) -> DemandRead:
    """Edit a draft or returned demand (needs If-Match)."""
    check_if_match(if_match, "demand", demand.id, demand.version)
    demand = await service.update(session, principal, demand, body)
    response.headers["ETag"] = etag("demand", demand.id, demand.version)
    return (await service.to_read(session, principal, [demand]))[0]


@router.post(
    "/{demand_id}/revisions",
    operation_id="propose_demand_revision",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409, 412, 413, 422, 428, 500),
)
async def propose_demand_revision(
    body: DemandUpdate,
    demand: OwnedDemandDep,
    session: SessionDep,
    principal: PrincipalDep,
    if_match: IfMatchDep,
) -> RevisionRead:
    """Edit a published demand (needs If-Match): the edit awaits review while the published text stays
    visible; a reviewer's `publish` applies it."""
    check_if_match(if_match, "demand", demand.id, demand.version)
    changes = body.model_dump(mode="json", exclude_unset=True)
    revision = await revisions.propose(session, principal, demand, changes, service.edit)
    return RevisionRead.model_validate(revision)


router.include_router(shared_routes(ListingKind("demand", visible_demand, service.edit)))


@router.post(
    "/{demand_id}/{action}",
    operation_id="act_on_demand",
    responses=problem_responses(401, 403, 404, 409, 413, 422, 500),
)
async def act_on_demand(
    action: ListingAction,
    demand: VisibleDemandDep,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
    body: ActionBody | None = None,
) -> DemandRead:
    """submit/withdraw/close (the owner); publish/return/reject (a reviewer of the region)."""
    reason = body.reason if body else None
    demand = await lifecycle.apply_action(session, principal, demand, action, reason=reason)
    response.headers["ETag"] = etag("demand", demand.id, demand.version)
    return (await service.to_read(session, principal, [demand]))[0]
