"""The network: a city, its districts and counties (GB/T 2260 codes) and functional zones."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import RegionLevel
from app.db.base import Base, BigIntId, IdMixin, TimestampMixin, VersionMixin, enum_type


class Region(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "regions"
    __table_args__ = (CheckConstraint("code IS NULL OR length(code) = 6", name="code_six_digits"),)

    # Functional zones (开发区, 高新区) have no GB/T 2260 code, hence nullable.
    code: Mapped[str | None] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[RegionLevel] = mapped_column(enum_type(RegionLevel, "level"))
    parent_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("regions.id"), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
