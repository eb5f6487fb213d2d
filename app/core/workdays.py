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

    def is_working_day(self, day: date, *, assume_weekdays: bool = False) -> bool:
        """`assume_weekdays`: a day of a year not loaded counts by the Monday–Friday rule instead of
        raising (a provisional deadline, see `provisional_due`)."""
        if day.year not in self.loaded_years:
            if not assume_weekdays:
                raise CalendarYearMissing(day.year)
            return day.weekday() < SATURDAY
        if day in self.makeup_workdays:
            return True
        return day.weekday() < SATURDAY and day not in self.holidays

    def add_working_days(self, start: date, count: int) -> date:
        """The date `count` working days after `start` (`start` itself not counted)."""
        return self._add(start, count, assume_weekdays=False)

    def provisional_due(self, start: date, count: int) -> tuple[date, bool]:
        """`add_working_days`, counting the days of years not loaded yet (the State Council publishes
        next year's schedule late in the year) by the Monday–Friday rule; and whether it did, i.e.
        whether the date is provisional until that year is loaded."""
        due = self._add(start, count, assume_weekdays=True)
        provisional = any(year not in self.loaded_years for year in range(start.year, due.year + 1))
        return due, provisional

    def _add(self, start: date, count: int, *, assume_weekdays: bool) -> date:
        if not 0 <= count <= MAX_WORKING_DAYS:
            raise ValueError(f"count must be between 0 and {MAX_WORKING_DAYS}")
        day = start
        remaining = count
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day, assume_weekdays=assume_weekdays):
                remaining -= 1
        return day
