"""The official calendar: public holidays and make-up working days (调休), loaded a year at a time.

Working-day deadlines (e.g. 15 working days to register a contract) are only computed inside loaded
years, so a missing year is an error rather than a silently wrong date.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import CalendarDayKind
from app.db.base import Base, BigIntId, UTCDateTime, enum_type, utcnow


class CalendarYear(Base):
    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(100))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    loaded_by_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class CalendarDay(Base):
    """A day that differs from the Monday–Friday rule: a holiday, or a weekend made a working day."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    year: Mapped[int] = mapped_column(ForeignKey("calendar_years.year", ondelete="CASCADE"), index=True)
    kind: Mapped[CalendarDayKind] = mapped_column(enum_type(CalendarDayKind, "kind"))
    name: Mapped[str] = mapped_column(String(100))
