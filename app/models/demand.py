"""Enterprise technology demands (企业技术需求)."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Boolean, CheckConstraint, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import CooperationMode, DemandType
from app.db.base import Base, IdMixin, TimestampMixin, VersionMixin, enum_type
from app.models.listing import ListingMixin


class Demand(IdMixin, TimestampMixin, VersionMixin, ListingMixin, Base):
    __tablename__ = "demands"
    __table_args__ = (
        UniqueConstraint("organization_id", "client_key"),
        CheckConstraint(
            "budget_min_fen IS NULL OR budget_max_fen IS NULL OR budget_min_fen <= budget_max_fen",
            name="budget_range",
        ),
        CheckConstraint("budget_min_fen IS NULL OR budget_min_fen >= 0", name="budget_min_non_negative"),
    )

    description: Mapped[str] = mapped_column(Text)
    demand_type: Mapped[DemandType] = mapped_column(enum_type(DemandType, "demand_type"))
    cooperation_modes: Mapped[list[CooperationMode]] = mapped_column(JSON, default=list)
    # Intended investment (意向投入) in fen; negotiable (面议) when the flag is set and the range empty.
    budget_min_fen: Mapped[int | None] = mapped_column(BigInteger)
    budget_max_fen: Mapped[int | None] = mapped_column(BigInteger)
    is_budget_negotiable: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
