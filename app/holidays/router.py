"""The official holiday calendar: read by anyone, loaded by city and system administrators."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Response

from app.auth.dependencies import AdminDep
from app.core.errors import NotFound
from app.core.i18n import msg
from app.core.pagination import Page, PageDep, etag, page_of
from app.core.problems import problem_responses
from app.core.schemas import IsoDate
from app.core.workdays import MAX_WORKING_DAYS
from app.db.dependencies import SessionDep
from app.holidays import package_source, repository, service
from app.holidays.schemas import (
    CalendarDayRead,
    CalendarYearDetail,
    CalendarYearRead,
    CalendarYearReplace,
    WorkingDaysResult,
)

router = APIRouter(prefix="/holidays", tags=["holidays"])

YearPath = Annotated[int, Path(ge=2000, le=2100)]
IfMatchHeader = Annotated[str | None, Header(description="Required when the year is already loaded")]
_WRITE_ERRORS = problem_responses(401, 403, 404, 412, 413, 422, 428, 500)


@router.get("/years", operation_id="list_calendar_years", responses=problem_responses(422, 500))
async def list_years(session: SessionDep, page: PageDep) -> Page[CalendarYearRead]:
    """Years whose holidays and make-up working days are loaded."""
    years, total = await service.list_years(session, page)
    return page_of([CalendarYearRead.model_validate(y) for y in years], total, page)


@router.get("/years/{year}", operation_id="get_calendar_year", responses=problem_responses(404, 422, 500))
async def get_year(year: YearPath, session: SessionDep, response: Response) -> CalendarYearDetail:
    """One year's holidays and make-up working days."""
    loaded = await service.get_year(session, year)
    days = await repository.days_of(session, year)
    response.headers["ETag"] = etag("calendar-year", year, loaded.version)
    return CalendarYearDetail(
        year=loaded.year,
        source=loaded.source,
        loaded_at=loaded.loaded_at,
        days=[CalendarDayRead.model_validate(d) for d in days],
    )


@router.put("/years/{year}", operation_id="replace_calendar_year", responses=_WRITE_ERRORS)
async def replace_year(
    year: YearPath,
    body: CalendarYearReplace,
    session: SessionDep,
    principal: AdminDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> CalendarYearRead:
    """Load a year from the State Council's notice (replacing it needs If-Match)."""
    loaded = await service.replace_year(
        session, principal, year, body.days, source="admin", if_match=if_match
    )
    response.headers["ETag"] = etag("calendar-year", year, loaded.version)
    return CalendarYearRead.model_validate(loaded)


@router.post(
    "/years/{year}/from-package", operation_id="load_calendar_year_from_package", responses=_WRITE_ERRORS
)
async def load_from_package(
    year: YearPath,
    session: SessionDep,
    principal: AdminDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> CalendarYearRead:
    """Load a year from the installed chinese-calendar release."""
    days = package_source.package_days(year)
    if not days:
        raise NotFound(
            msg(
                "{package_label} has no schedule for {year}",
                package_label=package_source.package_label(),
                year=year,
            ),
            code="year_not_in_package",
        )
    loaded = await service.replace_year(
        session, principal, year, days, source=package_source.package_label(), if_match=if_match
    )
    response.headers["ETag"] = etag("calendar-year", year, loaded.version)
    return CalendarYearRead.model_validate(loaded)


@router.get("/working-days", operation_id="add_working_days", responses=problem_responses(404, 422, 500))
async def add_working_days(
    session: SessionDep,
    start: IsoDate,
    count: Annotated[int, Query(ge=0, le=MAX_WORKING_DAYS)],
) -> WorkingDaysResult:
    """The date `count` working days after `start` (e.g. a registration deadline)."""
    if not 2000 <= start.year <= 2100:
        raise NotFound(
            msg("The calendar for {year} has not been loaded", year=start.year), code="calendar_year_missing"
        )
    return WorkingDaysResult(start=start, count=count, due=await service.due_date(session, start, count))
