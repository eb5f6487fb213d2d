"""The editable mapping from national technology fields to the city's priority industries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import LocalIndustry, TechField
from app.db.base import Base, BigIntId, UTCDateTime, enum_type, utcnow


class IndustryMapping(Base):
    __tablename__ = "industry_mappings"

    tech_field: Mapped[TechField] = mapped_column(enum_type(TechField, "tech_field"), primary_key=True)
    local_industry: Mapped[LocalIndustry | None] = mapped_column(enum_type(LocalIndustry, "local_industry"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("users.id"))
