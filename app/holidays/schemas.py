from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from app.core.enums import CalendarDayKind
from app.core.schemas import InputModel, OutputModel

Year = Annotated[int, Field(ge=2000, le=2100)]


class CalendarDayIn(InputModel):
    day: date
    kind: CalendarDayKind
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]


class CalendarYearReplace(InputModel):
    days: list[CalendarDayIn] = Field(max_length=120)


class CalendarDayRead(OutputModel):
    day: date
    kind: CalendarDayKind
    name: str


class CalendarYearRead(OutputModel):
    year: int
    source: str
    loaded_at: datetime


class CalendarYearDetail(CalendarYearRead):
    days: list[CalendarDayRead]


class WorkingDaysResult(OutputModel):
    start: date
    count: int
    due: date
