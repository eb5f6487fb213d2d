"""Reading a year's schedule from the installed `chinese-calendar` package."""

from __future__ import annotations

from importlib.metadata import version

from chinese_calendar import constants

from app.core.enums import CalendarDayKind
from app.holidays.schemas import CalendarDayIn

# The package names holidays in English; the calendar is read by Chinese users.
HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def package_label() -> str:
    return f"chinese-calendar {version('chinese-calendar')}"


def package_years() -> set[int]:
    return {day.year for day in constants.holidays}


def package_days(year: int) -> list[CalendarDayIn]:
    """The year's holidays and make-up working days as the package ships them (empty if unknown)."""
    days = [
        CalendarDayIn(day=day, kind=CalendarDayKind.HOLIDAY, name=HOLIDAY_NAMES_ZH.get(str(name), str(name)))
        for day, name in constants.holidays.items()
        if day.year == year
    ]
    days += [
        CalendarDayIn(day=day, kind=CalendarDayKind.WORKDAY, name=HOLIDAY_NAMES_ZH.get(str(name), str(name)))
        for day, name in constants.workdays.items()
        if day.year == year
    ]
    return sorted(days, key=lambda entry: entry.day)
