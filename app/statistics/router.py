"""Technology-market statistics: tallies of registered contracts, targets, top parties."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Response

from app.auth.dependencies import AdminDep, PrincipalDep
from app.core.enums import TargetMetric
from app.core.pagination import Page, page_of
from app.core.problems import problem_responses
from app.db.dependencies import SessionDep
from app.statistics import export, service
from app.statistics.dependencies import RegionQuery, TallyRequestDep, TopPageDep, YearQuery
from app.statistics.dimensions import PartySide
from app.statistics.schemas import (
    MAX_YEAR,
    MIN_YEAR,
    TallyRead,
    TargetProgressRead,
    TargetSet,
    TargetsRead,
    TopPartyRead,
)
from app.tabular.reading import FileFormat, spreadsheet_responses

router = APIRouter(prefix="/statistics", tags=["statistics"])

_READ_ERRORS = problem_responses(401, 403, 404, 422, 500)
_FILE_RESPONSES = spreadsheet_responses("The tally as a spreadsheet: a row per group, then the totals")


@router.get("/tally", operation_id="get_statistics_tally", responses=_READ_ERRORS)
async def get_tally(request: TallyRequestDep, session: SessionDep, principal: PrincipalDep) -> TallyRead:
    """Registered contracts (count, 成交额, 技术交易额, 产学研) by one or two dimensions (city and
    district administrators)."""
    return TallyRead.of(await service.tally(session, principal.access, request))


async def _file(
    request: service.TallyRequest, session: SessionDep, principal: PrincipalDep, file_format: FileFormat
) -> Response:
    tally = await service.tally(session, principal.access, request)
    content = await export.render_file(tally, file_format)
    disposition = f'attachment; filename="{export.file_name(tally, file_format)}"'
    return Response(content, media_type=file_format.media_type, headers={"Content-Disposition": disposition})


@router.get(
    "/tally.csv",
    operation_id="export_statistics_tally_csv",
    response_class=Response,
    responses={**_FILE_RESPONSES, **_READ_ERRORS},
)
async def export_tally_csv(
    request: TallyRequestDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    """The tally as CSV (UTF-8 with BOM)."""
    return await _file(request, session, principal, FileFormat.CSV)


@router.get(
    "/tally.xlsx",
    operation_id="export_statistics_tally_xlsx",
    response_class=Response,
    responses={**_FILE_RESPONSES, **_READ_ERRORS},
)
async def export_tally_xlsx(
    request: TallyRequestDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    """The tally as an XLSX workbook."""
    return await _file(request, session, principal, FileFormat.XLSX)


@router.get("/top", operation_id="list_top_parties", responses=_READ_ERRORS)
async def list_top_parties(
    session: SessionDep,
    principal: PrincipalDep,
    page: TopPageDep,
    side: Annotated[PartySide, Query(description="Rank the sellers, or the buyers")] = PartySide.SELLER,
    year: YearQuery = None,
    region_id: RegionQuery = None,
) -> Page[TopPartyRead]:
    """The parties with the largest 成交额 over a year, by name (registered contracts, net of
    changes and cancellations)."""
    items, total = await service.top_parties(
        session, principal.access, side, service.year_or_current(year), region_id, page
    )
    return page_of([TopPartyRead.of(item) for item in items], total, page)


@router.get("/targets", operation_id="list_statistics_targets", responses=_READ_ERRORS)
async def list_targets(session: SessionDep, principal: PrincipalDep, year: YearQuery = None) -> TargetsRead:
    """The year's targets in your scope, with what has been reached, the share of the target and a
    linear year-end forecast."""
    return TargetsRead.of(await service.targets(session, principal.access, service.year_or_current(year)))


@router.put(
    "/targets/{metric}/{year}",
    operation_id="set_statistics_target",
    responses=problem_responses(401, 403, 404, 409, 412, 413, 422, 428, 500),
)
async def set_target(
    metric: TargetMetric,
    year: Annotated[int, Path(ge=MIN_YEAR, le=MAX_YEAR)],
    body: TargetSet,
    session: SessionDep,
    principal: AdminDep,
    response: Response,
    if_match: Annotated[str | None, Header(description="Required when the target exists already")] = None,
) -> TargetProgressRead:
    """Set a target for a region and year (city and system administrators); replacing one needs
    If-Match."""
    data = service.TargetInput(body.region_id, body.value, body.source)
    progress = await service.set_target(session, principal, metric, year, data, if_match)
    read = TargetProgressRead.of(progress)
    response.headers["ETag"] = read.etag
    return read
