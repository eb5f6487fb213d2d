"""Loading and reading the official calendar."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.core.clock import utcnow
from app.core.enums import CalendarDayKind
from app.core.errors import NotFound, PreconditionRequired, ValidationFailed
from app.core.i18n import msg
from app.core.pagination import PageParams, check_if_match
from app.core.workdays import CalendarYearMissing, OfficialCalendar
from app.db.repository import fetch_page
from app.events import recording as audit
from app.holidays import repository
from app.holidays.schemas import CalendarDayIn
from app.models import CalendarDay, CalendarYear

SATURDAY = 5


async def list_years(session: AsyncSession, page: PageParams) -> tuple[list[CalendarYear], int]:
    """One page of the loaded years, oldest first, and how many are loaded."""
    return await fetch_page(session, repository.years(), limit=page.limit, offset=page.offset)


async def get_year(session: AsyncSession, year: int) -> CalendarYear:
    loaded = await session.get(CalendarYear, year)
    if loaded is None:
        raise NotFound(
            msg("The calendar for {year} has not been loaded", year=year), code="calendar_year_missing"
        )
    return loaded


async def replace_year(
    session: AsyncSession,
    principal: Principal,
    year: int,
    days: list[CalendarDayIn],
    *,
    source: str,
    if_match: str | None,
) -> CalendarYear:
    """Create or replace a year's holidays and make-up days. Replacing needs If-Match."""
    _validate_days(year, days)
    existing = await session.get(CalendarYear, year)
    before = None
    if existing is not None:
        if not if_match:
            raise PreconditionRequired(
                msg("The calendar for {year} exists; send If-Match to replace it", year=year)
            )
        check_if_match(if_match, "calendar-year", year, existing.version)
        before = _summary(existing, await repository.days_of(session, year))
        await repository.delete_days(session, year)
        existing.version += 1
        existing.source, existing.loaded_at, existing.loaded_by_id = source, utcnow(), principal.user_id
        calendar_year = existing
    else:
        calendar_year = CalendarYear(
            year=year, source=source, loaded_at=utcnow(), loaded_by_id=principal.user_id
        )
        session.add(calendar_year)
    await session.flush()
    rows = [CalendarDay(day=entry.day, year=year, kind=entry.kind, name=entry.name) for entry in days]
    session.add_all(rows)
    await session.flush()
    await audit.record(
        session,
        principal.actor,
        "calendar.load_year",
        entity_type="calendar_year",
        entity_id=year,
        before=before,
        after=_summary(calendar_year, rows),
    )
    return calendar_year


async def official_calendar(session: AsyncSession, first_year: int, last_year: int) -> OfficialCalendar:
    """The loaded calendar of the years from `first_year` to `last_year`, for many dates at once."""
    return await repository.calendar_for(session, first_year, last_year)


async def due_date(session: AsyncSession, start: date, count: int) -> date:
    # A deadline of up to a year of working days never reaches more than two calendar years ahead.
    calendar = await official_calendar(session, start.year, start.year + 2)
    try:
        return calendar.add_working_days(start, count)
    except CalendarYearMissing as missing:
        raise NotFound(
            msg("The calendar for {year} has not been loaded", year=missing.year),
            code="calendar_year_missing",
        ) from missing


async def provisional_due_date(session: AsyncSession, start: date, count: int) -> tuple[date, bool]:
    """`due_date`, but a year not loaded yet counts by the Monday–Friday rule: the date, and whether
    it is provisional (to be computed again once that year's calendar is loaded)."""
    calendar = await official_calendar(session, start.year, start.year + 2)
    return calendar.provisional_due(start, count)


def _validate_days(year: int, days: list[CalendarDayIn]) -> None:
    seen: set[date] = set()
    for index, entry in enumerate(days):
        field = f"days.{index}.day"
        if entry.day.year != year:
            raise ValidationFailed(msg("{day} is not in {year}", day=entry.day, year=year), field=field)
        if entry.day in seen:
            raise ValidationFailed(msg("{day} is listed twice", day=entry.day), field=field)
        if entry.kind == CalendarDayKind.WORKDAY and entry.day.weekday() < SATURDAY:
            raise ValidationFailed(
                msg("{day} is a weekday; make-up working days fall on weekends", day=entry.day), field=field
            )
        seen.add(entry.day)


def _summary(calendar_year: CalendarYear, days: list[CalendarDay]) -> dict[str, object]:
    return {
        "source": calendar_year.source,
        "holidays": sorted(d.day.isoformat() for d in days if d.kind == CalendarDayKind.HOLIDAY),
        "workdays": sorted(d.day.isoformat() for d in days if d.kind == CalendarDayKind.WORKDAY),
    }
