"""The editable mapping from national technology fields to the city's priority industries.

One row per technology field (`industry_mappings`, versioned: an edit is a compare-and-set on it) and
one row per (field, local industry) pair (`tech_field_industries`): a field may map to several local
industries, or to none. A listing that names its local industry itself (`local_industry` on the
listing) is not mapped at all.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import LocalIndustry, TechField
from app.db.base import Base, BigIntId, UTCDateTime, VersionMixin, enum_type, utcnow


class IndustryMapping(VersionMixin, Base):
    """A technology field's mapping as a whole: who changed it last, and its version."""

    __tablename__ = "industry_mappings"

    tech_field: Mapped[TechField] = mapped_column(enum_type(TechField, "tech_field"), primary_key=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("users.id"))


class TechFieldIndustry(Base):
    """One local industry a technology field maps to."""

    __tablename__ = "tech_field_industries"

    tech_field: Mapped[TechField] = mapped_column(
        enum_type(TechField, "tech_field"),
        ForeignKey("industry_mappings.tech_field", ondelete="CASCADE"),
        primary_key=True,
    )
    local_industry: Mapped[LocalIndustry] = mapped_column(
        enum_type(LocalIndustry, "local_industry"), primary_key=True
    )
