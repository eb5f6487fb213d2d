"""Working-day arithmetic over an official calendar (pure: the caller supplies the calendar).

A day is a working day when it is a make-up working day (调休), or a Monday–Friday that is not a
public holiday.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from datetime import date, timedelta

SATURDAY = 5
MAX_WORKING_DAYS = 366


class CalendarYearMissing(LookupError):
    def __init__(self, year: int) -> None:
        super().__init__(f"The official calendar for {year} has not been loaded")
        self.year = year


@dataclass(frozen=True, slots=True)
class OfficialCalendar:
    holidays: Set[date]
    makeup_workdays: Set[date]
    loaded_years: Set[int]

    def is_working_day(self, day: date) -> bool:
        if day.year not in self.loaded_years:
            raise CalendarYearMissing(day.year)
        if day in self.makeup_workdays:
            return True
        return day.weekday() < SATURDAY and day not in self.holidays

    def add_working_days(self, start: date, count: int) -> date:
        """The date `count` working days after `start` (`start` itself not counted)."""
        if not 0 <= count <= MAX_WORKING_DAYS:
            raise ValueError(f"count must be between 0 and {MAX_WORKING_DAYS}")
        day = start
        remaining = count
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day
