"""Saved matches: a demand's recommended achievements, kept with the owner's progress on each.

The worker saves the best achievements when a demand is published (status `new`); the owner views,
shortlists, dismisses with a structured reason, or proposes one for a deal. One row per pair, so a
dismissed pair is never recommended again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import DeclineReason, MatchStatus
from app.db.base import Base, BigIntId, IdMixin, TimestampMixin, VersionMixin, enum_type


class SavedMatch(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "saved_matches"
    __table_args__ = (
        UniqueConstraint("demand_id", "achievement_id", name="uq_saved_matches_pair"),
        Index("ix_saved_matches_demand_status", "demand_id", "status"),
    )

    demand_id: Mapped[int] = mapped_column(BigIntId, ForeignKey("demands.id", ondelete="CASCADE"))
    achievement_id: Mapped[int] = mapped_column(
        BigIntId, ForeignKey("achievements.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[MatchStatus] = mapped_column(enum_type(MatchStatus, "status"))
    # The engine's score and reasons when it was saved (the explanation is rendered from them when
    # read, in the reader's language).
    score: Mapped[float] = mapped_column(Float)
    matched_terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    contributions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    decline_reason: Mapped[DeclineReason | None] = mapped_column(enum_type(DeclineReason, "decline_reason"))
    decline_note: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(BigIntId, ForeignKey("users.id"))
