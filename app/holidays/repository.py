from __future__ import annotations

from datetime import date

from sqlalchemy import Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.enums import CalendarDayKind
from app.core.workdays import OfficialCalendar
from app.models import CalendarDay, CalendarYear


def years() -> Select[CalendarYear]:
    return select(CalendarYear).order_by(CalendarYear.year)


async def days_of(session: AsyncSession, year: int) -> list[CalendarDay]:
    return list(
        await session.scalars(select(CalendarDay).where(CalendarDay.year == year).order_by(CalendarDay.day))
    )


async def delete_days(session: AsyncSession, year: int) -> None:
    await session.execute(delete(CalendarDay).where(CalendarDay.year == year))


async def calendar_for(session: AsyncSession, first_year: int, last_year: int) -> OfficialCalendar:
    loaded = set(
        await session.scalars(
            select(CalendarYear.year).where(CalendarYear.year.between(first_year, last_year))
        )
    )
    rows = await session.scalars(select(CalendarDay).where(CalendarDay.year.between(first_year, last_year)))
    holidays: set[date] = set()
    workdays: set[date] = set()
    for row in rows:
        (holidays if row.kind == CalendarDayKind.HOLIDAY else workdays).add(row.day)
    return OfficialCalendar(holidays=holidays, makeup_workdays=workdays, loaded_years=loaded)
